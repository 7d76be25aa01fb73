"""Each programme that works in the area set: its activities with their progress, the
results of its activities, and its money (coverage per year, the gap, what falls away).

A programme (an activity of kind ``programme``) is in the report when it, or an activity
below it, names the area set, one of its buurten, a wijk that holds one of them, or their
municipality. The register is read as the Local Alliance reads it (every activity, public
or not, and its money): the report is the alliance's account to the council.

Reads ``programmes.selectors`` (``activity_tree``, ``activity_results``,
``activity_progress``: the activity page's tree, results and roll-up) and
``programmes.coverage.coverage_table`` / ``coverage_dict`` (the coverage page, scoped to
the programme: its own lines and its pro-rata share of what each source secured).
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from wijkbalans.analysis import rollup
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.programmes import selectors as register
from wijkbalans.programmes.coverage import coverage_dict, coverage_table
from wijkbalans.programmes.errors import ProgrammeError
from wijkbalans.programmes.models import Activity, ResultIndicator

from . import Context
from .headline import theme_name

# The register's reader for the report: the Local Alliance, which reads every activity
# and its money (programmes.permissions: administrators read everything).
ALLIANCE = SimpleNamespace(is_authenticated=True, is_superuser=True, pk=None)
ZERO = Decimal("0.00")


def reason_label(code: str) -> str:
    """Why a progress is unknown, in the activity page's words."""
    return {
        rollup.NO_BASELINE: _("no baseline"),
        rollup.NO_TARGET: _("no target"),
        rollup.NO_ACTUAL: _("no approved actual yet"),
        rollup.NOT_AN_IMPROVEMENT: _("the target is no improvement on the baseline"),
        rollup.NOTHING_KNOWN: _("nothing to measure yet"),
        rollup.ZERO_WEIGHT: _("every part has weight 0"),
    }.get(code, code)


def around(ctx: Context) -> set[str]:
    """The codes a programme may name to work in the area set: its buurten, their wijken
    and their municipality."""
    members = area_selectors.area_set_members(area_set=ctx.area_set)
    codes = set(ctx.members)
    codes.update(c for c in members.values_list("parent_code", flat=True) if c)
    if ctx.gemeentecode:
        codes.add(ctx.gemeentecode)
    return codes


def _covers(activities: list[Activity], ctx: Context, codes: set[str]) -> bool:
    for activity in activities:
        if any(s.pk == ctx.area_set.pk for s in activity.area_sets.all()):
            return True
        if any(a.code in codes for a in activity.areas.all()):
            return True
    return False


def _progress(part) -> dict:
    if part is None:
        return {"value": None, "reason": ""}
    return {"value": part.progress, "reason": reason_label(part.reason) if part.reason
            else ""}


def _latest(periods, attribute: str):
    values = {p.period: getattr(p, attribute) for p in periods}
    known = [p for p, v in values.items() if v is not None]
    if not known:
        return None
    period = max(known, key=rollup.period_key)
    return {"period": period, "value": values[period]}


def _results(activity: Activity, node) -> list[dict]:
    by_key = {str(r.key): r for r in getattr(node, "results", ())}
    rows = []
    for result in register.activity_results(activity=activity):
        periods = list(result.periods.all())
        rows.append({
            "activity": activity.title, "code": activity.code, "name": result.name,
            "kind": str(ResultIndicator.Kind(result.kind).label), "unit": result.unit,
            "direction": result.direction,
            "baseline": ({"period": result.baseline_period, "value": result.baseline_value}
                         if result.baseline_value is not None else None),
            "target": _latest(periods, "target"), "actual": _latest(periods, "actual"),
            "progress": _progress(by_key.get(result.name)),
        })
    return rows


