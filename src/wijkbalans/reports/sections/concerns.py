"""Early concerns of professionals in aggregate: per theme and period, how many concerns
were recorded in the area set's buurten, from the concerns app's published early-warning
tables (``concerns.selectors.early_warning_table``: no cell below k, hidden cells not
derivable from the rest).

The report adds nothing that the published tables do not show: a theme's count for the
area set is the sum of its buurten's *published* cells, so no hidden count can be read
back from it. Where some of those cells are hidden, the count is marked as a lower bound
("17+": 17 in the buurten whose count is published, and more in buurten whose count is
too small to publish); where nothing but hidden cells and zeros is published, it is not
given ("*"). The
periods are those of the published kind (quarters) that fall in the report's period.
When the concerns app is absent or holds nothing for the period, the section says so.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import Context


def _periods(report_period: str, kind: str) -> tuple[str, str] | None:
    """First and last published period inside the report's period."""
    year = report_period[:4]
    if kind == "quarter":
        if "-Q" in report_period:
            return report_period, report_period
        return f"{year}-Q1", f"{year}-Q4"
    if kind == "year":
        return year, year
    if kind == "month":
        if "-Q" in report_period:
            q = int(report_period[-1])
            return f"{year}-{3 * q - 2:02d}", f"{year}-{3 * q:02d}"
        return f"{year}-01", f"{year}-12"
    return None


def _sum(cells: list[int | None]) -> dict:
    """The sum of the published cells and whether it is partial; None when only hidden
    cells and zeros are published."""
    shown = [c for c in cells if c is not None]
    if len(shown) < len(cells) and not sum(shown):
        return {"count": None, "partial": True}
    return {"count": sum(shown), "partial": len(shown) < len(cells)}


def collect(ctx: Context) -> dict:
    try:
        from wijkbalans.concerns import selectors as concerns
        from wijkbalans.concerns.models import Theme
    except ImportError:
        return {"available": False, "rows": []}
    if not ctx.gemeentecode:
        return {"available": True, "rows": [], "periods": []}
    kind = concerns.published_period_kind()
    span = _periods(ctx.period, kind)
    if span is None:
        return {"available": True, "rows": [], "periods": []}
    try:
        table = concerns.early_warning_table(gemeente=ctx.gemeentecode, period_kind=kind,
                                             first=span[0], last=span[1])
    except ValueError:
        return {"available": True, "rows": [], "periods": []}
    members = set(ctx.members)
    columns = [i for i, (code, _name) in enumerate(table.buurten) if code in members]
    tables = list(table.periods)
    labels = [str(Theme(t).label) for t in table.themes] + [_("all themes")]
    rows = []
    for i, label in enumerate(labels):
        cells = [_sum([t.counts[i][j] for j in columns]) for t in tables]
        rows.append({"label": label, "counts": cells, "total": i == len(labels) - 1})
    recorded = any(c["count"] or c["partial"] for row in rows for c in row["counts"])
    return {"available": True, "k": table.k, "kind": kind,
            "periods": [t.period for t in tables], "rows": rows if recorded else [],
            "hidden": sum(t.primary + t.secondary for t in tables)}
