"""``wijkbalans import boundaries FILE``: area names and geometry for one classification year.

Reads the CBS wijk- en buurtkaart (and files like it) as GeoJSON, a zipped ESRI shapefile
or a CSV with a WKT column (see :mod:`.geofiles` for the formats) and registers each
feature as an :class:`~.base.AreaRecord`: code, name, level, year, geometry (GeoJSON in
WGS84, coordinates rounded to 6 decimals, about 0.1 m), centroid and area in hectares
(computed in RD New). It brings no figures: numeric attributes such as ``AANT_INW`` are
left alone (``wijkbalans import kwb`` imports those). See docs/importers/boundaries.md.

Rules followed:

* **Code and name**: ``--code-field``/``--name-field``, else the first column of
  ``statcode``, ``BU_CODE``, ``WK_CODE``, ``GM_CODE``, ``code`` and its name column
  (``statnaam``, ``BU_NAAM``, ``WK_NAAM``, ``GM_NAAM``, ``naam``). Codes must be CBS codes
  (``GM0014``, ``WK001404``, ``BU00140402``), one feature per code.
* **Year**: ``--year``, else the year of ``jrstatcode`` (``2022BU00140000``); the two must
  agree where both are there.
* **Coordinate system**: ``--crs EPSG:4326|EPSG:28992``, else what the file declares
  (``.prj``, GeoJSON ``crs``), else the system in whose Dutch bounds the coordinates fall.
  A geometry outside the Netherlands in the chosen system is a problem, with a hint when
  it fits the other system or has longitude and latitude swapped.
* **Geometry**: made valid (``shapely.make_valid``); it must be a Polygon or
  MultiPolygon. Points and lines are problems, not silently dropped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

from wijkbalans.areas import codes
from wijkbalans.areas.geometry import RD_BOUNDS, RD_NEW, WGS84, WGS84_BOUNDS

from .base import AreaRecord, ImportFailed, Parsed, Problem, Progress, file_label
from .geofiles import (
    POLYGONAL,
    Layer,
    LayerUnreadable,
    fits,
    polygonal,
    read_layer,
    summarise_all,
    to_wgs84_all,
)

KIND = "boundaries"
HELP = ("Area boundaries (GeoJSON, zipped shapefile, or CSV with WKT): names, geometry, "
        "centroid and area of gemeenten, wijken and buurten for one classification year")

# Code columns in the order they are tried, with the name column that goes with each.
FIELD_PAIRS = [("statcode", "statnaam"), ("bu_code", "bu_naam"), ("wk_code", "wk_naam"),
               ("gm_code", "gm_naam"), ("code", "naam")]
CRS_OPTIONS = {"EPSG:4326": WGS84, "4326": WGS84, "EPSG:28992": RD_NEW, "28992": RD_NEW}
GRID = 1e-6  # degrees: 6 decimals, about 0.1 m
_JRSTATCODE = re.compile(r"^(\d{4})(?:GM|WK|BU)")
_UNNAMED = re.compile(r"^Unnamed: \d+$")  # pandas' name for a column without a header
_HINTS = {WGS84: "is the file in RD New (EPSG:28992)?",
          RD_NEW: "is the file in WGS84 longitude/latitude (EPSG:4326)?"}


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, default=None,
                        help="classification year (default: from jrstatcode, e.g. 2022BU...)")
    parser.add_argument("--crs", default="auto",
                        help="coordinate system of the file: EPSG:4326, EPSG:28992 or auto "
                             "(from the .prj, or from the coordinates; default)")
    parser.add_argument("--code-field", default=None,
                        help="attribute holding the CBS code (default: statcode, BU_CODE, "
                             "WK_CODE, GM_CODE or code)")
    parser.add_argument("--name-field", default=None,
                        help="attribute holding the name (default: the code's own, e.g. "
                             "statnaam, BU_NAAM, naam)")
    parser.add_argument("--geometry-field", default=None,
                        help="CSV only: column holding the WKT (default: geometry, wkt, geom)")


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    label = file_label(path)
    problems: list[Problem] = []
    crs_option = _crs_option(options.get("crs"), label, problems)
    year_option = _year_option(options.get("year"), label, problems)
    if problems:
        raise ImportFailed(problems)
    try:
        layer = read_layer(Path(path), label=label, geometry_field=options.get("geometry_field"))
    except LayerUnreadable as error:
        raise ImportFailed(error.problems) from None
    code_field, name_field = _fields(layer, options, label, problems)
    if problems:
        raise ImportFailed(problems)
    notes = list(layer.notes)
    year = _year(layer, year_option, label, problems, notes)
    area_codes = _codes(layer, code_field, label, problems)
    polygons = _polygons(layer, area_codes, label, problems)
    crs = _crs(layer, polygons, crs_option, notes)
    if crs is not None:
        _check_bounds(layer, polygons, area_codes, crs, label, problems)
    if problems:
        raise ImportFailed(problems)
    records = _records(layer, polygons, area_codes, name_field, year, crs, label, progress,
                       problems, notes)
    if problems:
        raise ImportFailed(problems)
    other = [f for f in layer.fields if f not in (code_field, name_field)
             and f.strip() and not _UNNAMED.match(f)]
    if other:
        notes.append(f"{len(other)} other attribute(s) such as {', '.join(other[:3])} were "
                     "not imported: boundaries bring names and geometry only; figures come "
                     "with their own importer (CBS figures: 'wijkbalans import kwb')")
    return Parsed(areas=records, notes=notes, require_known_areas=False)


def _crs_option(raw: object, label: str, problems: list[Problem]) -> str | None:
    text = str(raw or "auto").strip().upper()
    if text == "AUTO":
        return None
    if text not in CRS_OPTIONS:
        problems.append(Problem(file=label, column="--crs",
                                expected="EPSG:4326, EPSG:28992 or auto", found=str(raw)))
        return None
    return CRS_OPTIONS[text]


def _year_option(raw: object, label: str, problems: list[Problem]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        year = int(str(raw).strip())
    except ValueError:
        year = 0
    if not 1900 <= year <= 2100:
        problems.append(Problem(file=label, column="--year",
                                expected="a classification year such as 2022", found=str(raw)))
        return None
    return year


def _field(layer: Layer, wanted: str) -> str | None:
    by_lower = {f.lower(): f for f in reversed(layer.fields)}
    return by_lower.get(wanted.lower())


def _fields(layer: Layer, options: dict, label: str,
            problems: list[Problem]) -> tuple[str, str | None]:
    shown = ", ".join(layer.fields[:15]) + (" ..." if len(layer.fields) > 15 else "")
    code_field = name_field = None
    if options.get("code_field"):
        code_field = _field(layer, options["code_field"])
        if code_field is None:
            problems.append(Problem(file=label, column=options["code_field"],
                                    expected=f"an attribute {options['code_field']!r} "
                                    f"(--code-field); the attributes are: {shown}",
                                    found="no such attribute"))
    else:
        for code_name, name_name in FIELD_PAIRS:
            code_field = _field(layer, code_name)
            if code_field:
                name_field = _field(layer, name_name)
                break
        if code_field is None:
            problems.append(Problem(file=label, expected="an attribute with the CBS code ("
                                    + ", ".join(c for c, _ in FIELD_PAIRS)
                                    + ", or --code-field); the attributes are: " + shown,
                                    found="none of them"))
    if options.get("name_field"):
        name_field = _field(layer, options["name_field"])
        if name_field is None:
            problems.append(Problem(file=label, column=options["name_field"],
                                    expected=f"an attribute {options['name_field']!r} "
                                    f"(--name-field); the attributes are: {shown}",
                                    found="no such attribute"))
    return code_field or "", name_field


def _year(layer: Layer, year_option: int | None, label: str, problems: list[Problem],
          notes: list[str]) -> int:
    field = _field(layer, "jrstatcode")
    years: dict[int, int] = {}
    if field:
        for feature in layer.features:
            match = _JRSTATCODE.match(str(feature.properties.get(field) or "").strip())
            if match:
                years.setdefault(int(match.group(1)), feature.number)
    if len(years) > 1:
        problems.append(Problem(file=label, column=field, expected="one classification year "
                                "in jrstatcode", found=", ".join(map(str, sorted(years)))))
    if year_option is not None:
        if len(years) == 1 and year_option not in years:
            problems.append(Problem(file=label, column=field,
                                    expected=f"the year given with --year ({year_option})",
                                    found=f"{next(iter(years))} (row {next(iter(years.values()))}"
                                    ")"))
        return year_option
    if len(years) == 1:
        notes.append(f"classification year {next(iter(years))} from {field}")
        return next(iter(years))
    if not years:
        problems.append(Problem(file=label, column="--year", expected="the classification "
                                "year (--year): the file has no jrstatcode to take it from",
                                found="no year"))
    return 0


def _codes(layer: Layer, code_field: str, label: str, problems: list[Problem]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for feature in layer.features:
        raw = feature.properties.get(code_field)
        code = codes.normalise(raw) if raw is not None else ""
        result.append(code)
        if not code:
            problems.append(Problem(file=label, row=feature.number, column=code_field,
                                    expected="an area code", found="an empty value"))
        elif codes.level_of(code) is None:
            problems.append(Problem(file=label, row=feature.number, column=code_field,
                                    expected="a CBS area code such as GM0014, WK001404 or "
                                    "BU00140402", found=str(raw)))
        elif code in seen:
            problems.append(Problem(file=label, row=feature.number, column=code_field,
                                    expected=f"one feature per code ({code} is also in row "
                                    f"{seen[code]})", found=code))
        else:
            seen[code] = feature.number
    return result


def _polygons(layer: Layer, area_codes: list[str], label: str,
              problems: list[Problem]) -> list:
    """Each feature's geometry made valid and polygonal, or None (with a problem)."""
    result = []
    for feature, code in zip(layer.features, area_codes, strict=True):
        geom, where = feature.geometry, f" (area {code})" if code else ""
        if geom is None:
            problems.append(Problem(file=label, row=feature.number,
                                    column=layer.geometry_column,
                                    expected=f"a polygon geometry{where}",
                                    found=feature.geometry_found))
            result.append(None)
            continue
        if geom.geom_type not in POLYGONAL:
            problems.append(Problem(file=label, row=feature.number,
                                    column=layer.geometry_column,
                                    expected=f"a Polygon or MultiPolygon{where}",
                                    found=geom.geom_type))
            result.append(None)
            continue
        result.append(polygonal(geom if geom.is_valid else shapely.make_valid(geom)))
        if result[-1] is None:
            problems.append(Problem(file=label, row=feature.number,
                                    column=layer.geometry_column,
                                    expected=f"a polygon with an area{where}",
                                    found="a polygon that collapses when made valid"))
    return result