def _money(programme: Activity, titles: dict[str, str]) -> dict | None:
    """The programme's coverage over the years in which it plans or gets money (the
    register's default range is that of every programme together)."""
    try:
        coverage = coverage_table(activity=programme)
        years = [y.year for y in coverage.years if y.need or y.secured]
        if not years:
            return None
        if (min(years), max(years)) != (coverage.from_year, coverage.to_year):
            coverage = coverage_table(activity=programme, from_year=min(years),
                                      to_year=max(years))
    except ProgrammeError:
        return None
    money = coverage_dict(coverage)
    years = money["years"]
    names: dict[str, str] = {}
    secured: dict[tuple[int, str], str] = {}
    for row in sorted(money["rows"], key=lambda r: r["source_code"]):
        names.setdefault(row["source_code"], row["source_name"])
        secured[row["year"], row["source_code"]] = row["secured"]
    totals = {k: str(sum((Decimal(y[k]) for y in years), ZERO))
              for k in ("need", "secured", "gap", "shortfall")}
    short = [y["year"] for y in years if Decimal(y["gap"]) > 0]
    money.update(totals=totals, years_short=short)
    money["ending"] = [e for e in money["ending"]
                       if any(Decimal(a["falls_away"]) > 0 for a in e["after"])]
    for ending in money["ending"]:
        for after in ending["after"]:
            after["activities"] = [titles.get(code, code) for code in after["activities"]]
    if any(Decimal(y["need"]) or Decimal(y["secured"]) for y in years):
        money["chart"] = {
            "kind": "coverage", "years": [y["year"] for y in years],
            "need": [y["need"] for y in years],
            "secured": [[name, [secured.get((y["year"], code), "0.00") for y in years]]
                        for code, name in names.items()],
            "title": _("%(programme)s: planned need and secured funds per year, "
                       "%(first)s–%(last)s") % {"programme": programme.title,
                                                "first": money["from_year"],
                                                "last": money["to_year"]},
            "need_label": _("planned need"), "mln": _("mln"),
            "description": _("Bars: the funds secured per year, stacked by source; line: the "
                             "planned need. Where the line runs above the bar, money is still "
                             "to be found. The table holds the same figures."),
            "alt": _("Bar chart of the secured funds per year by source, with the planned "
                     "need as a line; the figures are in the table below it."),
        }
    return money


def _programme(programme: Activity, tree: list[tuple[Activity, int]], lang: str) -> dict:
    progress = register.activity_progress(activity=programme)
    nodes = {str(n.key): n for n in progress.walk()}
    activities, results = [], []
    for activity, depth in tree:
        node = nodes.get(activity.code)
        activities.append({
            "code": activity.code, "title": activity.title, "depth": depth,
            "kind": str(Activity.Kind(activity.kind).label),
            "status": str(Activity.Status(activity.status).label),
            "owner": activity.owner.name,
            "start": activity.start.year if activity.start else None,
            "end": activity.end.year if activity.end else None,
            "evidence": (str(Activity.Evidence(activity.evidence_level).label)
                         if activity.evidence_level != Activity.Evidence.NOT_RATED else ""),
            "themes": [theme_name(t, lang) for t in activity.themes or ()],
            "progress": _progress(node),
        })
        results.extend(_results(activity, node))
    return {"code": programme.code, "title": programme.title,
            "description": programme.description,
            "owner": programme.owner.name, "status": str(Activity.Status(
                programme.status).label), "progress": _progress(progress),
            "activities": activities, "results": results,
            "money": _money(programme, {a.code: a.title for a, _depth in tree})}


def collect(ctx: Context) -> dict:
    tree = register.activity_tree(user=ALLIANCE)
    prefetch_related_objects([a for a, _d in tree], "areas", "area_sets")
    codes = around(ctx)
    programmes = []
    for index, (activity, depth) in enumerate(tree):
        if activity.kind != Activity.Kind.PROGRAMME:
            continue
        subtree = [(activity, 0)]
        for other, other_depth in tree[index + 1:]:
            if other_depth <= depth:
                break
            subtree.append((other, other_depth - depth))
        if _covers([a for a, _d in subtree], ctx, codes):
            programmes.append(_programme(activity, subtree, ctx.lang))
    return {"programmes": programmes}
