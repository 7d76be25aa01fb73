"""``wijkbalans import kwb <path>``: CBS Kerncijfers wijken en buurten (KWB).

Reads a StatLine CSV export (``;`` or ``,``, UTF-8 with or without BOM, padded cells,
``.`` for "no figure", the 2024 ``Bevolking/Aantal inwoners (aantal)`` headers or the
R-mangled ``Bevolking.Aantal.inwoners..aantal.`` ones) or an OData TypedDataSet JSON
(``{"value": [...]}`` or a plain list, keys like ``Codering_3``, ``AantalInwoners_5``).
Formats, options and rules: docs/importers/kwb.md.

Each row is one area: ``NL00``, a gemeente, wijk or buurt, found by the ``Codering``
column (the ``WijkenEnBuurten`` key in OData). The file registers its areas for the
classification year and gives one observation per area and numeric column for
``period = str(year)``. Columns are mapped by :mod:`.kwb_columns`; files are read by
:mod:`.kwb_read`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from wijkbalans.areas import codes

from .base import (
    AreaRecord,
    ImportFailed,
    IndicatorSpec,
    Parsed,
    Problem,
    Progress,
    file_label,
    observations_frame,
)
from .kwb_columns import (
    INDELING_CODE,
    Header,
    Properties,
    csv_indicator,
    key_stem,
    load_properties,
    odata_indicator,
    split_header,
)
from .kwb_read import Table, decode, read_csv, read_json

KIND = "kwb"
HELP = ("CBS Kerncijfers wijken en buurten: a StatLine CSV export or an OData TypedDataSet "
        "JSON; registers the gemeenten, wijken and buurten it lists")

MISSING = {"", ".", "-", "NA", "nan", "NaN", "<NA>"}
SUPPRESSED = {"x", "X"}
MAX_PER_COLUMN = 20  # text-in-number problems listed per column before a summary
LEVEL_WORDS = {"land": codes.LAND, "gemeente": codes.GEMEENTE, "wijk": codes.WIJK,
               "buurt": codes.BUURT}
# CBS codes by level (letters allowed where CBS allows them: WK0363AA, BU0363AA01).
LEVEL_PATTERNS = tuple(codes.PATTERN_TEXT.items())
CODE_PATTERN = "|".join(pattern for _, pattern in LEVEL_PATTERNS)
INDELING_SPEC = IndicatorSpec(
    code=INDELING_CODE, name_nl="Indelingswijziging gemeente, wijk, buurt", unit="code",
    theme="other", source="CBS Kerncijfers wijken en buurten", licence="CC BY 4.0",
    aggregation="none",
    description="1: code and borders unchanged since the year before; 2: code changed, "
    "borders unchanged; 3: borders changed, figures not comparable with the year before.")

# The metadata columns, by OData key stem.
ODATA_ROLES = {"ID": "skip", "WijkenEnBuurten": "region", "Codering": "code",
               "SoortRegio": "level", "Gemeentenaam": "gemeente", "Perioden": "period",
               "MeestVoorkomendePostcode": "skip"}


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, default=None,
                        help="classification year and period of the figures; required for "
                        "a CSV (StatLine CSV does not say it); for JSON read from the "
                        "DataProperties MapYear or a Perioden column")
    parser.add_argument("--within", default=None, metavar="GMxxxx",
                        help="import only this gemeente, its wijken and buurten (plus NL00)")
    parser.add_argument("--properties", default=None, metavar="PATH",
                        help="the table's OData DataProperties JSON: titles, units and "
                        "descriptions of its columns")
    parser.add_argument("--encoding", default=None,
                        help="the file's encoding; default: UTF-8, falling back to cp1252")


def _role_of(table: Table, j: int, header: Header | None, props: Properties | None) -> str:
    """What a column is: area metadata, a number column, or something to skip."""
    name = table.columns[j]
    if table.kind == "odata":
        stem = key_stem(name)
        if stem in ODATA_ROLES:
            return ODATA_ROLES[stem]
        if stem.startswith("Indelingswijziging"):
            return "indeling"
        entry = props.topics.get(name) if props else None
        return "skip" if entry and entry.get("Datatype") == "String" else "number"
    words = header.norm.split(" ")
    unit = header.unit.lower()
    if header.norm.endswith("wijken en buurten") and not unit:
        return "region"
    if "codering" in words or header.norm in ("code", "gwb code", "gwbcode", "regiocode"):
        return "code"
    if "soort regio" in header.norm:
        return "level"
    if "gemeentenaam" in words:
        return "gemeente"
    if "indelingswijziging" in words:
        return "indeling"
    if header.norm in ("perioden", "periode"):
        return "period"
    if "postcode" in words or unit in ("naam", "omschrijving"):
        return "skip"
    return "number"


def parse_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values, statuses and a mask of cells that are no number, as base.parse_number
    reads them: padded, ``.`` missing, ``x`` suppressed, a lone comma a decimal comma."""
    # Fast path: plain (padded) numbers, nearly every cell of a CBS file.
    values = pd.to_numeric(text.astype(object), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan, copy=True)
    status = np.full(len(values), "value", dtype=object)
    bad = np.zeros(len(values), dtype=bool)
    rest = np.flatnonzero(~np.isfinite(values))
    if len(rest):
        s = text.iloc[rest].str.strip()
        missing = (s.isna() | s.isin(MISSING)).to_numpy(dtype=bool)
        suppressed = s.isin(SUPPRESSED).to_numpy(dtype=bool)
        comma = (s.str.contains(",", regex=False) & ~s.str.contains(".", regex=False))
        s = s.where(~comma.fillna(False), s.str.replace(",", ".", regex=False))
        again = pd.to_numeric(s.where(~(missing | suppressed)).astype(object),
                              errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan,
                                                        copy=True)
        again[~np.isfinite(again)] = np.nan  # "inf" is no figure either
        values[rest] = again
        status[rest] = np.where(missing, "missing", np.where(suppressed, "suppressed",
                                                             "value"))
        bad[rest] = ~missing & ~suppressed & np.isnan(again)
    return values, status, bad