def _crs(layer: Layer, polygons: list, crs_option: str | None,
         notes: list[str]) -> str | None:
    """The coordinate system: the option, the file's declaration, or the coordinates'."""
    if crs_option:
        if layer.declared_crs and layer.declared_crs != crs_option:
            notes.append(f"--crs {crs_option} used; {layer.crs_source} says "
                         f"{layer.declared_crs}")
        return crs_option
    if layer.declared_crs:
        if layer.declared_crs.startswith("EPSG:"):
            notes.append(f"coordinate system {layer.declared_crs} from {layer.crs_source}")
            return layer.declared_crs
        notes.append(f"{layer.crs_source} names {layer.declared_crs!r}, which is not an EPSG "
                     "system: the coordinates decide")
    present = [g for g in polygons if g is not None]
    if not present:
        return None
    bounds = shapely.bounds(np.array(present, dtype=object))
    in_wgs84, in_rd = int(fits(bounds, WGS84_BOUNDS).sum()), int(fits(bounds, RD_BOUNDS).sum())
    if in_wgs84 == 0 and in_rd == 0:
        return WGS84  # every feature then gets a problem from the bounds check
    crs = WGS84 if in_wgs84 >= in_rd else RD_NEW
    notes.append(f"coordinate system {crs} detected from the coordinates")
    return crs


