"""Orientation and standardisation of indicators against a reference.

Format
------
A *panel* is a long data frame with columns ``area`` (CBS code), ``period`` (``YYYY``,
``YYYY-Qn`` or ``YYYY-MM``), ``indicator`` (code) and ``value`` (float, NaN when missing or
suppressed); one row per area, period and indicator. An *indicator table* has one row per
indicator with ``code``, ``theme`` and ``polarity`` (``higher_better``, ``higher_worse`` or
``neutral``), and optionally ``aggregation`` and ``denominator``.

Rule
----
Each indicator is standardised against a *reference*: a set of areas (default: every area
in the panel, which is "the country" for a national panel and "the city" for a city's
buurten) in a reference period (default: the same period; with ``base_period`` the base
period's statistics serve every period, so a trend is absolute, not re-ranked each year).

    z_problem = s_i * (x - mean_ref) / sd_ref,   s_i = +1 (higher_worse), -1 (higher_better)

``mean_ref`` and ``sd_ref`` are the unweighted mean and population standard deviation
(``ddof=0``; the reference areas are all areas, not a sample) of the reference areas with a
value. The orientation is the same everywhere in this package: **positive z_problem means
worse than the reference**. Neutral indicators have no orientation and get NaN. An
indicator with ``sd_ref == 0`` or no reference value cannot be standardised: NaN, never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

HIGHER_BETTER = "higher_better"
HIGHER_WORSE = "higher_worse"
NEUTRAL = "neutral"
POLARITIES = (HIGHER_BETTER, HIGHER_WORSE, NEUTRAL)

# The default domains (themes) of the stacking index; codes as in indicators.catalogue.
DEFAULT_THEMES: tuple[str, ...] = (
    "work_income", "poverty", "education", "housing", "health", "safety", "physical", "social",
)
PANEL_COLUMNS = ("area", "period", "indicator", "value")


def orientation(polarity: str) -> float:
    """The sign that turns a value into a problem score: +1, -1, or NaN for neutral.

    >>> orientation("higher_worse"), orientation("higher_better")
    (1.0, -1.0)
    """
    if polarity == HIGHER_WORSE:
        return 1.0
    if polarity == HIGHER_BETTER:
        return -1.0
    if polarity == NEUTRAL:
        return float("nan")
    raise ValueError(f"unknown polarity {polarity!r}; expected one of {POLARITIES}")


def indicator_table(indicators: pd.DataFrame | Iterable) -> pd.DataFrame:
    """The indicator table as a frame indexed by code, validated.

    Accepts a frame with ``code``, ``theme``, ``polarity`` (and optionally ``aggregation``,
    ``denominator``), or an iterable of objects or dicts with those attributes (such as
    ``IndicatorSpec``). Missing ``aggregation`` defaults to ``none``, ``denominator`` to ``""``.
    """
    if isinstance(indicators, pd.DataFrame):
        frame = indicators.copy()
    else:
        rows = []
        for item in indicators:
            fields = ("code", "theme", "polarity", "aggregation", "denominator")
            if isinstance(item, dict):
                rows.append({k: item.get(k) for k in fields})
            else:
                rows.append({k: getattr(item, k, None) for k in fields})
        frame = pd.DataFrame(rows)
    missing = {"code", "theme", "polarity"} - set(frame.columns)
    if missing:
        raise ValueError(f"indicator table lacks column(s) {sorted(missing)}")
    if "aggregation" not in frame:
        frame["aggregation"] = "none"
    if "denominator" not in frame:
        frame["denominator"] = ""
    frame["aggregation"] = frame["aggregation"].fillna("none")
    frame["denominator"] = frame["denominator"].fillna("")
    bad = sorted(set(frame["polarity"]) - set(POLARITIES))
    if bad:
        raise ValueError(f"unknown polarity {bad}; expected one of {POLARITIES}")
    if frame["code"].duplicated().any():
        repeated = sorted(frame["code"][frame["code"].duplicated()])
        raise ValueError(f"duplicate indicator codes {repeated}")
    return frame.set_index("code")[["theme", "polarity", "aggregation", "denominator"]]


@dataclass(frozen=True)
class Cube:
    """A panel as a dense array ``values[period, area, indicator]`` (NaN = no value)."""

    values: np.ndarray
    periods: pd.Index
    areas: pd.Index
    indicators: pd.Index

    def select(self, indicators: Sequence[str]) -> Cube:
        """The cube restricted to ``indicators`` (in that order)."""
        where = self.indicators.get_indexer(list(indicators))
        if (where < 0).any():
            raise KeyError([c for c, w in zip(indicators, where, strict=True) if w < 0])
        # Fancy indexing on the last axis returns a non-C-ordered array; every array derived
        # from it would inherit that layout and cost a strided copy when flattened.
        values = np.ascontiguousarray(self.values[:, :, where])
        return Cube(values, self.periods, self.areas, pd.Index(indicators))

    def area_period(self, series: pd.Series) -> np.ndarray:
        """A ``(period, area)`` array from a series indexed by (area, period); NaN elsewhere."""
        out = np.full((len(self.periods), len(self.areas)), np.nan)
        areas = self.areas.get_indexer(series.index.get_level_values(0))
        periods = self.periods.get_indexer(series.index.get_level_values(1).astype(str))
        ok = (areas >= 0) & (periods >= 0)
        out[periods[ok], areas[ok]] = series.to_numpy(dtype=float)[ok]
        return out


def _factorize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted codes and uniques of an object array, exploiting the layout of a panel.

    Hashing millions of strings dominates the cost of a pivot, so two common layouts are
    recognised first: runs of equal values (a column the panel is sorted by) and a block
    repeated end to end (the innermost column of a complete panel). Both are verified on
    the whole array; anything else falls back to plain factorisation.
    """
    n = len(x)
    if n > 4096:
        head = x[:4096]
        if (head[1:] != head[:-1]).sum() * 4 < len(head):  # runs, judging by the head
            starts = np.flatnonzero(np.concatenate(([True], x[1:] != x[:-1])))
            if len(starts) * 4 < n:
                codes, uniques = pd.factorize(x[starts], sort=True)
                return np.repeat(codes, np.diff(np.append(starts, n))), uniques
        again = np.flatnonzero(head[1:] == x[0])
        if len(again):
            k = int(again[0]) + 1
            if (x[k:] == x[:-k]).all():
                codes, uniques = pd.factorize(x[:k], sort=True)
                return np.tile(codes, n // k + 1)[:n], uniques
    return pd.factorize(x, sort=True)


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Categoricals carry their codes already; only the order of the categories changes.
        cats = np.asarray(column.cat.categories.astype(str), dtype=object)
        order = np.argsort(cats, kind="stable")
        remap = np.empty(len(order), dtype=np.int64)
        remap[order] = np.arange(len(order))
        codes = column.cat.codes.to_numpy()
        if (codes < 0).any():
            raise ValueError(f"column {column.name!r} has missing codes")
        return remap[codes], pd.Index(cats[order])
    codes, uniques = _factorize(column.to_numpy(dtype=object))
    if len(codes) and codes.min() < 0:
        raise ValueError(f"column {column.name!r} has missing codes")
    return codes, pd.Index(uniques).astype(str)


def to_cube(panel: pd.DataFrame) -> Cube:
    """Pivot a long panel into a :class:`Cube`; areas, periods and indicators sorted.

    A repeated (area, period, indicator) is an error: which value counts would be a guess.
    """
    missing = set(PANEL_COLUMNS) - set(panel.columns)
    if missing:
        raise ValueError(f"panel lacks column(s) {sorted(missing)}")
    a, areas = _codes(panel["area"])
    p, periods = _codes(panel["period"])
    i, indicators = _codes(panel["indicator"])
    flat = (p * len(areas) + a) * len(indicators) + i
    size = len(periods) * len(areas) * len(indicators)
    seen = np.zeros(size, dtype=bool)
    seen[flat] = True
    if np.count_nonzero(seen) != len(flat):
        dup = panel[pd.Series(flat).duplicated(keep=False).to_numpy()].head(3)
        raise ValueError(f"panel has repeated (area, period, indicator) rows, e.g.\n{dup}")
    values = np.full(size, np.nan)
    column = panel["value"]
    if not pd.api.types.is_float_dtype(column.dtype):
        column = pd.to_numeric(column)
    values[flat] = column.to_numpy(dtype=float, na_value=np.nan)
    values = values.reshape(len(periods), len(areas), len(indicators))
    return Cube(values, periods, areas, indicators)


@dataclass(frozen=True)
class Reference:
    """What an area is compared with.

    ``areas``: the reference areas (None = every area in the panel). ``base_period``: the
    period whose statistics serve every period (None = each period against itself).
    """

    areas: tuple[str, ...] | None = None
    base_period: str | None = None
    label: str = ""


def reference_mask(cube: Cube, reference: Reference) -> np.ndarray:
    """Boolean ``(area,)`` mask of the reference areas present in the cube."""
    if reference.areas is None:
        return np.ones(len(cube.areas), dtype=bool)
    mask = cube.areas.isin(list(reference.areas))
    if not mask.any():
        raise ValueError("none of the reference areas is in the panel")
    return np.asarray(mask)


def reference_period_index(cube: Cube, reference: Reference) -> np.ndarray:
    """For each period, the index of the period whose reference statistics apply."""
    if reference.base_period is None:
        return np.arange(len(cube.periods))
    where = cube.periods.get_indexer([str(reference.base_period)])[0]
    if where < 0:
        raise ValueError(f"base period {reference.base_period!r} is not in the panel")
    return np.full(len(cube.periods), where)


def reference_stats(
    values: np.ndarray, in_reference: np.ndarray, ref_period: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and population sd per (period, indicator) of the reference, NaN-aware.

    ``values`` is ``(P, A, K)``; ``in_reference`` is ``(P, A)`` (area counts in the reference
    in that period); ``ref_period[p]`` says whose statistics period ``p`` uses.
    """
    masked = np.where(in_reference[:, :, None], values, np.nan)
    present = ~np.isnan(masked)
    n = present.sum(axis=1)
    total = np.where(present, masked, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        dev = np.where(present, masked - mean[:, None, :], 0.0)
        sd = np.sqrt((dev * dev).sum(axis=1) / n)
    mean, sd = mean[ref_period], sd[ref_period]
    sd = np.where(sd > 0, sd, np.nan)  # a constant indicator cannot be standardised
    return mean, sd


def signs_for(indicators: Sequence[str], table: pd.DataFrame) -> np.ndarray:
    """Orientation signs (+1 higher_worse, -1 higher_better, NaN neutral) per indicator."""
    return np.array([orientation(table.at[c, "polarity"]) for c in indicators])


def problem_z(
    values: np.ndarray, signs: np.ndarray, mean: np.ndarray, sd: np.ndarray
) -> np.ndarray:
    """``s * (x - mean) / sd`` over a ``(P, A, K)`` array; positive = worse than the reference."""
    return signs[None, None, :] * (values - mean[:, None, :]) / sd[:, None, :]


def standardise(
    panel: pd.DataFrame,
    indicators: pd.DataFrame | Iterable,
    *,
    reference: Reference | None = None,
    exclude: pd.Series | None = None,
) -> pd.DataFrame:
    """Oriented z-scores of every indicator in the panel that the table knows.

    ``exclude``: optional boolean series indexed by (area, period); True keeps the
    area-period out of the reference statistics (e.g. areas below a minimum population).

    Returns a frame with ``area, period, indicator, value, ref_mean, ref_sd, z_problem``.

    >>> panel = pd.DataFrame({"area": ["a", "b", "c"], "period": "2020",
    ...                       "indicator": "x", "value": [1.0, 2.0, 3.0]})
    >>> table = pd.DataFrame({"code": ["x"], "theme": ["poverty"], "polarity": ["higher_worse"]})
    >>> standardise(panel, table)["z_problem"].round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    reference = reference or Reference()
    table = indicator_table(indicators)
    cube = to_cube(panel)
    known = [c for c in cube.indicators if c in table.index]
    cube = cube.select(known)
    in_ref = np.broadcast_to(reference_mask(cube, reference), cube.values.shape[:2]).copy()
    if exclude is not None:
        in_ref &= ~(cube.area_period(exclude.astype(float)) == 1.0)
    mean, sd = reference_stats(cube.values, in_ref, reference_period_index(cube, reference))
    z = problem_z(cube.values, signs_for(known, table), mean, sd)
    shape = cube.values.shape
    p, a, k = (ix.ravel() for ix in np.indices(shape))
    out = pd.DataFrame({
        "area": cube.areas.to_numpy()[a],
        "period": cube.periods.to_numpy()[p],
        "indicator": cube.indicators.to_numpy()[k],
        "value": cube.values.ravel(),
        "ref_mean": np.repeat(mean[:, None, :], shape[1], axis=1).ravel(),
        "ref_sd": np.repeat(sd[:, None, :], shape[1], axis=1).ravel(),
        "z_problem": z.ravel(),
    })
    # Only the rows the panel had: the cube fills absent combinations with NaN.
    keys = panel[["area", "period", "indicator"]].astype(str)
    return out.merge(keys, on=["area", "period", "indicator"], how="inner").reset_index(drop=True)
