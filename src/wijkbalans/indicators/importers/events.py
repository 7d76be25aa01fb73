"""Point records counted per buurt and period: ``wijkbalans import events FILE --name CODE``.

**Format.** A CSV or workbook with one row per event (a bicycle theft, a report of
nuisance), an X and a Y coordinate (default columns ``X``/``Y`` in RD New, EPSG:28992)
and a date (``--date``; by default the first column whose name holds ``datum``/``date``,
read day first like ``20-9-2017 17:30``). See docs/importers/events.md.

**Rule.** Every point is placed in the buurt whose polygon covers it, using the buurt
geometries of one classification year already in the registry (``--area-year``, default
the latest year with geometry; ``--within`` limits them to one gemeente or wijk). A point
on a border between two buurten counts once, for the buurt with the lowest code. The
file yields one count per buurt per period (``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``) for
every period from the first to the last dated event: a buurt without events in such a
period gets 0, a real value; periods outside the data's range get nothing. Points in no
buurt are not errors: they are returned as rejected records and reported. Rows without
coordinates or with an unreadable date are problems, or rejected with
``--skip-incomplete``. Only the counts are stored, never the events.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from django.db.models import Max
from pyproj.exceptions import CRSError

from wijkbalans.areas import codes
from wijkbalans.areas.geometry import RD_BOUNDS, RD_NEW, WGS84, WGS84_BOUNDS, transformer
from wijkbalans.areas.models import AreaVersion

from .. import catalogue
from .base import (
    ImportFailed,
    IndicatorSpec,
    Parsed,
    Problem,
    Progress,
    file_label,
    observations_frame,
)
from .tabular import (
    Table,
    TableUnreadable,
    cell_text,
    missing_column,
    parse_numbers,
    read_table,
)

KIND = "events"
HELP = ("Point records (incidents with X/Y and a date) counted per buurt and period by "
        "point-in-polygon against the buurt geometry in the registry")

PERIODS = {"year": "Y", "quarter": "Q", "month": "M"}
# Tried in turn on the cells still unread; day first, as Dutch registrations write dates.
DATE_FORMATS = ["%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y", "%d/%m/%Y %H:%M",
                "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "ISO8601"]
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,119}$")


def add_arguments(parser) -> None:
    parser.add_argument("--name", required=True, help="indicator code, e.g. fietsdiefstal")
    parser.add_argument("--label", default="", help="Dutch name of the indicator")
    parser.add_argument("--x", default="X", help="column of the X coordinate (default X)")
    parser.add_argument("--y", default="Y", help="column of the Y coordinate (default Y)")
    parser.add_argument("--crs", default=RD_NEW, help="coordinate system of X/Y "
                        "(default EPSG:28992, RD New; EPSG:4326 for lon/lat)")
    parser.add_argument("--date", default=None, help="column of the date (default: the "
                        "first column whose name holds 'datum' or 'date')")
    parser.add_argument("--date-format", default=None, help="strftime format of the date, "
                        "e.g. %%Y-%%m-%%d (default: day first, like 20-9-2017 17:30)")
    parser.add_argument("--period", choices=sorted(PERIODS), default="year",
                        help="count per year (YYYY), quarter (YYYY-Qn) or month (YYYY-MM)")
    parser.add_argument("--within", default=None, help="gemeente or wijk code whose "
                        "buurten are used (default: every buurt with geometry)")
    parser.add_argument("--area-year", type=int, default=None, help="classification year "
                        "of the buurt geometry (default: the latest year with geometry)")
    parser.add_argument("--skip-incomplete", action="store_true", help="reject rows "
                        "without coordinates or a readable date instead of failing")
    parser.add_argument("--source", default="", help="source of the records")
    parser.add_argument("--licence", default="", help="licence of the records")
    parser.add_argument("--theme", default="safety", help="theme (default safety)")
    parser.add_argument("--polarity", default="higher_worse",
                        choices=["higher_better", "higher_worse", "neutral"])
    parser.add_argument("--encoding", default=None, help="text encoding (default: "
                        "UTF-8, else Windows-1252)")
    parser.add_argument("--sep", default=None, help="separator (default: sniffed)")
    parser.add_argument("--sheet", default=None, help="sheet of a workbook")


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    """Read, validate and count the whole file; raise :class:`ImportFailed` on problems."""
    label = file_label(path)
    opt = dict(options)
    code = str(opt.get("name") or "").strip()
    period_kind = opt.get("period") or "year"
    problems = _option_problems(label, code, period_kind, opt)
    try:
        table = read_table(path, label=label, encoding=opt.get("encoding"),
                           separator=opt.get("sep"), sheet=opt.get("sheet"))
    except TableUnreadable as unreadable:
        raise ImportFailed(problems + unreadable.problems) from None
    progress(len(table.frame) // 2)
    x_col, y_col = opt.get("x") or "X", opt.get("y") or "Y"
    date_col = opt.get("date") or _detect_date_column(list(table.frame.columns))
    columns = list(table.frame.columns)
    for option, name in (("--x", x_col), ("--y", y_col), ("--date", date_col)):
        if name is None:
            problems.append(Problem(file=label, row=1, expected="a date column (--date "
                                    "COL); no column name holds 'datum' or 'date'",
                                    found=", ".join(columns[:15])))
        elif name not in table.frame.columns:
            problems.append(missing_column(label, option, name, columns))
    buurten = _load_buurten(label, opt, problems)
    to_wgs84 = _transformer(label, str(opt.get("crs") or RD_NEW), problems)
    if problems:
        raise ImportFailed(problems)
    rows = table.row_numbers()
    x, y, dates, incomplete = _read_rows(table, x_col, y_col, date_col,
                                         opt.get("date_format"))
    rejected: list[Problem] = []
    if incomplete:
        if not opt.get("skip_incomplete"):
            raise ImportFailed(incomplete)
        rejected.extend(incomplete)
    ok = x.notna() & y.notna() & dates.notna()
    lon, lat = to_wgs84.transform(x[ok].to_numpy(), y[ok].to_numpy())
    _check_in_netherlands(label, opt, x[ok], y[ok], lon, lat)
    progress(len(table.frame) - len(table.frame) // 2)
    buurt_codes, polygons, year = buurten
    hit = _locate(polygons, lon, lat)
    located = pd.DataFrame({"area": np.where(hit >= 0, buurt_codes[np.maximum(hit, 0)], ""),
                            "date": dates[ok].to_numpy()}, index=x[ok].index)
    outside = located.index[hit < 0]
    place = f"{len(buurt_codes)} buurten of {year}" + (
        f" in {codes.normalise(opt['within'])}" if opt.get("within") else "")
    if len(outside) and len(outside) == len(located):  # a wrong --within or --area-year
        raise ImportFailed([Problem(file=label, column=f"{x_col}/{y_col}",
                                    expected=f"at least one point inside one of the {place}",
                                    found=f"none of the {len(located)} points")])
    for index in outside:
        rejected.append(Problem(file=label, row=int(rows[index]), column=f"{x_col}/{y_col}",
                                expected=f"a point inside one of the {place}",
                                found=f"{table.frame.at[index, x_col]}, "
                                f"{table.frame.at[index, y_col]}"))
    observations, notes = _count(located, hit >= 0, buurt_codes, period_kind, code)
    if len(outside):
        notes.append(f"{len(outside)} of {int(ok.sum())} points fall in none of the {place}: "
                     "not counted (rejected)")
    if len(rejected) > len(outside):
        notes.append(f"{len(rejected) - len(outside)} incomplete rows skipped "
                     "(--skip-incomplete)")
    if not opt.get("date"):
        notes.insert(0, f"dates read from the column {date_col!r}")
    return Parsed(observations=observations, indicators=[_spec(code, opt, year)],
                  rejected=rejected, notes=table.notes + notes, require_known_areas=True)


def _option_problems(label: str, code: str, period_kind: str, opt: dict) -> list[Problem]:
    problems = []
    if not CODE_PATTERN.match(code):
        problems.append(Problem(file=label, column="--name", expected="an indicator code of "
                                "lowercase letters, digits, '_', '.' or '-', e.g. "
                                "fietsdiefstal", found=code))
    if period_kind not in PERIODS:
        problems.append(Problem(file=label, column="--period", expected="year, quarter or "
                                "month", found=str(period_kind)))
    within = opt.get("within")
    if within and codes.level_of(codes.normalise(within)) not in (codes.GEMEENTE, codes.WIJK):
        problems.append(Problem(file=label, column="--within", expected="a gemeente or wijk "
                                "code such as GM0014 or WK001401", found=str(within)))
    return problems


def _detect_date_column(columns: list[str]) -> str | None:
    for name in columns:
        if "datum" in name.lower() or "date" in name.lower():
            return name
    return None


def _transformer(label: str, crs: str, problems: list[Problem]):
    try:
        return transformer(crs, WGS84)
    except CRSError:
        problems.append(Problem(file=label, column="--crs", expected="a coordinate system "
                                "such as EPSG:28992 (RD New) or EPSG:4326", found=crs))
        return None


def _load_buurten(label: str, opt: dict, problems: list[Problem]):
    """The buurt codes (sorted), their polygons (WGS84) and the classification year."""
    versions = AreaVersion.objects.filter(area__level=codes.BUURT, geometry__isnull=False)
    within = codes.normalise(opt["within"]) if opt.get("within") else ""
    if codes.level_of(within) in (codes.GEMEENTE, codes.WIJK):
        versions = versions.filter(area__code__startswith="BU" + within[2:])
    year = opt.get("area_year")
    if year in (None, ""):
        year = versions.aggregate(latest=Max("year"))["latest"]
    rows = list(versions.filter(year=int(year or 0)).order_by("area__code")
                .values_list("area__code", "geometry"))
    if not rows:
        years = sorted(set(AreaVersion.objects.filter(area__level=codes.BUURT,
                                                      geometry__isnull=False)
                           .values_list("year", flat=True)))
        scope = (f" of {year}" if year else "") + (f" within {within}" if within else "")
        problems.append(Problem(
            file=label, expected=f"buurt geometry in the registry{scope} to count the points "
            "in; import the boundaries first ('wijkbalans import boundaries FILE')",
            found=("geometry only for the years " + ", ".join(map(str, years))) if years
            else "no buurt geometry at all"))
        return None
    polygons = shapely.from_geojson([json.dumps(geometry) for _, geometry in rows])
    broken = ~shapely.is_valid(polygons)
    if broken.any():  # predicates on an invalid polygon may answer wrongly
        polygons[broken] = shapely.make_valid(polygons[broken])
    return np.array([code for code, _ in rows], dtype=object), polygons, int(year)


def _read_rows(table: Table, x_col: str, y_col: str, date_col: str, date_format: str | None):
    """Coordinates and dates, NaN/NaT where unreadable, and a problem for each such cell."""
    frame, label, rows = table.frame, table.label, table.row_numbers()
    incomplete: list[Problem] = []
    values = {}
    for column in (x_col, y_col):
        text = cell_text(frame[column])
        number, status = parse_numbers(text)
        values[column] = number.where(status == "value")
        bad = status != "value"
        for index in text.index[bad]:
            found = text[index]
            incomplete.append(Problem(file=label, row=int(rows[index]), column=column,
                                      expected="a coordinate" if found == "" else "a number",
                                      found=found))
    date_text = cell_text(frame[date_col])
    dates = _parse_dates(date_text, date_format)
    for index in date_text.index[dates.isna()]:
        incomplete.append(Problem(
            file=label, row=int(rows[index]), column=date_col,
            expected=f"a date in the format {date_format}" if date_format else
            "a date such as 20-9-2017 17:30, 20-9-2017 or 2017-09-20", found=date_text[index]))
    incomplete.sort(key=lambda p: (p.row, p.column != x_col, p.column != y_col))
    return values[x_col], values[y_col], dates, incomplete


def _parse_dates(text: pd.Series, date_format: str | None) -> pd.Series:
    formats = [date_format] if date_format else DATE_FORMATS
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = dates.isna() & (text != "")
        if not todo.any():
            break
        dates[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return dates


def _check_in_netherlands(label: str, opt: dict, x: pd.Series, y: pd.Series,
                          lon: np.ndarray, lat: np.ndarray) -> None:
    """All points outside the country mean a wrong coordinate system: one problem."""
    if not len(x):
        return
    west, south, east, north = WGS84_BOUNDS
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    if inside.any():
        return
    crs = str(opt.get("crs") or RD_NEW)
    hint = "give the right system with --crs"
    looks_wgs84 = x.between(west, east).all() and y.between(south, north).all()
    rd_west, rd_south, rd_east, rd_north = RD_BOUNDS
    looks_rd = x.between(rd_west, rd_east).all() and y.between(rd_south, rd_north).all()
    if looks_wgs84 and crs != WGS84:
        hint = "they look like longitude/latitude: give --crs EPSG:4326"
    elif looks_rd and crs != RD_NEW:
        hint = "they look like RD New: give --crs EPSG:28992"
    raise ImportFailed([Problem(
        file=label, column=f"{opt.get('x') or 'X'}/{opt.get('y') or 'Y'}",
        expected=f"points in the Netherlands in {crs}; all {len(x)} points lie outside it "
        f"({hint})", found=f"X {x.min():g} to {x.max():g}, Y {y.min():g} to {y.max():g}")])


def _locate(polygons: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """For each point the index of the first polygon covering it, or -1.

    One vectorised STRtree query; ``covered_by`` rather than ``within`` so that a point
    exactly on a border is not lost, and the lowest index wins so it counts only once.
    """
    points = shapely.points(lon, lat)
    point_idx, polygon_idx = shapely.STRtree(polygons).query(points, predicate="covered_by")
    hit = np.full(len(points), -1, dtype=np.int64)
    order = np.lexsort((polygon_idx, point_idx))
    first = np.unique(point_idx[order], return_index=True)[1]
    hit[point_idx[order][first]] = polygon_idx[order][first]
    return hit


def _period_labels(periods: pd.PeriodIndex | pd.Series, kind: str) -> list[str]:
    if kind == "year":
        return [str(p.year) for p in periods]
    if kind == "quarter":
        return [f"{p.year}-Q{p.quarter}" for p in periods]
    return [f"{p.year}-{p.month:02d}" for p in periods]


def _count(located: pd.DataFrame, inside: np.ndarray, buurt_codes: np.ndarray,
           kind: str, code: str) -> tuple[pd.DataFrame, list[str]]:
    """One count per buurt per period from the first to the last dated event (0 included)."""
    if located.empty:
        return observations_frame({}), []
    freq = PERIODS[kind]
    periods = located["date"].dt.to_period(freq)
    span = pd.period_range(periods.min(), periods.max(), freq=freq)
    counted = pd.crosstab(located["area"][inside], periods[inside])
    grid = counted.reindex(index=list(buurt_codes), columns=span, fill_value=0)
    long = grid.stack().rename("value").reset_index()
    long.columns = ["area", "period", "value"]
    labels = dict(zip(span, _period_labels(span, kind), strict=True))
    records = {
        "indicator": [code] * len(long), "area": long["area"].tolist(),
        "period": long["period"].map(labels).tolist(),
        "value": long["value"].astype("float64").tolist(), "status": ["value"] * len(long),
        "row": [None] * len(long), "column": ["X/Y"] * len(long),
    }
    first, last = located["date"].min(), located["date"].max()
    notes = [f"events from {first:%Y-%m-%d} to {last:%Y-%m-%d}: {len(span)} "
             f"{kind} period(s), {len(buurt_codes)} buurten; a buurt without events in a "
             "period counts 0"]
    partial = [labels[p] for p in {span[0], span[-1]}
               if first.normalize() > p.start_time or last.normalize() < p.end_time.normalize()]
    if partial:
        notes.append("only partly covered by the file, so not counts for the whole period: "
                     + ", ".join(sorted(partial)))
    return observations_frame(records), notes


def _spec(code: str, opt: dict, year: int) -> IndicatorSpec:
    if code in catalogue.BY_CODE:
        return catalogue.BY_CODE[code]
    return IndicatorSpec(
        code=code, name_nl=opt.get("label") or code, theme=opt.get("theme") or "safety",
        unit="aantal", polarity=opt.get("polarity") or "higher_worse",
        source=opt.get("source") or "", licence=opt.get("licence") or "",
        aggregation="sum", decimals=0,
        description=f"Aantal geregistreerde gebeurtenissen per buurt (buurtindeling {year}), "
        "geteld uit puntlocaties; een buurt zonder gebeurtenissen in een periode telt 0.")
