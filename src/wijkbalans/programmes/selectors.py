"""Reads of the programme register: the tree, lookups, results and their progress.

Each function reads in a fixed number of queries, whatever the size of the register (the
tree and the roll-up load every row they need at once, never one activity at a time).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet

from wijkbalans.accounts.models import Membership, Role
from wijkbalans.analysis.rollup import Node, NodeProgress, ResultInput, latest, rollup

from . import permissions
from .models import Activity, ActivityPartner, ResultIndicator, ResultPeriod, ResultUpdate


def _children(rows) -> dict[int | None, list]:
    children: dict[int | None, list] = defaultdict(list)
    for row in rows:
        parent = row["parent_id"] if isinstance(row, dict) else row.parent_id
        children[parent].append(row)
    return children


def activity_tree(*, user, root: Activity | None = None) -> list[tuple[Activity, int]]:
    """The activities ``user`` may read, in tree order (depth first, by code), each with
    its depth. An activity whose parent the user may not read (a public intervention of
    a programme that is not public) hangs under its nearest readable ancestor, so the
    depth counts readable ancestors only. With ``root``: that activity and its parts."""
    rows = list(Activity.objects.select_related("owner").order_by("code"))
    children = _children(rows)
    if root is not None:
        start = [a for a in rows if a.pk == root.pk]
    else:
        known = {a.pk for a in rows}
        # Top level: no parent (or, defensively, a parent that is not there).
        start = [a for a in rows if a.parent_id is None or a.parent_id not in known]
    out: list[tuple[Activity, int]] = []
    seen: set[int] = set()
    stack = [(a, 0) for a in reversed(start)]
    while stack:
        activity, depth = stack.pop()
        if activity.pk in seen:
            continue
        seen.add(activity.pk)
        readable = permissions.may_read(user, activity)
        if readable:
            out.append((activity, depth))
        below = depth + 1 if readable else depth
        stack.extend((c, below) for c in reversed(children[activity.pk]))
    return out


def activity_get(*, user, code: str) -> Activity | None:
    """The activity ``code``; None when there is none or ``user`` may not read it."""
    activity = (Activity.objects.select_related("owner", "parent")
                .filter(code=str(code or "").strip()).first())
    if activity is None or not permissions.may_read(user, activity):
        return None
    return activity


def activity_ancestors(*, activity: Activity) -> list[Activity]:
    """The activity's parents, the top first (one query)."""
    rows = {a.pk: a for a in Activity.objects.only("id", "parent_id", "code", "title", "kind",
                                                    "public")}
    out, seen, node = [], {activity.pk}, rows.get(activity.parent_id)
    while node is not None and node.pk not in seen:
        out.append(node)
        seen.add(node.pk)
        node = rows.get(node.parent_id)
    return out[::-1]


def activity_partners(*, activity: Activity) -> QuerySet[ActivityPartner]:
    return activity.partners.select_related("organisation").order_by(
        "role", "organisation__name")


def activity_results(*, activity: Activity) -> list[ResultIndicator]:
    """The activity's result indicators with their periods (``periods.all()`` is loaded)."""
    return list(activity.results.prefetch_related("periods").order_by("order", "id"))


def period_updates(*, period: ResultPeriod) -> QuerySet[ResultUpdate]:
    return period.updates.select_related("organisation", "created_by", "reviewed_by")


def period_current_update(*, period: ResultPeriod) -> ResultUpdate | None:
    """The approved update the period's actual follows: the latest approval."""
    return (period.updates.filter(status=ResultUpdate.Status.APPROVED)
            .order_by("-reviewed_at", "-id").first())


def update_superseded(*, update: ResultUpdate) -> bool:
    """Whether an approved update was overtaken by a later approval of its period."""
    if update.status != ResultUpdate.Status.APPROVED:
        return False
    current = period_current_update(period=update.period)
    return current is not None and current.pk != update.pk


def updates_to_review(*, user) -> QuerySet[ResultUpdate]:
    """Submitted updates that ``user`` (the programme bureau) may approve or return."""
    submitted = ResultUpdate.objects.filter(status=ResultUpdate.Status.SUBMITTED).select_related(
        "organisation", "period__result__activity").order_by("submitted_at", "id")
    if permissions.is_admin(user):
        return submitted
    if not getattr(user, "is_authenticated", False):
        return submitted.none()
    owners = Membership.objects.filter(user=user, role=Role.PROGRAMME_STAFF).values(
        "organisation_id")
    return submitted.filter(period__result__activity__owner_id__in=owners)


def updates_of(*, user) -> QuerySet[ResultUpdate]:
    """The updates of the organisations ``user`` reports for (partner or programme staff)."""
    if not getattr(user, "is_authenticated", False):
        return ResultUpdate.objects.none()
    organisations = Membership.objects.filter(
        user=user, role__in=[Role.PARTNER, Role.PROGRAMME_STAFF]).values("organisation_id")
    return ResultUpdate.objects.filter(organisation_id__in=organisations).select_related(
        "organisation", "period__result__activity")


# -- progress ---------------------------------------------------------------------------

def activity_progress(*, activity: Activity) -> NodeProgress:
    """The roll-up of ``activity`` (``analysis.rollup``; docs/programmes.md, "The roll-up
    rule"): its own result indicators and its parts, weighted. An output indicator without
    a baseline counts from zero (nothing was reached before the activity began); an
    outcome indicator without one has no progress. Three queries."""
    rows = list(Activity.objects.values("id", "parent_id", "code", "weight").order_by("code"))
    children = _children(rows)
    by_id = {r["id"]: r for r in rows}
    ids: list[int] = []
    seen: set[int] = set()
    stack = [activity.pk]
    while stack:
        pk = stack.pop()
        if pk in seen or pk not in by_id:
            continue
        ids.append(pk)
        seen.add(pk)
        stack.extend(c["id"] for c in children[pk])
    results = list(ResultIndicator.objects.filter(activity_id__in=ids).order_by(
        "order", "id").values("id", "activity_id", "name", "kind", "direction",
                              "baseline_value", "weight"))
    periods: dict[int, list[dict]] = defaultdict(list)
    for p in ResultPeriod.objects.filter(result_id__in=[r["id"] for r in results]).values(
            "result_id", "period", "target", "actual"):
        periods[p["result_id"]].append(p)
    inputs: dict[int, list[ResultInput]] = defaultdict(list)
    for r in results:
        own = periods[r["id"]]
        baseline = r["baseline_value"]
        if baseline is None and r["kind"] == ResultIndicator.Kind.OUTPUT:
            baseline = Decimal(0)
        inputs[r["activity_id"]].append(ResultInput(
            key=r["name"], baseline=baseline,
            target=latest({p["period"]: p["target"] for p in own}),
            actual=latest({p["period"]: p["actual"] for p in own}),
            direction=r["direction"], weight=r["weight"]))

    def node(pk: int, seen: frozenset) -> Node:
        row = by_id[pk]
        parts = tuple(node(c["id"], seen | {pk}) for c in children[pk] if c["id"] not in seen)
        return Node(row["code"], tuple(inputs[pk]), parts, row["weight"])

    if activity.pk not in by_id:
        return rollup(Node(activity.code))
    return rollup(node(activity.pk, frozenset()))
