"""From a long table (one row per area and period) to the wide matrix the estimators use.

Format: a data frame with a unit column (area code or name), a time column (a year, or a
period label ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` that sorts as text) and numeric outcome
columns. :func:`wide_panel` checks it and returns a :class:`Panel`: ``y`` is
``(units x periods)``, sorted by unit label and period, with ``NaN`` where a value is
missing. Every problem is collected and reported at once in :class:`PanelError`, naming
the column, unit and period concerned, so a user can fix the file in one go.

Example
-------
>>> import pandas as pd
>>> long = pd.DataFrame({"buurt": ["A", "A", "B", "B"], "jaar": [2020, 2021] * 2,
...                      "score": [1.0, 2.0, 3.0, 4.5]})
>>> p = wide_panel(long, unit="buurt", time="jaar", outcome="score")
>>> p.y.tolist(), p.units, p.times
([[1.0, 2.0], [3.0, 4.5]], ('A', 'B'), (2020, 2021))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_LISTED = 20


class PanelError(ValueError):
    """The panel cannot be used as given; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:MAX_LISTED]
        more = len(self.problems) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        super().__init__(text)


@dataclass(frozen=True)
class Panel:
    """A balanced-or-not panel: ``y[i, t]`` is unit ``units[i]`` in period ``times[t]``."""

    units: tuple[str, ...]
    times: tuple
    y: np.ndarray
    outcome: str = "outcome"

    def rows(self, names: Sequence[str]) -> np.ndarray:
        """Row numbers of ``names``; :class:`PanelError` names every unknown unit."""
        lookup = {u: i for i, u in enumerate(self.units)}
        unknown = [n for n in names if n not in lookup]
        if unknown:
            raise PanelError([f"unit {n!r} is not in the panel" for n in unknown])
        return np.array([lookup[n] for n in names], dtype=int)

    def column(self, period) -> int:
        """Column number of ``period`` (a label from ``times``, or text that parses to one)."""
        value = coerce_period(period, self.times)
        if value not in self.times:
            raise PanelError([f"period {period!r} is not in the panel "
                              f"(which runs from {self.times[0]!r} to {self.times[-1]!r})"])
        return self.times.index(value)


