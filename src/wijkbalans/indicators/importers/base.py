"""What every importer shares: problems, the parsed result, and helpers for reading files.

An importer is a module with ``KIND``, ``HELP``, ``add_arguments(parser)`` and
``parse(path, options, progress) -> Parsed``. ``parse`` reads and validates the *whole*
file and raises :class:`ImportFailed` with every problem it found; it writes nothing.
:func:`wijkbalans.indicators.services.import_file` then loads the result in one
transaction. See docs/importers.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

OBSERVATION_COLUMNS = ["indicator", "area", "period", "value", "status", "row", "column"]
MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where, and what was expected there. ``sheet``
    names the worksheet of a workbook whose sheets are separate tables."""

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    found: str | None = None
    sheet: str | None = None

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
        data = {"file": self.file, "row": self.row, "column": self.column,
                "expected": self.expected, "found": self.found}
        return data if self.sheet is None else {**data, "sheet": self.sheet}


class ImportFailed(Exception):
    """The file cannot be imported. Nothing was written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more problems")
        return f"{len(self.problems)} problem(s); nothing was imported:\n" + "\n".join(
            "  " + s for s in shown
        )


@dataclass
class IndicatorSpec:
    """An indicator definition a file brings. Existing definitions are left as they are."""

    code: str
    name_nl: str
    name_en: str = ""
    theme: str = ""
    unit: str = ""
    polarity: str = "neutral"
    source: str = ""
    licence: str = ""
    description: str = ""
    aggregation: str = "none"
    denominator: str = ""
    decimals: int = 0
    perception: bool = False  # what residents say (a survey), not a registered figure


@dataclass
class AreaRecord:
    """An area as a file describes it for one classification year."""

    code: str
    name: str
    level: str
    year: int
    parent_code: str = ""
    geometry: dict | None = None  # GeoJSON geometry in WGS84
    centroid: tuple[float, float] | None = None  # (lon, lat)
    land_area_ha: float | None = None


@dataclass
class Parsed:
    """What an importer read from a file, validated, ready to load."""

    observations: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=OBSERVATION_COLUMNS)
    )
    indicators: list[IndicatorSpec] = field(default_factory=list)
    areas: list[AreaRecord] = field(default_factory=list)
    # Records deliberately not loaded (e.g. points outside every buurt), reported.
    rejected: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # True when the file's observations may name only areas that exist already (or that
    # the file itself registers); an unknown code is then a problem.
    require_known_areas: bool = True


Progress = Callable[[int], None]


def no_progress(_: int) -> None:
    return None


CATEGORICAL_COLUMNS = ("indicator", "area", "period", "status", "column")


def observations_frame(records: dict[str, list]) -> pd.DataFrame:
    """Build the observation frame with the columns and dtypes the loader expects.

    The text columns repeat a few values millions of times in a national file: they are
    categoricals, which keeps a 2-million-value import in a fraction of the memory and
    makes the duplicate check and the code-to-id mapping work on small integer codes.
    """
    frame = pd.DataFrame(records, columns=OBSERVATION_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="raise").astype("float64")
    for name in CATEGORICAL_COLUMNS:
        frame[name] = frame[name].astype("category")
    return frame


def file_label(path: Path) -> str:
    return Path(path).name


def parse_number(raw: object) -> tuple[float | None, str | None]:
    """Read a number as CBS, RIVM and spreadsheets write it.

    Returns ``(value, status)`` where status is ``"value"`` or ``"missing"``, or
    ``(None, None)`` when the text is no number at all.

    >>> parse_number("  12,5"), parse_number("."), parse_number("1.234"), parse_number("x1")
    ((12.5, 'value'), (None, 'missing'), (1.234, 'value'), (None, None))
    """
    if raw is None:
        return None, "missing"
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int | float):
        if isinstance(raw, float) and math.isnan(raw):
            return None, "missing"
        return float(raw), "value"
    text = str(raw).strip()
    if text in {"", ".", "-", "NA", "nan", "NaN"}:
        return None, "missing"
    if text in {"x", "X"}:
        return None, "suppressed"
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, None
    if math.isnan(value) or math.isinf(value):
        return None, None
    return value, "value"
