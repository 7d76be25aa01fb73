"""Reads from the area registry."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

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


# -- reads for the API: each in a fixed number of queries, whatever the number of areas --

def area_search(
    *, level: str | None = None, within: str | None = None, parent: str | None = None,
    year: int | None = None, q: str | None = None,
) -> QuerySet[Area]:
    """Areas by code, annotated with ``parent_code``; ``year`` keeps areas with a version
    in that classification year, ``q`` matches name or code case-insensitively."""
    qs = area_list(level=level, within=within)
    if parent:
        qs = qs.filter(parent__code=parent)
    if year is not None:
        qs = qs.filter(Exists(AreaVersion.objects.filter(area=OuterRef("pk"), year=year)))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.annotate(parent_code=F("parent__code")).order_by("code")


def area_versions(*, area: Area) -> QuerySet[AreaVersion]:
    """The area's versions, newest year first, without their (large) geometry."""
    return area.versions.order_by("-year").defer("geometry")


def area_child_codes(*, area: Area) -> list[str]:
    return list(Area.objects.filter(parent=area).order_by("code").values_list("code", flat=True))


def area_set_slugs_of(*, area: Area) -> list[str]:
    return list(area.area_sets.order_by("slug").values_list("slug", flat=True))


def area_geometries(
    *, area_ids: list[int], year: int | None = None
) -> dict[int, tuple[int, dict]]:
    """Area id to ``(year, GeoJSON geometry)`` in one query.

    With ``year``, the version of that classification year; without, the newest version
    that has a geometry (a year may bring names and figures but no borders). Areas without
    such a version are left out.
    """
    versions = AreaVersion.objects.filter(area_id__in=area_ids, geometry__isnull=False)
    if year is not None:
        versions = versions.filter(year=year)
    else:
        newest = (AreaVersion.objects.filter(area_id=OuterRef("area_id"),
                                             geometry__isnull=False)
                  .order_by("-year").values("year")[:1])
        versions = versions.filter(year=Subquery(newest))
    return {
        area_id: (version_year, geometry)
        for area_id, version_year, geometry in versions.values_list("area_id", "year",
                                                                    "geometry")
    }


def area_set_list() -> QuerySet[AreaSet]:
    """Area sets by name with their members' codes prefetched (two queries in all)."""
    members = Prefetch("members", queryset=Area.objects.only("code").order_by("code"))
    return AreaSet.objects.prefetch_related(members).order_by("name", "slug")


def area_set_get(*, slug: str) -> AreaSet | None:
    return area_set_list().filter(slug=slug).first()


def area_set_members(*, area_set: AreaSet) -> QuerySet[Area]:
    return area_set.members.annotate(parent_code=F("parent__code")).order_by("code")


def area_detail(*, code: str) -> dict | None:
    """One area with its versions (no geometry), child codes and area sets: four queries."""
    area = Area.objects.annotate(parent_code=F("parent__code")).filter(code=code).first()
    if area is None:
        return None
    return {
        "pk": area.pk, "code": area.code, "name": area.name, "level": area.level,
        "parent_code": area.parent_code, "gemeentecode": area.gemeentecode,
        "latest_year": area.latest_year, "versions": list(area_versions(area=area)),
        "children": area_child_codes(area=area), "area_sets": area_set_slugs_of(area=area),
    }
