"""``wijkbalans programmes export|import|coverage``."""

from __future__ import annotations

import hashlib
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkbalans.accounts.services import membership_grant, user_create
from wijkbalans.programmes.spreadsheet import workbook_export

from .sheet_fixtures import build_register, clear_register, row_counts


@pytest.fixture
def sheet_register(db):
    return build_register()



@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English msgids; the commands speak the active
    language (Dutch by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def run(*args) -> str:
    out = io.StringIO()
    call_command("programmes", *args, stdout=out)
    return out.getvalue()


def test_export_writes_the_workbook_and_says_what_is_in_it(sheet_register, tmp_path):
    path = tmp_path / "register.xlsx"
    payload = json.loads(run("export", "--out", str(path), "--format", "json"))
    assert payload["ok"] is True
    assert payload["rows"] == {"organisations": 4, "activities": 3, "partners": 3,
                               "result_indicators": 2, "result_periods": 3,
                               "result_updates": 1, "funding_sources": 2, "allocations": 3,
                               "budget_lines": 3}
    data = path.read_bytes()
    assert payload["sha256"] == hashlib.sha256(data).hexdigest()
    assert data == workbook_export()
    text = run("export", "--out", str(path))
    assert text.startswith(f"{path}: organisations 4, activities 3, partners 3,")
    assert text.strip().endswith(f"(SHA-256 {payload['sha256']})")


def test_export_to_a_folder_that_does_not_exist_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="--out: cannot write"):
        run("export", "--out", str(tmp_path / "nergens" / "x.xlsx"))


def test_import_into_an_empty_database_and_again(sheet_register, tmp_path):
    path = tmp_path / "register.xlsx"
    run("export", "--out", str(path))
    clear_register()
    payload = json.loads(run("import", str(path), "--format", "json"))
    assert payload["ok"] is True
    assert payload["totals"] == {"created": 24, "updated": 0, "unchanged": 0}
    assert payload["created"]["budget_lines"] == 3
    assert payload["file"] == "register.xlsx"
    line = run("import", str(path)).strip()
    assert line.startswith("register.xlsx: created 0, updated 0, unchanged 24 "
                           "(created/updated/unchanged: organisations 0/0/4, activities 0/0/3,")
    assert line.endswith("; nothing changed")


def test_a_malformed_workbook_exits_1_with_every_problem(sheet_register, tmp_path):
    path = tmp_path / "fout.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(workbook_export()))
    book["budget_lines"]["D2"] = 0.125
    book["activities"]["B4"] = "weg"
    book.save(path)
    before = row_counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("programmes", "import", str(path), "--format", "json", stdout=out)
    assert failed.value.returncode == 1
    assert "2 problem(s); nothing was imported" in str(failed.value)
    payload = json.loads(out.getvalue())
    assert payload["ok"] is False
    assert sorted((p["sheet"], p["row"], p["column"]) for p in payload["problems"]) == [
        ("activities", 4, "parent_code"), ("budget_lines", 2, "planned")]
    assert {p["found"] for p in payload["problems"]} == {"0.125", "weg"}
    assert row_counts() == before


def test_import_needs_an_administrator(sheet_register, tmp_path):
    path = tmp_path / "register.xlsx"
    run("export", "--out", str(path))
    finance = user_create(username="financien", password=None)
    membership_grant(user=finance, organisation=sheet_register.org["gemeente-sheetstad"],
                     role="finance_officer")
    before = row_counts()
    out = io.StringIO()
    with pytest.raises(CommandError, match="Only an administrator") as refused:
        call_command("programmes", "import", str(path), "--user", "financien",
                     "--format", "json", stdout=out)
    assert refused.value.returncode == 1
    assert json.loads(out.getvalue())["ok"] is False
    with pytest.raises(CommandError, match="no user named 'niemand'"):
        run("import", str(path), "--user", "niemand")
    assert row_counts() == before
    user_create(username="root", password=None, is_superuser=True)
    assert "unchanged 24" in run("import", str(path), "--user", "root")


# -- coverage ---------------------------------------------------------------------------

def test_coverage_csv_per_year_and_source(sheet_register):
    text = run("coverage", "--from", "2024", "--to", "2024", "--format", "csv")
    # gem 2024: need 0.10 (al-werk), secured 123456789012.34; nplv 2024: need 400000.50
    # (int-taal), secured 1000000.00; gap = need - secured.
    assert text == ("year,source_code,source_name,need,secured,gap\n"
                    "2024,gem,Gemeente structureel,0.10,123456789012.34,-123456789012.24\n"
                    "2024,nplv,NPLV (SPUK),400000.50,1000000.00,-599999.50\n")


def test_coverage_json_of_one_activity_to_a_file(sheet_register, tmp_path):
    path = tmp_path / "dekking.json"
    assert run("coverage", "--from", "2024", "--to", "2025", "--activity", "int-taal",
               "--format", "json", "--out", str(path)) == ""
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["activity"] == "int-taal"
    # int-taal's own lines only; nplv secures more than its whole need in 2024, so the
    # scope's share is its need; in 2025 nplv secures 250000.10 for a need of 80000.00.
    assert [(r["year"], r["source_code"], r["need"], r["secured"], r["gap"])
            for r in payload["rows"]] == [
        (2024, "nplv", "400000.50", "400000.50", "0.00"),
        (2025, "nplv", "80000.00", "80000.00", "0.00")]


def test_coverage_refuses_bad_years_and_unknown_activities(sheet_register):
    with pytest.raises(CommandError, match="from 2030 to 2020"):
        run("coverage", "--from", "2030", "--to", "2020")
    with pytest.raises(CommandError, match="--activity: no activity 'onbekend'"):
        run("coverage", "--activity", "onbekend")
