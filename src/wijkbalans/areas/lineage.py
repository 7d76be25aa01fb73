"""Area lineage: where an area of one classification year continues in a later year.

For the areas of one level (buurten with buurten, wijken with wijken) that have a
geometry in both years, each old area is overlaid (in RD New, so areas are in m²) with
the new areas it touches. For an old area *A* and a new area *B*:

* ``share`` = area(A ∩ B) / area(A): the part of A that lies in B. Shares below
  ``min_share`` (1%) are dropped.
* A and B **match** when A's largest share goes to B and both area(A ∩ B) / area(A) and
  area(A ∩ B) / area(B) are at least ``match`` (95%). A match under the same code needs no
  row; under another code it is ``recoded``.
* Otherwise every remaining overlap is a row: ``split`` when A continues in several new
  areas each made of A alone, ``merged`` when A continues in one new area only, which also
  takes in other old areas, ``redrawn`` for a one-to-one overlap whose borders moved and for
  many-to-many overlaps.

Two maps of the same year rarely agree to the metre: CBS's generalised maps (the GeoJSON
with coordinates at 0.001°) move borders by up to a few hundred metres. ``tolerance``
(metres, default 0) sets the width below which an overlap counts as such a drawing
difference rather than a moved border: an overlap piece that a disc of that diameter does
not fit in (it vanishes when shrunk by half the tolerance) is left out, as is such a thin
strip of an area that no area of the other year covers (an outer edge drawn differently),
and the shares are taken of the rest of the old area. Where every overlap of an area is
that thin (an area narrower than the tolerance), the geometry cannot tell where it went:
the overlap with the area of the same code is kept if there is one, else the largest.

:func:`lineage_links` is the geometry alone (shapely geometries in, tuples out);
:func:`lineage_derive` reads the registry, writes :class:`~.models.AreaLineage` rows
idempotently and records one audit entry. See docs/adr/0002-areas-by-code.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import shapely
from django.db import transaction
from shapely import geometry as sg

from wijkbalans.accounts.audit import audit_record

from . import codes
from .geometry import RD_NEW, WGS84, transformer
from .models import AreaLineage, AreaVersion

MATCH = 0.95
MIN_SHARE = 0.01
LEVELS = (codes.GEMEENTE, codes.WIJK, codes.BUURT)


class LineageError(ValueError):
    """Lineage cannot be derived as asked."""


@dataclass(frozen=True)
class LineageLink:
    from_code: str
    to_code: str
    kind: str
    share: float
    from_name: str = ""
    to_name: str = ""

    def key(self) -> tuple[str, str]:
        return self.from_code, self.to_code


def lineage_links(
    old: Mapping[str, object], new: Mapping[str, object], *, tolerance: float = 0.0,
    match: float = MATCH, min_share: float = MIN_SHARE,
) -> list[tuple[str, str, str, float]]:
    """``(from_code, to_code, kind, share)`` for old and new polygons in a metric system.

    >>> from shapely.geometry import box
    >>> lineage_links({"BU00000001": box(0, 0, 2, 1)},
    ...               {"BU00000002": box(0, 0, 1, 1), "BU00000003": box(1, 0, 2, 1)})
    [('BU00000001', 'BU00000002', 'split', 0.5), ('BU00000001', 'BU00000003', 'split', 0.5)]
    """
    old_codes, new_codes = list(old), list(new)
    if not old_codes or not new_codes:
        return []
    old_geoms = np.array([old[c] for c in old_codes], dtype=object)
    new_geoms = np.array([new[c] for c in new_codes], dtype=object)
    i, j = shapely.STRtree(new_geoms).query(old_geoms, predicate="intersects")
    pieces = shapely.intersection(old_geoms[i], new_geoms[j])
    area = shapely.area(pieces)
    keep = area > 0  # borders that only touch
    i, j, pieces, area = i[keep], j[keep], pieces[keep], area[keep]
    thin = np.zeros(len(area), dtype=bool)
    if tolerance > 0 and len(area):
        thin = shapely.is_empty(shapely.buffer(pieces, -tolerance / 2.0))
        # An area narrower than the tolerance keeps one overlap, where the geometry cannot
        # tell more: the one under its own code if there is one, else its largest.
        same_code = np.array([old_codes[a] == new_codes[b] for a, b in zip(i, j, strict=True)],
                             dtype=bool)
        order = np.lexsort((-area, ~same_code, i))
        first = order[np.r_[True, i[order][1:] != i[order][:-1]]]
        all_thin = np.bincount(i, weights=~thin, minlength=len(old_codes)) == 0
        thin[first[all_thin[i[first]]]] = False
    old_area, new_area = shapely.area(old_geoms), shapely.area(new_geoms)
    old_base = old_area - np.bincount(i, weights=area * thin, minlength=len(old_codes))
    new_base = new_area - np.bincount(j, weights=area * thin, minlength=len(new_codes))
    if tolerance > 0 and len(area):
        old_base -= _thin_rest(old_geoms, i, pieces, tolerance)
        new_base -= _thin_rest(new_geoms, j, pieces, tolerance)
    new_base = np.where(new_base > 0, new_base, new_area)
    out_share, in_share = area / old_base[i], area / new_base[j]
    kept = ~thin & (out_share >= min_share)
    targets: dict[int, list[int]] = {}
    sources: dict[int, int] = {}
    for k in np.flatnonzero(kept):
        targets.setdefault(int(i[k]), []).append(int(k))
        sources[int(j[k])] = sources.get(int(j[k]), 0) + 1
    rows = []
    for a, found in sorted(targets.items()):
        best = max(found, key=lambda k: out_share[k])
        if out_share[best] >= match and in_share[best] >= match:
            if new_codes[j[best]] != old_codes[a]:
                rows.append((old_codes[a], new_codes[j[best]], "recoded",
                             round(float(out_share[best]), 4)))
            continue
        for k in sorted(found, key=lambda k: new_codes[j[k]]):
            many_out, many_in = len(found) > 1, sources[int(j[k])] > 1
            kind = ("split" if many_out and not many_in else
                    "merged" if many_in and not many_out else "redrawn")
            rows.append((old_codes[a], new_codes[j[k]], kind, round(float(out_share[k]), 4)))
    return rows


def _thin_rest(geoms: np.ndarray, owner: np.ndarray, pieces: np.ndarray,
               tolerance: float) -> np.ndarray:
    """Per geometry, the area of the part no overlap covers where that part is thin: an
    edge of the map drawn a little differently, not land the other year leaves out."""
    covered = np.bincount(owner, weights=shapely.area(pieces), minlength=len(geoms))
    rest = np.zeros(len(geoms))
    for n in np.flatnonzero(shapely.area(geoms) - covered > 1.0):
        uncovered = geoms[n].difference(shapely.union_all(pieces[owner == n]))
        if shapely.is_empty(uncovered.buffer(-tolerance / 2.0)):
            rest[n] = uncovered.area
    return rest


def _versions(year: int, level: str, within: str | None) -> dict[str, tuple[str, object]]:
    """Code to (name, geometry in RD New) for the areas of a level with a geometry."""
    qs = AreaVersion.objects.filter(year=year, area__level=level, geometry__isnull=False)
    if within:
        qs = qs.filter(area__gemeentecode=within)
    rows = list(qs.values_list("area__code", "name", "geometry"))
    if not rows:
        return {}
    shapes = np.array([sg.shape(g) for _, _, g in rows], dtype=object)
    project = transformer(WGS84, RD_NEW).transform
    rd = shapely.transform(shapes, lambda xy: np.column_stack(project(xy[:, 0], xy[:, 1])))
    rd = shapely.make_valid(rd)  # projection can make a near-touching ring cross itself
    return {code: (name, geom) for (code, name, _), geom in zip(rows, rd, strict=True)}


def lineage_compute(*, from_year: int, to_year: int, within: str | None = None,
                    level: str | None = None, tolerance: float = 0.0
                    ) -> tuple[list[LineageLink], set[str]]:
    """The links between two years and the old codes they were derived for; no writes."""
    if from_year >= to_year:
        raise LineageError(f"--from ({from_year}) must be an earlier year than --to ({to_year})")
    if within and codes.level_of(within) != codes.GEMEENTE:
        raise LineageError(f"--within takes a gemeente code such as GM0014, not {within!r}")
    if level and level not in LEVELS:
        raise LineageError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if tolerance < 0:
        raise LineageError("the tolerance is a distance in metres, 0 or more")
    links: list[LineageLink] = []
    considered: set[str] = set()
    for lvl in [level] if level else LEVELS:
        old = _versions(from_year, lvl, within)
        new = _versions(to_year, lvl, None) if old else {}
        if not new:
            continue
        considered |= set(old)
        rows = lineage_links({c: g for c, (_, g) in old.items()},
                             {c: g for c, (_, g) in new.items()}, tolerance=tolerance)
        links += [LineageLink(f, t, kind, share, old[f][0], new[t][0])
                  for f, t, kind, share in rows]
    if not considered:
        where = f" in {within}" if within else ""
        raise LineageError(f"no areas{where} have a geometry in both {from_year} and "
                           f"{to_year} (import the boundaries of both years first)")
    return links, considered


@transaction.atomic
def lineage_derive(*, from_year: int, to_year: int, within: str | None = None,
                   level: str | None = None, tolerance: float = 0.0,
                   acting_user=None) -> list[LineageLink]:
    """Derive and store the lineage from ``from_year`` to ``to_year``.

    Replaces the stored rows of the old areas considered (those of ``within`` and
    ``level`` when given); a run that would change nothing writes nothing, not even an
    audit entry.
    """
    links, considered = lineage_compute(from_year=from_year, to_year=to_year, within=within,
                                        level=level, tolerance=tolerance)
    stored = {(r.from_code, r.to_code): r for r in AreaLineage.objects.filter(
        from_year=from_year, to_year=to_year, from_code__in=considered)}
    wanted = {link.key(): link for link in links}
    stale = [r for key, r in stored.items() if key not in wanted]
    changed = [(stored[key], link) for key, link in wanted.items()
               if key in stored and (stored[key].kind, stored[key].share)
               != (link.kind, link.share)]
    added = [link for key, link in wanted.items() if key not in stored]
    if not (stale or changed or added):
        return links
    before = [[r.from_code, r.to_code, r.kind, r.share] for r in stale] + [
        [r.from_code, r.to_code, r.kind, r.share] for r, _ in changed]
    after = [[k.from_code, k.to_code, k.kind, k.share] for k in added] + [
        [k.from_code, k.to_code, k.kind, k.share] for _, k in changed]
    AreaLineage.objects.filter(pk__in=[r.pk for r in stale]).delete()
    for row, link in changed:
        row.kind, row.share = link.kind, link.share
    AreaLineage.objects.bulk_update([row for row, _ in changed], ["kind", "share"])
    AreaLineage.objects.bulk_create([
        AreaLineage(from_code=link.from_code, from_year=from_year, to_code=link.to_code,
                    to_year=to_year, kind=link.kind, share=link.share) for link in added])
    counts = {kind: sum(1 for link in links if link.kind == kind)
              for kind in AreaLineage.Kind.values}
    audit_record(
        acting_user=acting_user, action="area_lineage.derive", object_type="areas.arealineage",
        object_id=f"{from_year}-{to_year}",
        object_repr=f"lineage {from_year} to {to_year}" + (f" within {within}" if within else ""),
        before={"rows": before},
        after={"settings": {"level": level, "within": within, "tolerance": tolerance},
               "counts": counts, "rows": after},
    )
    return links


def links_as_dicts(links: list[LineageLink]) -> list[dict]:
    return [asdict(link) for link in links]
