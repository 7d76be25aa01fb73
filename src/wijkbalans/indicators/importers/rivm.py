"""RIVM/CBS Gezondheidsmonitor wijken en buurten (StatLine 50090NED), the raw OData table.

Format (see docs/importers/rivm.md): the first sheet of an xlsx (read with calamine), or
a CSV with ``;`` or ``,``, headed by the OData keys ``ID``, ``Leeftijd``, ``Marges``,
``WijkenEnBuurten``, ``Perioden``, ``Gemeentenaam_1``, ``SoortRegio_2``, ``Codering_3``
and then one column per indicator (``ErvarenGezondheidGoedZeerGoed_4`` ...
``MoeiteMetRondkomen_38``), each a percentage of the residents of the age group.

Rules followed:

* only point estimates load (``Marges`` ``MW00000``); rows of confidence margins are
  skipped and counted. One age group per import (``Leeftijd``; ``--age`` picks one when a
  file has several); ``20300`` is 18 and over, the group the core catalogue codes mean;
* five columns map onto core codes (``ervaren_gezondheid_pct`` ...), every other column
  is kept as ``rivm.<Key>``; for another age group every code is ``rivm.<Key>.<Leeftijd>``;
* ``Perioden`` ``2020JJ00`` is period ``2020`` (``KWnn`` quarters, ``MMnn`` months);
* the area is ``Codering_3``, the country ``NL01`` is the registry's ``NL00``;
* an empty cell, ``.`` or ``-`` is a missing value, ``x`` suppressed; a column without a
  single value is left out (the survey did not ask it that year), with a note;
* rows are numbered as a spreadsheet shows them: the header is row 1;
* the file has names for gemeenten only, so only areas not yet in the registry are
  registered (a wijk or buurt named by its code); known areas keep their names.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from wijkbalans.areas import codes
from wijkbalans.areas.models import Area
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
)

KIND = "rivm"
HELP = "RIVM/CBS Gezondheidsmonitor wijken en buurten (50090NED): the OData table as xlsx or CSV"

META = ("ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1",
        "SoortRegio_2", "Codering_3")
POINT_ESTIMATE = "MW00000"
ADULTS = "20300"
AGE_GROUPS = {ADULTS: "18+"}
# Core catalogue codes, by the key's name without its OData number (the numbers are
# positions in the table and may shift between versions of it). All are 18+ figures.
CORE = {"ErvarenGezondheidGoedZeerGoed": "ervaren_gezondheid_pct",
        "MoeiteMetRondkomen": "moeite_rondkomen_pct",
        "HoogRisicoOpAngstOfDepressie": "angst_depressie_hoog_pct",
        "ErnstigZeerErnstigEenzaam": "eenzaam_ernstig_pct",
        "Vrijwilligerswerk": "vrijwilligerswerk_pct"}
KEY = re.compile(r"^([A-Za-z][A-Za-z0-9]*)_(\d+)$")
PERIOD = re.compile(r"^(\d{4})(?:(JJ)00|(KW)0([1-4])|(MM)(0[1-9]|1[0-2]))?$")
SOORT = {"land": codes.LAND, "gemeente": codes.GEMEENTE, "wijk": codes.WIJK,
         "buurt": codes.BUURT}
COUNTRY_IN_FILE = "NL01"
MISSING_TEXT = ("", ".", "-", "NA", "nan", "NaN")
MAX_CELL_PROBLEMS = 500


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, help="classification year of areas the file "
                        "registers; default: the (latest) period year")
    parser.add_argument("--period", help="period for every row (2020 or 2020JJ00) when the "
                        "file has no Perioden column, or to override it")
    parser.add_argument("--age", help="the Leeftijd code to load when the file holds several "
                        "age groups (20300 = 18 and over)")


def read_table(path: Path) -> pd.DataFrame:
    """The table as text and numbers, its header from the first row; ImportFailed if unread."""
    label = file_label(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            return pd.read_excel(path, engine="calamine", sheet_name=0, dtype=object)
        if suffix not in (".csv", ".txt"):
            raise ImportFailed([Problem(file=label, expected="an .xlsx or .csv file",
                                        found=path.suffix)])
        with open(path, encoding="utf-8-sig") as handle:
            header = handle.readline()
        sep = ";" if header.count(";") > header.count(",") else ","
        return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    except ImportFailed:
        raise
    except UnicodeDecodeError as error:
        raise ImportFailed([Problem(file=label, expected="UTF-8 text", found=str(error))]) \
            from None
    except Exception as error:  # noqa: BLE001 - calamine and the CSV parser raise many kinds
        expected = "a CSV table" if suffix in (".csv", ".txt") else "an Excel workbook (.xlsx)"
        raise ImportFailed([Problem(file=label, expected=expected, found=str(error))]) from None


def numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`~.base.parse_number`: values, statuses, and where it is no number.

    Plain numbers (and numeric text) convert in one pass; only the other cells (``.``,
    empty, ``x``, decimal commas, text) are looked at as text.
    """
    raw = cells.to_numpy(dtype=object)
    values = np.array(pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce"),
                      dtype="float64")
    # A spreadsheet's TRUE or FALSE would convert to 1.0 or 0.0: it is no number.
    maybe = np.flatnonzero((values == 0) | (values == 1))
    values[[i for i in maybe if isinstance(raw[i], bool)]] = np.nan
    status = np.full(len(raw), "value", dtype=object)
    bad = np.zeros(len(raw), dtype=bool)
    odd = ~np.isfinite(values)
    if odd.any():
        text = pd.Series(raw[odd], dtype=object).astype("string").str.strip()
        missing = (text.isna() | text.isin(MISSING_TEXT)).to_numpy(dtype=bool)
        suppressed = text.isin(("x", "X")).to_numpy(dtype=bool)
        comma = (text.str.contains(",", regex=False)
                 & ~text.str.contains(".", regex=False)).fillna(False)
        fixed = pd.to_numeric(text.where(comma).str.replace(",", ".", regex=False),
                              errors="coerce")
        fixed = fixed.to_numpy(dtype="float64", na_value=np.nan)
        fixed[~np.isfinite(fixed)] = np.nan
        values[odd] = fixed
        status[odd] = np.where(suppressed, "suppressed", np.where(np.isnan(fixed), "missing",
                                                                  "value"))
        bad[odd] = np.isnan(fixed) & ~missing & ~suppressed
    return values, status, bad


