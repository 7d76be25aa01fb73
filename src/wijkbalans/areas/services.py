"""Writes to the area registry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from wijkbalans.accounts.audit import audit_record

from . import codes
from .models import Area, AreaSet, AreaVersion


@dataclass(frozen=True)
class RegisterCounts:
    created: int
    updated: int
    unchanged: int


def _ensure_country() -> Area:
    country, _ = Area.objects.get_or_create(
        code=codes.COUNTRY_CODE, defaults={"level": codes.LAND, "name": "Nederland"}
    )
    return country


def areas_register(*, records: Iterable, batch=None) -> RegisterCounts:
    """Create or update areas and their version for the records' classification year.

    ``records`` are :class:`~wijkbalans.indicators.importers.base.AreaRecord`. Runs inside
    the caller's transaction (an import); the caller writes the audit entry for the batch.
    A version that a record leaves without geometry keeps the geometry it had.
    """
    records = list(records)
    if not records:
        return RegisterCounts(0, 0, 0)
    _ensure_country()
    by_code = {a.code: a for a in Area.objects.filter(code__in={r.code for r in records})}
    new_areas = []
    for record in records:
        if record.code not in by_code:
            area = Area(code=record.code, level=record.level, name=record.name,
                        gemeentecode=codes.gemeente_of(record.code) or "",
                        latest_year=record.year)
            new_areas.append(area)
            by_code[record.code] = area
    Area.objects.bulk_create(new_areas)
    by_code = {a.code: a for a in Area.objects.filter(code__in=set(by_code))}

    touched_areas = []
    for record in records:
        area = by_code[record.code]
        if area.latest_year is None or record.year >= area.latest_year:
            if (area.name, area.latest_year) != (record.name, record.year):
                area.name, area.latest_year = record.name, record.year
                touched_areas.append(area)
    Area.objects.bulk_update(touched_areas, ["name", "latest_year"], batch_size=2000)

    versions = {
        (v.area_id, v.year): v
        for v in AreaVersion.objects.filter(
            area__in=[by_code[r.code] for r in records], year__in={r.year for r in records}
        )
    }
    created, updated, unchanged = [], [], 0
    fields = ["name", "parent_code", "geometry", "centroid_lon", "centroid_lat", "land_area_ha"]
    for record in records:
        area = by_code[record.code]
        wanted = {
            "name": record.name,
            "parent_code": record.parent_code or codes.parent_of(record.code) or "",
        }
        if record.geometry is not None:
            wanted["geometry"] = record.geometry
            wanted["centroid_lon"], wanted["centroid_lat"] = record.centroid or (None, None)
            wanted["land_area_ha"] = record.land_area_ha
        elif record.land_area_ha is not None:
            wanted["land_area_ha"] = record.land_area_ha
        version = versions.get((area.pk, record.year))
        if version is None:
            created.append(AreaVersion(area=area, year=record.year, batch=batch, **wanted))
        elif any(getattr(version, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(version, k, v)
            version.batch = batch
            updated.append(version)
        else:
            unchanged += 1
    AreaVersion.objects.bulk_create(created, batch_size=2000)
    AreaVersion.objects.bulk_update(updated, fields + ["batch"], batch_size=500)
    _link_parents()
    return RegisterCounts(len(new_areas), len(updated) + len(touched_areas), unchanged)


def _link_parents() -> None:
    """Point every area without a parent at the area its code names, where that exists."""
    orphans = list(Area.objects.filter(parent__isnull=True).exclude(level=codes.LAND))
    wanted = {a.code: codes.parent_of(a.code) for a in orphans}
    parents = {p.code: p.pk for p in Area.objects.filter(code__in=set(wanted.values()) - {None})}
    linked = []
    for area in orphans:
        parent_id = parents.get(wanted[area.code] or "")
        if parent_id:
            area.parent_id = parent_id
            linked.append(area)
    Area.objects.bulk_update(linked, ["parent"], batch_size=2000)


class AreaSetError(ValueError):
    """An area set cannot be saved as asked."""


def _resolve_members(member_codes: Iterable[str]) -> list[Area]:
    wanted = [codes.normalise(c) for c in member_codes]
    found = {a.code: a for a in Area.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise AreaSetError(f"unknown area code(s): {', '.join(unknown)}")
    not_buurt = [c for c in wanted if found[c].level != codes.BUURT]
    if not_buurt:
        raise AreaSetError(f"an area set holds buurten only; not a buurt: {', '.join(not_buurt)}")
    return [found[c] for c in wanted]


@transaction.atomic
def area_set_save(
    *, slug: str, name: str, member_codes: Iterable[str], description: str = "",
    acting_user=None,
) -> AreaSet:
    """Create the area set ``slug`` or replace its name, description and members."""
    members = _resolve_members(member_codes)
    if not members:
        raise AreaSetError("an area set needs at least one buurt")
    area_set = AreaSet.objects.filter(slug=slug).first()
    before = None
    if area_set is not None:
        before = {"name": area_set.name, "description": area_set.description,
                  "members": sorted(area_set.members.values_list("code", flat=True))}
    after = {"name": name, "description": description, "members": sorted(a.code for a in members)}
    if before == after:
        return area_set
    if area_set is None:
        area_set = AreaSet.objects.create(slug=slug, name=name, description=description)
    else:
        area_set.name, area_set.description = name, description
        area_set.save(update_fields=["name", "description", "updated_at"])
    area_set.members.set(members)
    audit_record(acting_user=acting_user, action="area_set.save", obj=area_set,
                 before=before, after=after)
    return area_set


@transaction.atomic
def area_set_delete(*, area_set: AreaSet, acting_user=None) -> None:
    before = {"slug": area_set.slug, "name": area_set.name,
              "members": sorted(area_set.members.values_list("code", flat=True))}
    pk = area_set.pk
    label = str(area_set)
    area_set.delete()
    audit_record(acting_user=acting_user, action="area_set.delete", object_type="areas.areaset",
                 object_id=str(pk), object_repr=label, before=before)
