"""What is wrong with a workbook: one :class:`SheetProblem` per thing, all of them at once.

They are the data importers' problems (:mod:`wijkbalans.indicators.importers.base`)
with the sheet: each names the file, the sheet, the row (the header is row 1), the
column, what was expected there and what was found.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wijkbalans.indicators.importers.base import ImportFailed, Problem

# The data importers' problem, with its sheet.
SheetProblem = Problem


class WorkbookInvalid(ImportFailed):
    """The workbook cannot be imported. Nothing was written."""


def found_text(value: Any) -> str | None:
    """A cell's value as a problem shows it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