def key_words(key: str) -> str:
    """``HeelVeelStressInAfgelopen4Weken_26`` -> ``Heel veel stress in afgelopen 4 weken``."""
    base = KEY.match(key).group(1) if KEY.match(key) else key
    words = re.findall(r"[A-Z][a-z]*|\d+|[a-z]+", base)
    text = " ".join(w.lower() for w in words)
    return text[:1].upper() + text[1:]


def _spec(key: str, age: str) -> IndicatorSpec:
    label = AGE_GROUPS.get(age, f"leeftijd {age}")
    core = CORE.get(KEY.match(key).group(1))
    if core and age == ADULTS:
        return catalogue.spec(core)
    code = f"rivm.{key}" if age == ADULTS else f"rivm.{key}.{age}"
    return IndicatorSpec(
        code=code, name_nl=f"{key_words(key)} ({label})", theme="health", unit="%",
        polarity="neutral", source=catalogue.RIVM, licence=catalogue.CC_BY,
        aggregation="weighted_mean", denominator="inwoners", decimals=1, perception=True,
        description=f"Gezondheidsmonitor (50090NED), kolom {key}; percentage van de "
        f"inwoners van {label} (Leeftijd {age}). Bron: RIVM.")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("string").str.strip().fillna("")


def _periods(frame: pd.DataFrame, rows: np.ndarray, label: str, options: dict,
             problems: list[Problem]) -> pd.Series:
    raw = _text(frame, "Perioden") if not options.get("period") else \
        pd.Series(str(options["period"]), index=frame.index)
    parts = raw.str.extract(PERIOD)
    bad = parts[0].isna().to_numpy()
    for row, found in zip(rows[bad][:MAX_CELL_PROBLEMS], raw[bad], strict=False):
        problems.append(Problem(file=label, row=int(row), column="Perioden",
                                expected="a CBS period such as 2020JJ00, 2020KW01 or 2020MM01",
                                found=found))
    period = parts[0].fillna("")
    period = period.mask(parts[2].notna(), period + "-Q" + parts[3].fillna(""))
    return period.mask(parts[4].notna(), period + "-" + parts[5].fillna(""))


