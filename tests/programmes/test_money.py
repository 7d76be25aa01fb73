"""Writes of the register's money: permissions, validation, audit, optimistic locking."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.analysis.coverage import line_flags
from wijkbalans.programmes.errors import ConflictError, PermissionRefused, ProgrammeError
from wijkbalans.programmes.models import BudgetLine, FundingAllocation, FundingSource
from wijkbalans.programmes.services.money import (
    AmountTypeError,
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    funding_allocation_set,
    funding_source_save,
    parse_amount,
)

from .money_fixtures import counts, make_money_world


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the msgids); Dutch is the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def money_world(db):
    """The hand-computed case of money_fixtures, with its people."""
    return make_money_world()


@pytest.fixture
def bare_world(db):
    """People, activities and sources; no budget lines or secured amounts."""
    return make_money_world(with_money=False)

NOT_FOR_SOURCES = ["finance_woonstad", "staff", "partner", "analyst", "resident", "anonymous"]
NOT_FOR_BUDGET = ["finance_woonstad", "staff", "partner", "analyst", "resident", "anonymous"]


def last_audit(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


def new_line(world, **overrides):
    arguments = {"acting_user": world.finance_gemeente, "activity": world.activities["a"],
                 "source": world.sources["nplv"], "year": 2023, "planned": "1234567.89"}
    arguments.update(overrides)
    return budget_line_create(**arguments)


# -- amounts ----------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "expected"), [
    ("1234567.89", D("1234567.89")), ("1234,50", D("1234.50")), (" 7 ", D("7.00")),
    (7, D("7.00")), (D("12.340"), D("12.34")), (D("1E+3"), D("1000.00")), ("0", D("0.00")),
    ("999999999999.99", D("999999999999.99")),
])
def test_amounts_are_exact(given, expected):
    parsed = parse_amount("planned", given)
    assert parsed == expected and parsed.as_tuple().exponent == -2


@pytest.mark.parametrize(("given", "expected"), [
    ("12.345", "at most 2 decimals; found 12.345"),
    (D("0.001"), "at most 2 decimals"),
    ("-1", "cannot be negative"),
    ("1.234,56", "such as 1234.50"),
    ("abc", "such as 1234.50"),
    ("", "such as 1234.50"),
    (D("NaN"), "such as 1234.50"),
    ("1000000000000", "at most 999999999999.99 euros"),
])
def test_bad_amounts_are_refused_naming_the_field(given, expected):
    with pytest.raises(ProgrammeError, match="planned amount") as refused:
        parse_amount("planned", given)
    assert refused.value.field == "planned"
    assert expected in refused.value.message


@pytest.mark.parametrize("given", [0.1, 1e3, True, None, [1]])
def test_floats_and_other_types_are_refused(given):
    with pytest.raises(AmountTypeError) as refused:
        parse_amount("amount", given)
    assert isinstance(refused.value, TypeError) and isinstance(refused.value, ProgrammeError)
    assert refused.value.field == "amount"
    assert "not as" in refused.value.message


def test_a_float_planned_amount_writes_nothing(bare_world):
    before = counts()
    with pytest.raises(AmountTypeError):
        new_line(bare_world, planned=0.1)
    assert counts() == before


# -- funding sources ----------------------------------------------------------------------

def source_arguments(world, **overrides):
    arguments = {"acting_user": world.finance_gemeente, "code": "npg",
                 "name": "Nationaal Programma Groningen", "kind": "npg", "start_year": 2023,
                 "end_year": "2030", "conditions": "Alleen voor Groningen."}
    arguments.update(overrides)
    return arguments


def test_a_municipal_finance_officer_creates_a_source(bare_world):
    source = funding_source_save(**source_arguments(bare_world, funder=bare_world.gemeente))
    assert (source.code, source.start_year, source.end_year, source.version) == (
        "npg", 2023, 2030, 1)
    entry = last_audit("programmes.funding_source.create")
    assert entry.before is None and entry.after["code"] == "npg"
    assert entry.after["funder_id"] == bare_world.gemeente.pk
    assert entry.actor_repr == "fin-gemeente"


@pytest.mark.parametrize("who", NOT_FOR_SOURCES)
def test_others_may_not_create_a_source(bare_world, who):
    before = counts()
    with pytest.raises(PermissionRefused, match="finance officer of a municipality"):
        funding_source_save(**source_arguments(bare_world, acting_user=getattr(bare_world, who)))
    assert counts() == before


def test_an_administrator_may_edit_sources(bare_world):
    assert funding_source_save(**source_arguments(bare_world, acting_user=bare_world.admin))


@pytest.mark.parametrize(("overrides", "field", "text"), [
    ({"code": "nplv"}, "code", "taken"),
    ({"code": "met spatie"}, "code", "letters, digits"),
    ({"code": ""}, "code", "required"),
    ({"kind": "lottery"}, "kind", "state_grant"),
    ({"start_year": 2031}, "end_year", "comes before"),
    ({"start_year": 22}, "start_year", "such as 2025"),
    ({"start_year": 2023.0}, "start_year", "such as 2025"),
    ({"name": "  "}, "name", "required"),
    ({"funder": "Rijk"}, "funder", "saved organisation"),
])
def test_bad_sources_are_refused(bare_world, overrides, field, text):
    before = counts()
    with pytest.raises(ProgrammeError, match=text) as refused:
        funding_source_save(**source_arguments(bare_world, **overrides))
    assert refused.value.field == field
    assert counts() == before


def test_changing_a_source_names_its_version(money_world):
    nplv = money_world.sources["nplv"]
    arguments = source_arguments(money_world, code="nplv", name="NPLV SPUK 2022-2026",
                                 kind="state_grant", start_year=2022, end_year=2026,
                                 source=nplv)
    with pytest.raises(ProgrammeError) as refused:
        funding_source_save(**arguments)
    assert refused.value.field == "expected_version"
    changed = funding_source_save(**arguments, expected_version=1)
    assert (changed.end_year, changed.version) == (2026, 2)
    entry = last_audit("programmes.funding_source.update")
    assert (entry.before["end_year"], entry.after["end_year"]) == (2025, 2026)
    assert (entry.before["version"], entry.after["version"]) == (1, 2)
    with pytest.raises(ConflictError) as stale:
        funding_source_save(**{**arguments, "end_year": 2027}, expected_version=1)
    assert stale.value.current["end_year"] == 2026 and stale.value.current["version"] == 2
    assert FundingSource.objects.get(code="nplv").end_year == 2026


def test_a_source_keeps_the_years_that_hold_money(money_world):
    before = counts()
    arguments = source_arguments(money_world, code="nplv", name="NPLV", kind="state_grant",
                                 start_year=2023, end_year=2024,
                                 source=money_world.sources["nplv"], expected_version=1)
    with pytest.raises(ProgrammeError, match="in 2022, 2025") as refused:
        funding_source_save(**arguments)
    assert refused.value.field == "start_year"
    with pytest.raises(ProgrammeError, match="in 2025;") as refused:
        funding_source_save(**{**arguments, "start_year": 2022})
    assert refused.value.field == "end_year"
    assert counts() == before
    assert FundingSource.objects.get(code="nplv").end_year == 2025


# -- secured amounts ------------------------------------------------------------------------

def test_setting_what_a_source_secures(bare_world):
    rd = bare_world.sources["rd"]
    first = funding_allocation_set(acting_user=bare_world.finance_gemeente, source=rd,
                                   year="2024", amount="250000.00")
    assert (first.amount, first.version) == (D("250000.00"), 1)
    assert last_audit("programmes.funding_allocation.create").after["amount"] == "250000.00"
    with pytest.raises(ConflictError, match="set this secured amount") as stale:
        funding_allocation_set(acting_user=bare_world.finance_gemeente, source=rd, year=2024,
                               amount="1.00")  # an amount exists: name its version
    assert stale.value.current["amount"] == "250000.00"
    second = funding_allocation_set(acting_user=bare_world.finance_gemeente, source=rd,
                                    year=2024, amount="250000.01", expected_version=1)
    assert (second.amount, second.version) == (D("250000.01"), 2)
    entry = last_audit("programmes.funding_allocation.update")
    assert (entry.before["amount"], entry.after["amount"]) == ("250000.00", "250000.01")
    audits = AuditEntry.objects.count()
    same = funding_allocation_set(acting_user=bare_world.finance_gemeente, source=rd,
                                  year=2024, amount="250000.01", expected_version=2)
    assert same.version == 2 and AuditEntry.objects.count() == audits  # nothing changed
    with pytest.raises(ConflictError):
        funding_allocation_set(acting_user=bare_world.finance_gemeente, source=rd,
                               year=2025, amount="1.00", expected_version=1)


@pytest.mark.parametrize(("source", "year", "period"), [
    ("nplv", 2026, "runs 2022-2025; the year 2026"),
    ("rd", 2022, "runs 2023-2026; the year 2022"),
])
def test_secured_amounts_stay_in_the_source_period(bare_world, source, year, period):
    with pytest.raises(ProgrammeError, match=period) as refused:
        funding_allocation_set(acting_user=bare_world.finance_gemeente,
                               source=bare_world.sources[source], year=year, amount="1.00")
    assert refused.value.field == "year"
    assert FundingAllocation.objects.count() == 0


@pytest.mark.parametrize("who", NOT_FOR_SOURCES)
def test_others_may_not_set_secured_amounts(bare_world, who):
    with pytest.raises(PermissionRefused):
        funding_allocation_set(acting_user=getattr(bare_world, who),
                               source=bare_world.sources["gem"], year=2024, amount="1.00")
    assert FundingAllocation.objects.count() == 0


# -- budget lines -------------------------------------------------------------------------

def test_a_finance_officer_of_the_owner_plans_a_line(bare_world):
    line = new_line(bare_world, committed="1000000", spent=D("0.01"), note="  fase 1 ")
    assert (line.planned, line.committed, line.spent, line.note, line.version) == (
        D("1234567.89"), D("1000000.00"), D("0.01"), "fase 1", 1)
    entry = last_audit("programmes.budget_line.create")
    assert entry.before is None
    assert (entry.after["planned"], entry.after["committed"]) == ("1234567.89", "1000000.00")
    # b belongs to Woonstad: its finance officer plans it
    b = new_line(bare_world, acting_user=bare_world.finance_woonstad,
                 activity=bare_world.activities["b"], planned="250000.50")
    assert b.planned == D("250000.50")


@pytest.mark.parametrize("who", NOT_FOR_BUDGET)
def test_others_may_not_plan_a_municipal_line(bare_world, who):
    before = counts()
    with pytest.raises(PermissionRefused, match="Gemeente Demostad, which owns a"):
        new_line(bare_world, acting_user=getattr(bare_world, who))
    assert counts() == before


def test_the_municipal_finance_officer_may_not_plan_a_partner_line(bare_world):
    with pytest.raises(PermissionRefused, match="Woonstad"):
        new_line(bare_world, activity=bare_world.activities["b"])
    assert new_line(bare_world, acting_user=bare_world.admin, activity=bare_world.activities["b"])


@pytest.mark.parametrize(("overrides", "field", "text"), [
    ({"planned": "12.345"}, "planned", "at most 2 decimals; found 12.345"),
    ({"committed": "-5"}, "committed", "cannot be negative"),
    ({"spent": 2.5}, "spent", "not as float"),
    ({"year": 2026}, "year", "nplv runs 2022-2025; the year 2026 lies outside it"),
    ({"year": "twenty"}, "year", "such as 2025"),
    ({"note": "x" * 301}, "note", "at most 300 characters"),
    ({"source": "nplv"}, "source", "saved funding source"),
    ({"activity": None}, "activity", "saved activity"),
])
def test_bad_lines_are_refused(bare_world, overrides, field, text):
    before = counts()
    with pytest.raises(ProgrammeError, match=text) as refused:
        new_line(bare_world, **overrides)
    assert refused.value.field == field
    assert counts() == before


def test_one_line_per_activity_source_and_year(bare_world):
    new_line(bare_world)
    before = counts()
    with pytest.raises(ProgrammeError, match="already has a budget line on nplv in 2023") as dup:
        new_line(bare_world, planned="1.00")
    assert dup.value.field == "year" and counts() == before
    assert new_line(bare_world, source=bare_world.sources["gem"])  # another source is fine


def test_commitments_above_plan_are_kept_and_flagged(bare_world):
    line = new_line(bare_world, planned="100.00", committed="120.00", spent="130.00")
    assert line_flags(line.planned, line.committed, line.spent) == [
        "committed_over_planned", "spent_over_planned", "spent_over_committed"]


def test_updating_a_line_names_its_version(bare_world):
    line = new_line(bare_world, planned="1.00")
    user = bare_world.finance_gemeente
    updated = budget_line_update(acting_user=user, line=line, expected_version=1,
                                 planned="2.00", note="verhoogd")
    assert (updated.planned, updated.note, updated.version) == (D("2.00"), "verhoogd", 2)
    entry = last_audit("programmes.budget_line.update")
    assert (entry.before["planned"], entry.after["planned"]) == ("1.00", "2.00")
    assert (entry.before["note"], entry.after["note"]) == ("", "verhoogd")
    audits = AuditEntry.objects.count()
    with pytest.raises(ConflictError) as stale:
        budget_line_update(acting_user=user, line=line, expected_version=1, committed="1.00")
    assert stale.value.current["version"] == 2 and stale.value.current["planned"] == "2.00"
    assert AuditEntry.objects.count() == audits
    assert BudgetLine.objects.get(pk=line.pk).committed == D("0.00")
    same = budget_line_update(acting_user=user, line=line, expected_version=2, planned="2")
    assert same.version == 2 and AuditEntry.objects.count() == audits


def test_moving_a_line_checks_period_and_duplicates(bare_world):
    user = bare_world.finance_gemeente
    line = new_line(bare_world)
    other = new_line(bare_world, year=2024)
    before = counts()
    with pytest.raises(ProgrammeError, match="nplv runs 2022-2025; the year 2026"):
        budget_line_update(acting_user=user, line=line, expected_version=1, year=2026)
    with pytest.raises(ProgrammeError, match="already has a budget line on nplv in 2024"):
        budget_line_update(acting_user=user, line=line, expected_version=1, year=2024)
    with pytest.raises(ProgrammeError, match="no field activity") as unknown:
        budget_line_update(acting_user=user, line=line, expected_version=1,
                           activity=bare_world.activities["c"])
    assert unknown.value.field == "activity"
    with pytest.raises(ProgrammeError) as no_version:
        budget_line_update(acting_user=user, line=line, expected_version="1", planned="3")
    assert no_version.value.field == "expected_version"
    assert counts() == before
    moved = budget_line_update(acting_user=user, line=other, expected_version=1,
                               source=bare_world.sources["gem"], year=2030)
    assert (moved.source.code, moved.year, moved.version) == ("gem", 2030, 2)
    entry = last_audit("programmes.budget_line.update")
    assert (entry.before["source_id"], entry.after["source_id"]) == (
        bare_world.sources["nplv"].pk, bare_world.sources["gem"].pk)


@pytest.mark.parametrize("who", NOT_FOR_BUDGET)
def test_others_may_not_update_or_delete_a_line(bare_world, who):
    line = new_line(bare_world)
    before = counts()
    with pytest.raises(PermissionRefused):
        budget_line_update(acting_user=getattr(bare_world, who), line=line,
                           expected_version=1, planned="1.00")
    with pytest.raises(PermissionRefused):
        budget_line_delete(acting_user=getattr(bare_world, who), line=line)
    assert counts() == before


def test_deleting_a_line(bare_world):
    user = bare_world.finance_gemeente
    line = new_line(bare_world, committed="10.00")
    with pytest.raises(ProgrammeError, match="10.00 euros committed") as refused:
        budget_line_delete(acting_user=user, line=line)
    assert refused.value.field == "committed"
    line = budget_line_update(acting_user=user, line=line, expected_version=1, committed="0")
    pk = line.pk
    budget_line_delete(acting_user=user, line=line)
    assert not BudgetLine.objects.filter(pk=pk).exists()
    entry = last_audit("programmes.budget_line.delete")
    assert entry.object_id == str(pk) and entry.after is None
    assert entry.before["planned"] == "1234567.89" and entry.before["version"] == 2
    with pytest.raises(ProgrammeError, match="no longer exists"):
        budget_line_delete(acting_user=user, line=line)
