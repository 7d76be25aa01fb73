"""Reading a workbook into rows: every sheet present, every header known, every cell of
its column's type, every key once. Collects every problem; writes nothing.

References between sheets and to the database are checked next, in ``checks``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from . import cells
from . import schema as s
from .problems import SheetProblem, found_text

BAD = object()  # a cell that did not parse; checks that need it are skipped


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]

    def good(self, *names: str) -> bool:
        return all(self.values[n] is not BAD for n in names)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def key(self) -> tuple:
        return tuple(self.values[n] for n in s.SHEET_BY_NAME[self.sheet].key)


@dataclass
class Parsed:
    file: str
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[SheetProblem] = field(default_factory=list)

    def problem(self, expected: str, *, sheet: str | None = None, row: int | None = None,
                column: str | None = None, found: Any = None) -> None:
        self.problems.append(SheetProblem(file=self.file, sheet=sheet, row=row,
                                          column=column, expected=expected,
                                          found=found_text(found)))

    def row_problem(self, row: Row, column: str | None, expected: str,
                    found: Any = None) -> None:
        self.problem(expected, sheet=row.sheet, row=row.number, column=column, found=found)


def read_workbook(path: Path, *, label: str) -> Parsed:
    """Every sheet of the workbook at ``path`` as rows of parsed values, with the problems
    found (``parsed.problems``; empty when the workbook reads cleanly)."""
    parsed = Parsed(file=label)
    if not Path(path).is_file():
        parsed.problem("an existing .xlsx file", found=str(path))
        return parsed
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        parsed.problem("an Excel workbook (.xlsx), as `wijkbalans programmes export` writes",
                       found=type(error).__name__)
        return parsed
    try:
        names = list(book.sheetnames)
        for name in names:
            if name != s.README and name not in s.SHEET_BY_NAME:
                parsed.problem("only the sheets " + ", ".join([s.README, *s.SHEET_BY_NAME]),
                               sheet=name, found=name)
        for sheet in s.SHEETS:
            if sheet.name not in names:
                parsed.problem(f"a sheet named {sheet.name!r} (it may have no rows, but "
                               "needs its header row)", sheet=sheet.name)
                continue
            ws = book[sheet.name]
            ws.reset_dimensions()  # some programs write a wrong size; read every row
            parsed.rows[sheet.name] = _read_sheet(parsed, sheet, ws.iter_rows(values_only=True))
    finally:
        book.close()
    return parsed


def _read_sheet(parsed: Parsed, sheet: s.Sheet, lines) -> list[Row]:
    header = next(lines, None) or ()
    columns: dict[int, str] = {}
    for index, raw in enumerate(header):
        if cells.is_empty(raw):
            continue
        name = str(raw).strip()
        letter = get_column_letter(index + 1)
        if name not in sheet.headers:
            parsed.problem("only the columns " + ", ".join(sheet.headers), sheet=sheet.name,
                           row=1, column=letter, found=name)
        elif name in columns.values():
            parsed.problem(f"the column {name!r} once", sheet=sheet.name, row=1,
                           column=letter, found=name)
        else:
            columns[index] = name
    missing = [n for n in sheet.headers if n not in columns.values()]
    for name in missing:
        parsed.problem(f"a column named {name!r} in the header row", sheet=sheet.name, row=1,
                       column=name)
    if missing or len(columns) != sum(1 for raw in header if not cells.is_empty(raw)):
        return []
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    unnamed_reported: set[int] = set()
    for number, line in enumerate(lines, start=2):
        if all(cells.is_empty(raw) for raw in line):
            continue
        values: dict[str, Any] = {}
        for index, raw in enumerate(line):
            if index not in columns:
                if not cells.is_empty(raw) and index not in unnamed_reported:
                    unnamed_reported.add(index)
                    parsed.problem("a column name above these values", sheet=sheet.name,
                                   row=1, column=get_column_letter(index + 1))
                continue
            column = sheet.column(columns[index])
            try:
                values[column.name] = cells.parse(column, raw)
            except cells.CellError as error:
                values[column.name] = BAD
                parsed.problem(str(error), sheet=sheet.name, row=number, column=column.name,
                               found=raw)
        for column in sheet.columns:  # a short line: trailing cells are empty
            if column.name not in values:
                try:
                    values[column.name] = cells.parse(column, None)
                except cells.CellError as error:
                    values[column.name] = BAD
                    parsed.problem(str(error), sheet=sheet.name, row=number,
                                   column=column.name)
        row = Row(sheet=sheet.name, number=number, values=values)
        if row.good(*sheet.key):
            if row.key in seen:
                parsed.row_problem(row, ", ".join(sheet.key), "each key once (the same as "
                                   f"row {seen[row.key]})", found=" / ".join(map(str, row.key)))
                continue
            seen[row.key] = number
        rows.append(row)
    return rows
