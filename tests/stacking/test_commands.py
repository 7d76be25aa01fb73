"""``wijkbalans index`` and ``wijkbalans targets`` on Demostad: rank 1 lies in the northern
band, decile 1 stacks problems, CSV and JSON agree, errors are clean."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet
from wijkbalans.demo.geography import GEMEENTECODE, PROGRAMME_SLUG
from wijkbalans.stacking.models import Target

pytestmark = pytest.mark.django_db
DOMAINS = ["work_income", "poverty", "education", "housing", "health", "safety", "physical",
           "social"]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def band() -> set[str]:
    return set(AreaSet.objects.get(slug=PROGRAMME_SLUG).members.values_list("code", flat=True))


def test_index_csv_on_demostad(demo_city, db):
    out, err = run("index", "--level", "buurt", "--period", "latest")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["code", "name", "score", "rank", "decile", "stack_count", *DOMAINS]
    assert len(rows) == 40
    assert "40 buurt areas, period 2024, method deprivation" in err
    assert rows[0]["rank"] == "1" and rows[0]["code"] in band()
    # The northern band holds the top of the ranking: its nine buurten are all in the
    # worst three deciles (the industrial buurt is too small to be ranked).
    ranked = [r for r in rows if r["rank"]]
    assert len(ranked) == 39 and rows[-1]["rank"] == ""
    assert all(int(r["decile"]) <= 3 for r in ranked if r["code"] in band())
    decile_1 = [int(r["stack_count"]) for r in ranked if r["decile"] == "1"]
    others = [int(r["stack_count"]) for r in ranked if r["decile"] != "1"]
    assert min(decile_1) >= 4 and sum(decile_1) / len(decile_1) > 3 * sum(others) / len(others)


def test_index_json_matches_csv_and_a_fixed_base_year(demo_city, db, tmp_path):
    out, _ = run("index", "--level", "buurt", "--within", GEMEENTECODE, "--reference", "city",
                 "--method", "index100", "--format", "json")
    body = json.loads(out)
    assert body["ok"] and body["period"] == "2024" and body["count"] == 40
    assert body["domains"] == DOMAINS and body["notes"] == []
    target = tmp_path / "index.csv"
    run("index", "--level", "buurt", "--within", GEMEENTECODE, "--reference", "city",
        "--method", "index100", "--out", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    for row, item in zip(rows, body["rows"], strict=True):
        assert row["code"] == item["code"] and row["rank"] == str(item["rank"] or "")
        assert float(row["score"] or "nan") == pytest.approx(item["score"] or float("nan"),
                                                             abs=1e-4, nan_ok=True)
    base, _ = run("index", "--level", "buurt", "--reference", "base:2015", "--method",
                  "index100", "--format", "json", "--period", "2024")
    based = json.loads(base)
    assert based["reference_label"] == "all buurten in the store, fixed at 2015"
    assert based["base_vintages"]["werkzaam_pct"] == "2015"
    # Against 2015 the top buurt is still in the band and below the 2015 mean of 100.
    top = based["rows"][0]
    assert top["code"] in band() and top["score"] < 100
    wijken, _ = run("index", "--level", "wijk", "--format", "json", "--method", "count")
    assert json.loads(wijken)["rows"][0]["name"] == "Noorderkwartier"


def test_robustness_and_drivers_options(demo_city, db):
    out, _ = run("index", "--level", "buurt", "--robustness")
    variants = list(csv.DictReader(io.StringIO(out)))
    assert [v["variant"] for v in variants][:2] == ["ID 2019 weights", "without work_income"]
    assert all(int(v["n_compared"]) == 39 for v in variants)
    code = sorted(band())[0]
    out, _ = run("index", "--level", "buurt", "--drivers", code, "--method", "index100",
                 "--format", "json")
    drivers = json.loads(out)
    assert drivers["code"] == code and len(drivers["drivers"]) == 8


@pytest.mark.parametrize(("args", "words"), [
    (["--level", "provincie"], "--level: expected one of buurt, wijk; found 'provincie'"),
    (["--level", "buurt", "--period", "2031"], "--period: expected 'latest' or a period"),
    (["--level", "buurt", "--period", "last"], "--period: expected 'latest' or a period"),
    (["--level", "buurt", "--reference", "city"], "--reference: reference 'city' needs"),
    (["--level", "buurt", "--reference", "base:2099"], "--reference: the base period 2099"),
    (["--level", "buurt", "--reference", "base:19"], "--reference: expected country, city"),
    (["--level", "buurt", "--method", "median"], "--method: expected one of"),
    (["--level", "buurt", "--within", "GM0014"], "--within: no buurt lies in GM0014"),
    (["--level", "buurt", "--format", "xml"], "--format: expected csv or json"),
])
def test_bad_arguments_are_clean_errors(demo_city, db, args, words):
    with pytest.raises(CommandError) as caught:
        run("index", *args)
    assert words in str(caught.value)
    assert caught.value.returncode != 0


def test_targets_command_set_list_progress_delete(demo_city, db):
    out, _ = run("targets", "set", "--area-set", PROGRAMME_SLUG, "--indicator", "werkzaam_pct",
                 "--kind", "closure", "--share", "0.5", "--baseline", "2018",
                 "--target-period", "2032", "--format", "json")
    target = json.loads(out)["target"]
    assert target["closure_share"] == 0.5 and target["reference"] == "city"
    out, _ = run("targets", "list", "--area-set", PROGRAMME_SLUG)
    assert f"#{target['id']} {PROGRAMME_SLUG}: werkzaam_pct, 2018 -> 2032" in out
    out, _ = run("targets", "progress", "--id", str(target["id"]), "--format", "json")
    progress = json.loads(out)["progress"]
    # Employment in the band rose 3 points from 2019 on (the planted effect): ahead.
    assert progress["latest"]["period"] == "2024" and progress["latest"]["status"] == "ahead"
    out, _ = run("targets", "progress", "--id", str(target["id"]))
    assert "2024: value" in out and "rule: The path runs straight" in out
    with pytest.raises(CommandError, match="closure share in"):
        run("targets", "set", "--area-set", PROGRAMME_SLUG, "--indicator", "werkzaam_pct",
            "--kind", "closure", "--share", "2", "--baseline", "2018", "--target-period", "2032")
    with pytest.raises(CommandError, match="--area-set: no area set 'zuid'"):
        run("targets", "list", "--area-set", "zuid")
    run("targets", "delete", "--id", str(target["id"]))
    assert not Target.objects.filter(pk=target["id"]).exists()
    assert AuditEntry.objects.filter(action="target.delete").count() == 1
    with pytest.raises(CommandError, match="--id: no target"):
        run("targets", "progress", "--id", str(target["id"]))
