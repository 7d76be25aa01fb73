"""The background worker: claims each queued evaluation once, runs it, never leaves it
running; and the management command."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.evaluations import services
from wijkbalans.evaluations.models import Evaluation
from wijkbalans.evaluations.services import evaluation_claim
from wijkbalans.evaluations.worker import work, work_one

from .fixtures import define

pytestmark = pytest.mark.usefixtures("demo_db")


def test_two_workers_run_one_evaluation_once(monkeypatch):
    runs = []
    real_run = services.evaluation_run

    def counting(*, evaluation):
        runs.append(evaluation.pk)
        return real_run(evaluation=evaluation)

    monkeypatch.setattr("wijkbalans.evaluations.worker.evaluation_run", counting)
    evaluation = define()
    first = work_one()
    second = work_one()
    assert first is not None and first.pk == evaluation.pk and first.status == "done"
    assert second is None
    assert runs == [evaluation.pk]
    assert AuditEntry.objects.filter(action="evaluation.start",
                                     object_id=str(evaluation.pk)).count() == 1


def test_a_claimed_evaluation_is_not_claimed_again():
    evaluation = define()
    claimed = evaluation_claim()
    assert claimed.pk == evaluation.pk and claimed.status == "running"
    assert claimed.started_at is not None
    assert evaluation_claim() is None
    assert evaluation_claim(pk=evaluation.pk) is None


def test_the_oldest_queued_evaluation_goes_first():
    older = define()
    newer = define(outcome="ervaren_gezondheid_pct")
    assert evaluation_claim().pk == older.pk
    assert evaluation_claim().pk == newer.pk


def test_work_once_runs_everything_queued_and_stops():
    queued = [define(), define(method="did"), define(area_set=None, treated_codes=["BU99990603"])]
    finished = []
    assert work(once=True, report=finished.append) == 3
    assert work(once=True) == 0
    states = dict(Evaluation.objects.filter(pk__in=[e.pk for e in queued])
                  .values_list("pk", "status"))
    assert states == {queued[0].pk: "done", queued[1].pk: "done", queued[2].pk: "failed"}
    assert [e.pk for e in finished] == [e.pk for e in queued]


def test_the_command_runs_the_queue_and_checks_a_result():
    evaluation = define()
    out = StringIO()
    call_command("evaluations", "work", "--once", stdout=out)
    assert f"evaluation {evaluation.pk} done: estimate 2.938, effect" in out.getvalue()
    assert "1 evaluation(s) run" in out.getvalue()
    out = StringIO()
    call_command("evaluations", "check", str(evaluation.pk), "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["identical"] is True and report["panel_sha256_matches"] is True


def test_the_command_refuses_an_unknown_evaluation():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no evaluation 999999"):
        call_command("evaluations", "check", "999999")
