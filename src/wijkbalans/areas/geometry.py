"""Geometry with shapely and pyproj: WGS84 for the map, RD New (EPSG:28992) for areas.

No GDAL: GeoJSON in, GeoJSON out (see docs/adr/0003-geometry-without-gdal.md).
"""

from __future__ import annotations

from functools import lru_cache

import shapely
from pyproj import Transformer
from shapely import geometry as sg

WGS84 = "EPSG:4326"
RD_NEW = "EPSG:28992"
# The Netherlands in RD New, with a margin: a coordinate outside is in another system.
RD_BOUNDS = (-10_000.0, 290_000.0, 310_000.0, 650_000.0)
# The Netherlands in WGS84 (lon, lat), with a margin.
WGS84_BOUNDS = (2.8, 50.5, 7.5, 54.0)


@lru_cache(maxsize=4)
def transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_wgs84(geom: sg.base.BaseGeometry, crs: str) -> sg.base.BaseGeometry:
    if crs == WGS84:
        return geom
    return shapely.transform(geom, transformer(crs, WGS84).transform, interleaved=False)


def to_rd(geom: sg.base.BaseGeometry, crs: str = WGS84) -> sg.base.BaseGeometry:
    if crs == RD_NEW:
        return geom
    return shapely.transform(geom, transformer(crs, RD_NEW).transform, interleaved=False)


def within_bounds(geom: sg.base.BaseGeometry, crs: str) -> bool:
    """Whether the geometry lies in the Netherlands as drawn in ``crs``."""
    minx, miny, maxx, maxy = geom.bounds
    bx0, by0, bx1, by1 = RD_BOUNDS if crs == RD_NEW else WGS84_BOUNDS
    return bx0 <= minx and maxx <= bx1 and by0 <= miny and maxy <= by1


def summarise(geom_wgs84: sg.base.BaseGeometry) -> tuple[tuple[float, float], float]:
    """The centroid (lon, lat) and the area in hectares (computed in RD New)."""
    rd = to_rd(geom_wgs84)
    centre = to_wgs84(rd.centroid, RD_NEW)
    return (round(centre.x, 6), round(centre.y, 6)), round(rd.area / 10_000.0, 2)
