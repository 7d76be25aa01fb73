"""Targets with a straight path and a status per period (ahead, on track, behind, no data).

A target belongs to one unit (area or area set) and one key (indicator or domain):

* ``value``: reach ``amount`` by the target period (e.g. 60% self-rated good health);
* ``closure``: close the share ``amount`` of the base-period gap to the reference
  (``0.5`` = "half the gap to the city average by 2032"; ``1.0`` with
  :func:`reference_target` = "the city average within 20 years").

Time: ``YYYY`` is t = YYYY, ``YYYY-Qn`` is YYYY + (n-1)/4, ``YYYY-MM`` is YYYY + (m-1)/12.

Path and status rule (docs/methods/stacking.md)::

    required progress  p*(t) = clip((t - t0) / (T - t0), 0, 1)
    actual progress    p(t)  = (v_t - v_0) / (target - v_0)      value targets
                       p(t)  = C_t / amount, C_t = 1 - G_t / G_0  closure targets
    status = "ahead"    if p > p* + tolerance
             "behind"   if p < p* - tolerance
             "on track" otherwise (the band's edges included);
             "no data"  when v_t (or the reference) is missing

The straight path is ``v_0 + p*(t) (target - v_0)`` for value targets and the gap
``G_0 (1 - amount p*(t))`` (closure ``amount p*(t)``) for closure targets. When there is
nothing to move (target = baseline, or G_0 = 0) progress is undefined and the target is
"hold the line": on track while the unit is not on the worse side of the target (by the
key's polarity; for a neutral key, while it is exactly there), else behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .standardise import NEUTRAL, orientation

AHEAD, ON_TRACK, BEHIND, NO_DATA = "ahead", "on track", "behind", "no data"
TOLERANCE = 0.1  # a tenth of the whole distance either side of the path
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2}))?$")


def period_time(period: str) -> float:
    """A period as a decimal year.

    >>> period_time("2024"), period_time("2024-Q3"), period_time("2024-07")
    (2024.0, 2024.5, 2024.5)
    """
    match = _PERIOD.match(str(period))
    if not match:
        raise ValueError(f"period {period!r} is not YYYY, YYYY-Qn or YYYY-MM")
    year, quarter, month = match.groups()
    if quarter:
        return int(year) + (int(quarter) - 1) / 4
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"period {period!r} has no month {month}")
        return int(year) + (int(month) - 1) / 12
    return float(year)


@dataclass(frozen=True)
class Target:
    """One target; see the module docstring for ``kind`` and ``amount``."""

    unit: str
    key: str
    baseline_period: str
    target_period: str
    kind: str
    amount: float
    polarity: str = NEUTRAL

    def __post_init__(self):
        if self.kind not in ("value", "closure"):
            raise ValueError("kind is 'value' or 'closure'")
        if period_time(self.target_period) <= period_time(self.baseline_period):
            raise ValueError("the target period must come after the baseline period")
        orientation(self.polarity)  # validates


def value_target(unit, key, *, baseline: str, target_period: str, value: float,
                 polarity: str = NEUTRAL) -> Target:
    """Reach ``value`` by ``target_period``."""
    return Target(unit, key, str(baseline), str(target_period), "value", float(value), polarity)


def closure_target(unit, key, *, baseline: str, target_period: str, share: float,
                   polarity: str = NEUTRAL) -> Target:
    """Close ``share`` of the base gap to the reference by ``target_period``."""
    return Target(unit, key, str(baseline), str(target_period), "closure", float(share), polarity)


def reference_target(unit, key, *, baseline: str, years: int, polarity: str = NEUTRAL) -> Target:
    """Reach the reference (close the whole gap) within ``years`` of the baseline.

    >>> reference_target("A", "x", baseline="2022", years=20).target_period
    '2042'
    """
    base = str(baseline)
    target = str(int(base[:4]) + int(years)) + base[4:]
    return closure_target(unit, key, baseline=base, target_period=target, share=1.0,
                          polarity=polarity)


def required_progress(target: Target, periods: Iterable[str]) -> np.ndarray:
    """p*(t) for each period: the share of the way the straight path has come."""
    t0, t1 = period_time(target.baseline_period), period_time(target.target_period)
    t = np.array([period_time(p) for p in periods])
    return np.clip((t - t0) / (t1 - t0), 0.0, 1.0)


def target_path(target: Target, periods: Iterable[str], *, baseline_value: float,
                baseline_gap: float | None = None) -> pd.DataFrame:
    """The straight path: ``period, required, path_value`` (value targets) or
    ``period, required, path_closure, path_gap`` (closure targets, needs ``baseline_gap``)."""
    periods = [str(p) for p in periods]
    req = required_progress(target, periods)
    if target.kind == "value":
        return pd.DataFrame({"period": periods, "required": req,
                             "path_value": baseline_value + req * (target.amount - baseline_value)})
    g0 = np.nan if baseline_gap is None else baseline_gap
    closure = target.amount * req
    return pd.DataFrame({"period": periods, "required": req, "path_closure": closure,
                         "path_gap": g0 * (1.0 - closure)})


def target_status(target: Target, observed: pd.DataFrame, *, tolerance: float = TOLERANCE,
                  periods: Iterable[str] | None = None) -> pd.DataFrame:
    """Status per period from the baseline on.

    ``observed``: ``period, value`` (and ``reference`` for closure targets) of this unit and
    key. ``periods``: the periods to report (default: the observed ones from the baseline
    on, and the target period). Returns ``unit, key, period, value, reference, progress,
    required, path, status, reason``; ``path`` is the path value (value targets) or the
    path closure (closure targets).
    """
    obs = observed.assign(period=observed["period"].astype(str)).set_index("period")
    if obs.index.has_duplicates:
        raise ValueError("observed has repeated periods")
    t0 = period_time(target.baseline_period)
    if periods is None:
        periods = [p for p in obs.index if period_time(p) >= t0]
        periods = sorted(set(periods) | {target.target_period}, key=period_time)
    periods = [str(p) for p in periods if period_time(p) >= t0]
    value = obs["value"].reindex(periods).to_numpy(dtype=float)
    ref = (obs["reference"].reindex(periods).to_numpy(dtype=float) if "reference" in obs
           else np.full(len(periods), np.nan))
    base = obs.reindex([target.baseline_period])
    v0 = float(base["value"].iloc[0])
    req = required_progress(target, periods)
    sign = orientation(target.polarity)
    if target.kind == "value":
        distance = target.amount - v0
        with np.errstate(invalid="ignore", divide="ignore"):
            progress = (value - v0) / distance
        path = v0 + req * distance
        off_target = value - target.amount  # for "hold the line"
        missing = np.isnan(value)
    else:
        if "reference" not in obs:
            raise ValueError("a closure target needs a 'reference' column")
        g0 = v0 - float(base["reference"].iloc[0])
        current = value - ref
        with np.errstate(invalid="ignore", divide="ignore"):
            progress = (1.0 - current / g0) / target.amount
        distance = g0 * target.amount
        path = target.amount * req
        off_target = current - g0 * (1.0 - target.amount)
        missing = np.isnan(current)
    status, reason = _status(progress, req, tolerance, missing, distance, off_target, sign)
    if np.isnan(v0) or (target.kind == "closure" and np.isnan(distance)):
        status = np.full(len(periods), NO_DATA, dtype=object)
        reason = np.full(len(periods), "no baseline value", dtype=object)
    return pd.DataFrame({
        "unit": target.unit, "key": target.key, "period": periods, "value": value,
        "reference": ref,
        "progress": np.where((status == NO_DATA) | (distance == 0), np.nan, progress),
        "required": req, "path": path, "status": status, "reason": reason,
    })


def _status(progress, req, tolerance, missing, distance, off_target, sign):
    n = len(req)
    status = np.full(n, ON_TRACK, dtype=object)
    reason = np.full(n, "", dtype=object)
    if distance == 0 or np.isnan(distance):
        # Nothing to move: hold the line (by polarity; neutral keys must stay exactly there).
        worse = (sign * off_target > 0) if not np.isnan(sign) else (off_target != 0)
        status[worse] = BEHIND
        reason[:] = "nothing to close: hold the line"
    else:
        # The band's edges count as on track; the epsilon keeps rounding from deciding.
        status[progress > req + tolerance + 1e-9] = AHEAD
        status[progress < req - tolerance - 1e-9] = BEHIND
    status[missing] = NO_DATA
    reason[missing] = "no value in this period"
    return status, reason