def _age(frame: pd.DataFrame, label: str, options: dict, notes: list[str],
         problems: list[Problem]) -> tuple[str, np.ndarray]:
    """The age group to load and the rows of it."""
    if "Leeftijd" not in frame.columns:
        notes.append(f"no Leeftijd column: the figures are taken as 18+ ({ADULTS})")
        return ADULTS, np.ones(len(frame), dtype=bool)
    ages = _text(frame, "Leeftijd").str.replace(r"\.0$", "", regex=True)
    present = sorted(set(ages))
    wanted = str(options.get("age") or "") or (present[0] if len(present) == 1 else "")
    if wanted not in present:
        problems.append(Problem(file=label, column="Leeftijd", expected=(
            f"age group {wanted} (--age)" if wanted else
            "one age group, or --age to choose one"), found=", ".join(present)[:60]))
    return wanted, (ages == wanted).to_numpy()


def _areas(frame: pd.DataFrame, area: pd.Series, levels: pd.Series, year: int,
           notes: list[str]) -> list:
    """Records for the areas the registry does not know yet; known ones keep their names."""
    known = set(Area.objects.values_list("code", flat=True))
    first = pd.DataFrame({"code": area.to_numpy(), "level": levels.to_numpy(), "gemeente": (
        _text(frame, "Gemeentenaam_1").to_numpy() if "Gemeentenaam_1" in frame.columns
        else "")}).drop_duplicates("code")
    first = first[~first["code"].isin(known)]
    records = []
    for code, level, gemeente in zip(first["code"].tolist(), first["level"].tolist(),
                                     first["gemeente"].tolist(), strict=True):
        name = {codes.LAND: "Nederland", codes.GEMEENTE: gemeente or code}.get(level, code)
        records.append(AreaRecord(code=code, name=name, level=level, year=year))
    if records:
        notes.append(f"registered {len(records)} areas not yet in the registry for "
                     f"classification year {year}; wijken and buurten are named by their "
                     "code, as the file has no names for them")
    return records


