"""Any table of values per area and period: ``wijkbalans import table FILE``.

**Format.** A CSV or workbook (read as :mod:`.tabular` says) with a column of CBS area
codes and either

* *wide*: one column per indicator, every numeric column besides the area and period
  columns (text columns such as names are skipped and noted); or
* *long*: an indicator column and a value column (``--indicator-column``,
  ``--value-column``).

The period comes from a column (``--period-column``, or one named period/periode/
perioden/jaar/year) or is fixed for the whole file (``--period``); ``2024``, ``2024-Q1``,
``2024Q1``, ``2024-03`` and CBS's ``2024JJ00``/``2024KW01``/``2024MM03`` are accepted and
stored as ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``. Values follow
:func:`.base.parse_number`: decimal comma or point, ``.`` or empty for missing, ``x`` for
suppressed.

**Rules.** An indicator's code is its column (or indicator) name slugified with
``--prefix`` (default ``table.``); a name whose slug is a catalogue code (``inwoners``)
uses the catalogue's definition; ``--indicators-file`` (CSV or JSON) defines the others
(and may map a ``column`` to a code). The areas must be in the registry already: this
importer registers none. See docs/importers/table.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pandas as pd

from wijkbalans.areas import codes

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
    PERIOD_EXAMPLES,
    TableUnreadable,
    cell_text,
    find_column,
    missing_column,
    normalise_period,
    parse_numbers,
    read_table,
)

KIND = "table"
HELP = "A CSV or XLSX table of values per area and period, wide or long"

AREA_COLUMNS = ["code", "gebiedcode", "gebiedscode", "buurtcode", "wijkcode", "gemeentecode",
                "codering", "regio", "regiocode", "areacode", "area_code", "area", "bu_code",
                "wk_code", "gm_code"]
PERIOD_COLUMNS = ["period", "periode", "perioden", "jaar", "year", "peiljaar"]
VALUE_COLUMNS = ["value", "waarde"]
SPEC_FIELDS = ["code", "name_nl", "name_en", "unit", "polarity", "aggregation", "denominator",
               "theme", "source", "licence", "description", "decimals"]
# The form of a CBS code. Wider than codes.level_of: Amsterdam's wijk and buurt codes
# carry letters (WK0363EM, BU0363EM01). Whether a code is known is the registry's call.
CBS_CODE = re.compile(r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
NUMBER_HELP = "a number (decimal comma or point), '.' or empty for missing, 'x' for suppressed"


def add_arguments(parser) -> None:
    parser.add_argument("--area-column", default=None, help="column of CBS area codes "
                        "(default: detected, e.g. code, buurtcode, Codering)")
    parser.add_argument("--period-column", default=None, help="column of periods (default: "
                        "detected, e.g. periode, jaar)")
    parser.add_argument("--period", default=None, help="one period for the whole file, "
                        "e.g. 2024 or 2024-Q1")
    parser.add_argument("--indicator-column", default=None, help="long format: the column "
                        "naming the indicator")
    parser.add_argument("--value-column", default=None, help="long format: the column of "
                        "values (default: value or waarde)")
    parser.add_argument("--prefix", default="table.", help="prefix of indicator codes "
                        "(default 'table.')")
    parser.add_argument("--indicators-file", default=None, help="CSV or JSON with "
                        "indicator definitions: " + ",".join(SPEC_FIELDS) + "[,column]")
    parser.add_argument("--skip-columns", action="append", default=[], help="columns that "
                        "are not indicators, comma-separated (e.g. ID,Leeftijd); repeat the "
                        "option for a name that holds a comma")
    parser.add_argument("--source", default="", help="source of new indicators")
    parser.add_argument("--licence", default="", help="licence of new indicators")
    parser.add_argument("--sheet", default=None, help="sheet of a workbook (name or number)")
    parser.add_argument("--encoding", default=None, help="text encoding (default: UTF-8, "
                        "else Windows-1252)")
    parser.add_argument("--sep", default=None, help="separator (default: sniffed)")


def slugify(name: str) -> str:
    """``'Bevolking/Aantal inwoners (aantal)'`` -> ``'bevolking_aantal_inwoners_aantal'``."""
    ascii_name = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    """Read and validate the whole table; raise :class:`ImportFailed` on problems."""
    label = file_label(path)
    opt = dict(options)
    problems: list[Problem] = []
    specs_by_key = _read_indicators_file(opt.get("indicators_file"), problems)
    try:
        table = read_table(path, label=label, encoding=opt.get("encoding"),
                           separator=opt.get("sep"), sheet=opt.get("sheet"))
    except TableUnreadable as unreadable:
        raise ImportFailed(problems + unreadable.problems) from None
    frame, rows = table.frame, table.row_numbers()
    progress(len(frame) // 2)
    columns = list(frame.columns)
    area_col = _column(label, opt, columns, "area_column", "--area-column", problems,
                       lambda: _detect_area_column(frame))
    period_col = None
    if opt.get("period") and opt.get("period_column"):
        problems.append(Problem(file=label, column="--period", expected="either --period or "
                                "--period-column, not both", found=opt["period"]))
    elif opt.get("period"):
        if normalise_period(opt["period"]) is None:
            problems.append(Problem(file=label, column="--period",
                                    expected=f"a period such as {PERIOD_EXAMPLES}",
                                    found=str(opt["period"])))
    else:
        period_col = _column(label, opt, columns, "period_column", "--period-column", problems,
                             lambda: find_column(columns, PERIOD_COLUMNS))
        if period_col is None and not opt.get("period_column"):
            problems.append(Problem(file=label, row=1, expected="a period column (one named "
                                    f"{'/'.join(PERIOD_COLUMNS)}, or --period-column) or a "
                                    "fixed period (--period 2024)", found=", ".join(columns[:15])))
    long = bool(opt.get("indicator_column"))
    if long:
        indicator_col = _column(label, opt, columns, "indicator_column",
                                "--indicator-column", problems, lambda: None)
        value_col = _column(label, opt, columns, "value_column", "--value-column", problems,
                            lambda: find_column(columns, VALUE_COLUMNS))
        if value_col is None and not opt.get("value_column"):
            problems.append(Problem(file=label, row=1, expected="a value column (--value-"
                                    "column) for the long format", found=", ".join(columns)))
    if area_col is None and not opt.get("area_column"):
        problems.append(Problem(file=label, row=1, expected="a column of CBS area codes (one "
                                f"named {'/'.join(AREA_COLUMNS[:8])}/..., or --area-column)",
                                found=", ".join(columns[:15])))
    if problems:
        raise ImportFailed(problems)

    keys = pd.DataFrame({"area": _areas(label, frame[area_col], rows, area_col, problems)})
    if period_col is not None:
        keys["period"] = _periods(label, frame[period_col], rows, period_col, problems)
    else:
        keys["period"] = normalise_period(opt["period"])
    keys["row"] = rows
    if long:
        parts = [_long_values(label, frame, rows, indicator_col, value_col, problems)]
    else:
        used = {area_col, period_col} | _skipped(opt.get("skip_columns"), columns)
        parts = _wide_values(label, frame, rows, [c for c in columns if c not in used],
                             problems, table.notes)
    progress(len(frame) - len(frame) // 2)
    if problems:
        raise ImportFailed(problems)
    names = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    resolved = _resolve_codes(label, names["name"].unique(), opt, specs_by_key, problems)
    if problems:
        raise ImportFailed(problems)
    merged = names.merge(keys, left_on="index", right_index=True, how="left")
    observations = observations_frame({
        "indicator": merged["name"].map({n: s.code for n, s in resolved.items()}).tolist(),
        "area": merged["area"].tolist(), "period": merged["period"].tolist(),
        "value": merged["value"].tolist(), "status": merged["status"].tolist(),
        "row": merged["row"].astype(int).tolist(), "column": merged["column"].tolist(),
    })
    specs = list({s.code: s for s in resolved.values()}.values())
    return Parsed(observations=observations, indicators=specs, notes=table.notes,
                  require_known_areas=True)


def _column(label, opt, columns, key, option, problems, detect) -> str | None:
    """The column an option names (a problem when the file lacks it), else the detected one."""
    name = opt.get(key)
    if not name:
        return detect()
    if name not in columns:
        problems.append(missing_column(label, option, name, columns))
        return None
    return name


def _skipped(given, columns) -> set[str]:
    """Column names from ``--skip-columns``: a value that is a column name is taken whole
    (StatLine names hold commas), any other is split on commas."""
    values = [given] if isinstance(given, str) else list(given or [])
    skipped = set()
    for value in values:
        value = value.strip()
        skipped |= {value} if value in columns else {v.strip() for v in value.split(",")}
    return skipped


def _detect_area_column(frame: pd.DataFrame) -> str | None:
    """A column named like an area code column, else one whose cells are CBS codes."""
    columns = list(frame.columns)
    found = find_column(columns, AREA_COLUMNS)
    if found:
        return found
    for name in columns:  # StatLine: 'Regioaanduiding/Codering (code)', 'Codering_3'
        if "codering" in name.lower():
            return name
    for name in columns:
        text = cell_text(frame[name].head(200))
        text = text[text != ""]
        if len(text) and text.map(codes.normalise).str.match(CBS_CODE).mean() >= 0.9:
            return name
    return None


def _areas(label, column, rows, name, problems) -> pd.Series:
    """Normalised codes; StatLine's country codes (NL01) are the registry's NL00."""
    area = cell_text(column).map(codes.normalise)
    area = area.mask(area.str.match(r"^NL\d\d$"), codes.COUNTRY_CODE)
    bad = ~area.str.match(CBS_CODE).astype(bool)
    for index in area.index[bad][:500]:
        problems.append(Problem(file=label, row=int(rows[index]), column=name,
                                expected="a CBS area code such as GM0014, WK001404 or "
                                "BU00140402", found=str(column[index])))
    return area


def _periods(label, column, rows, name, problems) -> pd.Series:
    text = cell_text(column)
    mapping = {value: normalise_period(value) for value in text.unique()}
    period = text.map(mapping)
    for index in period.index[period.isna()][:500]:
        problems.append(Problem(file=label, row=int(rows[index]), column=name,
                                expected=f"a period such as {PERIOD_EXAMPLES}",
                                found=text[index]))
    return period


def _values(label, series, rows, name, problems, parsed=None) -> tuple[pd.Series, pd.Series]:
    values, statuses = parse_numbers(series) if parsed is None else parsed
    for index in statuses.index[statuses.isna()][:500]:
        problems.append(Problem(file=label, row=int(rows[index]), column=name,
                                expected=NUMBER_HELP, found=str(series[index])))
    return values, statuses


def _part(name, values, statuses, column) -> pd.DataFrame:
    return pd.DataFrame({"index": values.index, "name": name, "value": values.to_numpy(),
                         "status": statuses.to_numpy(), "column": column})


def _wide_values(label, frame, rows, candidates, problems, notes) -> list[pd.DataFrame]:
    """One part per numeric column. A column is numeric when at least half of its filled
    cells are numbers (or 'x'); its other cells are then problems, not skipped."""
    parts, text_columns, empty_columns = [], [], []
    for name in candidates:
        if not name or name.startswith("Unnamed:"):  # a nameless index column
            continue
        values, statuses = parse_numbers(frame[name])
        filled = statuses != "missing"
        numeric = statuses.isin(["value", "suppressed"])
        if not filled.any():
            empty_columns.append(name)
            continue
        if not (statuses == "value").any() or numeric.sum() < 0.5 * filled.sum():
            text_columns.append(name)
            continue
        values, statuses = _values(label, frame[name], rows, name, problems,
                                   parsed=(values, statuses))
        parts.append(_part(name, values, statuses, name))
    if text_columns:
        notes.append(f"skipped columns without numbers: {', '.join(text_columns)}")
    if empty_columns:
        notes.append(f"skipped empty columns: {', '.join(empty_columns)}")
    if not parts:
        problems.append(Problem(file=label, row=2, expected="at least one column of numbers "
                                "besides the area and period columns (wide format; give "
                                "--indicator-column for a long one)",
                                found="only text in " + (", ".join(text_columns) or
                                                         "no other column")))
    return parts


def _long_values(label, frame, rows, indicator_col, value_col, problems) -> pd.DataFrame:
    names = cell_text(frame[indicator_col])
    for index in names.index[names == ""][:500]:
        problems.append(Problem(file=label, row=int(rows[index]), column=indicator_col,
                                expected="the name of an indicator", found=""))
    values, statuses = _values(label, frame[value_col], rows, value_col, problems)
    part = _part(names.to_numpy(), values, statuses, value_col)
    return part[names.to_numpy() != ""]


def _resolve_codes(label, names, opt, specs_by_key, problems) -> dict[str, IndicatorSpec]:
    """Each column or indicator name's definition: indicators file, catalogue, or new."""
    prefix = "table." if opt.get("prefix") is None else str(opt["prefix"])
    resolved: dict[str, IndicatorSpec] = {}
    first_name_of: dict[str, str] = {}
    for name in names:
        slug = slugify(name)
        spec = next((specs_by_key[k] for k in (name, slug, prefix + slug) if k in specs_by_key),
                    None)
        if spec is None and slug in catalogue.BY_CODE:
            spec = catalogue.BY_CODE[slug]
        elif spec is not None and spec.code in catalogue.BY_CODE:
            spec = catalogue.BY_CODE[spec.code]  # the catalogue's definition wins
        if spec is None:
            spec = IndicatorSpec(code=prefix + slug, name_nl=str(name), theme="other",
                                 source=opt.get("source") or "",
                                 licence=opt.get("licence") or "")
        if not slug or len(spec.code) > 120:
            problems.append(Problem(file=label, row=1, column=str(name), expected="a column "
                                    "or indicator name that gives a code of 1 to 120 letters "
                                    "and digits", found=spec.code))
        elif spec.code in first_name_of:
            problems.append(Problem(file=label, row=1, column=str(name), expected="names that "
                                    f"give distinct codes; {first_name_of[spec.code]!r} gives "
                                    "the same", found=spec.code))
        first_name_of.setdefault(spec.code, str(name))
        resolved[name] = spec
    return resolved


