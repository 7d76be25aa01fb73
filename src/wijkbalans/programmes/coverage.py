"""Coverage of the register's money: the selector that reads budget lines, secured funds,
sources and activity spans, and the CSV and JSON forms of the result.

The arithmetic is :func:`wijkbalans.analysis.coverage.coverage` (pure, Decimal); this
module is the bridge from the database. It checks no permission: the page, the API and
the command check ``permissions.may_read_money`` before they call it.

CSV and JSON are for machines: a comma-separated file with a header, amounts as plain
decimals with two places and a dot (``1234567.89``, ``-10.00``); JSON amounts are strings
in the same form, so that no client reads them as floats.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.utils.translation import gettext as _

from wijkbalans.analysis import coverage as calc

from .errors import ProgrammeError
from .models import Activity, BudgetLine, FundingAllocation, FundingSource

CSV_COLUMNS = ("year", "source_code", "source_name", "need", "secured", "gap")


def _year(name: str, value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or str(value).strip().isdigit()):
        raise ProgrammeError(_("The %(field)s is a year such as 2025; found %(value)s.")
                             % {"field": {"from_year": _("first year"),
                                         "to_year": _("last year")}[name],
                                "value": repr(value)},
                             field=name)
    return int(value)


def subtree_codes(activity: Activity) -> list[str]:
    """Codes of ``activity`` and every activity below it, in one query."""
    children: dict[int | None, list[tuple[int, str]]] = {}
    for pk, parent, code in Activity.objects.values_list("id", "parent_id", "code"):
        children.setdefault(parent, []).append((pk, code))
    codes, todo = [activity.code], [activity.pk]
    while todo:
        for child, code in children.get(todo.pop(), ()):
            codes.append(code)
            todo.append(child)
    return codes


def coverage_table(*, from_year=None, to_year=None, activity: Activity | None = None
                   ) -> calc.Coverage:
    """Need, secured and gap per year and source over ``from_year``..``to_year`` (default:
    the years with money, else 2022-2042), for the whole register or for ``activity``
    and its descendants (their lines, and their pro-rata share of what is secured)."""
    from_year, to_year = _year("from_year", from_year), _year("to_year", to_year)
    sources = [calc.Source(s.code, s.name, s.start_year, s.end_year)
               for s in FundingSource.objects.all()]
    lines = [calc.Line(activity_code, source_code, year, planned)
             for activity_code, source_code, year, planned in BudgetLine.objects.values_list(
                 "activity__code", "source__code", "year", "planned")]
    allocations = [calc.Allocation(source_code, year, amount)
                   for source_code, year, amount in FundingAllocation.objects.values_list(
                       "source__code", "year", "amount")]
    spans = [calc.Span(code, start.year if start else None, end.year if end else None)
             for code, start, end in Activity.objects.values_list("code", "start", "end")]
    default = calc.default_range(lines, allocations)
    from_year = default[0] if from_year is None else from_year
    to_year = default[1] if to_year is None else to_year
    if not 0 <= to_year - from_year < calc.MAX_YEARS:
        raise ProgrammeError(
            _("The years run from %(first)s to %(last)s: give a first year no later than "
              "the last, at most %(most)s years in all.")
            % {"first": from_year, "last": to_year, "most": calc.MAX_YEARS},
            field="from_year")
    scope = subtree_codes(activity) if activity is not None else None
    return calc.coverage(sources=sources, lines=lines, allocations=allocations, spans=spans,
                         from_year=from_year, to_year=to_year, scope=scope,
                         scope_label=activity.code if activity is not None else None)


def amount_text(value: Decimal) -> str:
    """``1234567.89``: two places, a dot, no thousands separator (machine-readable)."""
    return f"{value.quantize(calc.CENT):f}"


def coverage_csv(coverage: calc.Coverage) -> str:
    """One row per year and source: ``year,source_code,source_name,need,secured,gap``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in coverage.rows:
        writer.writerow([r.year, r.source_code, r.source_name, amount_text(r.need),
                         amount_text(r.secured), amount_text(r.gap)])
    return out.getvalue()


def coverage_dict(coverage: calc.Coverage) -> dict:
    """The coverage as plain data (amounts as strings), for JSON and the API."""
    return {
        "currency": "EUR",
        "from_year": coverage.from_year,
        "to_year": coverage.to_year,
        "activity": coverage.scope,
        "rows": [{"year": r.year, "source_code": r.source_code, "source_name": r.source_name,
                  "need": amount_text(r.need), "secured": amount_text(r.secured),
                  "gap": amount_text(r.gap)} for r in coverage.rows],
        "years": [{"year": y.year, "need": amount_text(y.need),
                   "secured": amount_text(y.secured), "gap": amount_text(y.gap),
                   "shortfall": amount_text(y.shortfall)} for y in coverage.years],
        "ending": [{"source_code": e.source_code, "source_name": e.source_name,
                    "last_year": e.last_year,
                    "secured_last_year": amount_text(e.secured_last_year),
                    "need_last_year": amount_text(e.need_last_year),
                    "after": [{"year": a.year, "falls_away": amount_text(a.falls_away),
                               "activities": list(a.activities)} for a in e.after]}
                   for e in coverage.ending],
    }


def coverage_json(coverage: calc.Coverage) -> str:
    return json.dumps(coverage_dict(coverage), ensure_ascii=False, indent=2)
