"""evaluation_create / evaluation_run / evaluation_rerun_check on the demo city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet
from wijkbalans.areas.services import area_set_save
from wijkbalans.evaluations import compute as compute_module
from wijkbalans.evaluations import services
from wijkbalans.evaluations.compute import compute, panel_sha256
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.evaluations.services import (
    EvaluationError,
    evaluation_fail_stale,
    evaluation_rerun_check,
    evaluation_run,
)
from wijkbalans.indicators.importers.base import IndicatorSpec, Parsed, observations_frame
from wijkbalans.indicators.services import load_parsed

from .fixtures import PROGRAMME, counts, define, define_and_run, user

pytestmark = pytest.mark.usefixtures("demo_db")

INDUSTRIAL = "BU99990603"  # the demo's industrial estate: every rate suppressed
EFFECT = {"effect", "effect_with_caveats"}


def actions(evaluation) -> list[str]:
    return list(AuditEntry.objects.filter(object_type="evaluations.evaluation",
                                          object_id=str(evaluation.pk))
                .order_by("id").values_list("action", flat=True))


def test_sdid_finds_the_planted_employment_effect():
    evaluation = define_and_run()
    assert evaluation.status == Evaluation.Status.DONE, evaluation.error
    result = evaluation.result
    # Planted: +3.0 points from 2019 (docs/demo.md). Default seed: 2.938, se 0.110.
    assert result["estimate"] == pytest.approx(3.0, abs=1.0)
    assert result["estimate"] == pytest.approx(2.938, abs=0.01)
    assert 0 < result["se"] < 0.5 and result["p_value"] < 0.001
    assert result["ci"][0] > 2.0 and result["ci"][1] < 4.0
    assert result["verdict"]["conclusion"] in EFFECT
    assert evaluation.conclusion == result["verdict"]["conclusion"]
    assert evaluation.estimate == result["estimate"]
    # Each language names the outcome in its own words.
    assert "Werkzame inwoners (15-75 jaar)" in result["verdict"]["nl"]
    assert "Residents in work (15-75)" in result["verdict"]["en"]
    assert "rarely arises by chance" in result["verdict"]["en"]
    assert len(result["placebo_estimates"]) == 200
    # 40 buurten: 9 treated, the industrial estate left out (no figures), 30 donors.
    pool = result["donor_pool"]
    assert len(pool["treated"]) == 9 and len(pool["donors"]) == 30
    assert [(e["unit"], e["reason"]) for e in pool["excluded"]] == [(INDUSTRIAL, "missing_pre")]
    assert sum(result["unit_weights"].values()) == pytest.approx(1.0)
    panel = evaluation.panel
    assert len(panel["units"]) == 40 and panel["times"] == list(range(2013, 2025))
    assert panel["level"] == "buurt" and panel["outcome"] == "werkzaam_pct"
    assert all(v is None for v in panel["values"][panel["units"].index(INDUSTRIAL)])
    assert evaluation.panel_sha256 == panel_sha256(panel) and len(evaluation.panel_sha256) == 64
    assert set(evaluation.software) >= {"wijkbalans", "numpy", "scipy"}
    assert result["spec"]["treated"] == evaluation.treated_codes
    assert evaluation.started_at <= evaluation.finished_at
    assert actions(evaluation) == ["evaluation.create", "evaluation.start", "evaluation.run"]


def test_no_effect_is_shown_where_none_was_planted():
    evaluation = define_and_run(outcome="ervaren_gezondheid_pct")
    assert evaluation.status == Evaluation.Status.DONE, evaluation.error
    result = evaluation.result
    assert abs(result["estimate"]) < 0.5
    assert result["p_value"] > 0.05
    assert result["verdict"]["conclusion"] == "no_evidence"
    assert "do not show an effect" in result["verdict"]["en"]
    assert "tonen geen effect aan" in result["verdict"]["nl"]


@pytest.mark.parametrize("method", ["sc", "did"])
def test_synthetic_control_and_did_run_and_store(method):
    evaluation = define_and_run(method=method)
    assert evaluation.status == Evaluation.Status.DONE, evaluation.error
    result = evaluation.result
    assert result["method"] == method
    assert result["estimate"] == pytest.approx(3.0, abs=1.0)
    assert result["verdict"]["conclusion"] in {"effect", "effect_with_caveats", "no_evidence"}
    assert len(result["periods"]) == len(result["treated_path"]) == len(result["gap"]) == 12
    if method == "sc":
        assert len(result["placebos"]) == 30 and result["p_value"] > 0
    else:
        assert result["se"] > 0 and result["event_study"]


def test_a_run_reproduces_from_the_stored_panel_and_settings():
    evaluation = define_and_run()
    stored = {k: v for k, v in evaluation.result.items() if k != "timings"}
    fresh, _timings = compute(evaluation.panel, stored["spec"])
    assert fresh == stored
    check = evaluation_rerun_check(evaluation=evaluation, acting_user=user("analist"))
    assert check.identical and check.panel_sha256_matches and not check.differences
    assert actions(evaluation)[-1] == "evaluation.rerun_check"
    entry = AuditEntry.objects.filter(action="evaluation.rerun_check").latest("id")
    assert entry.after["identical"] is True and entry.actor_repr == "analist"


def test_a_changed_panel_is_noticed():
    evaluation = define_and_run()
    panel = evaluation.panel
    panel["values"][0][-1] += 5.0
    Evaluation.objects.filter(pk=evaluation.pk).update(panel=panel)
    evaluation.refresh_from_db()
    check = evaluation_rerun_check(evaluation=evaluation)
    assert not check.identical and not check.panel_sha256_matches
    assert "estimate" in check.differences


def test_donor_rules_leave_out_similar_programmes_and_named_areas():
    others = ["BU99990400", "BU99990401"]
    area_set_save(slug="ander-programma", name="Ander programma", member_codes=others)
    evaluation = define_and_run(donor_exclude_area_sets=["ander-programma"],
                                donor_exclude="BU99990500")
    assert evaluation.status == Evaluation.Status.DONE, evaluation.error
    reasons = {e["unit"]: e["reason"] for e in evaluation.result["donor_pool"]["excluded"]}
    assert reasons == {INDUSTRIAL: "missing_pre", "BU99990400": "similar_programme",
                       "BU99990401": "similar_programme", "BU99990500": "excluded"}
    assert len(evaluation.result["donor_pool"]["donors"]) == 27
    assert evaluation.result["spec"]["similar"] == others


@pytest.mark.parametrize("overrides, message", [
    # A treated area without figures: the industrial estate has only suppressed rates.
    ({"area_set": None, "treated_codes": ["BU99990000", INDUSTRIAL]}, INDUSTRIAL),
    # All of Demostad is one municipality: leaving it out leaves no comparison.
    ({"donor_exclude_own_municipality": True}, "no comparison area is left"),
    ({"donor_municipalities": "GM0014"}, "no comparison area is left"),
])
def test_a_run_that_cannot_be_computed_ends_failed(overrides, message):
    evaluation = define_and_run(**overrides)
    assert evaluation.status == Evaluation.Status.FAILED
    assert message in evaluation.error
    assert evaluation.result is None and evaluation.finished_at is not None
    assert actions(evaluation)[-1] == "evaluation.fail"


def test_an_indicator_without_figures_before_the_start_for_the_treated_areas_fails():
    """Other buurten have figures from 2016, the programme area only from 2019."""
    treated = list(AreaSet.objects.get(slug=PROGRAMME).members.values_list("code", flat=True))
    rows = {k: [] for k in ("indicator", "area", "period", "value", "status", "row", "column")}
    for i, code in enumerate(["BU99990300", "BU99990301", "BU99990302", *treated]):
        for year in range(2019 if code in treated else 2016, 2022):
            for key, value in (("indicator", "laat_gemeten"), ("area", code),
                               ("period", str(year)), ("value", 10.0 + i + year - 2016),
                               ("status", "value"), ("row", 0), ("column", "x")):
                rows[key].append(value)
    load_parsed(parsed=Parsed(observations=observations_frame(rows), areas=[],
                              indicators=[IndicatorSpec(code="laat_gemeten", name_nl="Laat")]),
                kind="test", file_name="laat.csv", file_sha256="laat")
    evaluation = define_and_run(outcome="laat_gemeten", method="did")
    assert evaluation.status == Evaluation.Status.FAILED
    assert "has no value for 'laat_gemeten' in 2016, 2017, 2018" in evaluation.error
    assert evaluation.panel["times"] == [2016, 2017, 2018, 2019, 2020, 2021]


def test_an_unexpected_error_is_stored_as_failed(monkeypatch):
    def broken(panel, spec):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "compute", broken)
    evaluation = define_and_run()
    assert evaluation.status == Evaluation.Status.FAILED
    assert evaluation.error == "unexpected error: RuntimeError: disk on fire"
    assert evaluation.panel is not None  # what was read is kept, to look into


def test_only_a_queued_evaluation_runs():
    evaluation = define_and_run()
    with pytest.raises(EvaluationError) as error:
        evaluation_run(evaluation=evaluation)
    assert error.value.field == "status"
    queued = define()
    with pytest.raises(EvaluationError):
        evaluation_rerun_check(evaluation=queued)


def test_a_run_left_running_by_a_stopped_worker_is_failed():
    evaluation = define()
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(hours=2))
    fresh = define()
    Evaluation.objects.filter(pk=fresh.pk).update(status="running", started_at=timezone.now())
    assert evaluation_fail_stale() == 1
    evaluation.refresh_from_db()
    fresh.refresh_from_db()
    assert evaluation.status == "failed" and "stopped before it finished" in evaluation.error
    assert fresh.status == "running"


def test_a_run_reads_the_outcome_in_one_query():
    evaluation = define()
    with CaptureQueriesContext(connection) as queries:
        evaluation_run(evaluation=evaluation)
    observation_reads = [q["sql"] for q in queries.captured_queries
                         if "indicators_observation" in q["sql"]]
    assert len(observation_reads) == 1


def test_a_title_is_made_when_none_is_given():
    evaluation = define()
    assert evaluation.title.endswith("Demostad-Noord — 2019")
    assert evaluation.status == "queued" and evaluation.settings["placebo_reps"] == 200
    assert evaluation.treated_codes == sorted(evaluation.treated_codes)
    assert len(evaluation.treated_codes) == 9


@pytest.mark.parametrize("overrides, field", [
    ({"method": "ols"}, "method"),
    ({"outcome": "geen_indicator"}, "outcome"),
    ({"area_set": "bestaat-niet"}, "area_set"),
    ({"area_set": "leeg"}, "area_set"),
    ({"treated_codes": ["BU99990000"]}, "area_set"),
    ({"area_set": None, "treated_codes": ["BU12345678"]}, "treated_codes"),
    ({"area_set": None, "treated_codes": ["WK999900"]}, "treated_codes"),
    ({"start_period": "2030"}, "start_period"),
    ({"start_period": "2014"}, "start_period"),
    ({"start_period": "2014", "method": "did", "first_period": "2014"}, "start_period"),
    ({"start_period": "20x9"}, "start_period"),
    ({"start_period": ""}, "start_period"),
    ({"first_period": "2013-13"}, "first_period"),
    ({"donor_exclude": ["BU00000000"]}, "donor_exclude"),
    ({"donor_exclude_area_sets": ["geen-set"]}, "donor_exclude_area_sets"),
    ({"donor_municipalities": "Demostad"}, "donor_municipalities"),
    ({"placebo_reps": 5}, "placebo_reps"),
    ({"placebo_reps": "veel"}, "placebo_reps"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"title": "x" * 201}, "title"),
])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(overrides, field):
    AreaSet.objects.get_or_create(slug="leeg", defaults={"name": "Leeg"})
    before = counts()
    with pytest.raises(EvaluationError) as error:
        define(**overrides)
    assert error.value.field == field
    assert counts() == before


def test_the_panel_hash_is_that_of_the_canonical_json():
    panel = {"outcome": "x", "level": "buurt", "units": ["B", "A"], "times": [2020],
             "values": [[1.0], [None]]}
    assert panel_sha256(panel) == panel_sha256(dict(reversed(panel.items())))
    assert compute_module.canonical(panel).startswith('{"level":"buurt"')