def _read_indicators_file(path, problems) -> dict[str, IndicatorSpec]:
    """Definitions keyed by code and by their optional ``column``."""
    if not path:
        return {}
    path = Path(path)
    label = path.name
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            if isinstance(data, dict):
                data = [{"code": k, **v} for k, v in data.items()]
            records = [(n, r) for n, r in enumerate(data, start=1)]
        else:
            frame = read_table(path, label=label).frame
            records = list(zip(range(2, len(frame) + 2), frame.to_dict("records"), strict=True))
    except (OSError, ValueError, TypeError) as error:
        problems.append(Problem(file=label, expected="an indicators file in CSV or JSON "
                                "(--indicators-file)", found=str(error)))
        return {}
    except TableUnreadable as unreadable:
        problems.extend(unreadable.problems)
        return {}
    choices = {"polarity": {"higher_better", "higher_worse", "neutral"},
               "aggregation": {"sum", "weighted_mean", "none"}}
    specs: dict[str, IndicatorSpec] = {}
    for row, record in records:
        fields = {k: str(record.get(k) or "").strip() for k in SPEC_FIELDS}
        wrong = [(k, fields[k]) for k in choices if fields[k] and fields[k] not in choices[k]]
        if not fields["code"] or not fields["name_nl"]:
            wrong.append(("code" if not fields["code"] else "name_nl", ""))
        if fields["decimals"] and not fields["decimals"].isdigit():
            wrong.append(("decimals", fields["decimals"]))
        for key, found in wrong:
            expected = (f"one of {', '.join(sorted(choices[key]))}" if key in choices
                        else "a whole number" if key == "decimals" else "a value")
            problems.append(Problem(file=label, row=row, column=key, expected=expected,
                                    found=found))
        if wrong:
            continue
        spec = IndicatorSpec(**{k: v for k, v in fields.items() if v and k != "decimals"},
                             decimals=int(fields["decimals"] or 0))
        specs[spec.code] = spec
        if str(record.get("column") or "").strip():
            specs[str(record["column"]).strip()] = spec
    return specs
