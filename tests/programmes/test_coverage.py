"""Coverage read from the database (programmes.coverage) and its CSV and JSON forms."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D

import pytest
from django.utils import translation

from wijkbalans.programmes.coverage import (
    coverage_csv,
    coverage_json,
    coverage_table,
    subtree_codes,
)
from wijkbalans.programmes.errors import ProgrammeError
from wijkbalans.programmes.services.money import budget_line_update, funding_allocation_set

from .money_fixtures import make_money_world


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


def test_the_whole_register_to_the_cent(money_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        result = coverage_table()
    assert (result.from_year, result.to_year, result.scope) == (2022, 2026, None)
    by_key = {(r.year, r.source_code): (r.need, r.secured, r.gap) for r in result.rows}
    assert by_key[2022, "nplv"] == (D("1234567.89"), D("1000000.00"), D("234567.89"))
    assert by_key[2024, "nplv"] == (D("1484568.39"), D("1400000.00"), D("84568.39"))
    assert by_key[2025, "nplv"] == (D("1344567.89"), D("0.00"), D("1344567.89"))
    assert by_key[2025, "rd"] == (D("0.00"), D("100000.00"), D("-100000.00"))
    assert (2022, "rd") not in by_key and (2026, "nplv") not in by_key
    assert [(y.year, y.gap) for y in result.years] == [
        (2022, D("234567.89")), (2023, D("0.00")), (2024, D("134568.39")),
        (2025, D("1244567.89")), (2026, D("100000.00"))]
    (ending,) = result.ending
    assert [(x.year, x.falls_away, x.activities) for x in ending.after] == [
        (2026, D("100000.00"), ("c", "d"))]


def test_the_csv_is_one_row_per_year_and_source(money_world):
    text = coverage_csv(coverage_table(from_year=2025, to_year="2026"))
    assert text == (
        "year,source_code,source_name,need,secured,gap\n"
        "2025,gem,Gemeentebegroting,0.00,0.00,0.00\n"
        "2025,nplv,NPLV (SPUK),1344567.89,0.00,1344567.89\n"
        "2025,rd,Regio Deal,0.00,100000.00,-100000.00\n"
        "2026,gem,Gemeentebegroting,500000.00,400000.00,100000.00\n"
        "2026,rd,Regio Deal,0.00,0.00,0.00\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sum(D(r["gap"]) for r in rows if r["year"] == "2025") == D("1244567.89")


def test_the_json_keeps_amounts_exact(money_world):
    data = json.loads(coverage_json(coverage_table(from_year=2026, to_year=2027)))
    assert (data["currency"], data["from_year"], data["to_year"]) == ("EUR", 2026, 2027)
    assert data["rows"][0] == {"year": 2026, "source_code": "gem",
                               "source_name": "Gemeentebegroting", "need": "500000.00",
                               "secured": "400000.00", "gap": "100000.00"}
    assert data["years"][1] == {"year": 2027, "need": "0.00", "secured": "0.00",
                                "gap": "0.00", "shortfall": "0.00"}
    nplv = data["ending"][0]
    assert (nplv["source_code"], nplv["last_year"], nplv["secured_last_year"],
            nplv["need_last_year"]) == ("nplv", 2025, "0.00", "1344567.89")
    # 2027: a was taken over by the municipality in 2026: only d (open) 99999.99
    assert nplv["after"] == [
        {"year": 2026, "falls_away": "100000.00", "activities": ["c", "d"]},
            {"year": 2027, "falls_away": "99999.99", "activities": ["d"]}]


def test_one_activity_and_its_descendants(money_world):
    p = money_world.activities["p"]
    assert sorted(subtree_codes(p)) == ["a", "b", "c", "p"]
    assert subtree_codes(money_world.activities["b"]) == ["b"]
    result = coverage_table(activity=p)
    assert result.scope == "p"
    assert [(r.year, r.source_code, r.need, r.secured) for r in result.rows if r.year >= 2025] == [
        (2025, "nplv", D("1234567.90"), D("0.00")),  # a 1234567.89 + c 0.01; d and e are out
        (2026, "gem", D("500000.00"), D("400000.00"))]
    d = coverage_table(activity=money_world.activities["d"], from_year=2025, to_year=2026)
    assert [(r.year, r.need, r.gap) for r in d.rows] == [
        (2025, D("109999.99"), D("109999.99"))]
    assert [(x.year, x.falls_away) for x in d.ending[0].after] == [(2026, D("99999.99"))]


def test_coverage_follows_an_edit(money_world):
    """The need is what the lines say now: raise a 2025 line and the gap grows to the cent."""
    user = money_world.finance_gemeente
    line = money_world.activities["c"].budget_lines.get(year=2025)
    budget_line_update(acting_user=user, line=line, expected_version=1, planned="0.02")
    funding_allocation_set(acting_user=user, source=money_world.sources["nplv"], year=2025,
                           amount="1344567.90")
    row = next(r for r in coverage_table().rows if (r.year, r.source_code) == (2025, "nplv"))
    assert (row.need, row.secured, row.gap) == (D("1344567.90"), D("1344567.90"), D("0.00"))


def test_without_money_the_horizon_is_2022_to_2042(bare_world):
    result = coverage_table()
    assert (result.from_year, result.to_year) == (2022, 2042)
    assert len(result.years) == 21
    assert {r.source_code for r in result.rows if r.year == 2042} == {"gem"}
    assert coverage_csv(result).count("\n") == 1 + len(result.rows)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"from_year": 2027, "to_year": 2026}, "from_year"),
    ({"from_year": 1900, "to_year": 2100}, "from_year"),
    ({"from_year": "twenty"}, "from_year"),
    ({"to_year": 2025.5}, "to_year"),
    ({"from_year": True}, "from_year"),
])
def test_a_bad_range_is_refused(money_world, kwargs, field):
    with pytest.raises(ProgrammeError) as refused:
        coverage_table(**kwargs)
    assert refused.value.field == field
