"""Storing assessments and decisions (permissions, audit, refused input changes nothing),
and the selectors built on them: what each reader sees, alternatives side by side, and
afterwards what was expected next to what happened."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.touchstone.conftest import add_money, add_result, own_source
from wijkbalans.accounts.models import AuditEntry
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.programmes.models import Activity, ResultPeriod
from wijkbalans.touchstone import selectors
from wijkbalans.touchstone.errors import TouchstoneError, TouchstoneRefused
from wijkbalans.touchstone.models import Assessment, Decision
from wijkbalans.touchstone.scorecard import (
    CSV_COLUMNS,
    compute_scorecard,
    scorecard_csv,
    scorecard_dict,
)
from wijkbalans.touchstone.services import assessment_create, decision_record

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Assessment.objects.count(), Decision.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def plan(make_plan):
    """A plan on poverty in Demostad-Noord with strong evidence, an output target, an
    outcome indicator and money from a source of its own (secured in full)."""
    made = make_plan("ts-plan", themes=["poverty"], evidence="effectief_eerste")
    add_result(made, name="Huishoudens bereikt", targets=[("2026", 1200), ("2027", 2400)],
               unit="huishoudens")
    add_result(made, name="Laag inkomen", kind="outcome", indicator_code="laag_inkomen_hh_pct",
               direction="down", baseline=12, baseline_period="2024", targets=[("2030", 9)])
    own_source(secured={2026: "300000.00", 2027: "300000.00"})
    add_money(made, "ts-fonds", {2026: "150000.00", 2027: "150000.00"})
    return made


def test_an_assessment_stores_the_plan_as_it_was_and_its_scorecard(plan, people, no_participation):
    before = counts()
    made = assessment_create(acting_user=people["bureau"], activity=plan, label="variant A",
                             inputs={"notes": {"residents": "Besproken met het "
                                                            "bewonersplatform."}})
    assert counts() == (before[0] + 1, before[1], before[2] + 1)
    assert made.activity_version == plan.version == 1 and made.created_by == people["bureau"]
    assert made.activity_snapshot["code"] == "ts-plan"
    assert made.activity_snapshot["area_sets"] == ["demostad-noord"]
    assert made.activity_snapshot["budget_lines"] == [
        {"year": 2026, "source": "ts-fonds", "planned": "150000.00"},
        {"year": 2027, "source": "ts-fonds", "planned": "150000.00"}]
    assert made.activity_snapshot["results"][0]["periods"]["2027"] == {
        "target": "2400.0000", "actual": None}
    ratings = {key: made.results[key]["rating"] for key in made.results}
    assert ratings == {"need": "strong", "evidence": "strong", "reach": "strong",
                       "residents": "unknown", "coherence": ratings["coherence"],
                       "money": "strong", "measurability": "strong"}
    assert made.results["residents"]["note"] == "Besproken met het bewonersplatform."
    assert made.inputs["target_group_indicator"] == "inwoners"
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_id, entry.actor) == (
        "touchstone.assessment.create", str(made.pk), people["bureau"])
    assert entry.after["results"]["money"]["rating"] == "strong"


def test_who_may_assess(plan, people, city):
    for name in ("partner", "bewoner", "analist", "anonymous"):
        before = counts()
        with pytest.raises(TouchstoneRefused):
            assessment_create(acting_user=people[name], activity=plan)
        assert counts() == before, name
    assert assessment_create(acting_user=people["beheer"], activity=plan).pk
    # The programme staff of a partner that owns the plan assess it too.
    from wijkbalans.accounts.models import Membership

    owned = Activity.objects.get(code="woningverbetering-esdonk")
    Membership.objects.create(user=people["partner"], organisation=city["housing"],
                              role="programme_staff")
    partner = type(people["partner"]).objects.get(pk=people["partner"].pk)  # roles re-read
    assert assessment_create(acting_user=partner, activity=owned).pk


@pytest.mark.parametrize(("inputs", "field"), [
    ({"target_group_indicator": "werkzaam_pct"}, "target_group_indicator"),
    ({"target_group_indicator": "geen"}, "target_group_indicator"),
    ({"reach_result": "Laag inkomen"}, "reach_result"),
    ({"notes": {"geld": "x"}}, "notes.geld"),
    ({"notes": "tekst"}, "notes"),
    ({"notes": {"money": "x" * 4001}}, "notes.money"),
    ({"argued_ratings": {"residents": "strong"}}, "notes.residents"),
    ({"argued_ratings": {"residents": "excellent"}, "notes": {"residents": "x"}},
     "argued_ratings.residents"),
    ({"argued_ratings": {"money": "weak"}, "notes": {"money": "duur"}},
     "argued_ratings.money"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(plan, people, inputs,
                                                                   field):
    before = counts()
    with pytest.raises(TouchstoneError) as refused:
        assessment_create(acting_user=people["bureau"], activity=plan, inputs=inputs)
    assert refused.value.field == field
    assert counts() == before


def test_an_argued_rating_fills_a_criterion_the_data_cannot_rate(plan, people, no_participation):
    made = assessment_create(
        acting_user=people["bureau"], activity=plan,
        inputs={"argued_ratings": {"residents": "adequate"},
                "notes": {"residents": "Bewonersavond met 40 mensen, vooral positief."}})
    residents = made.results["residents"]
    assert (residents["rating"], residents["basis"], residents["computed_rating"]) == (
        "adequate", "argued", "unknown")


def test_an_assessment_of_a_changed_plan_is_refused(plan, people):
    Activity.objects.filter(pk=plan.pk).update(version=2)
    before = counts()
    with pytest.raises(TouchstoneError) as refused:
        assessment_create(acting_user=people["bureau"], activity=plan, expected_version=1)
    assert refused.value.field == "expected_version" and counts() == before
    assert assessment_create(acting_user=people["bureau"], activity=plan,
                             expected_version=2).activity_version == 2


def test_decisions_with_reason_who_and_when(plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    first = decision_record(acting_user=people["bureau"], assessment=made,
                            decision="adjust", reason="Eerst de financiering na 2027 rond.")
    second = decision_record(acting_user=people["beheer"], assessment=made, decision="go",
                             reason="  Gedekt tot 2027; bereik is voldoende.  ")
    assert (second.decision, second.reason, second.decided_by) == (
        "go", "Gedekt tot 2027; bereik is voldoende.", people["beheer"])
    stored = selectors.assessment_get(user=people["bureau"], pk=made.pk)
    assert selectors.latest_decision(assessment=stored) == second
    assert [d.pk for d in stored.decisions.all()] == [second.pk, first.pk]
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.after["decision"]) == ("touchstone.decision.create", "go")


@pytest.mark.parametrize(("user", "decision", "reason", "error"), [
    ("bureau", "go", "   ", "reason"), ("bureau", "maybe", "x", "decision"),
    ("bureau", "go", None, "reason"), ("partner", "go", "x", None),
    ("anonymous", "stop", "x", None)])
def test_a_decision_refused_changes_nothing(plan, people, user, decision, reason, error):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    before = counts()
    with pytest.raises(TouchstoneError) as refused:
        decision_record(acting_user=people[user], assessment=made, decision=decision,
                        reason=reason)
    assert refused.value.field == error
    assert isinstance(refused.value, TouchstoneRefused) == (error is None)
    assert counts() == before


def test_no_decision_on_an_assessment_of_an_older_version(plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    Activity.objects.filter(pk=plan.pk).update(version=2)
    with pytest.raises(TouchstoneError) as refused:
        decision_record(acting_user=people["bureau"], assessment=made, decision="go",
                        reason="x")
    assert refused.value.field == "assessment"


# -- reading ----------------------------------------------------------------------------

def test_who_reads_which_assessments_and_what_the_public_sees(plan, make_plan, people):
    public = make_plan("ts-openbaar", public=True)
    own_source("ts-open", secured={2026: "10.00"})
    add_money(public, "ts-open", {2026: "100.00", 2027: "100.00"})
    hidden = assessment_create(acting_user=people["bureau"], activity=plan)
    shown = assessment_create(acting_user=people["bureau"], activity=public)
    for name in ("bureau", "partner", "analist"):
        assert {a.pk for a in selectors.assessment_list(user=people[name])} >= {
            hidden.pk, shown.pk}
    for name in ("bewoner", "anonymous"):
        readable = {a.pk for a in selectors.assessment_list(user=people[name])}
        assert shown.pk in readable and hidden.pk not in readable
        assert selectors.assessment_get(user=people[name], pk=hidden.pk) is None
    card = selectors.assessment_scorecard(user=people["anonymous"], assessment=shown)
    money = card.get("money")
    assert money.rating == "weak"  # 10 of 100 secured in 2026, nothing in 2027
    assert "need" not in money.data and money.data["unsecured_years"] == [2027]
    with translation.override("en"):
        assert money.reason.text() == ("The amounts behind this rating are for members of "
                                       "the Local Alliance.")
    assert all("others" not in c for c in card.get("coherence").data["cells"])
    member = selectors.assessment_scorecard(user=people["partner"], assessment=shown)
    assert member.get("money").data["need"] == "200.00"


def test_compute_for_a_reader_who_may_not_read_the_plan(plan, people):
    with pytest.raises(TouchstoneRefused):
        selectors.scorecard_compute(user=people["anonymous"], activity=plan)
    card = selectors.scorecard_compute(user=people["analist"], activity=plan)
    assert card.assessment_id is None and card.counts["strong"] >= 4


def test_alternatives_side_by_side(plan, make_plan, people):
    other = make_plan("ts-plan-b", themes=["physical"], evidence="goed_beschreven")
    a = assessment_create(acting_user=people["bureau"], activity=plan, label="A: armoede")
    b = assessment_create(acting_user=people["bureau"], activity=other, label="B: buitenruimte")
    decision_record(acting_user=people["bureau"], assessment=a, decision="go", reason="Sterk.")
    table = selectors.compare([a, b], user=people["bureau"])
    assert [p.label for p in table.plans] == ["A: armoede", "B: buitenruimte"]
    assert [r.key for r in table.rows] == ["need", "evidence", "reach", "residents",
                                           "coherence", "money", "measurability"]
    need = table.rows[0]
    assert [c.rating for c in need.cells] == ["strong", "weak"]
    assert [c.rating for c in table.rows[1].cells] == ["strong", "weak"]
    data = table.as_dict()
    assert data["plans"][0]["decision"]["decision"] == "go"
    assert data["plans"][1]["decision"] is None
    assert data["criteria"][5]["plans"][1]["rating"] == "weak"  # plan B has no money
    # A computed (not stored) alternative can stand next to stored ones.
    mixed = selectors.compare([a, compute_scorecard(activity=other)], user=people["bureau"])
    assert mixed.plans[1].assessment_id is None


def test_expected_against_actual(plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    # Afterwards: the target for 2027 was lowered, 2026 reached 1,500 (approved).
    period = ResultPeriod.objects.get(result__activity=plan, period="2027")
    period.target = Decimal("2000")
    period.save()
    ResultPeriod.objects.filter(result__activity=plan, period="2026").update(
        actual=Decimal("1500"))
    Evaluation.objects.create(title="Effect ts-plan", activity_ref="ts-plan",
                              treated_codes=[], outcome="laag_inkomen_hh_pct",
                              start_period="2026", status="done", estimate=-1.2,
                              conclusion="effect")
    found = selectors.expected_vs_actual(activity=plan, user=people["partner"])
    assert found["assessment"]["id"] == made.pk
    reached = found["results"][0]
    assert reached["expected"] == {"2026": "1200.0000", "2027": "2400.0000"}
    assert reached["targets"] == {"2026": "1200", "2027": "2000"}
    assert reached["actuals"] == {"2026": "1500"}
    assert reached["progress"] == "0.750000"  # (1500 - 0) / (2000 - 0)
    assert found["reach"]["expected_share"] == pytest.approx(2400 / 22622, abs=1e-6)
    assert found["reach"]["actual"] == {"period": "2026", "actual": "1500",
                                        "share": pytest.approx(1500 / 22622, abs=1e-6)}
    assert found["expected"]["evidence"]["rating"] == "strong"
    assert [e["conclusion"] for e in found["evaluations"]] == ["effect"]
    with pytest.raises(TouchstoneRefused):
        selectors.expected_vs_actual(activity=plan, user=people["anonymous"])


def test_latest_assessments_for_the_report(plan, make_plan, people):
    first = assessment_create(acting_user=people["bureau"], activity=plan)
    second = assessment_create(acting_user=people["bureau"], activity=plan)
    other = assessment_create(acting_user=people["bureau"], activity=make_plan("ts-c"))
    found = selectors.latest_assessments(user=people["bureau"])
    assert found["ts-plan"] == second and found["ts-c"] == other
    assert first.pk not in {a.pk for a in found.values()}


def test_scorecard_shapes(plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    card = selectors.assessment_scorecard(user=people["bureau"], assessment=made)
    with translation.override("en"):
        data = scorecard_dict(card)
        text = scorecard_csv(card)
    assert data["assessment"] == made.pk and data["outdated"] is False
    assert [c["key"] for c in data["criteria"]][0] == "need"
    assert data["criteria"][0]["reason"].startswith("The plan aims at poverty")
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS) and len(lines) == 8
    assert lines[1].startswith(f"ts-plan,1,{made.pk},need,strong,data,")


def test_reasons_follow_the_readers_language(plan, people):
    made = assessment_create(acting_user=people["bureau"], activity=plan)
    reach = selectors.assessment_scorecard(user=people["bureau"], assessment=made).get("reach")
    with translation.override("en"):
        english = reach.reason.text()
    with translation.override("nl"):
        dutch = reach.reason.text()
    assert "22,622" in english and "10.6%" in english  # 2,400 of 22,622
    assert "22.622" in dutch and "10,6%" in dutch


def test_a_plan_dated_without_start_uses_this_year(make_plan):
    from wijkbalans.touchstone.context import build_context

    plan = make_plan("ts-ooit", start=None, end=None)
    context = build_context(plan, today=dt.date(2027, 5, 1))
    assert (context.year, context.start_year, context.root) == (2027, None, "nplv-noord")
    assert {"ts-ooit", "nplv-noord"} <= context.lineage


def test_plans_to_assess_and_the_criteria_headers(plan, make_plan, people):
    make_plan("ts-lopend", status="running")
    codes = [a.code for a in selectors.plans_to_assess(user=people["bureau"])]
    assert "ts-plan" in codes and "ts-lopend" not in codes
    assert selectors.plans_to_assess(user=people["partner"]) == []
    with translation.override("en"):
        info = selectors.criteria_info()
    assert [c["key"] for c in info][:2] == ["need", "evidence"]
    assert info[5] == {"key": "money", "label": "Money",
                       "question": "Is it covered for its whole duration?"}


def test_an_assessed_activity_is_not_deleted_but_refused(make_plan, people):
    """The assessment keeps the plan it judged: deleting it is refused with a reason and
    changes nothing (not a database error)."""
    from wijkbalans.programmes.errors import ProgrammeError
    from wijkbalans.programmes.services.register import activity_delete

    plan = make_plan("ts-delete", themes=["poverty"])
    assessment_create(acting_user=None, activity=plan)
    before = counts()
    with translation.override("en"), pytest.raises(ProgrammeError, match="assessment"):
        activity_delete(acting_user=people["beheer"], activity=plan)
    assert Activity.objects.filter(code=plan.code).exists()
    assert counts() == before
