"""Every criterion on the demo city, each with its strong, weak and unknown case (and the
adequate one where it is not obvious), expected values worked out by hand from the
figures named in ``conftest``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone, translation

from tests.touchstone.conftest import AREA, SOUTH, add_money, add_result, own_source
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.indicators.models import Observation
from wijkbalans.programmes.models import Activity
from wijkbalans.stacking import selectors as stacking
from wijkbalans.touchstone.context import build_context
from wijkbalans.touchstone.criteria import (
    coherence,
    evidence,
    measurability,
    money,
    need,
    reach,
    residents,
)

pytestmark = pytest.mark.django_db


def assess(module, plan, **inputs):
    return module.assess(plan, build_context(plan, inputs=inputs))


def programme_buurten() -> list[str]:
    from wijkbalans.areas.models import AreaSet

    return sorted(AreaSet.objects.get(slug=AREA).members.values_list("code", flat=True))


# -- need -------------------------------------------------------------------------------

def test_a_plan_on_the_worst_domain_with_strong_evidence_is_strong_on_need_and_evidence(
        make_plan):
    plan = make_plan("ts-armoede", themes=["poverty"], evidence="effectief_goede")
    found = assess(need, plan)
    assert found.rating == "strong"
    assert found.data["worst_domains"] == ["poverty", "social"]
    assert found.data["hits"] == ["poverty"]
    # The council's target on poverty for the area (the city average by 2039) is listed.
    assert [(t["key"], t["kind"], t["target_period"]) for t in found.data["targets"]] == [
        ("poverty", "reference", "2039")]
    assert found.data["targets"][0]["status"] in ("ahead", "on track", "behind")
    # The same scores as the stacking app's gap table for the area against the city.
    gaps = stacking.place_gaps(area_set_or_code=AREA, reference="city", base_period="2024")
    poverty = gaps[(gaps["kind"] == "domain") & (gaps["key"] == "poverty")
                   & (gaps["period"] == "2024")].iloc[0]
    assert found.data["area_scores"]["poverty"] == pytest.approx(poverty["value"], abs=1e-4)
    assert found.data["city_scores"]["poverty"] == pytest.approx(poverty["reference"],
                                                                 abs=1e-4)
    assert found.data["gaps"]["poverty"] == pytest.approx(poverty["gap"], abs=1e-3)
    assert found.data["gaps"]["poverty"] == pytest.approx(86.247 - 98.946, abs=1e-3)
    # The two worst are the two lowest of the area's eight scores.
    ordered = sorted(found.data["area_scores"], key=found.data["area_scores"].get)
    assert ordered[:2] == ["poverty", "social"]
    with translation.override("en"):
        assert "one of the area's two worst domains" in found.reason.text()
        assert "12.7 index points below it" in found.reason.text()
    assert assess(evidence, plan).rating == "strong"


def test_a_plan_where_the_area_is_above_the_city_is_weak_on_need(make_plan):
    plan = make_plan("ts-zuid", themes=["poverty"], area_sets=(), areas=(SOUTH,))
    found = assess(need, plan)
    assert found.rating == "weak"
    assert found.data["area_scores"]["poverty"] > found.data["city_scores"]["poverty"]
    assert found.data["area_scores"]["poverty"] == pytest.approx(102.09, abs=0.01)
    assert found.data["place"] == SOUTH


def test_need_at_the_city_level_is_weak_and_below_it_adequate(make_plan):
    # Physical environment: 99.38 against 99.94, within one index point.
    assert assess(need, make_plan("ts-fysiek", themes=["physical"])).rating == "weak"
    found = assess(need, make_plan("ts-school", themes=["education"]))
    assert found.rating == "adequate" and found.data["themes_below_city"] == ["education"]


def test_need_unknown_without_a_domain_or_an_area(make_plan):
    found = assess(need, make_plan("ts-leef", themes=["liveability"]))
    assert found.rating == "unknown"
    assert found.data["themes_without_score"] == ["liveability"]
    nowhere = make_plan("ts-nergens", area_sets=(), parent=None)
    assert assess(need, nowhere).rating == "unknown"


def test_a_plan_without_areas_works_where_its_programme_works(make_plan):
    plan = make_plan("ts-erft", area_sets=())
    context = build_context(plan)
    assert context.areas_from == "nplv-noord" and context.place == AREA
    assert list(context.buurten) == programme_buurten()
    assert assess(need, plan).rating == "strong"


# -- evidence ---------------------------------------------------------------------------

def evaluation(ref, *, estimate, conclusion="effect", outcome="werkzaam_pct", status="done"):
    return Evaluation.objects.create(
        title=f"Effect {ref}", activity_ref=ref, treated_codes=[], outcome=outcome,
        start_period="2019", status=status, estimate=estimate, conclusion=conclusion)


def test_evidence_is_upgraded_by_an_earlier_evaluation_of_the_same_intervention(make_plan):
    # An earlier round of "Basisbaan" elsewhere, evaluated: employment up 3 points.
    earlier = make_plan("ts-basisbaan-oud", title="Basisbaan", status="finished")
    shown = evaluation(earlier.code, estimate=3.0)
    evaluation("ts-basisbaan-oud", estimate=None, status="queued")
    plan = make_plan("ts-basisbaan", title="  basisbaan ", themes=["work_income"])
    found = assess(evidence, plan)
    assert found.rating == "strong" and found.data["basis"] == "evaluation"
    assert found.data["level_rating"] == "weak"
    assert found.data["favourable"] == [str(shown.pk)]
    assert found.data["pending_evaluations"] == 1
    assert found.data["evaluations"][0]["desired_direction"] == 1  # werkzaam: higher better


def test_evidence_downgraded_by_an_effect_in_the_wrong_direction(make_plan):
    plan = make_plan("ts-verkeerd", evidence="goed_onderbouwd")
    add_result(plan, name="Bijstand", kind="outcome", indicator_code="bijstand_per_1000",
               direction="down")
    evaluation(plan.code, estimate=4.0, outcome="bijstand_per_1000")  # up: worse
    found = assess(evidence, plan)
    assert (found.rating, found.data["harmful"]) == ("weak", [found.data["evaluations"][0]
                                                              ["id"].__str__()])


def test_evidence_no_effect_is_noted_and_levels_alone(make_plan):
    plan = make_plan("ts-geen-effect", evidence="goed_onderbouwd")
    evaluation(plan.code, estimate=0.2, conclusion="no_evidence")
    found = assess(evidence, plan)
    assert found.rating == "adequate" and len(found.data["no_effect"]) == 1
    with translation.override("en"):
        assert "showed no effect" in found.reason.text()
    assert assess(evidence, make_plan("ts-onbekend")).rating == "weak"


# -- reach ------------------------------------------------------------------------------

def inwoners(codes, indicator="inwoners", period="2024") -> float:
    return float(Observation.objects.filter(indicator__code=indicator, area__code__in=codes,
                                            period=period).aggregate(s=Sum("value"))["s"])


def test_reach_share_of_the_target_group(make_plan):
    size = inwoners(programme_buurten())
    assert size == 22622  # the 9 buurten of Demostad-Noord in 2024
    plan = make_plan("ts-bereik")
    add_result(plan, name="Bewoners bereikt", targets=[("2026", 1000), ("2027", 2300)],
               unit="bewoners")
    found = assess(reach, plan)
    assert found.rating == "strong"
    assert found.data["share"] == pytest.approx(2300 / 22622, abs=1e-6)  # 10.17%
    assert found.data["target_group"] == {"indicator": "inwoners", "period": "2024",
                                          "size": 22622.0, "buurten": 9, "with_figure": 9}
    with translation.override("en"):
        assert "10.2% reached" in found.reason.text()
    with translation.override("nl"):
        assert "22.622" in found.reason.text() and "10,2%" in found.reason.text()


def test_reach_against_an_age_band_and_a_named_output(make_plan):
    children = inwoners(programme_buurten(), "inwoners_0_14")
    plan = make_plan("ts-kinderen")
    add_result(plan, name="Ouders", targets=[("2026", 5000)])
    add_result(plan, name="Kinderen", targets=[("2026", round(0.05 * children))])
    found = assess(reach, plan, target_group_indicator="inwoners_0_14",
                   reach_result="Kinderen")
    assert found.rating == "adequate" and found.data["output"] == "Kinderen"
    assert found.data["share"] == pytest.approx(round(0.05 * children) / children, abs=1e-6)
    weak = make_plan("ts-klein")
    add_result(weak, name="Deelnemers", targets=[("2026", 100)])
    assert assess(reach, weak).rating == "weak"  # 100 / 22622 = 0.44%


def test_reach_unknown_without_an_output_target(make_plan):
    plan = make_plan("ts-zonder")
    add_result(plan, name="Deelnemers")  # no target
    found = assess(reach, plan)
    assert found.rating == "unknown" and found.data["output"] is None


# -- residents --------------------------------------------------------------------------

@pytest.fixture
def participation(people, no_participation):
    """Makers of consultations, proposals and budget rounds in the demo city."""
    from wijkbalans.areas.models import Area, AreaSet
    from wijkbalans.participation.models import (
        BudgetProject,
        BudgetRound,
        Consultation,
        Outcome,
        Proposal,
        Support,
    )
    from wijkbalans.programmes.models import FundingSource

    now = timezone.now()
    noord = AreaSet.objects.get(slug=AREA)
    bureau = people["bureau"]

    def consultation(activity=None, area=None):
        return Consultation.objects.create(
            area_set=None if area else noord, area=area, title="Wat vindt u?", text="…",
            opens=now - dt.timedelta(days=30), closes=now - dt.timedelta(days=1),
            status="published", activity=activity, created_by=bureau)

    def proposal(supports, threshold=3, activity=None):
        made = Proposal.objects.create(area_set=noord, title="Buurtkamer", text="…",
                                       author=bureau, support_threshold=threshold)
        from django.contrib.auth import get_user_model

        for n in range(supports):
            user = get_user_model().objects.create(username=f"steun-{made.pk}-{n}")
            Support.objects.create(proposal=made, resident=user)
        if activity is not None:
            Outcome.objects.create(proposal=made, area_set=noord, status="adopted",
                                   text="Wordt uitgevoerd.", activity=activity,
                                   published_at=now)
        return made

    def budget_project(activity, *, selected, votes):
        round_ = BudgetRound.objects.create(
            area_set=noord, title="Buurtbudget 2026", total_budget=Decimal("50000"),
            opens=now - dt.timedelta(days=20), closes=now - dt.timedelta(days=2),
            year=2026, programme=Activity.objects.get(code="nplv-noord"),
            source=FundingSource.objects.get(code="gemeente-wijkvernieuwing"),
            status="closed", closed_at=now)
        return BudgetProject.objects.create(round=round_, title="Speeltuin",
                                            cost=Decimal("20000"), votes=votes,
                                            selected=selected, activity=activity)

    return {"consultation": consultation, "proposal": proposal,
            "budget_project": budget_project, "area": Area}


def test_residents_unknown_without_participation_data(make_plan, no_participation):
    found = assess(residents, make_plan("ts-stil"))
    assert found.rating == "unknown"
    assert found.data["in_area"] == {"consultations": 0, "proposals": 0, "budget_rounds": 0}


def test_residents_weak_when_nothing_of_the_area_concerns_the_plan(make_plan, participation):
    participation["consultation"]()
    participation["proposal"](supports=5)
    found = assess(residents, make_plan("ts-niet-gevraagd"))
    assert found.rating == "weak"
    assert found.data["in_area"] == {"consultations": 1, "proposals": 1, "budget_rounds": 0}
    with translation.override("en"):
        assert "have not been asked" in found.reason.text()


def test_residents_adequate_when_consulted_and_strong_when_they_asked_for_it(
        make_plan, participation):
    plan = make_plan("ts-gevraagd")
    participation["consultation"](activity=plan)
    participation["proposal"](supports=2, threshold=3, activity=plan)
    found = assess(residents, plan)
    assert found.rating == "adequate"
    assert [p["reached"] for p in found.data["proposals"]] == [False]
    participation["proposal"](supports=3, threshold=3, activity=plan)
    found = assess(residents, plan)
    assert found.rating == "strong"
    assert sorted((p["supports"], p["threshold"]) for p in found.data["proposals"]) \
        == [(2, 3), (3, 3)]


def test_residents_weak_when_they_chose_other_projects(make_plan, participation):
    plan = make_plan("ts-speeltuin")
    participation["consultation"](activity=plan)
    participation["budget_project"](plan, selected=False, votes=12)
    found = assess(residents, plan)
    assert found.rating == "weak"
    assert found.data["budget_projects"][0]["votes"] == 12
    chosen = make_plan("ts-gekozen")
    participation["budget_project"](chosen, selected=True, votes=40)
    assert assess(residents, chosen).rating == "strong"


def test_residents_area_includes_items_about_the_wijk_of_a_buurt(make_plan, participation):
    from wijkbalans.areas.models import Area

    participation["consultation"](area=Area.objects.get(code="WK999904"))
    found = assess(residents, make_plan("ts-wijk", area_sets=(), areas=(SOUTH,)))
    assert found.data["in_area"]["consultations"] == 1 and found.rating == "weak"


# -- coherence --------------------------------------------------------------------------

def other_programme(code, themes, areas, city_owner):
    programme = Activity.objects.create(code=code, kind="programme", title=code,
                                        owner=city_owner, status="running",
                                        start=dt.date(2024, 1, 1), end=dt.date(2030, 12, 31))
    part = Activity.objects.create(code=f"{code}-deel", kind="intervention",
                                   title=f"{code} deel", owner=city_owner, parent=programme,
                                   status="running", start=dt.date(2024, 1, 1),
                                   end=dt.date(2030, 12, 31), themes=list(themes))
    from wijkbalans.areas.models import Area

    part.areas.set(Area.objects.filter(code__in=areas))
    return part


def test_coherence_strong_where_nobody_works_on_the_theme(make_plan):
    # Nothing in the register works on social cohesion in Demostad-Noord, and the area
    # is among the city's worst on it: its worst-fifth cells are gaps.
    found = assess(coherence, make_plan("ts-samen", themes=["social"], parent=None))
    assert found.rating == "strong"
    cells = found.data["cells"]
    assert len(cells) == 9 and all(c["others"] == [] for c in cells)
    assert {tuple(g) for g in found.data["gaps"]} == {
        (c["buurt"], "social") for c in cells if c["worst_fifth"]}
    assert found.data["duplicates"] == []


def test_coherence_weak_when_two_other_programmes_work_there(make_plan, city):
    south = [SOUTH, "BU99990401"]
    other_programme("ts-prog-a", ["poverty"], south, city["gemeente"])
    other_programme("ts-prog-b", ["poverty"], south, city["gemeente"])
    plan = make_plan("ts-dubbel", themes=["poverty"], area_sets=(), areas=south)
    found = assess(coherence, plan)
    assert found.rating == "weak"
    assert found.data["duplicate_share"] == 1.0
    assert found.data["cells"][0]["other_programmes"] == ["ts-prog-a", "ts-prog-b"]
    assert all(c["worst_fifth"] is False for c in found.data["cells"])
    # One other programme is no duplicate: adequate.
    other_programme("ts-prog-c", ["poverty"], ["BU99990402"], city["gemeente"])
    single = make_plan("ts-enkel", themes=["poverty"], area_sets=(), areas=["BU99990402"])
    found = assess(coherence, single)
    assert found.rating == "adequate"
    assert found.data["cells"][0]["other_programmes"] == ["ts-prog-c"]


def test_coherence_unknown_for_themes_outside_the_domains(make_plan):
    found = assess(coherence, make_plan("ts-anders", themes=["population"]))
    assert found.rating == "unknown" and found.data["cells"] == []


# -- money ------------------------------------------------------------------------------

def test_money_strong_when_every_year_is_secured(make_plan):
    own_source(secured={2026: "100000.00", 2027: "100000.00"})
    plan = make_plan("ts-gedekt")
    add_money(plan, "ts-fonds", {2026: "60000.00", 2027: "60000.00"})
    found = assess(money, plan)
    assert found.rating == "strong"
    assert (found.data["need"], found.data["secured"], found.data["shortfall"]) == (
        "120000.00", "120000.00", "0.00")
    assert found.data["covered_years"] == [2026, 2027]


def test_money_adequate_when_partly_secured(make_plan):
    # Two plans on one source that secured 100,000 in 2027: each gets its pro-rata share.
    own_source(secured={2026: "200000.00", 2027: "100000.00"})
    plan = make_plan("ts-deels")
    add_money(plan, "ts-fonds", {2026: "60000.00", 2027: "60000.00"})
    add_money(make_plan("ts-ander"), "ts-fonds", {2027: "90000.00"})
    found = assess(money, plan)
    # 2027: need 150,000 for 100,000 secured; this plan's share 100,000 × 60/150 = 40,000.
    assert found.rating == "adequate"
    assert found.data["years"][1] == {"year": 2027, "need": "60000.00", "secured": "40000.00",
                                      "shortfall": "20000.00",
                                      "register_shortfall": found.data["years"][1]
                                      ["register_shortfall"]}
    assert found.data["partly_covered_years"] == [2027]
    assert (found.data["secured"], found.data["shortfall"]) == ("100000.00", "20000.00")


def test_a_plan_without_secured_money_is_weak_on_money(make_plan):
    # The structural state contribution from 2033 on is asked for, not granted.
    plan = make_plan("ts-hoop", start=dt.date(2033, 1, 1), end=dt.date(2034, 12, 31))
    add_money(plan, "rijk-structureel", {2033: "250000.00", 2034: "250000.00"})
    found = assess(money, plan)
    assert found.rating == "weak"
    assert found.data["unsecured_years"] == [2033, 2034]
    assert (found.data["need"], found.data["secured"], found.data["shortfall"]) == (
        "500000.00", "0.00", "500000.00")
    with translation.override("en"):
        assert "nothing is secured in 2033, 2034" in found.reason.text()


def test_money_weak_for_a_year_without_a_budget_line_and_unknown_without_anything(
        make_plan):
    own_source(secured={2026: "100000.00"})
    plan = make_plan("ts-gat", end=dt.date(2028, 6, 30))
    add_money(plan, "ts-fonds", {2026: "50000.00"})
    found = assess(money, plan)
    assert found.rating == "weak"
    assert found.data["years_without_budget"] == [2027, 2028]
    bare = make_plan("ts-kaal", start=None, end=None)
    assert assess(money, bare).rating == "unknown"


# -- measurability ----------------------------------------------------------------------

def complete_buurten(indicator: str, years: range, outside: list[str]) -> int:
    """Buurten of Demostad outside ``outside`` with a value in every year (by the ORM)."""
    from collections import Counter

    rows = Observation.objects.filter(indicator__code=indicator, area__level="buurt",
                                      status="value", value__isnull=False,
                                      period__in=[str(y) for y in years])
    counts = Counter(rows.exclude(area__code__in=outside).values_list("area__code",
                                                                      flat=True))
    return sum(1 for n in counts.values() if n == len(years))


def test_measurability_strong_with_baseline_target_and_enough_comparison(make_plan):
    plan = make_plan("ts-meetbaar")
    add_result(plan, name="Werkzaam", kind="outcome", indicator_code="werkzaam_pct",
               baseline=58, baseline_period="2024", targets=[("2030", 64)])
    found = assess(measurability, plan)
    row = found.data["outcomes"][0]
    assert found.rating == "strong"
    assert row["pre_years"] == 13 - 1  # 2013..2024 before a start in 2026
    assert row["donors"] == complete_buurten("werkzaam_pct", range(2013, 2025),
                                             programme_buurten())
    assert row["donors"] >= 20


def test_measurability_leaves_out_the_programme_area_as_comparison(make_plan):
    plan = make_plan("ts-een-buurt", area_sets=(), areas=["BU99990100"])
    add_result(plan, name="Werkzaam", kind="outcome", indicator_code="werkzaam_pct",
               baseline=58, baseline_period="2024", targets=[("2030", 64)])
    found = assess(measurability, plan)
    assert found.data["left_out_as_same_programme"] == 8
    assert found.data["outcomes"][0]["donors"] == complete_buurten(
        "werkzaam_pct", range(2013, 2025), programme_buurten())


def test_measurability_adequate_with_too_few_years_and_weak_without_outcomes(make_plan):
    early = make_plan("ts-vroeg", start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31))
    add_result(early, name="Werkzaam", kind="outcome", indicator_code="werkzaam_pct",
               baseline=58, baseline_period="2014", targets=[("2016", 60)])
    found = assess(measurability, early)
    assert found.rating == "adequate"
    assert found.data["outcomes"][0]["pre_periods"] == ["2013", "2014"]
    loose = make_plan("ts-los")
    add_result(loose, name="Werkzaam", kind="outcome", indicator_code="werkzaam_pct")
    assert assess(measurability, loose).rating == "adequate"  # evaluable, no baseline
    assert assess(measurability, make_plan("ts-niets")).rating == "weak"


def test_measurability_unknown_without_an_area(make_plan):
    plan = make_plan("ts-zwevend", area_sets=(), parent=None)
    add_result(plan, name="Werkzaam", kind="outcome", indicator_code="werkzaam_pct",
               baseline=58, baseline_period="2024", targets=[("2030", 64)])
    found = assess(measurability, plan)
    assert found.rating == "unknown" and found.data["outcomes"][0]["evaluable"] is None
