"""The programme workbook: export, import, round trip, and refusing malformed workbooks."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.accounts.services import membership_grant, user_create
from wijkbalans.programmes.errors import ConflictError, PermissionRefused
from wijkbalans.programmes.models import (
    Activity,
    BudgetLine,
    FundingAllocation,
    ResultPeriod,
    ResultUpdate,
)
from wijkbalans.programmes.spreadsheet import (
    WorkbookInvalid,
    cells,
    workbook_export,
    workbook_import,
)
from wijkbalans.programmes.spreadsheet import schema as s
from wijkbalans.programmes.spreadsheet.writing import versioned_update

from .sheet_fixtures import (
    build_register,
    clear_register,
    row_counts,
    workbook_content,
)


@pytest.fixture
def sheet_register(db):
    return build_register()


_EXPORTED: dict[str, bytes] = {}


@pytest.fixture
def exported(sheet_register) -> bytes:
    """The export of ``sheet_register`` (the same bytes every time: computed once)."""
    if "data" not in _EXPORTED:
        _EXPORTED["data"] = workbook_export()
    return _EXPORTED["data"]


def _save(data: bytes, tmp_path, name="werkboek.xlsx", change=None):
    """Write ``data`` to a file, after ``change(book)`` when given."""
    path = tmp_path / name
    if change is None:
        path.write_bytes(data)
        return path
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    book.save(path)
    return path


# -- round trip -------------------------------------------------------------------------

def test_round_trip_into_an_empty_database_gives_the_same_workbook(sheet_register, tmp_path):
    first = workbook_export()
    clear_register()
    assert Activity.objects.count() == 0
    summary = workbook_import(path=_save(first, tmp_path))
    created, updated, unchanged = summary.totals()
    # 4 organisations used (not "ongebruikt"), 3 activities, 3 partners, 2 results,
    # 3 periods, 1 approved update, 2 sources, 3 allocations, 3 budget lines.
    assert summary.created == {"organisations": 4, "activities": 3, "partners": 3,
                               "result_indicators": 2, "result_periods": 3,
                               "result_updates": 1, "funding_sources": 2, "allocations": 3,
                               "budget_lines": 3}
    assert (created, updated, unchanged) == (24, 0, 0)
    second = workbook_export()
    assert workbook_content(second) == workbook_content(first)
    assert second == first  # byte for byte: fixed properties and zip times


def test_round_trip_keeps_exact_amounts_and_results(sheet_register, tmp_path):
    data = workbook_export()
    clear_register()
    workbook_import(path=_save(data, tmp_path))
    assert FundingAllocation.objects.get(source__code="gem", year=2024).amount == \
        D("123456789012.34")
    line = BudgetLine.objects.get(activity__code="int-taal", year=2024)
    assert (line.planned, line.committed, line.spent, line.note) == (
        D("400000.50"), D("100000.00"), D("99999.99"), "Taallessen")
    taal = Activity.objects.get(code="int-taal")
    assert (taal.parent.code, taal.parent.parent.code, taal.weight) == (
        "al-werk", "nplv-noord", D("1.500"))
    prog = Activity.objects.get(code="nplv-noord")
    assert prog.links == [{"title": "Programmaplan | 2022", "url": "https://example.org/plan"},
                          {"title": "", "url": "https://example.org/kaart"}]
    assert sorted(prog.areas.values_list("code", flat=True)) == ["BU00140000", "GM0014"]
    period = ResultPeriod.objects.get(result__name="deelnemers", period="2024")
    assert (period.target, period.actual, period.locked) == (D("50"), D("47"), True)
    # only the approved update that sets the actual travels, not the draft or the
    # superseded one
    assert list(ResultUpdate.objects.values_list("value", "status", "narrative")) == [
        (D("47"), "approved", "Na correctie; 2 laat")]


def test_export_then_import_into_the_same_database_writes_nothing(sheet_register, tmp_path):
    path = _save(workbook_export(), tmp_path)
    before = row_counts()
    summary = workbook_import(path=path)
    assert summary.totals() == (0, 0, 24)
    assert not summary.changed
    assert row_counts() == before


def test_reimport_writes_nothing(sheet_register, tmp_path):
    data = workbook_export()
    clear_register()
    path = _save(data, tmp_path)
    workbook_import(path=path)
    audit = AuditEntry.objects.count()
    versions = list(Activity.objects.order_by("code").values_list("version", flat=True))
    again = workbook_import(path=path)
    assert again.totals() == (0, 0, 24)
    assert AuditEntry.objects.count() == audit
    assert list(Activity.objects.order_by("code").values_list("version", flat=True)) == versions


def test_import_audits_each_created_row_and_the_import(sheet_register, tmp_path):
    data = workbook_export()
    clear_register()
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    workbook_import(path=_save(data, tmp_path))
    entries = list(AuditEntry.objects.filter(id__gt=last).order_by("id"))
    actions = [e.action for e in entries]
    # 24 rows, +1 lock of the 2024 period, +1 actual set, +1 for the import itself
    assert len(actions) == 27
    assert actions[-1] == "programmes.spreadsheet.import"
    assert actions.count("programmes.activity.create") == 3
    assert actions.count("programmes.result_period.lock") == 1
    assert actions.count("organisation.create") == 4
    assert entries[-1].after["created"] == 24


def test_a_changed_cell_updates_one_row_with_its_version(sheet_register, tmp_path):
    data = workbook_export()

    def change(book):
        ws = book["budget_lines"]
        assert [c.value for c in ws[1]][:4] == ["activity", "source", "year", "planned"]
        assert (ws["A3"].value, ws["C3"].value) == ("int-taal", 2024)
        ws["D3"] = 410000.25

    audit = AuditEntry.objects.count()
    summary = workbook_import(path=_save(data, tmp_path, change=change))
    assert summary.totals() == (0, 1, 23)
    assert summary.updated["budget_lines"] == 1
    line = BudgetLine.objects.get(activity__code="int-taal", year=2024)
    assert (line.planned, line.version) == (D("410000.25"), 2)
    entry = AuditEntry.objects.filter(action="programmes.budget_line.update").get()
    assert (entry.before["planned"], entry.after["planned"]) == ("400000.50", "410000.25")
    assert AuditEntry.objects.count() == audit + 2


def test_a_new_approved_value_supersedes_and_sets_the_actual(sheet_register, tmp_path):
    def change(book):
        periods, updates = book["result_periods"], book["result_updates"]
        assert [c.value for c in periods[2]][:3] == ["int-taal", "deelnemers", "2024"]
        periods["F2"] = False  # unlock, so that the approved value may change
        periods["E2"] = 48
        assert updates["C2"].value == "2024"
        updates["E2"] = 48

    summary = workbook_import(path=_save(workbook_export(), tmp_path, change=change))
    assert (summary.updated["result_periods"], summary.created["result_updates"]) == (1, 1)
    period = ResultPeriod.objects.get(result__name="deelnemers", period="2024")
    assert (period.actual, period.locked) == (D("48"), False)
    assert AuditEntry.objects.filter(action="programmes.result_update.supersede").count() == 1
    # the new approval is the current one: the next export shows it
    updates = workbook_content(workbook_export())["result_updates"]
    assert updates[1][:5] == ("int-taal", "deelnemers", "2024", "woonbron", 48)


def test_only_an_administrator_imports(sheet_register, tmp_path):
    path = _save(workbook_export(), tmp_path)
    staff = user_create(username="medewerker", password=None)
    membership_grant(user=staff, organisation=sheet_register.org["gemeente-sheetstad"],
                     role="programme_staff")
    with pytest.raises(PermissionRefused):
        workbook_import(acting_user=staff, path=path)
    admin = user_create(username="beheer", password=None)
    membership_grant(user=admin, organisation=sheet_register.org["gemeente-sheetstad"],
                     role="admin")
    assert workbook_import(acting_user=admin, path=path).totals() == (0, 0, 24)


def test_a_stale_version_is_a_conflict(sheet_register):
    line = BudgetLine.objects.get(activity__code="int-taal", year=2024)
    BudgetLine.objects.filter(pk=line.pk).update(version=5)
    with pytest.raises(ConflictError):
        versioned_update(line, {"planned": D("1.00")})
    assert BudgetLine.objects.get(pk=line.pk).planned == D("400000.50")


# -- malformed workbooks ----------------------------------------------------------------

def _cell(sheet, ref, value):
    def change(book):
        book[sheet][ref] = value
    return change


def _delete_sheet(book):
    del book["allocations"]


def _unknown_column(book):
    book["activities"].cell(row=1, column=19, value="colour")


def _duplicate_allocation(book):
    ws = book["allocations"]
    ws.append([c.value for c in ws[2]])


def _drop_title_column(book):
    book["activities"].delete_cols(4)


MALFORMED = {
    # name: (change, sheet, row, column, words in expected, found)
    "missing sheet": (_delete_sheet, "allocations", None, None, "a sheet named", None),
    "unknown column": (_unknown_column, "activities", 1, "S", "only the columns", "colour"),
    "missing column": (_drop_title_column, "activities", 1, "title", "a column named", None),
    "bad kind": (_cell("activities", "C2", "project"), "activities", 2, "kind",
                 "one of programme, action_line, intervention", "project"),
    "bad date": (_cell("activities", "H3", "31-02-2024"), "activities", 3, "start",
                 "a date (yyyy-mm-dd)", "31-02-2024"),
    "amount with 3 decimals": (_cell("budget_lines", "D3", 12.345), "budget_lines", 3,
                               "planned", "at most 2 decimals", "12.345"),
    "unknown parent": (_cell("activities", "B3", "bestaat-niet"), "activities", 3,
                       "parent_code", "an activity in sheet activities", "bestaat-niet"),
    "cycle": (_cell("activities", "B2", "int-taal"), "activities", 2, "parent_code",
              "cycle: nplv-noord -> int-taal -> al-werk -> nplv-noord", "int-taal"),
    "duplicate key": (_duplicate_allocation, "allocations", 5, "source, year",
                      "each key once (the same as row 2)", "gem / 2024"),
    "unknown area code": (_cell("activities", "J2", "GM0014, BU99999999"), "activities", 2,
                          "areas", "CBS codes of registered areas", "BU99999999"),
    "text in a number cell": (_cell("allocations", "C2", "veel"), "allocations", 2, "amount",
                              "an amount in euros", "veel"),
    "year outside the source": (_cell("allocations", "B3", 2030), "allocations", 3, "year",
                                "within the source's years (2022-2025)", "2030"),
    "locked target": (_cell("result_periods", "D2", 55), "result_periods", 2, "target",
                      "the locked period's target", "55"),
    "actual differs": (_cell("result_periods", "E2", 46), "result_periods", 2, "actual",
                       "the value of the approved update (47", "46"),
    "rank": (_cell("activities", "C2", "intervention"), "activities", 3, "kind",
             "a kind that can be part of the intervention nplv-noord", "action_line"),
    "outside parent's dates": (_cell("activities", "H4", "2023-01-01"), "activities", 4,
                               "start", "a date within the dates of the parent al-werk "
                               "(2023-03-01 to ...)", "2023-01-01"),
    "rated without databank": (_cell("activities", "O4", None), "activities", 4,
                               "evidence_databank", "the databank", None),
    "reporter not involved": (_cell("result_updates", "D2", "scholen"), "result_updates", 2,
                              "organisation", "the owner or a partner", "scholen"),
    "renamed organisation": (_cell("organisations", "B2", "Gemeente Anders"), "organisations",
                             2, "name", "the registered name", "Gemeente Anders"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_workbook_is_refused_naming_the_place(name, exported, tmp_path):
    change, sheet, row, column, expected, found = MALFORMED[name]
    path = _save(exported, tmp_path, change=change)
    before = row_counts()
    with pytest.raises(WorkbookInvalid) as failed:
        workbook_import(path=path)
    assert row_counts() == before
    matching = [p for p in failed.value.problems
                if (p.sheet, p.row, p.column) == (sheet, row, column) and expected in p.expected]
    assert matching, [str(p) for p in failed.value.problems]
    if found is not None:
        assert matching[0].found == found
    assert matching[0].file == "werkboek.xlsx"


def test_every_problem_is_reported_at_once_and_nothing_is_written(sheet_register, tmp_path):
    def change(book):
        book["activities"]["C2"] = "project"
        book["budget_lines"]["D2"] = "1.234,50"
        book["allocations"]["A2"] = "onbekend"
        book["partners"]["C2"] = "sponsor"

    data = workbook_export()
    clear_register()
    before = row_counts()
    with pytest.raises(WorkbookInvalid) as failed:
        workbook_import(path=_save(data, tmp_path, change=change))
    places = sorted((p.sheet, p.row, p.column) for p in failed.value.problems)
    assert places == [("activities", 2, "kind"), ("allocations", 2, "source"),
                      ("budget_lines", 2, "planned"), ("partners", 2, "role")]
    assert row_counts() == before
    assert "4 problem(s); nothing was imported" in str(failed.value)


def test_a_file_that_is_no_workbook_is_a_problem(db, tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_text("geen werkboek")
    with pytest.raises(WorkbookInvalid) as failed:
        workbook_import(path=path)
    assert "an Excel workbook (.xlsx)" in failed.value.problems[0].expected
    with pytest.raises(WorkbookInvalid) as missing:
        workbook_import(path=tmp_path / "er-niet.xlsx")
    assert missing.value.problems[0].expected == "an existing .xlsx file"


def test_an_empty_workbook_from_the_export_imports_nothing(db, tmp_path):
    data = workbook_export()
    assert all(len(rows) == 1 for name, rows in workbook_content(data).items()
               if name != "README")
    assert workbook_import(path=_save(data, tmp_path)).totals() == (0, 0, 0)


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(exported, tmp_path):
    def change(book):
        ws = book["allocations"]
        ws.insert_rows(3, amount=2)  # rows 3 and 4 empty; the old row 3 is now row 5
        ws["C5"] = "-1"

    with pytest.raises(WorkbookInvalid) as failed:
        workbook_import(path=_save(exported, tmp_path, change=change))
    assert [(p.sheet, p.row, p.column) for p in failed.value.problems] == [
        ("allocations", 5, "amount")]


# -- cells ------------------------------------------------------------------------------

AMOUNT = s.BUDGET_LINES.column("planned")


@pytest.mark.parametrize(("raw", "value"), [
    (12.5, D("12.50")), (0.1 + 0.2, D("0.30")), (1234, D("1234.00")), ("1234,50", D("1234.50")),
    ("  7.10 ", D("7.10")), (999999999999.99, D("999999999999.99")), ("3.000", D("3.00")),
])
def test_amount_cells_are_read_exactly(raw, value):
    assert cells.parse(AMOUNT, raw) == value
    assert str(cells.parse(AMOUNT, raw)) == str(value)


@pytest.mark.parametrize("raw", [12.345, "12.345", "1.234,50", "veel", -1, True,
                                 1e13, float("nan"), "12,5 euro"])
def test_amount_cells_that_are_not_whole_cents_are_refused(raw):
    with pytest.raises(cells.CellError):
        cells.parse(AMOUNT, raw)


def test_a_long_quantity_is_written_as_text_and_reads_back_exactly():
    target = s.RESULT_PERIODS.column("target")
    long = D("12345678901234.5678")
    assert cells.to_cell(target, long) == "12345678901234.5678"
    assert cells.parse(target, cells.to_cell(target, long)) == long
    assert cells.to_cell(target, D("80.5000")) == D("80.5000")


@pytest.mark.parametrize(("raw", "value"), [
    (True, True), ("ja", True), ("ONWAAR", False), (0, False), (None, False)])
def test_yes_no_cells(raw, value):
    assert cells.parse(s.ACTIVITIES.column("public"), raw) is value


def test_the_reference_documents_every_sheet_and_column():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "programmes-spreadsheets.md"
            ).read_text(encoding="utf-8")
    sections = {part.split("`")[0]: part for part in text.split("### `")[1:]}
    missing = [f"{sheet.name}.{column.name}" for sheet in s.SHEETS for column in sheet.columns
               if f"| `{column.name}` |" not in sections.get(sheet.name, "")]
    assert missing == []


def test_what_a_spreadsheet_program_makes_of_typed_values_is_read_back():
    period = s.RESULT_PERIODS.column("period")
    assert (cells.parse(period, 2025), cells.parse(period, 2025.0)) == ("2025", "2025")
    start = s.ACTIVITIES.column("start")
    assert cells.parse(start, "01-03-2025").isoformat() == "2025-03-01"
    areas = s.ACTIVITIES.column("areas")
    assert cells.parse(areas, " bu00140000,GM0014 ,") == ("BU00140000", "GM0014")
    links = s.ACTIVITIES.column("links")
    assert cells.parse(links, "Plan | https://example.org/a\n\nhttps://example.org/b") == (
        ("Plan", "https://example.org/a"), ("", "https://example.org/b"))
    for column, raw in [(areas, "GM0014, GM0014"), (links, "Plan https://example.org"),
                        (period, "2025-Q5"), (start, "2025-03-01 10:00")]:
        with pytest.raises(cells.CellError):
            cells.parse(column, raw)


def test_the_export_reads_with_a_fixed_number_of_queries(sheet_register,
                                                         django_assert_num_queries):
    # activities (+ their areas and area sets), results, periods, approved updates,
    # sources, partners, allocations, budget lines, organisations
    with django_assert_num_queries(11):
        workbook_export()
    FundingAllocation.objects.create(source=sheet_register.gem, year=2030, amount=D("1.00"))
    Activity.objects.create(code="extra", kind="programme", title="Extra",
                            owner=sheet_register.org["ongebruikt"])
    with django_assert_num_queries(11):  # more rows, the same queries
        workbook_export()
