"""The map of Demostad, a fictitious municipality: outline, wijken and buurten.

Demostad (``GM9999``, a code CBS does not use) is drawn in RD New (EPSG:28992) around
:data:`CENTRE_RD`. Its outline is a circle of radius :data:`RADIUS_M` whose edge is
bent by a few low-frequency waves. The 8 wijken are the Voronoi cells of one central and
seven ring points, clipped to the outline; each wijk is split into its buurten by the
Voronoi cells of points drawn inside it. A wijk's geometry is the union of its buurten,
the gemeente's the union of its wijken, so the hierarchy nests exactly. Geometries leave
this module as GeoJSON in WGS84 (the store's format), with coordinates rounded to 6
decimals (about 0.1 m) so the same seed gives byte-identical output.

Codes follow CBS: wijk = gemeente + 2 digits (``WK999900``..``WK999907``), buurt = wijk
+ 2 digits (``BU99990000``..). Names are invented; the gemeente is called
"Demostad (fictief)" so nobody takes the figures for a real place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely import geometry as sg

from wijkbalans.areas import codes
from wijkbalans.areas.geometry import RD_NEW, summarise, to_wgs84
from wijkbalans.indicators.importers.base import AreaRecord

GEMEENTECODE = "GM9999"
GEMEENTE_NAME = "Demostad (fictief)"
CLASSIFICATION_YEAR = 2024
CENTRE_RD = (190_000.0, 560_000.0)
RADIUS_M = 3_600.0
# Buurten per wijk, in wijk code order: 40 in all.
BUURTEN_PER_WIJK = (5, 6, 5, 5, 4, 5, 5, 5)
# The wijk at the centre first, then the ring clockwise from the north.
WIJK_NAMES = ("Centrum", "Noorderkwartier", "Esdonk", "Oosterpark", "Beekdal",
              "Zuiderhage", "Westerbroek", "Molenwijk")
BUURT_NAMES = (
    "Binnenstad", "Stationskwartier", "Havenkwartier", "Kerkbuurt", "Vismarkt",
    "Noorderpoort", "Vogelbuurt", "Bloemenbuurt", "Hofstede", "De Akkers", "Lindenhof",
    "Esdonk-Noord", "Esdonk-Zuid", "Schildersbuurt", "Dichtersbuurt", "De Kampen",
    "Oosterpark", "Parkzicht", "Muziekbuurt", "Rozenhof", "De Weiden",
    "Beekdal", "Watermolen", "Het Broek", "Sterrenbuurt",
    "Zuiderhage", "De Gaarden", "Boomgaard", "Kastanjelaan", "Heidepark",
    "Westerbroek", "Rietland", "De Schans", "Bedrijventerrein De Vaart", "Eikenlaan",
    "Molenwijk", "Korenbloem", "De Horst", "Vlasakker", "Buitenveld",
)
# A small industrial buurt with fewer than 50 residents: its rates are suppressed.
INDUSTRIAL_BUURT_NAME = "Bedrijventerrein De Vaart"
# The programme area: the northernmost buurten, where problems stack up.
PROGRAMME_SLUG = "demostad-noord"
PROGRAMME_NAME = "Demostad-Noord"
PROGRAMME_SIZE = 9


@dataclass(frozen=True)
class Geography:
    """The areas of Demostad: one row per buurt, plus the records to register."""

    buurten: pd.DataFrame  # code, name, wijk, x, y (RD centroid), programme, industrial
    records: list[AreaRecord]  # gemeente, wijken, buurten, with WGS84 GeoJSON

    @property
    def programme_codes(self) -> list[str]:
        return self.buurten.loc[self.buurten["programme"], "code"].tolist()

    @property
    def industrial_code(self) -> str:
        return self.buurten.loc[self.buurten["industrial"], "code"].item()


def _outline(rng: np.random.Generator) -> sg.Polygon:
    """A circle whose radius wobbles by a sum of three low-frequency waves (±12%)."""
    theta = np.linspace(0.0, 2 * np.pi, 96, endpoint=False)
    radius = np.full_like(theta, RADIUS_M)
    for k in (2, 3, 5):
        radius += RADIUS_M * rng.uniform(0.02, 0.05) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    cx, cy = CENTRE_RD
    return sg.Polygon(np.column_stack([cx + radius * np.sin(theta), cy + radius * np.cos(theta)]))


def _voronoi(points: np.ndarray, clip: sg.base.BaseGeometry) -> list[sg.base.BaseGeometry]:
    """The Voronoi cell of each point (in input order), clipped to ``clip``."""
    cells = shapely.voronoi_polygons(sg.MultiPoint(points), extend_to=clip, ordered=True)
    return [shapely.set_precision(cell.intersection(clip), 0.01) for cell in cells.geoms]


def _points_inside(rng: np.random.Generator, polygon, n: int, min_gap: float) -> np.ndarray:
    """``n`` random points in ``polygon`` at least ``min_gap`` apart (rejection sampling,
    relaxing the gap when the polygon is too small for it)."""
    minx, miny, maxx, maxy = polygon.bounds
    inner = polygon.buffer(-min_gap / 3)
    chosen: list[tuple[float, float]] = []
    gap = min_gap
    tries = 0
    while len(chosen) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        tries += 1
        if tries % 400 == 0:
            gap *= 0.85
        if not inner.contains(sg.Point(x, y)):
            continue
        if all((x - a) ** 2 + (y - b) ** 2 >= gap ** 2 for a, b in chosen):
            chosen.append((x, y))
    # Sort north to south, then west to east, so buurt codes run in a readable order.
    chosen.sort(key=lambda p: (-round(p[1], -2), p[0]))
    return np.array(chosen)


def _wijk_cells(rng: np.random.Generator, outline: sg.Polygon) -> list[sg.base.BaseGeometry]:
    cx, cy = CENTRE_RD
    ring = len(BUURTEN_PER_WIJK) - 1
    angles = np.arange(ring) * 2 * np.pi / ring + rng.uniform(-0.15, 0.15, ring)
    radii = RADIUS_M * rng.uniform(0.55, 0.7, ring)
    seeds = np.vstack([[cx + rng.uniform(-150, 150), cy + rng.uniform(-150, 150)],
                       np.column_stack([cx + radii * np.sin(angles),
                                        cy + radii * np.cos(angles)])])
    return _voronoi(seeds, outline)


def _geojson(geom_rd) -> tuple[dict, tuple[float, float], float]:
    """GeoJSON (WGS84, lists not tuples, so a stored copy compares equal), centroid, ha."""
    wgs = shapely.set_precision(to_wgs84(geom_rd, RD_NEW), 1e-6)
    centroid, hectares = summarise(wgs)
    return json.loads(shapely.to_geojson(wgs)), centroid, hectares


def build_geography(rng: np.random.Generator) -> Geography:
    """Draw Demostad. Deterministic for a given generator state."""
    outline = _outline(rng)
    wijk_cells = _wijk_cells(rng, outline)
    rows, buurt_geoms = [], []
    for w, (cell, n) in enumerate(zip(wijk_cells, BUURTEN_PER_WIJK, strict=True)):
        wijk_code = f"WK{GEMEENTECODE[2:]}{w:02d}"
        gap = np.sqrt(cell.area / n) * 0.6
        points = _points_inside(rng, cell, n, gap)
        for b, buurt_cell in enumerate(_voronoi(points, cell)):
            rows.append({"code": f"BU{wijk_code[2:]}{b:02d}", "wijk": wijk_code,
                         "x": buurt_cell.centroid.x, "y": buurt_cell.centroid.y})
            buurt_geoms.append(buurt_cell)
    buurten = pd.DataFrame(rows)
    buurten.insert(1, "name", list(BUURT_NAMES[:len(buurten)]))
    buurten["industrial"] = buurten["name"] == INDUSTRIAL_BUURT_NAME
    northern = buurten[~buurten["industrial"]].nlargest(PROGRAMME_SIZE, "y")["code"]
    buurten["programme"] = buurten["code"].isin(northern)

    records: list[AreaRecord] = []
    wijk_geoms = []
    for w, name in enumerate(WIJK_NAMES):
        wijk_code = f"WK{GEMEENTECODE[2:]}{w:02d}"
        members = [g for g, c in zip(buurt_geoms, buurten["wijk"], strict=True) if c == wijk_code]
        wijk_geoms.append(shapely.union_all(members, grid_size=0.01))
        records.append(_record(wijk_code, name, wijk_geoms[-1]))
    records.insert(0, _record(GEMEENTECODE, GEMEENTE_NAME,
                              shapely.union_all(wijk_geoms, grid_size=0.01)))
    for row, geom in zip(buurten.itertuples(index=False), buurt_geoms, strict=True):
        records.append(_record(row.code, row.name, geom))
    return Geography(buurten=buurten, records=records)


def _record(code: str, name: str, geom_rd) -> AreaRecord:
    geometry, centroid, hectares = _geojson(geom_rd)
    return AreaRecord(code=code, name=name, level=codes.level_of(code),
                      year=CLASSIFICATION_YEAR, parent_code=codes.parent_of(code) or "",
                      geometry=geometry, centroid=centroid, land_area_ha=hectares)
