"""What is wrong with a workbook: one :class:`SheetProblem` per thing, all of them at once.

They follow the data importers' problems (:mod:`wijkbalans.indicators.importers.base`)
and add the sheet: each names the file, the sheet, the row (the header is row 1), the
column, what was expected there and what was found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong with a workbook: where, and what was expected there."""

    file: str
    expected: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f", sheet {self.sheet!r}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        text = f"{where}: expected {self.expected}"
        if self.found is not None:
            shown = self.found if len(self.found) <= 60 else self.found[:57] + "..."
            text += f", found {shown!r}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "expected": self.expected, "found": self.found}


class WorkbookInvalid(Exception):
    """The workbook cannot be imported. Nothing was written."""

    def __init__(self, problems: Iterable[SheetProblem]):
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more problems")
        return f"{len(self.problems)} problem(s); nothing was imported:\n" + "\n".join(
            "  " + s for s in shown)


def found_text(value: Any) -> str | None:
    """A cell's value as a problem shows it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