def _check_bounds(layer: Layer, polygons: list, area_codes: list[str], crs: str, label: str,
                  problems: list[Problem]) -> None:
    """Every geometry must lie in the Netherlands as drawn in ``crs``."""
    index = [i for i, g in enumerate(polygons) if g is not None]
    if not index:
        return
    geoms = np.array([polygons[i] for i in index], dtype=object)
    shown = crs
    if crs not in (WGS84, RD_NEW):  # a declared system other than the two: judge in WGS84
        geoms, crs = to_wgs84_all(geoms, crs), WGS84
    bounds = shapely.bounds(geoms)
    bad = ~fits(bounds, WGS84_BOUNDS if crs == WGS84 else RD_BOUNDS)
    if not bad.any():
        return
    swapped = bounds[:, [1, 0, 3, 2]]
    other = fits(bounds, RD_BOUNDS if crs == WGS84 else WGS84_BOUNDS)
    hint = np.where(other, _HINTS.get(crs, ""), np.where(
        fits(swapped, WGS84_BOUNDS), "are longitude and latitude swapped?", ""))
    if bad.all() and len(set(hint)) == 1:
        minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
        maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
        problems.append(Problem(file=label, column=layer.geometry_column,
                                expected=_outside(shown, hint[0], f"all {len(index)} features"),
                                found=_extent(minx, miny, maxx, maxy)))
        return
    for position in np.flatnonzero(bad):
        feature = layer.features[index[position]]
        problems.append(Problem(file=label, row=feature.number, column=layer.geometry_column,
                                expected=_outside(shown, hint[position],
                                                  f"area {area_codes[index[position]]}"),
                                found=_extent(*bounds[position])))


