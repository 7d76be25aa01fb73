"""Coverage arithmetic (analysis.coverage) against hand-computed cases, to the cent."""

from __future__ import annotations

import doctest
import subprocess
import sys
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkbalans.analysis import coverage as cov
from wijkbalans.analysis.coverage import Allocation, Line, Source, Span, coverage

SOURCES = [Source("gem", "Gemeentebegroting", 2022), Source("nplv", "NPLV (SPUK)", 2022, 2025),
           Source("rd", "Regio Deal", 2023, 2026)]
# The same case as tests/programmes/money_fixtures.py.
LINES = [Line(a, s, y, D(p)) for a, s, y, p in [
    ("a", "nplv", 2022, "1234567.89"), ("a", "nplv", 2023, "1234567.89"),
    ("a", "nplv", 2024, "1234567.89"), ("a", "nplv", 2025, "1234567.89"),
    ("a", "gem", 2026, "500000.00"), ("b", "nplv", 2024, "250000.50"),
    ("c", "gem", 2022, "100000.00"), ("c", "rd", 2023, "300000.00"),
    ("c", "rd", 2024, "300000.00"), ("c", "nplv", 2025, "0.01"),
    ("d", "nplv", 2025, "99999.99"), ("e", "nplv", 2025, "10000.00")]]
ALLOCATIONS = [Allocation(s, y, D(a)) for s, y, a in [
    ("nplv", 2022, "1000000.00"), ("nplv", 2023, "1234567.89"), ("nplv", 2024, "1400000.00"),
    ("gem", 2022, "100000.00"), ("gem", 2026, "400000.00"),
    ("rd", 2023, "300000.00"), ("rd", 2024, "250000.00"), ("rd", 2025, "100000.00")]]
SPANS = [Span("p", 2022), Span("a", 2022), Span("b", 2022, 2024), Span("c", 2022, 2026),
         Span("d", 2022), Span("e", 2022, 2025)]


def run(**kwargs):
    arguments = {"sources": SOURCES, "lines": LINES, "allocations": ALLOCATIONS,
                 "spans": SPANS}
    arguments.update(kwargs)
    return coverage(**arguments)


def table(result):
    return [(r.year, r.source_code, str(r.need), str(r.secured), str(r.gap))
            for r in result.rows]


def test_rows_per_year_and_source_to_the_cent():
    result = run()
    assert (result.from_year, result.to_year) == (2022, 2026)  # the years with money
    assert table(result) == [
        # rd starts in 2023: no row in 2022
        (2022, "gem", "100000.00", "100000.00", "0.00"),
        (2022, "nplv", "1234567.89", "1000000.00", "234567.89"),
        (2023, "gem", "0.00", "0.00", "0.00"),
        (2023, "nplv", "1234567.89", "1234567.89", "0.00"),
        (2023, "rd", "300000.00", "300000.00", "0.00"),
        (2024, "gem", "0.00", "0.00", "0.00"),
        # a 1234567.89 + b 250000.50
        (2024, "nplv", "1484568.39", "1400000.00", "84568.39"),
        (2024, "rd", "300000.00", "250000.00", "50000.00"),
        (2025, "gem", "0.00", "0.00", "0.00"),
        # a 1234567.89 + c 0.01 + d 99999.99 + e 10000.00; nothing secured in 2025
        (2025, "nplv", "1344567.89", "0.00", "1344567.89"),
        (2025, "rd", "0.00", "100000.00", "-100000.00"),  # a surplus is negative
        # nplv ended in 2025: no row in 2026
        (2026, "gem", "500000.00", "400000.00", "100000.00"),
        (2026, "rd", "0.00", "0.00", "0.00"),
    ]


def test_year_totals_net_the_gap_and_keep_the_shortfall():
    totals = [(y.year, str(y.need), str(y.secured), str(y.gap), str(y.shortfall))
              for y in run().years]
    assert totals == [
        (2022, "1334567.89", "1100000.00", "234567.89", "234567.89"),
        (2023, "1534567.89", "1534567.89", "0.00", "0.00"),
        (2024, "1784568.39", "1650000.00", "134568.39", "134568.39"),
        # the rd surplus of 100000.00 nets the gap, not the shortfall
        (2025, "1344567.89", "100000.00", "1244567.89", "1344567.89"),
        (2026, "500000.00", "400000.00", "100000.00", "100000.00"),
    ]


def test_what_falls_away_when_nplv_ends():
    (ending,) = run().ending  # rd ends in 2026, the last year of the range: not listed
    assert (ending.source_code, ending.last_year) == ("nplv", 2025)
    assert ending.secured_last_year == D("0.00")
    assert ending.need_last_year == D("1344567.89")
    # 2026: a has a line (gem), e ended in 2025; c (runs to 2026) 0.01 + d (open) 99999.99
    assert [(x.year, str(x.falls_away), x.activities) for x in ending.after] == [
        (2026, "100000.00", ("c", "d"))]


def test_what_falls_away_later_in_the_horizon():
    result = run(from_year=2026, to_year=2027)
    nplv, rd = result.ending
    # 2027: c ended in 2026; a has no line in 2027 but the municipality took it over in
    # 2026, so it is no longer nplv's shortfall; d (open, no line since) 99999.99
    assert [(x.year, str(x.falls_away), x.activities) for x in nplv.after] == [
        (2026, "100000.00", ("c", "d")), (2027, "99999.99", ("d",))]
    assert (rd.last_year, rd.secured_last_year, rd.need_last_year) == (2026, D("0"), D("0"))
    assert [(x.year, x.falls_away) for x in rd.after] == [(2027, D("0.00"))]
    assert table(result) == [(2026, "gem", "500000.00", "400000.00", "100000.00"),
                             (2026, "rd", "0.00", "0.00", "0.00"),
                             (2027, "gem", "0.00", "0.00", "0.00")]


