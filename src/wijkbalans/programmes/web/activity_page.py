"""What an activity's page shows, for one reader: the activity and its place in the tree,
partners, areas, themes, evidence, progress rolled up with its parts, result indicators
with baseline, targets, actuals and updates per period, and (for members of the alliance)
its money. Each control comes with the permission that allows it (``may``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from wijkbalans.analysis import rollup
from wijkbalans.analysis.coverage import line_flags
from wijkbalans.indicators import selectors as indicator_selectors

from .. import permissions, selectors
from ..models import ResultPeriod, ResultUpdate
from .common import euro, quantity
from .forms import theme_label

REASONS = {
    rollup.NO_BASELINE: lambda: _("no baseline"),
    rollup.NO_TARGET: lambda: _("no target"),
    rollup.NO_ACTUAL: lambda: _("no approved actual yet"),
    rollup.NOT_AN_IMPROVEMENT: lambda: _("the target is no improvement on the baseline"),
    rollup.NOTHING_KNOWN: lambda: _("nothing to measure yet"),
    rollup.ZERO_WEIGHT: lambda: _("every part has weight 0"),
}
FLAGS = {
    "committed_over_planned": lambda: _("more committed than planned"),
    "spent_over_planned": lambda: _("more spent than planned"),
    "spent_over_committed": lambda: _("more spent than committed"),
}


def theme_names(keys) -> list[str]:
    return [theme_label(k) for k in keys or ()]


def percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{quantity(Decimal(value) * 100, most=0)}%"


def progress_text(part) -> dict:
    """A roll-up result as the page says it: a percentage, or why it is unknown."""
    if part is None:
        return {"value": None, "text": "–", "reason": ""}
    value = part.progress
    reason = REASONS.get(part.reason, lambda: part.reason)() if part.reason else ""
    raw = getattr(part, "raw", None)
    over = raw is not None and raw > 1
    return {"value": value, "text": percent(value), "reason": reason,
            "raw": percent(rollup.to_decimal(raw)) if over else "",
            "counted": getattr(part, "counted", None), "skipped": getattr(part, "skipped", 0)}


def _may(activity, user) -> dict:
    reporting = permissions.reporting_organisations(user, activity)
    return {
        "edit": permissions.may_edit_register(user, activity),
        "add_part": permissions.may_edit_register(user, owner_id=activity.owner_id,
                                                  parent=activity),
        "review": permissions.may_review(user, activity),
        "mark_public": permissions.may_mark_public(user),
        "read_money": permissions.may_read_money(user),
        "budget": permissions.may_edit_budget(user, activity),
        "admin": permissions.is_admin(user),
        "member": permissions.is_alliance_member(user),
        "report": bool(reporting),
    }


def _updates_shown(period, user, may) -> list[dict]:
    """Members of the alliance see submitted, approved and returned updates; a draft only
    its own organisation sees. The public sees the approved actual, not the updates."""
    if not may["member"]:
        return []
    rows = []
    for update in period.updates.all():
        editable = permissions.may_edit_update(user, update)
        if update.status == ResultUpdate.Status.DRAFT and not editable:
            continue
        rows.append({
            "update": update, "value": quantity(update.value),
            "editable": editable and not period.locked,
            "reviewable": (may["review"] and not period.locked
                           and update.status == ResultUpdate.Status.SUBMITTED),
        })
    return rows


def _results(activity, user, may, progress) -> list[dict]:
    by_key = {str(r.key): r for r in getattr(progress, "results", ())}
    periods = Prefetch("periods", queryset=ResultPeriod.objects.prefetch_related(
        Prefetch("updates", queryset=ResultUpdate.objects.select_related("organisation"))))
    out = []
    for result in activity.results.prefetch_related(periods):
        rows = []
        for period in sorted(result.periods.all(), key=lambda p: rollup.period_key(p.period)):
            rows.append({
                "period": period, "target": quantity(period.target),
                "actual": quantity(period.actual),
                "updates": _updates_shown(period, user, may),
                "lockable": may["review"] and period.actual is not None and not period.locked,
                "unlockable": may["admin"] and period.locked,
            })
        part = by_key.get(str(result.pk)) or by_key.get(result.name)
        out.append({"result": result, "baseline": quantity(result.baseline_value),
                    "periods": rows, "progress": progress_text(part)})
    return out


def _money(activity) -> dict:
    lines = list(activity.budget_lines.select_related("source").order_by("year",
                                                                          "source__code"))
    zero = Decimal("0.00")
    totals = {k: sum((getattr(x, k) for x in lines), zero)
              for k in ("planned", "committed", "spent")}
    return {
        "lines": [{"line": x, "planned": euro(x.planned), "committed": euro(x.committed),
                   "spent": euro(x.spent),
                   "flags": [FLAGS[f]() for f in line_flags(x.planned, x.committed, x.spent)]}
                  for x in lines],
        "totals": {k: euro(v) for k, v in totals.items()},
    }


def build(activity, user) -> dict:
    may = _may(activity, user)
    progress = selectors.activity_progress(activity=activity)
    children_progress = {str(c.key): c for c in getattr(progress, "children", ())}
    children = [{"activity": c, "progress": progress_text(children_progress.get(c.code)
                                                          or children_progress.get(str(c.pk)))}
                for c in activity.children.select_related("owner").order_by("code")
                if permissions.may_read(user, c)]
    results = _results(activity, user, may, progress)
    codes = [r["result"].indicator_code for r in results if r["result"].indicator_code]
    unknown = set(indicator_selectors.indicator_codes_unknown(codes=codes))
    return {
        "activity": activity, "may": may,
        "crumbs": [a for a in selectors.activity_ancestors(activity=activity)
                   if permissions.may_read(user, a)],
        "known_indicators": [c for c in codes if c not in unknown],
        "children": children,
        "partners": list(selectors.activity_partners(activity=activity)),
        "areas": list(activity.areas.order_by("code")),
        "area_sets": list(activity.area_sets.order_by("name")),
        "themes": theme_names(activity.themes),
        "progress": progress_text(progress),
        "results": results,
        "money": _money(activity) if may["read_money"] else None,
    }