def _outside(crs: str, hint: str, what: str) -> str:
    text = f"coordinates in the Netherlands ({what}: outside the Netherlands in {crs}"
    return text + (f"; {hint})" if hint else ")")


def _extent(minx: float, miny: float, maxx: float, maxy: float) -> str:
    return f"x {minx:.6g}..{maxx:.6g}, y {miny:.6g}..{maxy:.6g}"


def _records(layer: Layer, polygons: list, area_codes: list[str], name_field: str | None,
             year: int, crs: str, label: str, progress: Progress,
             problems: list[Problem], notes: list[str]) -> list[AreaRecord]:
    """Transform to WGS84, snap to the 6-decimal grid, and describe each area."""
    wgs84 = to_wgs84_all(np.array(polygons, dtype=object), crs)
    # set_precision keeps the result valid where snapping would make rings cross; the
    # rounding after it makes the stored floats the short decimals a re-import compares.
    snapped = shapely.transform(shapely.set_precision(wgs84, GRID), lambda xy: np.round(xy, 6))
    snapped = np.array([polygonal(g) if g is not None else None for g in snapped],
                       dtype=object)
    lons, lats, hectares = summarise_all(snapped)
    records, unnamed = [], 0
    for n, (feature, code, geom) in enumerate(zip(layer.features, area_codes, snapped,
                                                  strict=True)):
        if geom is None:
            problems.append(Problem(file=label, row=feature.number, column=layer.geometry_column,
                                    expected=f"a polygon larger than 0.1 m (area {code})",
                                    found="a polygon that vanishes at 6 decimals"))
            continue
        name = str(feature.properties.get(name_field) or "").strip() if name_field else ""
        if not name:
            name, unnamed = code, unnamed + 1
        # Through JSON so the coordinates are lists, as the database gives them back: a
        # re-import then compares equal (floats survive the round trip exactly).
        records.append(AreaRecord(
            code=code, name=name, level=codes.level_of(code), year=year,
            geometry=json.loads(json.dumps(mapping(geom))),
            centroid=(lons[n], lats[n]), land_area_ha=hectares[n]))
        if (n + 1) % 500 == 0:
            progress(500)
    progress(len(records) % 500)
    if unnamed:
        notes.append(f"{unnamed} area(s) without a name are named by their code")
    return records
