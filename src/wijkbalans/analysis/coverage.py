"""Coverage of a programme's planned need by secured funds, per year and source.

Pure arithmetic on :class:`decimal.Decimal` (never float), no Django: the selector
``programmes.coverage.coverage_table`` reads the rows and calls :func:`coverage`.

Inputs: budget lines (activity, source, year, planned), secured amounts per source and
year (allocations), the sources with their period (a temporary source has a last year),
the activities' spans in years, and a range of years.

Rules, for year ``y`` and source ``s``:

    need(y, s)    = sum of planned over the budget lines on s in year y
    secured(y, s) = the allocation of s in y (0 when there is none)
    gap(y, s)     = need(y, s) - secured(y, s)

A positive gap is a shortfall (money still to be found), a negative gap a surplus; the
gap is signed so that the year's gap is exactly the sum of its sources' gaps:

    need(y)      = sum over s of need(y, s)        (and so on for secured and gap)
    shortfall(y) = sum over s of max(gap(y, s), 0)

``shortfall(y)`` is the money still to be found when one source's surplus cannot pay
for another source's lines (a grant's conditions usually say so); ``gap(y)`` nets them.
A row is made for every year of the range and every source that runs in it (first year
<= y <= last year, or no last year) or has need or secured money in it.

What falls away when a temporary source ends (last year ``E``): the activities it funded
in ``E`` (a budget line on it in ``E`` with planned > 0) that still run in a later year
``y`` (activity end year >= y, or no end) and have *no budget line at all* in any year
after ``E`` up to ``y`` would stop without new money; for each such ``y`` in the range

    falls_away(s, y) = sum over those activities of planned(activity, s, E)

i.e. the activity's money from the source in its last year, carried forward unchanged.
An activity with a budget line (on any source) in a year after ``E`` has been taken over
by another source: from that year on its need is planned, so it counts in need(y) and not
here, also in a later year it has no line for (that is the other source's ending, or the
activity's own plan). So each shortfall is counted once, under the source that left it.
Reported for every temporary source whose last year lies in the range or in the year
just before it (so that what falls away shows in the range), and ends before the last
year of the range.

With a scope (one activity and its descendants), need counts the scope's lines only and
secured is the scope's pro-rata share of what the source secured:

    secured_scope(y, s) = need_scope(y, s)                          if secured >= need
                        = secured * need_scope / need, to the cent  otherwise

(rounded half to even), so the scope's coverage rate equals the source's. Rows are then
made only where the scope has a budget line. Default range: the first to the last year
of any budget line or allocation; with neither, 2022 to 2042 (the NPLV horizon).

>>> from decimal import Decimal as D
>>> cov = coverage(
...     sources=[Source("nplv", "NPLV", 2022, 2023)],
...     lines=[Line("a", "nplv", 2022, D("100.00")), Line("a", "nplv", 2023, D("80.00"))],
...     allocations=[Allocation("nplv", 2022, D("90.00")), Allocation("nplv", 2023, D("80.00"))],
...     spans=[Span("a", 2022, None)], from_year=2022, to_year=2024)
>>> [(r.year, str(r.need), str(r.secured), str(r.gap)) for r in cov.rows]
[(2022, '100.00', '90.00', '10.00'), (2023, '80.00', '80.00', '0.00')]
>>> [(y.year, str(y.falls_away)) for y in cov.ending[0].after]
[(2024, '80.00')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_RANGE = (2022, 2042)
MAX_YEARS = 100


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    start_year: int
    end_year: int | None = None

    def runs_in(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)


@dataclass(frozen=True)
class Line:
    """A budget line: ``activity`` (its code) plans ``planned`` euros from ``source``."""

    activity: str
    source: str
    year: int
    planned: Decimal


@dataclass(frozen=True)
class Allocation:
    source: str
    year: int
    amount: Decimal


@dataclass(frozen=True)
class Span:
    """The years an activity runs; None is open (no start given, or no end)."""

    activity: str
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class CoverageRow:
    year: int
    source_code: str
    source_name: str
    need: Decimal
    secured: Decimal
    gap: Decimal


@dataclass(frozen=True)
class YearTotal:
    year: int
    need: Decimal
    secured: Decimal
    gap: Decimal
    shortfall: Decimal


@dataclass(frozen=True)
class FallsAway:
    year: int
    falls_away: Decimal
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Ending:
    """A temporary source that ends: its last year, what it secured and funded then, and
    per later year of the range what falls away with it."""

    source_code: str
    source_name: str
    last_year: int
    secured_last_year: Decimal
    need_last_year: Decimal
    after: tuple[FallsAway, ...]


@dataclass(frozen=True)
class Coverage:
    from_year: int
    to_year: int
    rows: tuple[CoverageRow, ...]
    years: tuple[YearTotal, ...]
    ending: tuple[Ending, ...]
    scope: str | None = None


def _money(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"amounts are Decimal, never float; found {value!r}")
    if not value.is_finite():
        raise ValueError(f"an amount is a finite number; found {value!r}")
    return value.quantize(CENT)


def default_range(lines: Iterable[Line], allocations: Iterable[Allocation]) -> tuple[int, int]:
    """First and last year of any line or allocation; (2022, 2042) when there is none.

    >>> default_range([], [])
    (2022, 2042)
    """
    years = [x.year for x in lines] + [a.year for a in allocations]
    return (min(years), max(years)) if years else DEFAULT_RANGE


def _sums(pairs: Iterable[tuple[tuple[int, str], Decimal]]) -> dict[tuple[int, str], Decimal]:
    out: dict[tuple[int, str], Decimal] = {}
    for key, amount in pairs:
        out[key] = out.get(key, ZERO) + amount
    return out


def _share(secured: Decimal, need_scope: Decimal, need_all: Decimal) -> Decimal:
    if secured >= need_all:
        return need_scope
    with localcontext() as ctx:
        ctx.prec = 60
        return (secured * need_scope / need_all).quantize(CENT, rounding=ROUND_HALF_EVEN)


def coverage(
    *,
    sources: Iterable[Source],
    lines: Iterable[Line],
    allocations: Iterable[Allocation],
    spans: Iterable[Span] = (),
    from_year: int | None = None,
    to_year: int | None = None,
    scope: Iterable[str] | None = None,
    scope_label: str | None = None,
) -> Coverage:
    """Need, secured and gap per year and source, the year totals, and what falls away
    when each temporary source ends (see the module docstring for the rules).

    ``scope``: activity codes to count (one activity and its descendants); None counts
    every activity. Raises ValueError for a range that runs backwards or spans more than
    100 years, TypeError for a float amount.
    """
    sources = {s.code: s for s in sources}
    lines = [Line(x.activity, x.source, x.year, _money(x.planned)) for x in lines]
    allocations = [Allocation(a.source, a.year, _money(a.amount)) for a in allocations]
    default = default_range(lines, allocations)
    from_year = default[0] if from_year is None else from_year
    to_year = default[1] if to_year is None else to_year
    if from_year > to_year:
        raise ValueError(f"the range runs from {from_year} to {to_year}: the first year "
                         "must not come after the last")
    if to_year - from_year + 1 > MAX_YEARS:
        raise ValueError(f"the range {from_year}-{to_year} spans more than {MAX_YEARS} years")
    unknown = sorted({x.source for x in lines} - sources.keys()
                     | {a.source for a in allocations} - sources.keys())
    if unknown:
        raise ValueError(f"budget lines or allocations name unknown sources: {unknown}")
    members = None if scope is None else frozenset(scope)
    in_scope = [x for x in lines if members is None or x.activity in members]

    need_all = _sums(((x.year, x.source), x.planned) for x in lines)
    need = _sums(((x.year, x.source), x.planned) for x in in_scope)
    secured_all = _sums(((a.year, a.source), a.amount) for a in allocations)
    scoped_keys = {(x.year, x.source) for x in in_scope}

    def secured_for(key: tuple[int, str]) -> Decimal:
        if members is None:
            return secured_all.get(key, ZERO)
        return _share(secured_all.get(key, ZERO), need.get(key, ZERO),
                      need_all.get(key, ZERO))

    rows: list[CoverageRow] = []
    years: list[YearTotal] = []
    ordered = sorted(sources.values(), key=lambda s: s.code)
    for year in range(from_year, to_year + 1):
        year_rows = []
        for s in ordered:
            key = (year, s.code)
            if members is None:
                if not (s.runs_in(year) or key in need or key in secured_all):
                    continue
            elif key not in scoped_keys:
                continue
            secured = secured_for(key)
            year_need = need.get(key, ZERO)
            year_rows.append(CoverageRow(year, s.code, s.name, year_need, secured,
                                         year_need - secured))
        rows.extend(year_rows)
        years.append(YearTotal(
            year=year,
            need=sum((r.need for r in year_rows), ZERO),
            secured=sum((r.secured for r in year_rows), ZERO),
            gap=sum((r.gap for r in year_rows), ZERO),
            shortfall=sum((max(r.gap, ZERO) for r in year_rows), ZERO)))
    ending = _ending(ordered, in_scope, secured_for, {s.activity: s for s in spans},
                     from_year, to_year)
    return Coverage(from_year, to_year, tuple(rows), tuple(years), ending, scope_label)


def _ending(sources, lines, secured, spans, from_year, to_year) -> tuple[Ending, ...]:
    lined_years: dict[str, set[int]] = defaultdict(set)
    for x in lines:
        lined_years[x.activity].add(x.year)
    out = []
    for s in sources:
        last = s.end_year
        if last is None or not from_year - 1 <= last < to_year:
            continue
        funded: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for x in lines:
            if x.source == s.code and x.year == last:
                funded[x.activity] += x.planned
        after = []
        for year in range(max(last + 1, from_year), to_year + 1):
            still = sorted(a for a, amount in funded.items() if amount > 0
                           and _runs_until(spans.get(a), year)
                           and not any(last < y <= year for y in lined_years[a]))
            after.append(FallsAway(year, sum((funded[a] for a in still), ZERO), tuple(still)))
        out.append(Ending(s.code, s.name, last, secured((last, s.code)),
                          sum(funded.values(), ZERO), tuple(after)))
    return tuple(out)


def _runs_until(span: Span | None, year: int) -> bool:
    return span is None or span.end_year is None or span.end_year >= year


def line_flags(planned: Decimal, committed: Decimal, spent: Decimal) -> list[str]:
    """What a finance officer should look at on one budget line. Allowed, not refused:
    a contract can exceed the plan, and a payment can go out without a commitment.

    >>> from decimal import Decimal as D
    >>> line_flags(D("100"), D("120"), D("130"))
    ['committed_over_planned', 'spent_over_planned', 'spent_over_committed']
    """
    flags = []
    if committed > planned:
        flags.append("committed_over_planned")
    if spent > planned:
        flags.append("spent_over_planned")
    if spent > committed:
        flags.append("spent_over_committed")
    return flags
