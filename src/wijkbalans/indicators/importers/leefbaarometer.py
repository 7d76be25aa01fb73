"""Leefbaarometer scores (Ministry of BZK) for buurten, wijken and gemeenten.

Formats read (see docs/importers/leefbaarometer.md):

* a GeoJSON ``FeatureCollection`` whose feature properties hold ``code``, ``naam``,
  ``klasse`` (1-9), ``afw`` (rounded) and ``raw`` with ``kscore``, ``afw`` (full
  precision), the dimension scores ``won``, ``fys``, ``vrz``, ``soc``, ``onv``, their
  classes ``kwon`` ... ``konv`` and ``year``. A value in ``raw`` wins over the same name
  at the top level, so the total score is the unrounded one;
* a folder of such files, one per province, with an ``index.json`` (``--directory``, or
  the path of the ``index.json`` itself): all files load as one batch;
* a CSV (``;`` or ``,``) or xlsx with the same names as flat columns, as BZK publishes
  them: ``bu_code``/``wk_code``/``gm_code`` or ``code``, ``kscore`` or ``klasse``, ``afw``,
  ``won`` ... and optionally ``jaar``/``year`` and ``naam``.

Rules: a GeoJSON "row" is the feature's position in ``features`` (1-based); a table row
counts the header as row 1. Provinces (codes such as ``24``) are no areas in the registry:
they are skipped and reported, and a file holding nothing else is refused. Areas are
registered with the file's names, without geometry unless ``--with-geometry``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely import geometry as sg

from wijkbalans.areas import codes
from wijkbalans.areas import geometry as geo
from wijkbalans.indicators import catalogue

from .base import (
    AreaRecord,
    ImportFailed,
    IndicatorSpec,
    Parsed,
    Problem,
    Progress,
    file_label,
    observations_frame,
    parse_number,
)

KIND = "leefbaarometer"
ACCEPTS_DIRECTORY = True  # the buurten/ folder of province files
HELP = ("Leefbaarometer scores (BZK): a GeoJSON file, a folder of province files "
        "(--directory) or a CSV/xlsx table")

DIMENSIONS = ("won", "fys", "vrz", "soc", "onv")
CLASS_FIELDS = ("kscore",) + tuple(f"k{d}" for d in DIMENSIONS)
SCORE_FIELDS = ("afw",) + DIMENSIONS
# Field of a normalised record -> indicator code.
INDICATOR_OF = {"kscore": "lbm_klasse", "afw": "lbm_afw",
                **{d: f"lbm_{d}" for d in DIMENSIONS},
                **{f"k{d}": f"lbm_klasse_{d}" for d in DIMENSIONS}}
# Flat-table column names accepted for a field, in order of preference.
TABLE_ALIASES = {"code": ("code", "bu_code", "wk_code", "gm_code"),
                 "naam": ("naam", "bu_naam", "wk_naam", "gm_naam", "name"),
                 "kscore": ("kscore", "klasse"), "year": ("year", "jaar")}
PROVINCE = re.compile(r"^(PV)?\d{2}$")
YEAR = re.compile(r"^\d{4}$")


def _class_specs() -> list[IndicatorSpec]:
    """The dimension classes, which the core catalogue leaves out."""
    specs = []
    for dim in DIMENSIONS:
        score = catalogue.spec(f"lbm_{dim}")
        part_nl = score.name_nl.split(": ", 1)[1]
        part_en = score.name_en.split(": ", 1)[1]
        specs.append(IndicatorSpec(
            code=f"lbm_klasse_{dim}", name_nl=f"Leefbaarometer: klasse {part_nl} (1-9)",
            name_en=f"Leefbaarometer: class {part_en} (1-9)", theme=score.theme,
            unit="klasse", polarity="higher_better", source=catalogue.LBM,
            licence=score.licence, aggregation="none",
            description=catalogue.spec("lbm_klasse").description))
    return specs


SPECS = [catalogue.spec(INDICATOR_OF[f]) for f in ("kscore",) + SCORE_FIELDS] + _class_specs()


def add_arguments(parser) -> None:
    parser.add_argument("--period", help="period of the scores (YYYY); default: the file's "
                        "'year'")
    parser.add_argument("--year", type=int, help="classification year of the areas; "
                        "default: the (latest) period")
    parser.add_argument("--with-geometry", action="store_true",
                        help="also store the polygons (GeoJSON files only)")
    parser.add_argument("--simplify", type=float, default=0.0, metavar="DEGREES",
                        help="simplify the polygons further (WGS84 degrees); the published "
                        "files are simplified at 0.0001 already")
    parser.add_argument("--directory", action="store_true",
                        help="the path is the buurten/ folder or its index.json: load every "
                        "province file in it as one batch")


# -- reading ---------------------------------------------------------------------------

def _read_json(path: Path, problems: list[Problem]) -> Any:
    label = file_label(path)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except UnicodeDecodeError as error:
        problems.append(Problem(file=label, expected="UTF-8 text (JSON)", found=str(error)))
    except json.JSONDecodeError as error:
        problems.append(Problem(file=label, row=error.lineno, expected="JSON (a GeoJSON "
                                "FeatureCollection)", found=error.msg))
    return None


def _pick(props: dict, raw: dict, name: str, top_name: str | None = None) -> tuple[Any, str]:
    """A value from ``raw`` if there, else from the top level; and where it came from."""
    if name in raw:
        return raw[name], f"raw.{name}"
    top_name = top_name or name
    return props.get(top_name), top_name


def _geojson_records(path: Path, problems: list[Problem]) -> list[dict]:
    label = file_label(path)
    data = _read_json(path, problems)
    if data is None:
        return []
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        found = "no 'features'" if not isinstance(features, list) else "an empty 'features' list"
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            found = f"a JSON object of type {str(data.get('type'))!r}" \
                if isinstance(data, dict) else f"a JSON {type(data).__name__}"
        problems.append(Problem(file=label, column="features", expected="a GeoJSON "
                                "FeatureCollection with at least one feature", found=found))
        return []
    records = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(Problem(file=label, row=number, column="properties",
                                    expected="a Feature with properties",
                                    found=str(feature)[:60]))
            continue
        raw = props.get("raw") if isinstance(props.get("raw"), dict) else {}
        record = {"file": label, "row": number, "code": (props.get("code"), "code"),
                  "naam": (props.get("naam"), "naam"), "year": _pick(props, raw, "year"),
                  "kscore": _pick(props, raw, "kscore", "klasse"),
                  "geometry": feature.get("geometry")}
        for field in CLASS_FIELDS[1:] + SCORE_FIELDS:
            record[field] = _pick(props, raw, field)
        records.append(record)
    return records


def _read_table(path: Path, problems: list[Problem]) -> pd.DataFrame | None:
    label = file_label(path)
    excel = path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods")
    try:
        if excel:
            return pd.read_excel(path, engine="calamine", dtype=object)
        with open(path, encoding="utf-8-sig") as handle:
            header = handle.readline()
        sep = ";" if header.count(";") > header.count(",") else ","
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(file=label, expected="UTF-8 text", found=str(error)))
    except Exception as error:  # noqa: BLE001 - calamine and the CSV parser raise many kinds
        kind = "an Excel workbook (.xlsx)" if excel else "a CSV table"
        problems.append(Problem(file=label, expected=kind, found=str(error)))
    return None


def _table_records(path: Path, problems: list[Problem]) -> list[dict]:
    label = file_label(path)
    frame = _read_table(path, problems)
    if frame is None:
        return []
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    found = {}
    for field in ("code", "naam", "year") + CLASS_FIELDS + SCORE_FIELDS:
        names = TABLE_ALIASES.get(field, (field,))
        found[field] = next((n for n in names if n in frame.columns), None)
    if found["code"] is None or not any(found[f] for f in INDICATOR_OF):
        problems.append(Problem(file=label, row=1, expected="a header with a code column "
                                "(code, bu_code, wk_code or gm_code) and score columns "
                                "(kscore, afw, won, ...)", found=", ".join(frame.columns)[:60]))
        return []
    frame = frame.astype(object).where(frame.notna(), None)
    records = []
    for number, values in enumerate(frame.to_dict("records"), start=2):
        record = {"file": label, "row": number, "geometry": None}
        for field, column in found.items():
            record[field] = (values[column] if column else None, column or field)
        records.append(record)
    return records


def _sources(path: Path, options: dict,
             problems: list[Problem]) -> list[tuple[Path, int | None]]:
    """The files to read, each with the feature count its index promises (or None)."""
    folder = path if path.is_dir() else path.parent if path.name == "index.json" else None
    if folder is None:
        if options.get("directory"):
            problems.append(Problem(file=file_label(path), expected="with --directory, the "
                                    "buurten/ folder or its index.json", found=path.name))
        return [(path, None)]
    index = folder / "index.json"
    if not index.is_file():
        return [(file, None) for file in sorted(folder.glob("*.geojson"))]
    entries = _read_json(index, problems)
    if not isinstance(entries, dict) or not entries:
        if entries is not None:
            problems.append(Problem(file="index.json", expected="an object of province "
                                    "files", found=type(entries).__name__))
        return []
    files = []
    for key, entry in entries.items():
        entry = entry if isinstance(entry, dict) else {"file": str(entry)}
        # The index names files relative to the data set's root: read the one beside it.
        name = Path(str(entry.get("file") or f"{key}.geojson")).name
        if not (folder / name).is_file():
            problems.append(Problem(file="index.json", column=key, expected="a province "
                                    "file beside index.json", found=name))
            continue
        files.append((folder / name, entry.get("n_features")))
    return files


# -- checking --------------------------------------------------------------------------

def _check_value(record: dict, field: str, problems: list[Problem]) -> tuple[float, str]:
    raw, column = record[field]
    value, status = parse_number(raw)
    if status is None or (status == "value" and field in CLASS_FIELDS
                          and (value not in range(1, 10))):
        expected = "a class 1 to 9" if field in CLASS_FIELDS else "a number"
        problems.append(Problem(file=record["file"], row=record["row"], column=column,
                                expected=expected, found=str(raw)))
        return float("nan"), "missing"
    return (float("nan") if value is None else value), status


def _period(record: dict, options: dict, problems: list[Problem]) -> str | None:
    raw, column = record["year"]
    if options.get("period"):
        raw, column = options["period"], "--period"
    text = "" if raw is None else str(raw).strip()
    if text.endswith(".0"):  # a year read from a spreadsheet cell as a number
        text = text[:-2]
    if not YEAR.match(text):
        problems.append(Problem(file=record["file"], row=record["row"], column=column,
                                expected="a year (YYYY), or the --period option",
                                found=text or None))
        return None
    return text


def _area(record: dict, code: str, year: int, with_geometry: bool, tolerance: float,
          problems: list[Problem]) -> AreaRecord:
    name = str(record["naam"][0] or "").strip() or code
    area = AreaRecord(code=code, name=name, level=codes.level_of(code), year=year,
                      parent_code=codes.parent_of(code) or "")
    if not with_geometry:
        return area
    raw = record["geometry"]
    if raw is None:  # a table, or a feature without geometry: the area is kept without
        return area
    try:
        shape = sg.shape(raw)
        if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
            raise ValueError(f"a {shape.geom_type}")
        if not geo.within_bounds(shape, geo.WGS84):
            raise ValueError("coordinates outside the Netherlands in WGS84 (lon/lat)")
    except Exception as error:  # noqa: BLE001 - shapely raises many kinds for bad input
        problems.append(Problem(file=record["file"], row=record["row"], column="geometry",
                                expected="a (Multi)Polygon in WGS84 lon/lat",
                                found=str(error) or str(raw)[:60]))
        return area
    if tolerance > 0:
        shape = shape.simplify(tolerance, preserve_topology=True)
        raw = json.loads(shapely.to_geojson(shape))
    area.geometry = raw
    area.centroid, area.land_area_ha = geo.summarise(shape)
    return area


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    path = Path(path)
    problems: list[Problem] = []
    records: list[dict] = []
    for source, promised in _sources(path, options, problems):
        if source.suffix.lower() in (".geojson", ".json"):
            read = _geojson_records(source, problems)
            if promised is not None and read and len(read) != promised:
                problems.append(Problem(file=file_label(source), expected=f"{promised} "
                                        "features, as index.json says", found=str(len(read))))
            records += read
        elif source.suffix.lower() in (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"):
            records += _table_records(source, problems)
        else:
            problems.append(Problem(file=file_label(source), expected="a .geojson, .json, "
                                    ".csv or .xlsx file", found=source.suffix))
        progress(len(records))
    if problems:
        raise ImportFailed(problems)

    columns: dict[str, list] = {k: [] for k in ("indicator", "area", "period", "value",
                                                "status", "row", "column")}
    # A field no record carries at all (a table without ``kwon``, say) is no indicator of
    # the file; a field left empty in some records is a missing value there.
    fields = [f for f in INDICATOR_OF if any(r[f][0] is not None for r in records)]
    kept: list[tuple[dict, str, str]] = []
    seen: dict[tuple[str, str], dict] = {}
    skipped: list[Problem] = []
    for record in records:
        raw_code = record["code"][0]
        code = codes.normalise(raw_code) if raw_code is not None else ""
        if PROVINCE.match(code):
            skipped.append(Problem(file=record["file"], row=record["row"], column="code",
                                   expected="a gemeente, wijk or buurt code (provinces are no "
                                   "areas in the registry; skipped)", found=code))
            continue
        if not codes.level_of(code):
            problems.append(Problem(file=record["file"], row=record["row"],
                                    column=record["code"][1], expected="a CBS area code such "
                                    "as GM0014, WK001404 or BU00140000", found=code or None))
            continue
        period = _period(record, options, problems)
        if period is None:
            continue
        if (code, period) in seen:
            first = seen[(code, period)]
            problems.append(Problem(file=record["file"], row=record["row"],
                                    column=record["code"][1], expected="each code once "
                                    f"(already in {first['file']}, row {first['row']})",
                                    found=code))
            continue
        seen[(code, period)] = record
        kept.append((record, code, period))
        for field in fields:
            value, status = _check_value(record, field, problems)
            for key, item in (("indicator", INDICATOR_OF[field]), ("area", code),
                              ("period", period), ("value", value), ("status", status),
                              ("row", record["row"]), ("column", record[field][1])):
                columns[key].append(item)
    if not problems and not kept:
        expected = ("gemeenten, wijken or buurten; this file holds provinces only, which are "
                    "no areas in the registry (import gemeenten.geojson or buurten/)"
                    if skipped else "at least one area with scores")
        problems.append(Problem(file=file_label(path), expected=expected))
    if problems:
        raise ImportFailed(problems)

    periods = sorted({period for _, _, period in kept})
    year = int(options.get("year") or periods[-1])
    with_geometry = bool(options.get("with_geometry"))
    areas = [_area(record, code, year, with_geometry, float(options.get("simplify") or 0),
                   problems) for record, code, _ in kept]
    if problems:
        raise ImportFailed(problems)
    frame = observations_frame(columns)
    notes = [f"{len(kept)} areas, {len(frame)} values for period(s) {', '.join(periods)}; "
             f"areas registered for classification year {year}"]
    if skipped:
        notes.append(f"skipped {len(skipped)} provinces: provinces are no areas in the registry")
    if not with_geometry:
        notes.append("areas registered without geometry (use --with-geometry to store it)")
    return Parsed(observations=frame, indicators=SPECS, areas=areas,
                  rejected=skipped, notes=notes)