DECIMALS_SAMPLE = 500  # cells read to find how many decimals a column is published with


def _decimals(text: pd.Series, values: np.ndarray) -> int:
    finite = np.isfinite(values)
    fractional = finite & (values != np.round(values))
    if not fractional.any():
        return 0
    # The decimals of the published figures, from a sample of the cells that have any.
    sample = text[fractional].head(DECIMALS_SAMPLE)
    places = sample.str.strip().str.extract(r"[.,](\d+)$", expand=False).str.len()
    return int(places.max()) if places.notna().any() else 0


def _year(options: dict, table: Table, props: Properties | None, period_col: int | None,
          label: str) -> tuple[int | None, list[Problem]]:
    raw = options.get("year")
    given = None
    if raw not in (None, ""):
        if not re.fullmatch(r"\s*(19|20)\d\d\s*", str(raw)):
            return None, [Problem(file=label, expected="--year as a year such as 2024",
                                  found=str(raw))]
        given = int(raw)
    found: dict[str, int] = {}
    # MapYear dates an OData file; for a CSV the DataProperties are only a dictionary.
    if props and props.map_year and table.kind == "odata":
        found["the DataProperties MapYear"] = props.map_year
    if period_col is not None:
        years = set(table.data[period_col].str.strip().str[:4].dropna())
        if len(years) != 1 or not next(iter(years)).isdigit():
            return None, [Problem(file=label, column=table.columns[period_col],
                                  expected="one period in the file",
                                  found=", ".join(sorted(years))[:60])]
        found[f"the {table.columns[period_col]} column"] = int(next(iter(years)))
    for source, year in found.items():
        if given is not None and year != given:
            return None, [Problem(file=label, expected=f"--year to agree with {source}",
                                  found=f"--year {given}, {source} {year}")]
    if given is None and not found:
        where = ("a StatLine CSV does not say which year it describes"
                 if table.kind == "csv" else "the file has no Perioden column; pass "
                 "--properties with the table's DataProperties or --year")
        return None, [Problem(file=label, expected=f"--year (the classification year): {where}")]
    return given if given is not None else next(iter(found.values())), []


