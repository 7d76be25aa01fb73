"""The plan in its place: its buurten, its years and its line in the register.

A plan works where its areas and area sets say; a plan without them (an intervention
that leaves its area to its programme) works where the nearest activity above it that
names areas works. An area is counted as the buurten in it: a buurt itself, a wijk's
buurten, a municipality's buurten; an area set as its member buurten (and the buurten
of a member wijk). Three queries, plus one for the ancestors and one for the parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q

from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.programmes import selectors as programme_selectors
from wijkbalans.programmes.coverage import subtree_codes
from wijkbalans.programmes.models import Activity

from .criteria.base import Context

DEFAULT_TARGET_GROUP = "inwoners"


def _place_source(plan: Activity, ancestors: list[Activity]) -> tuple[Activity, list, list]:
    for activity in [plan, *reversed(ancestors)]:
        areas = list(activity.areas.all())
        sets = list(activity.area_sets.all())
        if areas or sets:
            return activity, areas, sets
    return plan, [], []


def plan_buurten(areas, area_sets) -> dict[str, int]:
    """Buurtcode to primary key of every buurt in ``areas`` and ``area_sets`` (one query)."""
    by_level: dict[str, list] = {}
    for area in areas:
        by_level.setdefault(area.level, []).append(area)
    q = Q(pk__in=[a.pk for a in by_level.get(area_codes.BUURT, [])])
    q |= Q(parent_id__in=[a.pk for a in by_level.get(area_codes.WIJK, [])])
    q |= Q(gemeentecode__in=[a.code for a in by_level.get(area_codes.GEMEENTE, [])])
    if area_sets:
        ids = [s.pk for s in area_sets]
        q |= Q(area_sets__in=ids) | Q(parent__area_sets__in=ids)
    rows = (area_selectors.area_list(level=area_codes.BUURT).filter(q)
            .values_list("code", "pk").distinct())
    return dict(sorted(rows))


def build_context(plan: Activity, *, inputs: Mapping | None = None,
                  today: dt.date | None = None) -> Context:
    """The :class:`~.criteria.base.Context` of ``plan`` with the assessor's ``inputs``
    (``target_group_indicator``, ``reach_result``)."""
    inputs = inputs or {}
    today = today or dt.date.today()
    ancestors = programme_selectors.activity_ancestors(activity=plan)
    source, areas, sets = _place_source(plan, ancestors)
    buurten = plan_buurten(areas, sets)
    gemeenten = sorted({area_codes.gemeente_of(code) for code in buurten} - {None})
    place = None
    if len(areas) + len(sets) == 1:
        place = areas[0].code if areas else sets[0].slug
    start = plan.start.year if plan.start else None
    end = plan.end.year if plan.end else None
    return Context(
        buurten=tuple(buurten), buurt_ids=buurten, gemeenten=tuple(gemeenten), place=place,
        areas_from=source.code if (areas or sets) else None, start_year=start, end_year=end,
        year=start or today.year,
        lineage=frozenset({*subtree_codes(plan), *(a.code for a in ancestors)}),
        root=ancestors[0].code if ancestors else plan.code,
        target_group_indicator=str(inputs.get("target_group_indicator") or "").strip()
        or DEFAULT_TARGET_GROUP,
        reach_result=str(inputs.get("reach_result") or "").strip(), today=today)
