"""``wijkbalans touchstone``: the scorecard as JSON and CSV, stored on request."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.touchstone.conftest import add_result
from wijkbalans.accounts.models import AuditEntry
from wijkbalans.touchstone.models import Assessment

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English msgids; the commands speak the active
    language (Dutch by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def run(*args) -> str:
    out = io.StringIO()
    call_command("touchstone", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan(make_plan):
    made = make_plan("ts-cli", themes=["poverty"], evidence="effectief_goede")
    add_result(made, name="Deelnemers", targets=[("2027", 500)])
    return made


def test_json_computes_without_storing(plan):
    before = (Assessment.objects.count(), AuditEntry.objects.count())
    data = json.loads(run("--activity", "ts-cli", "--language", "en"))
    assert (Assessment.objects.count(), AuditEntry.objects.count()) == before
    assert data["activity"] == "ts-cli" and data["assessment"] is None
    ratings = {c["key"]: c["rating"] for c in data["criteria"]}
    assert (ratings["need"], ratings["evidence"], ratings["reach"]) == (
        "strong", "strong", "adequate")  # 500 / 22,622 = 2.2%
    assert ratings["money"] == "weak"  # no budget line at all
    assert data["counts"] == {r: list(ratings.values()).count(r)
                              for r in ("strong", "adequate", "weak", "unknown")}
    reach = next(c for c in data["criteria"] if c["key"] == "reach")
    assert "2.2% reached" in reach["reason"]


def test_csv_one_row_per_criterion_by_number(plan):
    rows = list(csv.DictReader(io.StringIO(run("--activity", str(plan.pk),
                                               "--format", "csv"))))
    assert [r["criterion"] for r in rows] == ["need", "evidence", "reach", "residents",
                                              "coherence", "money", "measurability"]
    assert rows[0]["activity"] == "ts-cli" and rows[0]["rating"] == "strong"
    assert json.loads(rows[2]["data"])["target_group"]["size"] == 22622.0
    assert "2,2%" in rows[2]["reason"]  # Dutch figures by default


def test_save_records_the_user_and_the_audit(plan, people, tmp_path):
    out = tmp_path / "card.json"
    assert run("--activity", "ts-cli", "--save", "--user", "bureau", "--label", "A",
               "--out", str(out)) == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    made = Assessment.objects.get(pk=data["assessment"])
    assert (made.created_by.username, made.label) == ("bureau", "A")
    assert AuditEntry.objects.filter(action="touchstone.assessment.create",
                                     object_id=str(made.pk)).count() == 1
    by_system = json.loads(run("--activity", "ts-cli", "--save"))
    assert Assessment.objects.get(pk=by_system["assessment"]).created_by is None


@pytest.mark.parametrize(("args", "message"), [
    (("--activity", "bestaat-niet"), "--activity: no activity"),
    (("--activity", "ts-cli", "--target-group", "werkzaam_pct"), "target_group_indicator:"),
    (("--activity", "ts-cli", "--save", "--user", "partner", "--language", "en"),
     "Only the programme bureau"),
    (("--activity", "ts-cli", "--save", "--user", "niemand"), "--user: no user"),
])
def test_errors_name_the_problem_and_store_nothing(plan, people, args, message):
    before = Assessment.objects.count()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Assessment.objects.count() == before
