"""Reading CSV and XLSX files as the importers of tables and point records need them.

The rules, in order:

* **Workbooks** (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) are read with pandas and the
  ``calamine`` engine; ``sheet`` picks a sheet by name or 1-based number (default: the
  first). A file with such a name that is no workbook is a problem, not a crash.
* **Text files**: the encoding is UTF-8 (a byte-order mark is dropped); a file that is not
  valid UTF-8 is read as Windows-1252 (cp1252, the superset of latin-1 that Dutch
  spreadsheets write) and a note says so. An encoding given by the user is used strictly:
  a byte it cannot decode is a problem with its line. UTF-16 (a byte-order mark or NUL
  bytes) is refused unless asked for, because such files are usually mis-exported.
* **Separator**: the one of ``;``, ``,`` and tab that splits the header line into the
  most fields (ties: ``;`` first, as Dutch exports use it). A header that stays one
  column is a problem: the file is separated by something else.
* Every cell is read as text (workbooks keep their numbers); column names are stripped
  of the padding StatLine adds. Row numbers are file line numbers: the header is row 1,
  the first record row 2 (a quoted field spanning lines would shift them).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .base import Problem, parse_number

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SEPARATORS = {";": "';'", ",": "','", "\t": "tab"}
_SEPARATOR_PREFERENCE = [";", "\t", ","]


@dataclass
class Table:
    """A file read into a frame of cells, with how it was read."""

    frame: pd.DataFrame
    label: str
    notes: list[str] = field(default_factory=list)
    separator: str | None = None
    encoding: str | None = None

    def row_numbers(self) -> pd.Series:
        """The file row of each record (header = row 1)."""
        return pd.Series(range(2, len(self.frame) + 2), index=self.frame.index)


class TableUnreadable(Exception):
    """The file cannot be read as a table; ``problems`` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def read_table(path: Path, *, label: str, encoding: str | None = None,
               separator: str | None = None, sheet: str | int | None = None) -> Table:
    """Read a CSV or workbook into a frame of cells; raise :class:`TableUnreadable`."""
    if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
        table = _read_workbook(Path(path), label=label, sheet=sheet)
    else:
        text, used, notes = _decode(Path(path).read_bytes(), label=label, encoding=encoding)
        table = _read_text(text, label=label, separator=separator)
        table.encoding, table.notes = used, notes + table.notes
    table.frame.columns = [str(c).strip() for c in table.frame.columns]
    if table.frame.empty:
        raise TableUnreadable([Problem(file=label, row=2, expected="at least one record "
                                       "below the header row", found="no rows")])
    return table


def _decode(raw: bytes, *, label: str, encoding: str | None) -> tuple[str, str, list[str]]:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise TableUnreadable([Problem(file=label, expected="a known text encoding "
                                           "(--encoding), such as utf-8 or cp1252",
                                           found=encoding)]) from None
        try:
            return raw.decode(encoding), encoding, []
        except UnicodeDecodeError as error:
            raise TableUnreadable([_decode_problem(raw, error, label, encoding)]) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:4096]:
        raise TableUnreadable([Problem(
            file=label, row=1, expected="a text file in UTF-8 or Windows-1252; this one looks "
            "like UTF-16 (save it as 'CSV UTF-8', or give --encoding utf-16)",
            found=repr(raw[:12])[2:-1])])
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as error:
        first_bad = _decode_problem(raw, error, label, "utf-8")
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise TableUnreadable([_decode_problem(raw, error, label, "cp1252")]) from None
    note = (f"{label} is not UTF-8 (first at row {first_bad.row}); "
            "read as Windows-1252 (cp1252)")
    return text, "cp1252", [note]


def _decode_problem(raw: bytes, error: UnicodeDecodeError, label: str, encoding: str) -> Problem:
    row = raw.count(b"\n", 0, error.start) + 1
    bad = raw[error.start:error.start + 4]
    return Problem(file=label, row=row, expected=f"text in the encoding {encoding} "
                   "(give another with --encoding, e.g. cp1252)", found=repr(bad)[2:-1])


def _header_fields(header: str, separator: str) -> int:
    return len(next(csv.reader([header], delimiter=separator), []))


