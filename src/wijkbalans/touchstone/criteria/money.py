"""Money: is the plan covered for its whole duration, and what does it do to the gap?

The span is the plan's start to end year; without an end, to the last year of its budget
lines (an open-ended plan is judged on what it plans); without a start, from the first.
Per year, the need is the planned amount of the plan's budget lines (its parts included)
and the secured amount its share of what the sources secured for those lines
(``programmes.coverage.coverage_table(activity=...)``: pro rata when a source has less
than its lines need). What it does to the gap: its shortfall (need not secured) against
the shortfall of the whole register in the same years. The rating:
:func:`wijkbalans.analysis.touchstone.money_rating`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.programmes import coverage as cov
from wijkbalans.programmes.errors import ProgrammeError
from wijkbalans.programmes.models import BudgetLine

from .base import Context, CriterionResult, Reason, euro, items, num, unknown

KEY = "money"
ZERO = Decimal(0)


def _span(plan, context: Context) -> tuple[int | None, int | None, list[int], bool]:
    years = sorted(set(BudgetLine.objects.filter(activity__code__in=cov.subtree_codes(plan))
                       .values_list("year", flat=True)))
    first = context.start_year or (years[0] if years else None)
    open_ended = context.end_year is None
    last = context.end_year or max([*years, first] if first is not None else years,
                                   default=None)
    return first, last, years, open_ended


def assess(plan, context: Context) -> CriterionResult:
    first, last, line_years, open_ended = _span(plan, context)
    if first is None or last is None:
        return unknown(KEY, gettext_noop("The plan has no dates and no budget lines."))
    try:
        mine = cov.coverage_table(from_year=first, to_year=last, activity=plan)
        register = cov.coverage_table(from_year=first, to_year=last)
    except ProgrammeError as error:
        return unknown(KEY, gettext_noop("The coverage could not be computed: %(error)s"),
                       {"error": error.message})
    years = [rules.YearMoney(y.year, y.need, y.secured) for y in mine.years]
    finding = rules.money_rating(years)
    register_gap = {y.year: y.shortfall for y in register.years}
    data = {
        "from_year": first, "to_year": last, "open_ended": open_ended,
        "budget_years": line_years,
        "years": [{"year": y.year, "need": cov.amount_text(y.need),
                   "secured": cov.amount_text(min(y.secured, y.need)),
                   "shortfall": cov.amount_text(y.shortfall),
                   "register_shortfall": cov.amount_text(register_gap.get(y.year, ZERO))}
                  for y in years],
        "sources": sorted({r.source_code for r in mine.rows}),
        "need": cov.amount_text(finding.need), "secured": cov.amount_text(finding.secured),
        "shortfall": cov.amount_text(finding.shortfall),
        "register_shortfall": cov.amount_text(sum(register_gap.values(), ZERO)),
        "covered_years": list(finding.covered), "partly_covered_years": list(finding.partly),
        "unsecured_years": list(finding.unsecured), "years_without_budget": list(finding.no_line),
    }
    total_gap = sum(register_gap.values(), ZERO)
    params = {"first": str(first), "last": str(last), "need": euro(finding.need),
              "secured": euro(finding.secured), "shortfall": euro(finding.shortfall),
              "register": euro(total_gap),
              "share": num(100 * finding.shortfall / total_gap if total_gap else 0, 0)}
    if finding.rating == rules.STRONG:
        text = gettext_noop("Covered: every year from %(first)s to %(last)s is fully paid "
                            "from secured funds (%(need)s).")
    elif finding.rating == rules.ADEQUATE:
        text = gettext_noop(
            "Partly covered: %(secured)s of %(need)s is secured over %(first)s-%(last)s; "
            "the plan adds %(shortfall)s to the register's shortfall of %(register)s in "
            "those years (%(share)s%%).")
    elif finding.no_line:
        text = gettext_noop(
            "Not covered: no budget line in %(years)s of its span %(first)s-%(last)s; "
            "%(secured)s of %(need)s planned is secured.")
        params["years"] = items(finding.no_line)
    else:
        text = gettext_noop(
            "Not covered: nothing is secured in %(years)s; %(secured)s of %(need)s is "
            "secured over %(first)s-%(last)s, and the plan adds %(shortfall)s to the "
            "register's shortfall of %(register)s in those years (%(share)s%%).")
        params["years"] = items(finding.unsecured)
    if open_ended:
        data["note"] = "no end date: judged up to the last year with a budget line"
    return CriterionResult(KEY, finding.rating, Reason(text, params), data)
