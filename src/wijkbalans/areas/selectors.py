"""Reads from the area registry."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Area, AreaSet, AreaVersion


def area_code_map(*, codes: set[str] | None = None) -> dict[str, int]:
    """Area code to primary key, for all areas or the given codes, in one query."""
    qs = Area.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return dict(qs.values_list("code", "pk"))


def area_list(*, level: str | None = None, within: str | None = None) -> QuerySet[Area]:
    qs = Area.objects.all()
    if level:
        qs = qs.filter(level=level)
    if within:
        qs = qs.filter(gemeentecode=within)
    return qs


def area_latest_version(*, area: Area) -> AreaVersion | None:
    return area.versions.order_by("-year").first()


def area_set_member_codes(*, area_set: AreaSet) -> list[str]:
    return sorted(area_set.members.values_list("code", flat=True))