def sniff_separator(text: str) -> tuple[str, int]:
    """The separator that splits the header into the most fields, and that number."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: _header_fields(header, sep) for sep in _SEPARATOR_PREFERENCE}
    best = max(_SEPARATOR_PREFERENCE, key=lambda sep: counts[sep])  # first max wins ties
    return best, counts[best]


def _read_text(text: str, *, label: str, separator: str | None) -> Table:
    if not text.strip():
        raise TableUnreadable([Problem(file=label, row=1, expected="a header row",
                                       found="only blank lines")])
    header = next(line for line in text.splitlines() if line.strip())
    if separator:
        separator = {"tab": "\t", "\\t": "\t"}.get(separator, separator)
        fields = _header_fields(header, separator)
    else:
        separator, fields = sniff_separator(text)
    if fields < 2:
        raise TableUnreadable([Problem(
            file=label, row=1, expected="columns separated by ';', ',' or tab; the header "
            "reads as one column", found=header)])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str,
                            keep_default_na=False, skip_blank_lines=True)
    except pd.errors.ParserError as error:
        match = re.search(r"line (\d+), saw (\d+)", str(error))
        row = int(match.group(1)) if match else None
        found = f"{match.group(2)} fields" if match else str(error)
        raise TableUnreadable([Problem(file=label, row=row, expected=f"{fields} fields "
                                       f"separated by {SEPARATORS.get(separator, separator)}",
                                       found=found)]) from None
    return Table(frame=frame, label=label, separator=separator)


def _read_workbook(path: Path, *, label: str, sheet: str | int | None) -> Table:
    wanted: str | int = 0
    if sheet not in (None, ""):
        wanted = int(sheet) - 1 if str(sheet).isdigit() else str(sheet)
    try:
        frame = pd.read_excel(path, sheet_name=wanted, engine="calamine", dtype=object)
    except ValueError as error:
        if "worksheet" in str(error).lower():
            raise TableUnreadable([Problem(file=label, expected="a sheet that the workbook "
                                           "has (--sheet: a name or a number from 1)",
                                           found=str(sheet))]) from None
        raise TableUnreadable([_not_a_workbook(label, error)]) from None
    except Exception as error:  # calamine raises its own types for broken files
        raise TableUnreadable([_not_a_workbook(label, error)]) from None
    frame = frame.dropna(how="all")
    return Table(frame=frame, label=label, notes=[])


def _not_a_workbook(label: str, error: Exception) -> Problem:
    return Problem(file=label, expected="a spreadsheet workbook (xlsx, xls or ods) as its "
                   "name says; it could not be opened as one", found=str(error) or
                   type(error).__name__)


def cell_text(series: pd.Series) -> pd.Series:
    """Cells as stripped text: empty for missing, ``2024`` (not ``2024.0``) for whole numbers."""
    def one(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            if math.isnan(value):
                return ""
            if value.is_integer():
                return str(int(value))
        return str(value).strip()

    if series.dtype == object or not pd.api.types.is_string_dtype(series):
        return series.map(one).astype(str)
    return series.fillna("").str.strip()


def parse_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`base.parse_number` over a column: ``(values, statuses)``.

    Each distinct cell is parsed once (files repeat values a lot). A status of ``None``
    marks a cell that is no number.
    """
    uniques = pd.Index(pd.unique(series.to_numpy(dtype=object)))
    parsed = [parse_number(value) for value in uniques]
    # Index lookup matches NaN cells too, which a dict keyed by float('nan') would not.
    where = uniques.get_indexer(series.to_numpy(dtype=object))
    values = pd.Series([p[0] for p in parsed], dtype="float64").to_numpy()[where]
    statuses = pd.Series([p[1] for p in parsed], dtype=object).to_numpy()[where]
    return (pd.Series(values, index=series.index, dtype="float64"),
            pd.Series(statuses, index=series.index, dtype=object))


def find_column(columns: list[str], candidates: list[str]) -> str | None:
    """The first column whose name, lowercased, is one of ``candidates`` (in their order)."""
    by_name = {c.lower(): c for c in reversed(columns)}
    for wanted in candidates:
        if wanted in by_name:
            return by_name[wanted]
    return None


def missing_column(label: str, option: str, name: str, columns: list[str]) -> Problem:
    shown = ", ".join(columns[:15]) + (" ..." if len(columns) > 15 else "")
    return Problem(file=label, row=1, column=name,
                   expected=f"a column {name!r} ({option}); the columns are: {shown}",
                   found="no such column")


_PERIOD_FORMS = [
    (re.compile(r"^(\d{4})(?:\.0+)?$"), "{0}"),
    (re.compile(r"^(\d{4})JJ00$"), "{0}"),
    (re.compile(r"^(\d{4})[-_ ]?Q([1-4])$"), "{0}-Q{1}"),
    (re.compile(r"^(\d{4})KW0([1-4])$"), "{0}-Q{1}"),
    (re.compile(r"^(\d{4})[-_ ]?(?:MM)?(0[1-9]|1[0-2])$"), "{0}-{1}"),
]
PERIOD_EXAMPLES = "2024, 2024-Q1, 2024Q1, 2024-03, or CBS 2024JJ00, 2024KW01, 2024MM03"


def normalise_period(raw: object) -> str | None:
    """A period as wijkbalans stores it (``YYYY``, ``YYYY-Qn``, ``YYYY-MM``), or None.

    >>> [normalise_period(p) for p in ("2024JJ00", "2024q1", "2024KW02", "2024-03", "24")]
    ['2024', '2024-Q1', '2024-Q2', '2024-03', None]
    """
    text = str(raw).strip().upper()
    for pattern, form in _PERIOD_FORMS:
        match = pattern.match(text)
        if match and 1900 <= int(match.group(1)) <= 2100:
            return form.format(*match.groups())
    return None
