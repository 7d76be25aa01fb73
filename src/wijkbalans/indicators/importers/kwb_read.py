"""Reading a KWB file into a table of texts: StatLine CSV or OData TypedDataSet JSON.

Encoding rule: with ``--encoding`` the file must decode in that encoding (``utf-8``
tolerates a byte-order mark); without it, UTF-8 (with or without BOM) is tried first and a
file that is not valid UTF-8 is read as cp1252 (latin-1 if even that fails) with a note
saying so. UTF-16 files are refused: StatLine writes UTF-8, and a UTF-16 file is a sign of
a spreadsheet that saved the export again.

CSV rule: the separator is ``;`` or ``,``, whichever splits the header into more columns;
a header that splits into one column is refused (a tab-separated file among them). Every
row must have as many fields as the header. Blank lines are skipped. Columns with an
empty header (the row index R writes first) are dropped.

JSON rule: an object with a ``value`` list of records (as the OData API returns it) or a
plain list of records, each a JSON object.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .base import ImportFailed, Problem, Progress

CHUNK = 5000  # rows between progress reports


@dataclass
class Table:
    """A file's cells as text. ``data`` has one column per entry of ``columns`` (the header
    or OData key, in file order); ``rows`` holds each row's line (CSV) or record number."""

    kind: str  # "csv" or "odata"
    columns: list[str]
    data: pd.DataFrame
    rows: np.ndarray
    notes: list[str] = field(default_factory=list)


def _line_of(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1


def decode(raw: bytes, label: str, encoding: str | None) -> tuple[str, list[str]]:
    """The file's text, following the encoding rule of this module."""
    notes: list[str] = []
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:4096]
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFailed([Problem(file=label, expected="a known --encoding such as "
                                        "utf-8 or cp1252", found=encoding)]) from None
        if name == "utf-8":
            name = "utf-8-sig"
        try:
            return raw.decode(name), notes
        except UnicodeDecodeError as error:
            raise ImportFailed([Problem(
                file=label, row=_line_of(raw, error.start),
                expected=f"text in {encoding} (--encoding); leave --encoding out to let the "
                "importer fall back to cp1252",
                found=f"byte 0x{raw[error.start]:02x} that is not valid {encoding}")]) from None
    if utf16:
        raise ImportFailed([Problem(
            file=label, expected="a UTF-8 (or cp1252) text file as StatLine exports it; this "
            "file looks like UTF-16 (save it as 'CSV UTF-8', or pass --encoding utf-16)",
            found="a UTF-16 byte-order mark or NUL bytes")])
    try:
        return raw.decode("utf-8-sig"), notes
    except UnicodeDecodeError as error:
        where = f"byte 0x{raw[error.start]:02x} on line {_line_of(raw, error.start)}"
    try:
        text, used = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, used = raw.decode("latin-1"), "latin-1"
    notes.append(f"the file is not valid UTF-8 ({where}); it was read as {used}. Check the "
                 "area names, or pass --encoding.")
    return text, notes


def _choose_separator(first_line: str, label: str) -> str:
    counts = {sep: len(next(csv.reader([first_line], delimiter=sep)))
              for sep in (";", ",", "\t")}
    best = max((";", ",", "\t"), key=lambda sep: counts[sep])
    if counts[best] > 1 and best != "\t":
        return best
    hint = ("it is separated by tabs" if best == "\t" and counts[best] > 1 else
            "the header does not split into columns")
    raise ImportFailed([Problem(
        file=label, row=1, expected="a CSV file separated by ';' or ',' (a StatLine export); "
        f"{hint}", found=first_line[:60])])


def read_csv(text: str, label: str, progress: Progress) -> Table:
    """The cells of a StatLine CSV export, or every structural problem found."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ImportFailed([Problem(file=label, expected="a header row and data rows; the "
                                    "file holds only white space")])
    sep = _choose_separator(stripped.split("\n", 1)[0].rstrip("\r"), label)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep,
                        strict=True)
    problems: list[Problem] = []
    header: list[str] | None = None
    cells: list[list[str]] = []
    lines: list[int] = []
    blank = 0
    try:
        for fields in reader:
            if not fields or all(not f.strip() for f in fields):
                blank += header is not None
                continue
            if header is None:
                header = [f.strip() for f in fields]
                continue
            if len(fields) != len(header):
                problems.append(Problem(
                    file=label, row=reader.line_num,
                    expected=f"{len(header)} fields separated by {sep!r} as in the header"
                    + (" (the file may be cut off)" if len(fields) < len(header) else ""),
                    found=f"{len(fields)} fields: {sep.join(fields)}"))
                continue
            cells.append(fields)
            lines.append(reader.line_num)
            if len(cells) % CHUNK == 0:
                progress(CHUNK)
    except csv.Error as error:
        problems.append(Problem(file=label, row=reader.line_num,
                                expected="well-formed CSV quoting (the file may be cut off)",
                                found=str(error)))
    if header is None or (not cells and not problems):
        raise ImportFailed(problems + [Problem(file=label, expected="at least one data row "
                                               "below the header", found="no data rows")])
    if problems:
        raise ImportFailed(problems)
    progress(len(cells) % CHUNK)
    data = pd.DataFrame(cells, dtype="string")
    keep = [j for j, name in enumerate(header) if name]
    notes = []
    if len(keep) < len(header):
        notes.append(f"{len(header) - len(keep)} column(s) without a header (a row index) "
                     "were skipped")
    if blank:
        notes.append(f"{blank} blank line(s) skipped")
    data = data[keep]
    data.columns = range(len(keep))
    return Table(kind="csv", columns=[header[j] for j in keep], data=data,
                 rows=np.asarray(lines, dtype=np.int64), notes=notes)


def read_json(text: str, label: str, progress: Progress) -> Table:
    """The records of an OData TypedDataSet, every value as text (``None`` as missing)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed([Problem(file=label, row=error.lineno,
                                    expected="valid JSON (an OData TypedDataSet)",
                                    found=f"{error.msg} at line {error.lineno} column "
                                    f"{error.colno}")]) from None
    records = doc.get("value") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        found = (f"an object with keys {', '.join(list(doc)[:5])}" if isinstance(doc, dict)
                 else type(doc).__name__)
        raise ImportFailed([Problem(file=label, expected="a JSON object with a 'value' list "
                                    "of records, or a list of records", found=found)])
    if not records:
        raise ImportFailed([Problem(file=label, expected="at least one record",
                                    found="an empty list")])
    problems = [Problem(file=label, row=n, expected="each record a JSON object",
                        found=json.dumps(rec)[:60])
                for n, rec in enumerate(records, start=1) if not isinstance(rec, dict)]
    if problems:
        raise ImportFailed(problems)
    columns: list[str] = list(dict.fromkeys(k for rec in records for k in rec))
    frame = pd.DataFrame.from_records(records, columns=columns)
    data = pd.DataFrame({j: _as_text(frame.iloc[:, j]) for j in range(len(columns))})
    progress(len(records))
    return Table(kind="odata", columns=columns, data=data,
                 rows=np.arange(1, len(records) + 1, dtype=np.int64))


def _as_text(column: pd.Series) -> pd.Series:
    """JSON values as the text a CSV would hold: numbers keep their exact ``repr``."""
    if column.dtype == object:
        column = column.map(lambda v: None if v is None else
                            ("true" if v is True else "false" if v is False else v))
    return column.astype("string")