def _areas(table: Table, roles: dict[int, str], label: str,
           problems: list[Problem]) -> pd.DataFrame:
    """Code, level and name per row; malformed codes, wrong levels and duplicates added
    to ``problems``."""
    code_col = next((j for j, r in roles.items() if r == "code"), None)
    region_col = next((j for j, r in roles.items() if r == "region"), None)
    if code_col is None and region_col is not None:
        region = table.data[region_col].str.strip().str.upper()
        if region.str.fullmatch(CODE_PATTERN).fillna(False).all():
            code_col = region_col  # an OData key column: WijkenEnBuurten holds the code
    if code_col is None:
        raise ImportFailed([Problem(
            file=label, row=1, expected="an area code column (Codering: "
            "'Regioaanduiding/Codering (code)' in StatLine CSV, 'Codering_3' in OData). Without "
            "it the rows cannot be matched to areas: such an export joins to another one only "
            "by row position and cannot be imported on its own. Export the table again with "
            "'Codering' selected", found="no area code column")])
    code = table.data[code_col].fillna("").str.strip().str.upper()
    frame = pd.DataFrame({"code": code, "row": table.rows})
    frame["level"] = None
    for level, pattern in LEVEL_PATTERNS:
        frame.loc[code.str.fullmatch(pattern).to_numpy(dtype=bool), "level"] = level
    column = table.columns[code_col]
    for row in frame[frame["level"].isna()].itertuples():
        problems.append(Problem(file=label, row=row.row, column=column,
                                expected="a CBS area code: NL00, GM + 4 digits, WK + 6 or "
                                "BU + 8 positions", found=table.data[code_col].iloc[row.Index]))
    level_col = next((j for j, r in roles.items() if r == "level"), None)
    if level_col is not None:
        said = table.data[level_col].fillna("").str.strip().str.lower().map(LEVEL_WORDS)
        wrong = frame["level"].notna() & (said.astype(object) != frame["level"])
        for row in frame[wrong].itertuples():
            problems.append(Problem(
                file=label, row=row.row, column=table.columns[level_col],
                expected=f"Soort regio to agree with the code {row.code} ({row.level})",
                found=table.data[level_col].iloc[row.Index].strip()))
    first_row = frame.drop_duplicates("code").set_index("code")["row"]
    for row in frame[frame["code"].duplicated() & (frame["code"] != "")].itertuples():
        problems.append(Problem(file=label, row=row.row, column=column,
                                expected=f"each area once (also on row {first_row[row.code]})",
                                found=row.code))
    names = pd.Series("", index=frame.index, dtype="string")
    if region_col is not None and region_col != code_col:
        names = table.data[region_col].fillna("").str.strip()
        names = names.where(names.str.upper() != code, "")  # a key, not a name
    gemeente_col = next((j for j, r in roles.items() if r == "gemeente"), None)
    if gemeente_col is not None:
        is_gm = (frame["level"] == codes.GEMEENTE).to_numpy(dtype=bool)
        gm_names = table.data[gemeente_col].fillna("").str.strip()
        names = names.where(~(is_gm & (names == "").to_numpy(dtype=bool)), gm_names)
    frame["name"] = names.to_numpy(dtype=object)
    return frame


def _parent(code: str, level: str) -> str:
    """The parent by position, for letter codes too (codes.parent_of knows digits only)."""
    return {codes.BUURT: "WK" + code[2:8], codes.WIJK: "GM" + code[2:6],
            codes.GEMEENTE: codes.COUNTRY_CODE}.get(level, "")


def _registry_names(missing_codes: list[str]) -> dict[str, str]:
    """Names the area registry already holds, for rows that carry none (OData keys)."""
    from wijkbalans.areas.models import Area

    found: dict[str, str] = {}
    for start in range(0, len(missing_codes), 2000):
        found.update(Area.objects.filter(code__in=missing_codes[start:start + 2000])
                     .values_list("code", "name"))
    return found


