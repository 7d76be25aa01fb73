"""Writes to the area registry."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import ForeignKey, JSONField

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


_LEVEL_ORDER = {codes.LAND: 0, codes.GEMEENTE: 1, codes.WIJK: 2, codes.BUURT: 3}
# Above this many codes, reading the whole registry is cheaper than a giant IN (...).
_WHOLE_TABLE = 2000


def _areas_by_code(wanted: set[str]):
    qs = Area.objects.all() if len(wanted) > _WHOLE_TABLE else Area.objects.filter(
        code__in=wanted)
    return qs


def areas_register(*, records: Iterable, batch=None) -> RegisterCounts:
    """Create or update areas and their version for the records' classification year.

    ``records`` are :class:`~wijkbalans.indicators.importers.base.AreaRecord`. Runs inside
    the caller's transaction (an import); the caller writes the audit entry for the batch.
    A version that a record leaves without geometry keeps the geometry it had. New areas
    are created level by level (gemeenten before their wijken before their buurten), so
    each gets its parent at creation: a national file of 18,000 areas needs no row-by-row
    update.
    """
    records = sorted(records, key=lambda r: (_LEVEL_ORDER.get(r.level, 9), r.code))
    if not records:
        return RegisterCounts(0, 0, 0)
    country = _ensure_country()
    wanted_codes = {r.code for r in records}
    parent_codes = {codes.parent_of(r.code) for r in records} - {None}
    ids = dict(_areas_by_code(wanted_codes | parent_codes).values_list("code", "pk"))
    ids[country.code] = country.pk
    created_count = 0
    created_codes: set[str] = set()
    for level in sorted({r.level for r in records}, key=lambda lv: _LEVEL_ORDER.get(lv, 9)):
        new_areas = []
        for record in records:
            if record.level != level or record.code in ids:
                continue
            new_areas.append(Area(
                code=record.code, level=record.level, name=record.name,
                gemeentecode=codes.gemeente_of(record.code) or "", latest_year=record.year,
                parent_id=ids.get(codes.parent_of(record.code) or ""),
            ))
            ids[record.code] = -1  # placeholder until created: a duplicate is not created twice
        _insert(Area, new_areas)
        created_count += len(new_areas)
        created_codes.update(a.code for a in new_areas)
        new_codes = {a.code for a in new_areas}
        ids.update((code, pk) for code, pk in _areas_by_code(new_codes).values_list("code", "pk")
                   if code in new_codes)
    by_code = {a.code: a for a in _areas_by_code(wanted_codes) if a.code in wanted_codes}

    touched_areas = []
    for record in records:
        area = by_code[record.code]
        if area.latest_year is None or record.year >= area.latest_year:
            if (area.name, area.latest_year) != (record.name, record.year):
                area.name, area.latest_year = record.name, record.year
                touched_areas.append(area)
    Area.objects.bulk_update(touched_areas, ["name", "latest_year"], batch_size=2000)

    years = {r.year for r in records}
    version_qs = AreaVersion.objects.filter(year__in=years)
    if len(by_code) <= _WHOLE_TABLE:
        version_qs = version_qs.filter(area_id__in=[a.pk for a in by_code.values()])
    area_pks = {a.pk for a in by_code.values()}
    versions = {(v.area_id, v.year): v for v in version_qs if v.area_id in area_pks}
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
    _insert(AreaVersion, created)
    AreaVersion.objects.bulk_update(updated, fields + ["batch"], batch_size=500)
    if created_count:
        _link_orphans(wanted_codes)
    # An existing area that gets a new year's version, a changed version, or a new name
    # counts as updated (once).
    new_pks = {by_code[c].pk for c in created_codes}
    changed = ({v.area_id for v in updated} | {a.pk for a in touched_areas}
               | ({v.area_id for v in created} - new_pks))
    return RegisterCounts(created_count, len(changed), unchanged)


def _insert(model, objects: list) -> None:
    """INSERT the objects in one executemany. ``bulk_create`` compiles one large statement
    per 2,000 rows, which for a national file's 18,000 areas and versions costs seconds;
    the objects here are new rows whose ids are read back by code afterwards."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    postgres = connection.vendor == "postgresql"
    placeholders = ", ".join(
        "%s::jsonb" if postgres and isinstance(f, JSONField) else "%s" for f in fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rows = []
    for obj in objects:
        row = []
        for f in fields:
            value = getattr(obj, f.attname)
            if isinstance(f, JSONField):
                value = None if value is None else json.dumps(value)
            elif value is not None and not isinstance(f, ForeignKey):
                value = f.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({placeholders})",  # noqa: S608 -- names from the model
            rows)


def _link_orphans(new_codes: set[str]) -> None:
    """Areas created earlier without their parent (it did not exist yet) that are the
    children of an area created now: point them at it."""
    parents = {code: pk for code, pk in _areas_by_code(new_codes).values_list("code", "pk")
               if code in new_codes}
    orphans = Area.objects.filter(parent__isnull=True).exclude(level=codes.LAND).only("code")
    linked = []
    for area in orphans:
        parent_id = parents.get(codes.parent_of(area.code) or "")
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