def coerce_period(value, times: Sequence):
    """Turn a period given as text (the command line) into the type the panel uses."""
    if times and isinstance(times[0], (int, np.integer)) and not isinstance(value, int):
        try:
            as_float = float(value)
        except (TypeError, ValueError):
            return value
        return int(as_float) if as_float.is_integer() else as_float
    if times and isinstance(times[0], float) and not isinstance(value, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return value


def _plain(value):
    """A numpy scalar as the Python value, so messages read ``2015``, not ``np.int64(2015)``."""
    return value.item() if hasattr(value, "item") else value


def _time_labels(series: pd.Series) -> pd.Series:
    """Whole-number years become ``int``; other labels stay text (they sort as text)."""
    numeric = pd.to_numeric(series, errors="coerce")
    if numeric.notna().all():
        if (numeric == numeric.round()).all():
            return numeric.astype("int64")
        return numeric.astype(float)
    return series.astype(str).str.strip()


def wide_panel(frame: pd.DataFrame, *, unit: str, time: str, outcome: str,
               columns: Sequence[str] = ()) -> Panel:
    """Check the long table and pivot ``outcome`` to a :class:`Panel`.

    ``columns`` are further numeric columns that must be checked the same way (the
    predictors of synthetic control). Raises :class:`PanelError` listing: missing columns,
    empty unit or time labels, values that are not numbers (with unit and period), and
    duplicate unit-period rows. Missing values (empty cells) are allowed here: the donor
    rules decide what to do with an area that has gaps (see ``donors.py``).
    """
    problems: list[str] = []
    wanted = [unit, time, outcome, *columns]
    absent = [c for c in dict.fromkeys(wanted) if c not in frame.columns]
    if absent:
        have = ", ".join(map(str, frame.columns[:30]))
        raise PanelError([f"column {c!r} is not in the table (columns: {have})" for c in absent])
    data = frame[list(dict.fromkeys(wanted))].copy()
    units = data[unit].astype("string").str.strip()
    for label, col in ((unit, units), (time, data[time].astype("string").str.strip())):
        empty = col.isna() | (col == "")
        for row in np.flatnonzero(empty.to_numpy())[:MAX_LISTED]:
            problems.append(f"row {row + 2}: column {label!r} is empty")
    data[unit] = units
    ok = ~(units.isna() | (units == "")) & ~data[time].isna()
    data = data[ok.to_numpy()]
    data[time] = _time_labels(data[time])
    for col in dict.fromkeys([outcome, *columns]):
        raw = data[col]
        numeric = pd.to_numeric(raw, errors="coerce")
        bad = numeric.isna() & raw.notna() & (raw.astype("string").str.strip() != "")
        for i in np.flatnonzero(bad.to_numpy())[:MAX_LISTED]:
            problems.append(f"column {col!r}, unit {_plain(data[unit].iloc[i])!r}, period "
                            f"{_plain(data[time].iloc[i])!r}: expected a number, "
                            f"found {_plain(raw.iloc[i])!r}")
        if bad.sum() > MAX_LISTED:
            problems.append(f"column {col!r}: {int(bad.sum())} values are not numbers in all")
        data[col] = numeric.astype(float)
    dup = data.duplicated([unit, time], keep=False)
    if dup.any():
        pairs = data.loc[dup, [unit, time]].drop_duplicates()
        for u, t in pairs.itertuples(index=False):
            problems.append(f"unit {_plain(u)!r}, period {_plain(t)!r}: more than one row")
    if data.empty:
        problems.append("the table has no usable rows")
    if problems:
        raise PanelError(problems)
    wide = data.pivot(index=unit, columns=time, values=outcome)
    wide = wide.sort_index(axis=0).sort_index(axis=1)
    times = tuple(_plain(v) for v in wide.columns)
    return Panel(units=tuple(str(u) for u in wide.index), times=times,
                 y=wide.to_numpy(dtype=float), outcome=outcome)


def unit_means(frame: pd.DataFrame, *, unit: str, time: str, column: str, units: Sequence[str],
               periods: Sequence) -> np.ndarray:
    """Mean of ``column`` per unit over ``periods``, ignoring gaps (Synth's ``dataprep`` rule).

    Used to build synthetic-control predictors. A unit with no value at all in the periods
    gets ``NaN``; the donor rules then leave it out, or it is an error for a treated unit.
    """
    data = frame[[unit, time, column]].copy()
    data[unit] = data[unit].astype("string").str.strip()
    data[time] = _time_labels(data[time])
    data[column] = pd.to_numeric(data[column], errors="coerce")
    keep = data[time].isin(list(periods))
    means = data[keep].groupby(unit)[column].mean()
    return means.reindex(list(units)).to_numpy(dtype=float)


@dataclass(frozen=True)
class Design:
    """Who is treated and when: row numbers of treated and control units, and the first
    post-period column for each treated unit (``starts``; all equal for a block design)."""

    treated: np.ndarray
    controls: np.ndarray
    starts: np.ndarray

    @property
    def staggered(self) -> bool:
        return len(set(self.starts.tolist())) > 1

    @property
    def start(self) -> int:
        """The first post-period column (the earliest start when staggered)."""
        return int(self.starts.min())


def design(panel: Panel, *, treated: Sequence[str], starts: Sequence,
           min_pre: int = 1) -> Design:
    """Resolve treated unit names and start periods against the panel.

    ``starts`` holds one period for all treated units, or one per treated unit (staggered
    adoption, for ``did`` only). Every treated unit needs at least ``min_pre`` periods
    before its start and one from it on.
    """
    problems: list[str] = []
    if not treated:
        problems.append("no treated unit given")
    if len(starts) not in (1, len(treated)):
        problems.append(f"give one start period, or one per treated unit ({len(treated)}), "
                        f"not {len(starts)}")
    if len(set(treated)) != len(treated):
        problems.append("a treated unit is named twice")
    if problems:
        raise PanelError(problems)
    rows = panel.rows(list(treated))
    cols = []
    for s in starts:
        cols.append(panel.column(s))
    cols = np.array(cols * (len(treated) if len(cols) == 1 else 1), dtype=int)
    for name, col in zip(treated, cols, strict=True):
        if col < min_pre:
            problems.append(f"unit {name!r}: {col} period(s) before the start "
                            f"{panel.times[col]!r}, at least {min_pre} needed")
    if problems:
        raise PanelError(problems)
    controls = np.setdiff1d(np.arange(len(panel.units)), rows)
    return Design(treated=rows, controls=controls, starts=cols)


def jsonable(value):
    """Numbers, arrays and period labels as plain JSON values; NaN and inf become None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