def _within(options: dict, frame: pd.DataFrame, label: str) -> tuple[np.ndarray, str | None]:
    raw = options.get("within")
    if not raw:
        return np.ones(len(frame), dtype=bool), None
    gm = codes.normalise(raw)
    if codes.level_of(gm) != codes.GEMEENTE:
        raise ImportFailed([Problem(file=label, expected="--within as a gemeente code such "
                                    "as GM0014", found=str(raw))])
    if not (frame["code"] == gm).any():
        raise ImportFailed([Problem(file=label, expected=f"the gemeente {gm} (--within) "
                                    "among the file's rows", found="not in the file")])
    in_gm = frame["code"].str[2:6].eq(gm[2:]) & frame["level"].isin(
        [codes.GEMEENTE, codes.WIJK, codes.BUURT])
    return (in_gm | (frame["code"] == codes.COUNTRY_CODE)).to_numpy(dtype=bool), gm


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    """Read and validate the whole file; see the module docstring and docs/importers/kwb.md."""
    path = Path(path)
    label = file_label(path)
    props = load_properties(Path(options["properties"])) if options.get("properties") else None
    text, notes = decode(path.read_bytes(), label, options.get("encoding") or None)
    head = text.lstrip("\ufeff \t\r\n")[:1]
    is_json = head in ("{", "[") or path.suffix.lower() == ".json"
    table = read_json(text, label, progress) if is_json else read_csv(text, label, progress)
    notes += table.notes
    headers = {j: split_header(c) for j, c in enumerate(table.columns)} \
        if table.kind == "csv" else {}
    roles = {j: _role_of(table, j, headers.get(j), props) for j in range(len(table.columns))}
    problems: list[Problem] = []
    period_col = next((j for j, r in roles.items() if r == "period"), None)
    year, year_problems = _year(options, table, props, period_col, label)
    problems += year_problems
    try:
        frame = _areas(table, roles, label, problems)
    except ImportFailed as failed:
        raise ImportFailed(problems + failed.problems) from None

    specs: dict[str, IndicatorSpec] = {}
    columns: list[tuple[str, str, np.ndarray, np.ndarray]] = []
    for j, role in roles.items():
        if role not in ("number", "indeling"):
            continue
        name = table.columns[j]
        values, status, bad = parse_numbers(table.data[j])
        for n, index in enumerate(np.flatnonzero(bad)):
            if n == MAX_PER_COLUMN:
                problems.append(Problem(file=label, column=name, expected="numbers only",
                                        found=f"{bad.sum() - n} more cells with text"))
                break
            problems.append(Problem(file=label, row=int(table.rows[index]), column=name,
                                    expected="a number, or '.' for a missing value",
                                    found=str(table.data[j].iloc[index]).strip()))
        if role == "indeling":
            spec, note = INDELING_SPEC, None
        else:
            decimals = _decimals(table.data[j], values)
            make = odata_indicator if table.kind == "odata" else csv_indicator
            spec, note = make(headers.get(j) or name, props, whole_numbers=decimals == 0,
                              decimals=decimals)
        if note:
            notes.append(note)
        if spec.code in specs:
            problems.append(Problem(file=label, column=name, expected="one column per "
                                    f"indicator; another column also maps to {spec.code}"))
        specs[spec.code] = spec
        columns.append((spec.code, name, values, status))
    if not columns:
        problems.append(Problem(file=label, expected="at least one number column"))
    if problems:
        raise ImportFailed(problems)

    keep, gm = _within(options, frame, label)
    frame = frame[keep]
    no_name = frame.loc[frame["name"] == "", "code"].tolist()
    if no_name:
        known = _registry_names(no_name)
        frame.loc[frame["name"] == "", "name"] = frame.loc[frame["name"] == "", "code"].map(
            lambda code: known.get(code, code))
        notes.append(f"{len(no_name)} area(s) have no name in the file: "
                     f"{len(set(no_name) & set(known))} keep the name the registry has, "
                     "the others are named by their code")
    areas = [AreaRecord(code=code, name=name[:200], level=level, year=year,
                        parent_code=_parent(code, level))
             for code, name, level in zip(frame["code"].tolist(), frame["name"].tolist(),
                                          frame["level"].tolist(), strict=True)]
    n, k = len(frame), len(columns)
    # Every text column repeats a few values n * k times: build the categoricals from their
    # codes instead of materialising millions of strings (a national year has 2.2 million).
    area_codes, area_names = pd.factorize(frame["code"].to_numpy(dtype=object))
    indicators = pd.Categorical([c[0] for c in columns])
    headers = pd.Categorical([c[1] for c in columns])
    observations = observations_frame({
        "indicator": pd.Categorical.from_codes(np.repeat(indicators.codes, n),
                                               indicators.categories),
        "area": pd.Categorical.from_codes(np.tile(area_codes, k), area_names),
        "period": pd.Categorical.from_codes(np.zeros(n * k, dtype=np.int8), [str(year)]),
        "value": np.concatenate([c[2][keep] for c in columns]),
        "status": pd.Categorical(np.concatenate([c[3][keep] for c in columns]),
                                 categories=["value", "missing", "suppressed"]),
        "row": np.tile(frame["row"].to_numpy(dtype=np.int64), k),
        "column": pd.Categorical.from_codes(np.repeat(headers.codes, n), headers.categories),
    })
    counts = frame["level"].value_counts()
    notes.append(f"{n} areas ({', '.join(f'{counts.get(lv, 0)} {lv}' for lv in codes.LEVELS)})"
                 f" for {year}" + (f", within {gm}" if gm else "") +
                 f"; {k} indicator columns: " + ", ".join(c[0] for c in columns[:12]) +
                 (", ..." if k > 12 else ""))
    skipped = [table.columns[j] for j, r in roles.items() if r == "skip"]
    if skipped:
        notes.append("columns not imported (identifiers or text): " + "; ".join(skipped))
    return Parsed(observations=observations, indicators=list(specs.values()), areas=areas,
                  notes=notes)