def parse_frame(frame: pd.DataFrame, label: str, options: dict,
                progress: Progress) -> Parsed:
    """Check and convert a table read by :func:`read_table`."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    problems: list[Problem] = []
    notes: list[str] = []
    if frame.columns.empty:
        raise ImportFailed([Problem(file=label, row=1, expected="a sheet with a header row "
                                    "(ID, Leeftijd, ..., Codering_3, indicators)",
                                    found="an empty sheet")])
    for column in ("Codering_3",) + (() if options.get("period") else ("Perioden",)):
        if column not in frame.columns:
            problems.append(Problem(file=label, row=1, column=column, expected=f"a column "
                                    f"{column} (OData key)", found=", ".join(frame.columns)))
    indicators = []
    for column in frame.columns:
        if column in META:
            continue
        if KEY.match(column):
            indicators.append(column)
        elif not (column.startswith("Unnamed:") and _text(frame, column).eq("").all()):
            problems.append(Problem(file=label, row=1, column=column, expected="an indicator "
                                    "key such as Roker_11"))
    if frame.empty and not problems:
        problems.append(Problem(file=label, row=2, expected="at least one data row"))
    if problems:
        raise ImportFailed(problems)

    rows = np.arange(2, len(frame) + 2)
    keep = np.ones(len(frame), dtype=bool)
    if "Marges" in frame.columns:
        point = (_text(frame, "Marges") == POINT_ESTIMATE).to_numpy()
        if (~point).any():
            notes.append(f"skipped {int((~point).sum())} rows of confidence margins "
                         f"(Marges other than {POINT_ESTIMATE})")
        keep &= point
    age, in_age = _age(frame, label, options, notes, problems)
    if problems:
        raise ImportFailed(problems)
    if (keep & ~in_age).any():
        notes.append(f"skipped {int((keep & ~in_age).sum())} rows of other age groups")
    keep &= in_age
    if not keep.any():
        raise ImportFailed([Problem(file=label, column="Marges", expected=f"rows of point "
                                    f"estimates (Marges {POINT_ESTIMATE})", found="none")])
    frame, rows = frame[keep].reset_index(drop=True), rows[keep]

    area = _text(frame, "Codering_3").str.upper()
    if (area == COUNTRY_IN_FILE).any():
        notes.append(f"country code {COUNTRY_IN_FILE} in the file is loaded as "
                     f"{codes.COUNTRY_CODE}, the registry's country")
        area = area.mask(area == COUNTRY_IN_FILE, codes.COUNTRY_CODE)
    levels = area.map(codes.level_of)
    for row, found in zip(rows[levels.isna()][:MAX_CELL_PROBLEMS], area[levels.isna()],
                          strict=False):
        problems.append(Problem(file=label, row=int(row), column="Codering_3", expected="a "
                                "CBS area code such as GM0014, WK001404 or BU00140000",
                                found=found or None))
    if "SoortRegio_2" in frame.columns:
        soort = _text(frame, "SoortRegio_2").str.lower().map(SOORT)
        wrong = (soort.notna() & levels.notna() & (soort != levels)).to_numpy()
        for row, code, level, kind in zip(rows[wrong], area[wrong], levels[wrong],
                                          _text(frame, "SoortRegio_2")[wrong], strict=True):
            problems.append(Problem(file=label, row=int(row), column="SoortRegio_2",
                                    expected=f"{level.capitalize()}, as the code {code} says",
                                    found=kind))
    period = _periods(frame, rows, label, options, problems)
    dupes = (pd.DataFrame({"area": area, "period": period}).duplicated(keep=False)
             & levels.notna() & (period != "")).to_numpy()
    first_row: dict[tuple[str, str], int] = {}
    for row, code, when in zip(rows[dupes], area[dupes], period[dupes], strict=True):
        if (code, when) in first_row:
            problems.append(Problem(file=label, row=int(row), column="Codering_3",
                                    expected=f"one row per area and period (also row "
                                    f"{first_row[(code, when)]})", found=code))
        first_row.setdefault((code, when), int(row))
    progress(len(frame))

    blocks, skipped = [], []
    for key in indicators:
        values, status, bad = numbers(frame[key])
        for row, found in zip(rows[bad][:MAX_CELL_PROBLEMS], frame[key][bad], strict=False):
            problems.append(Problem(file=label, row=int(row), column=key, expected="a number "
                                    "(or '.' for no figure)", found=str(found)))
        if (status != "value").all() and not bad.any():
            skipped.append(key)
            continue
        spec = _spec(key, age)
        blocks.append((spec, key, values, status))
    if problems:
        raise ImportFailed(problems)
    if skipped:
        notes.append(f"left out {len(skipped)} columns without a single value: "
                     + ", ".join(skipped))
    n = len(frame)
    observations = observations_frame({
        "indicator": np.repeat([spec.code for spec, *_ in blocks], n),
        "area": np.tile(area.to_numpy(dtype=object), len(blocks)),
        "period": np.tile(period.to_numpy(dtype=object), len(blocks)),
        "value": np.concatenate([b[2] for b in blocks]) if blocks else [],
        "status": np.concatenate([b[3] for b in blocks]) if blocks else [],
        "row": np.tile(rows, len(blocks)),
        "column": np.repeat([key for _, key, *_ in blocks], n),
    })
    year = int(options.get("year") or max(period)[:4])
    records = _areas(frame, area, levels, year, notes)
    notes.insert(0, f"{n} areas x {len(blocks)} indicators for age group "
                 f"{AGE_GROUPS.get(age, age)}, period(s) {', '.join(sorted(set(period)))}")
    return Parsed(observations=observations, indicators=[b[0] for b in blocks],
                  areas=records, notes=notes)


def parse(path: Path, options: dict, progress: Progress) -> Parsed:
    path = Path(path)
    frame = read_table(path)
    progress(0)
    return parse_frame(frame, file_label(path), options, progress)
