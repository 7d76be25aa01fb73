"""Reading boundary files: GeoJSON, zipped ESRI shapefiles, and CSV with a WKT column.

Every reader returns a :class:`Layer`: the features with their attributes and shapely
geometry (as drawn in the file, not yet checked or transformed), the attribute names,
and the coordinate system the file declares, if any. A file that cannot be read at all
raises :class:`LayerUnreadable` with its problems. The rules:

* **GeoJSON** (``.geojson``, ``.json``): a ``FeatureCollection`` with at least one
  feature. Per RFC 7946 coordinates are WGS84; an old-style ``crs`` member (as PDOK and
  ogr2ogr write for RD New, ``urn:ogc:def:crs:EPSG::28992``) is honoured. Feature numbers
  count from 1.
* **Shapefile** (``.zip`` holding exactly one ``.shp`` with its ``.shx`` and ``.dbf``, read
  in memory with pyshp; or a ``.shp`` with those files beside it). The ``.prj`` says the
  coordinate system, the ``.cpg`` the attribute encoding (else UTF-8, falling back to
  latin-1, which older CBS files use). Record numbers count from 1.
* **CSV** (``.csv``, ``.txt``): read as :mod:`.tabular` reads tables (encoding, separator);
  the geometry is WKT in the column ``geometry``/``wkt``/``geom``/``the_geom`` (or the one
  given). Row numbers are file lines, the header being row 1. CBS's CSV exports of the
  wijk- en buurtkaart are WGS84 lon/lat.

Below the readers are the geometry helpers the boundaries importer applies to a whole
file at once (numpy arrays of shapely geometries, one projection call per file).
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapefile
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely import geometry as sg

from wijkbalans.areas.geometry import RD_NEW, WGS84, transformer

from .base import Problem
from .tabular import TableUnreadable, find_column, missing_column, read_table

GEOJSON_SUFFIXES = {".geojson", ".json"}
CSV_SUFFIXES = {".csv", ".txt"}
POLYGONAL = {"Polygon", "MultiPolygon"}
WKT_COLUMNS = ["geometry", "wkt", "geom", "the_geom", "wkt_geom"]


@dataclass
class Feature:
    """One feature as the file holds it. ``number`` is the row/feature/record number."""

    number: int
    properties: dict[str, Any]
    geometry: Any = None  # a shapely geometry, or None when missing or unreadable
    geometry_found: str | None = None  # what was there instead of a readable geometry


@dataclass
class Layer:
    features: list[Feature]
    fields: list[str]
    geometry_column: str = "geometry"
    declared_crs: str | None = None  # "EPSG:nnnn", or the unparsed declaration
    crs_source: str = ""
    notes: list[str] = field(default_factory=list)


class LayerUnreadable(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _fail(label: str, expected: str, found: str | None = None, **where) -> LayerUnreadable:
    return LayerUnreadable([Problem(file=label, expected=expected, found=found, **where)])


def read_layer(path: Path, *, label: str, geometry_field: str | None = None) -> Layer:
    """Read a boundary file by its suffix; raise :class:`LayerUnreadable`."""
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        return read_geojson(path.read_bytes(), label=label)
    if suffix == ".zip":
        return read_shapefile_zip(path, label=label)
    if suffix == ".shp":
        return read_shapefile_files(path, label=label)
    if suffix in CSV_SUFFIXES:
        return read_wkt_csv(path, label=label, geometry_field=geometry_field)
    raise _fail(label, "a boundary file: .geojson/.json, a zipped shapefile (.zip), a .shp, "
                "or a .csv with a WKT column", found=suffix or "no suffix")


def crs_from_name(text: str) -> str:
    """``EPSG:nnnn`` for a CRS declaration (WKT, ``.prj``, URN), else the text itself."""
    try:
        crs = CRS.from_user_input(text)
    except CRSError:
        return text.strip()[:80]
    # ESRI's .prj names match EPSG's loosely; 70 is pyproj's default confidence.
    epsg = crs.to_epsg(min_confidence=70)
    if epsg is None and crs.is_geographic and "WGS" in crs.name.upper().replace("_", " "):
        epsg = 4326
    return f"EPSG:{epsg}" if epsg else (crs.name or text.strip()[:80])


# --- GeoJSON -----------------------------------------------------------------------------


def read_geojson(raw: bytes, *, label: str) -> Layer:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise _fail(label, "GeoJSON in UTF-8", found=f"byte {error.start}: "
                    f"{raw[error.start:error.start + 8]!r}") from None
    except json.JSONDecodeError as error:
        raise _fail(label, "valid JSON (GeoJSON)", row=error.lineno,
                    found=f"{error.msg} at line {error.lineno}, column {error.colno}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise _fail(label, "a GeoJSON FeatureCollection", found=str(found))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise _fail(label, "a FeatureCollection with at least one feature",
                    found="no features" if not features else type(features).__name__)
    layer = Layer(features=[], fields=[])
    crs_member = data.get("crs")
    if isinstance(crs_member, dict):
        name = (crs_member.get("properties") or {}).get("name")
        if name:
            layer.declared_crs, layer.crs_source = crs_from_name(str(name)), "its 'crs' member"
    seen_fields: dict[str, None] = {}
    for number, item in enumerate(features, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            layer.features.append(Feature(number, {}, None, "not a Feature"))
            continue
        props = item.get("properties") or {}
        props = props if isinstance(props, dict) else {}
        for key in props:
            seen_fields.setdefault(key, None)
        geometry, found = _geojson_geometry(item.get("geometry"))
        layer.features.append(Feature(number, props, geometry, found))
    layer.fields = list(seen_fields)
    return layer


def _geojson_geometry(raw: object) -> tuple[Any, str | None]:
    if not raw:
        return None, "no geometry"
    try:
        geom = sg.shape(raw)
    except Exception as error:  # shapely raises several types for malformed coordinates
        kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        return None, f"an unreadable {kind} ({error})"
    return (None, "an empty geometry") if geom.is_empty else (geom, None)


# --- Shapefiles ---------------------------------------------------------------------------


def read_shapefile_zip(path: Path, *, label: str) -> Layer:
    try:
        archive = zipfile.ZipFile(path)
        names = [n for n in archive.namelist() if not n.endswith("/")
                 and not Path(n).name.startswith("._")]  # macOS resource forks
    except (zipfile.BadZipFile, OSError) as error:
        raise _fail(label, "a zip archive holding a shapefile (.shp, .shx, .dbf)",
                    found=f"not a readable zip ({error})") from None
    shp = [n for n in names if n.lower().endswith(".shp")]
    if len(shp) != 1:
        raise _fail(label, "exactly one .shp file in the zip",
                    found=", ".join(shp) if shp else "no .shp; the zip holds: "
                    + (", ".join(names[:8]) or "nothing"))
    stem = shp[0][:-4]
    members = {n[len(stem):].lower(): n for n in names if n.lower().startswith(stem.lower())
               and len(n) == len(stem) + 4}
    missing = [ext for ext in (".shx", ".dbf") if ext not in members]
    if missing:
        raise _fail(label, f"the parts of {Path(shp[0]).name} beside it in the zip: "
                    + " and ".join(f"{Path(stem).name}{ext}" for ext in missing),
                    found="missing")
    try:
        parts = {ext: archive.read(name) for ext, name in members.items()}
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise _fail(label, "a zip whose files can be extracted", found=str(error)) from None
    return _read_shapefile(parts, label=label)


def read_shapefile_files(path: Path, *, label: str) -> Layer:
    parts = {}
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        sibling = path.with_suffix(ext)
        if not sibling.exists():
            sibling = path.with_suffix(ext.upper())
        if sibling.exists():
            parts[ext] = sibling.read_bytes()
    missing = [path.with_suffix(ext).name for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise _fail(label, "the parts of the shapefile beside it: " + " and ".join(missing),
                    found="missing")
    return _read_shapefile(parts, label=label)


def _read_shapefile(parts: dict[str, bytes], *, label: str) -> Layer:
    if ".cpg" in parts:
        encodings = [parts[".cpg"].decode("ascii", "replace").strip() or "utf-8"]
    else:
        # Older CBS and municipal files write latin-1 without saying so in a .cpg.
        encodings = ["utf-8", "latin-1"]
    for encoding in encodings:
        try:
            shapes, records, fields = _pyshp_read(parts, encoding, label)
            break
        except UnicodeDecodeError as error:
            if encoding == encodings[-1]:
                raise _fail(label, f"attributes in the encoding {encoding}",
                            found=str(error)) from None
        except LayerUnreadable:
            raise
        except Exception as error:  # pyshp raises bare exceptions for broken files
            raise _fail(label, "a readable shapefile",
                        found=str(error) or type(error).__name__) from None
    layer = Layer(features=[], fields=fields)
    if ".prj" in parts:
        text = parts[".prj"].decode("latin-1").strip()
        layer.declared_crs, layer.crs_source = crs_from_name(text), "the .prj"
    if encoding != "utf-8":
        layer.notes.append(f"attributes read as {encoding}")
    for number, (shape, record) in enumerate(zip(shapes, records, strict=True), start=1):
        if shape.shapeType == shapefile.NULL:
            layer.features.append(Feature(number, record, None, "a null shape"))
            continue
        geometry, found = _geojson_geometry(shape.__geo_interface__)
        layer.features.append(Feature(number, record, geometry, found))
    return layer


def _pyshp_read(parts: dict[str, bytes], encoding: str, label: str):
    with warnings.catch_warnings():
        # pyshp warns about a header that does not match the file; reading it then fails
        # or succeeds on its own, and a failure is reported as a problem.
        warnings.simplefilter("ignore")
        try:
            reader = shapefile.Reader(shp=io.BytesIO(parts[".shp"]),
                                      shx=io.BytesIO(parts[".shx"]),
                                      dbf=io.BytesIO(parts[".dbf"]), encoding=encoding)
        except LookupError:
            raise _fail(label, "a known encoding in the .cpg", found=encoding) from None
        fields = [f[0] for f in reader.fields[1:]]
        records = [r.as_dict() for r in reader.iterRecords()]
        shapes = list(reader.iterShapes())
    if len(shapes) != len(records):
        raise _fail(label, "as many shapes in the .shp as records in the .dbf",
                    found=f"{len(shapes)} shapes, {len(records)} records")
    return shapes, records, fields


# --- CSV with WKT -------------------------------------------------------------------------


def read_wkt_csv(path: Path, *, label: str, geometry_field: str | None) -> Layer:
    try:
        table = read_table(path, label=label)
    except TableUnreadable as error:
        raise LayerUnreadable(error.problems) from None
    frame = table.frame
    columns = [str(c) for c in frame.columns]
    column = (find_column(columns, [geometry_field.lower()]) if geometry_field
              else find_column(columns, WKT_COLUMNS))
    if column is None:
        if geometry_field:
            raise LayerUnreadable([missing_column(label, "--geometry-field", geometry_field,
                                                  columns)])
        raise _fail(label, "a WKT geometry column named " + ", ".join(WKT_COLUMNS)
                    + " (or --geometry-field)", row=1, found=", ".join(columns[:15]))
    texts = frame[column].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    geometries = shapely.from_wkt(texts, on_invalid="ignore")
    attributes = frame.drop(columns=[column]).to_dict("records")
    layer = Layer(features=[], fields=[c for c in columns if c != column],
                  geometry_column=column, notes=list(table.notes))
    for index, (text, geom, props) in enumerate(zip(texts, geometries, attributes,
                                                    strict=True)):
        found = None
        if geom is None or geom.is_empty:
            geom, found = None, ("an empty cell" if not text else f"no WKT: {text[:40]}")
        layer.features.append(Feature(index + 2, props, geom, found))
    return layer


# --- geometry helpers --------------------------------------------------------------------


def polygonal(geom):
    """The polygonal part of a geometry (make_valid may add lines where rings touch)."""
    if geom.is_empty:
        return None
    if geom.geom_type in POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else None


def fits(bounds: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    return ((bounds[:, 0] >= box[0]) & (bounds[:, 2] <= box[2])
            & (bounds[:, 1] >= box[1]) & (bounds[:, 3] <= box[3]))


def to_wgs84_all(geoms: np.ndarray, crs: str) -> np.ndarray:
    if crs == WGS84:
        return geoms
    project = transformer(crs, WGS84).transform
    return shapely.transform(geoms, lambda xy: np.column_stack(project(xy[:, 0], xy[:, 1])))


def summarise_all(geoms: np.ndarray) -> tuple[list, list, list]:
    """:func:`wijkbalans.areas.geometry.summarise` for an array of WGS84 geometries at once
    (one projection call instead of one per geometry): centroid (lon, lat) and hectares,
    both computed in RD New, rounded to 6 and 2 decimals."""
    to_rd = transformer(WGS84, RD_NEW).transform
    to_wgs84 = transformer(RD_NEW, WGS84).transform
    valid = np.array([g is not None for g in geoms], dtype=bool)
    lons, lats, hectares = [None] * len(geoms), [None] * len(geoms), [None] * len(geoms)
    if not valid.any():
        return lons, lats, hectares
    rd = shapely.transform(geoms[valid], lambda xy: np.column_stack(to_rd(xy[:, 0], xy[:, 1])))
    centres = shapely.get_coordinates(shapely.centroid(rd))
    lon, lat = to_wgs84(centres[:, 0], centres[:, 1])
    area = shapely.area(rd) / 10_000.0
    for k, n in enumerate(np.flatnonzero(valid)):
        lons[n], lats[n] = round(float(lon[k]), 6), round(float(lat[k]), 6)
        hectares[n] = round(float(area[k]), 2)
    return lons, lats, hectares
