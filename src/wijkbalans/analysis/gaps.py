"""Gaps to a reference and how much of the base gap has closed.

Format: ``values`` with a unit column (``area`` or ``area_set``), ``period``, the key
column(s) (``indicator`` or ``domain``) and ``value``; ``reference`` with ``period``, the
same key column(s) and ``value`` (e.g. the city per period).

Rule, per unit and key:

    G_t = value_t - reference_t                       the gap in period t
    C_t = 1 - G_t / G_base                            closure since the base period

C = 0: the gap is as in the base period; C = 1: closed; C > 1: the area overtook the
reference; C < 0: the gap widened. ``G_base = 0`` leaves nothing to close, so C is NaN
with the reason "no gap in base period"; a missing value or reference gives NaN with its
reason, never 0. With ``polarities`` the frame also has ``gap_problem = s * G_t`` (s = +1
for higher_worse, -1 for higher_better): positive means the unit is worse off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .standardise import orientation

REASONS = {
    "no_value": "no value or reference in this period",
    "no_base": "no value or reference in the base period",
    "zero_base": "no gap in base period",
}


def reference_mean(
    values: pd.DataFrame,
    *,
    areas: Iterable[str] | None = None,
    on: Sequence[str] = ("indicator",),
    unit: str = "area",
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """The mean over reference ``areas`` (None = all) per period and key; NaN is skipped.

    ``weights``: optional series indexed by (area, period) for a weighted mean (e.g. the
    population). Returns ``period, *on, value``.
    """
    frame = values if areas is None else values[values[unit].isin(list(areas))]
    frame = frame[frame["value"].notna()]
    keys = ["period", *on]
    if weights is None:
        out = frame.groupby(keys, sort=True, observed=True)["value"].mean()
    else:
        w = weights.reindex(pd.MultiIndex.from_arrays([frame[unit], frame["period"]]))
        w = pd.Series(w.to_numpy(dtype=float), index=frame.index)
        ok = w.notna()
        frame, w = frame[ok], w[ok]
        num = (frame["value"] * w).groupby([frame[k] for k in keys], observed=True).sum()
        out = num / w.groupby([frame[k] for k in keys], observed=True).sum()
    return out.rename("value").reset_index()


def gaps(
    values: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    base_period: str,
    on: Sequence[str] = ("indicator",),
    unit: str = "area",
    polarities: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Gap and closure per unit, key and period against the base period.

    Returns ``unit, *on, period, value, reference, gap, gap_base, closure, reason`` (and
    ``gap_problem`` with ``polarities``, keyed by the first key column).

    >>> v = pd.DataFrame({"area": "A", "period": ["2020", "2024"], "indicator": "x",
    ...                   "value": [30.0, 25.0]})
    >>> r = pd.DataFrame({"period": ["2020", "2024"], "indicator": "x", "value": [20.0, 20.0]})
    >>> gaps(v, r, base_period="2020")[["gap", "closure"]].to_numpy().tolist()
    [[10.0, 0.0], [5.0, 0.5]]
    """
    on = list(on)
    ref = reference[["period", *on, "value"]].rename(columns={"value": "reference"})
    ref = ref.assign(period=ref["period"].astype(str))
    frame = values[[unit, "period", *on, "value"]].assign(period=values["period"].astype(str))
    frame = frame.merge(ref, on=["period", *on], how="left")
    frame["gap"] = frame["value"] - frame["reference"]
    base = frame.loc[frame["period"] == str(base_period), [unit, *on, "gap"]]
    if base.duplicated([unit, *on]).any():
        raise ValueError("values have repeated rows for the base period")
    frame = frame.merge(base.rename(columns={"gap": "gap_base"}), on=[unit, *on], how="left")
    g, g0 = frame["gap"].to_numpy(dtype=float), frame["gap_base"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        closure = 1.0 - g / g0
    reason = np.select(
        [np.isnan(g0), g0 == 0, np.isnan(g)],
        [REASONS["no_base"], REASONS["zero_base"], REASONS["no_value"]], default="")
    frame["closure"] = np.where(reason == "", closure, np.nan)
    frame["reason"] = reason
    if polarities is not None:
        sign = frame[on[0]].map(lambda code: orientation(polarities.get(code, "neutral")))
        frame["gap_problem"] = sign.to_numpy(dtype=float) * g
    cols = [unit, *on, "period", "value", "reference", "gap", "gap_base", "closure", "reason"]
    if polarities is not None:
        cols.append("gap_problem")
    return frame[cols].sort_values([unit, *on, "period"]).reset_index(drop=True)