def test_a_range_inside_the_horizon_lists_no_source_that_ends_after_it():
    result = run(from_year=2024, to_year=2025)
    assert [r.year for r in result.years] == [2024, 2025]
    assert result.ending == ()  # nplv ends in the last year of the range


def test_a_scope_counts_its_lines_and_its_pro_rata_share():
    # p and everything below it: a, b, c
    result = run(scope=["p", "a", "b", "c"], scope_label="p")
    assert result.scope == "p"
    assert table(result) == [
        (2022, "gem", "100000.00", "100000.00", "0.00"),
        (2022, "nplv", "1234567.89", "1000000.00", "234567.89"),
        (2023, "nplv", "1234567.89", "1234567.89", "0.00"),
        (2023, "rd", "300000.00", "300000.00", "0.00"),
        (2024, "nplv", "1484568.39", "1400000.00", "84568.39"),
        (2024, "rd", "300000.00", "250000.00", "50000.00"),
        (2025, "nplv", "1234567.90", "0.00", "1234567.90"),
        (2026, "gem", "500000.00", "400000.00", "100000.00"),
    ]
    (ending,) = result.ending
    assert [(x.year, str(x.falls_away), x.activities) for x in ending.after] == [
        (2026, "0.01", ("c",))]


def test_pro_rata_share_rounds_half_to_even():
    sources = [Source("s", "S", 2024, 2024)]
    lines = [Line("x", "s", 2024, D("100.00")), Line("y", "s", 2024, D("200.00"))]
    secured = [Allocation("s", 2024, D("100.00"))]
    x = coverage(sources=sources, lines=lines, allocations=secured, scope=["x"])
    y = coverage(sources=sources, lines=lines, allocations=secured, scope=["y"])
    # 100 * 100/300 = 33.333..., 100 * 200/300 = 66.666...
    assert (x.rows[0].secured, x.rows[0].gap) == (D("33.33"), D("66.67"))
    assert (y.rows[0].secured, y.rows[0].gap) == (D("66.67"), D("133.33"))
    halves = [Line("x", "s", 2024, D("1.00")), Line("y", "s", 2024, D("1.00"))]
    cent = [Allocation("s", 2024, D("0.01"))]
    # 0.01 * 1/2 = 0.005: half to even gives 0.00 (the shares may miss the whole by a cent)
    half = coverage(sources=sources, lines=halves, allocations=cent, scope=["x"])
    assert half.rows[0].secured == D("0.00")
    # Fully secured: the scope's share is its own need, the surplus stays with the source
    rich = coverage(sources=sources, lines=lines, allocations=[Allocation("s", 2024, D("999"))],
                    scope=["x"])
    assert (rich.rows[0].secured, rich.rows[0].gap) == (D("100.00"), D("0.00"))


def test_default_range_without_money_is_the_nplv_horizon():
    result = coverage(sources=[], lines=[], allocations=[])
    assert (result.from_year, result.to_year) == (2022, 2042)
    assert len(result.years) == 21 and result.rows == ()
    assert all(y.need == y.secured == y.gap == D("0") for y in result.years)


def test_a_source_runs_in_its_years_only():
    result = coverage(sources=[Source("s", "S", 2023, 2024)], lines=[], allocations=[],
                      from_year=2022, to_year=2025)
    assert [r.year for r in result.rows] == [2023, 2024]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"from_year": 2030, "to_year": 2029}, "must not come after"),
    ({"from_year": 2000, "to_year": 2100}, "more than 100 years"),
    ({"lines": [Line("x", "nope", 2024, D("1"))]}, "unknown sources"),
])
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        run(**kwargs)


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError, match="never float"):
        run(lines=[Line("x", "gem", 2024, 0.1)])


def test_line_flags():
    assert cov.line_flags(D("100"), D("100"), D("100")) == []
    assert cov.line_flags(D("100"), D("50"), D("60")) == ["spent_over_committed"]
    assert cov.line_flags(D("100"), D("101"), D("0")) == ["committed_over_planned"]


cents = st.integers(min_value=0, max_value=10**13).map(lambda c: D(c) / 100)
years = st.integers(min_value=2022, max_value=2026)
codes = st.sampled_from(["gem", "nplv", "rd"])


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from("abcd"), codes, years, cents), max_size=25),
       allocations=st.dictionaries(st.tuples(codes, years), cents, max_size=12))
def test_per_source_gaps_add_up_to_the_year_gap_exactly(lines, allocations):
    sources = [Source("gem", "G", 2022), Source("nplv", "N", 2022, 2026),
               Source("rd", "R", 2022, 2026)]
    result = coverage(sources=sources, lines=[Line(*x) for x in lines],
                      allocations=[Allocation(s, y, a) for (s, y), a in allocations.items()],
                      from_year=2022, to_year=2026)
    for total in result.years:
        rows = [r for r in result.rows if r.year == total.year]
        assert sum(r.gap for r in rows) == total.gap
        assert total.need - total.secured == total.gap
        assert sum(max(r.gap, 0) for r in rows) == total.shortfall
        assert total.need == sum(x[3] for x in lines if x[2] == total.year)
        assert total.secured == sum(a for (_, y), a in allocations.items() if y == total.year)
    for r in result.rows:
        assert r.need - r.secured == r.gap and r.gap.as_tuple().exponent == -2


def test_docstring_examples_run():
    assert doctest.testmod(cov).failed == 0


def test_does_not_import_django():
    code = ("import sys, wijkbalans.analysis.coverage\n"
            "print(','.join(m for m in sys.modules if m.split('.')[0] == 'django'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={"PATH": "", "PYTHONPATH": ":".join(sys.path)})
    assert done.stdout.strip() == ""
