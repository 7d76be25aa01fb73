"""Aggregation of areas to area sets (a programme area, a wijk) by each indicator's rule.

Format: a long panel (``area, period, indicator, value``, optionally ``status`` with
``value``/``missing``/``suppressed``), the indicator table (``code, aggregation,
denominator``) and the members of each set (a mapping set -> areas, or a frame with
``area_set, area``).

Rules (docs/indicators.md; "missing" is never read as 0):

* ``sum`` (counts): the sum over all members; NaN if any member has no value, unless
  ``partial_sums=True`` (then the sum of the members with a value, flagged as partial).
* ``weighted_mean`` (rates and shares): ``sum(v_i d_i) / sum(d_i)`` over members with both
  a value and a denominator ``d_i`` (the denominator indicator in the same period).
  ``coverage = sum(d_i, used) / sum(d_i, members with a known denominator)``; NaN when the
  coverage is below ``min_coverage`` or the used weight is 0.
* ``none`` (scores): not aggregable, NaN; a set of one area takes that area's value.

Every member that did not count is listed in ``members`` with its state: ``missing``
(NaN), ``suppressed`` (status says so), ``absent`` (no row) or ``no_denominator``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .standardise import indicator_table

RULES = ("sum", "weighted_mean", "none")


@dataclass(frozen=True)
class Aggregation:
    """``values``: area_set, period, indicator, value, rule, n_members, n_used, coverage,
    reason. ``members``: area_set, period, indicator, area, state, for members not used."""

    values: pd.DataFrame
    members: pd.DataFrame


def membership_frame(members: Mapping[str, Iterable[str]] | pd.DataFrame) -> pd.DataFrame:
    """Members as a frame ``area_set, area`` without repeats."""
    if isinstance(members, pd.DataFrame):
        frame = members[["area_set", "area"]].astype(str)
    else:
        frame = pd.DataFrame([(s, a) for s, areas in members.items() for a in areas],
                             columns=["area_set", "area"], dtype=str)
    return frame.drop_duplicates().reset_index(drop=True)


def aggregate_areas(
    panel: pd.DataFrame,
    indicators: pd.DataFrame | Iterable,
    members: Mapping[str, Iterable[str]] | pd.DataFrame,
    *,
    min_coverage: float = 0.5,
    partial_sums: bool = False,
) -> Aggregation:
    """Values per area set, period and indicator, and the members that did not count.

    >>> panel = pd.DataFrame({"area": ["a", "b", "a", "b"], "period": "2020",
    ...     "indicator": ["pct", "pct", "n", "n"], "value": [10.0, 20.0, 100.0, 300.0]})
    >>> table = pd.DataFrame({"code": ["pct", "n"], "theme": "", "polarity": "neutral",
    ...     "aggregation": ["weighted_mean", "sum"], "denominator": ["n", ""]})
    >>> aggregate_areas(panel, table, {"S": ["a", "b"]}).values[["indicator", "value"]]\\
    ...     .to_numpy().tolist()
    [['n', 400.0], ['pct', 17.5]]
    """
    table = indicator_table(indicators)
    bad = sorted(set(table["aggregation"]) - set(RULES))
    if bad:
        raise ValueError(f"unknown aggregation rule(s) {bad}; expected one of {RULES}")
    lacking = table.index[(table["aggregation"] == "weighted_mean") & (table["denominator"] == "")]
    if len(lacking):
        raise ValueError(f"weighted_mean without a denominator: {sorted(lacking)}")
    m = membership_frame(members)
    data = panel[panel["indicator"].isin(table.index)]
    periods = pd.Index(sorted(data["period"].astype(str).unique()), name="period")
    codes = pd.Index(sorted(data["indicator"].unique()), name="indicator")
    grid = m.merge(pd.DataFrame({"period": periods}), how="cross").merge(
        pd.DataFrame({"indicator": codes}), how="cross")
    keyed = data.assign(period=data["period"].astype(str)).set_index(
        ["area", "period", "indicator"])
    if keyed.index.has_duplicates:
        raise ValueError("panel has repeated (area, period, indicator) rows")
    at = pd.MultiIndex.from_frame(grid[["area", "period", "indicator"]])
    grid["value"] = keyed["value"].reindex(at).to_numpy(dtype=float)
    status = (keyed["status"].reindex(at).to_numpy(dtype=object) if "status" in keyed
              else np.full(len(grid), None, dtype=object))
    present_row = at.isin(keyed.index)
    grid["rule"] = table["aggregation"].reindex(grid["indicator"]).to_numpy()
    den_code = table["denominator"].reindex(grid["indicator"]).to_numpy()
    den_at = pd.MultiIndex.from_arrays([grid["area"], grid["period"], den_code])
    grid["den"] = np.where(grid["rule"] == "weighted_mean",
                           keyed["value"].reindex(den_at).to_numpy(dtype=float), np.nan)

    has_value = grid["value"].notna().to_numpy()
    has_den = grid["den"].notna().to_numpy()
    weighted = (grid["rule"] == "weighted_mean").to_numpy()
    used = has_value & (~weighted | has_den)
    state = np.select(
        [used, has_value & weighted & ~has_den, ~present_row, status == "suppressed"],
        ["used", "no_denominator", "absent", "suppressed"], default="missing")
    grid["used"] = used
    grid["vd"] = np.where(used & weighted, grid["value"] * grid["den"], 0.0)
    grid["d_used"] = np.where(used & weighted, grid["den"], 0.0)
    grid["d_known"] = np.where(weighted & has_den, grid["den"], 0.0)
    grid["v_used"] = np.where(used, grid["value"], 0.0)
    keys = ["area_set", "period", "indicator"]
    g = grid.groupby(keys, sort=True).agg(
        rule=("rule", "first"), n_members=("area", "size"), n_used=("used", "sum"),
        v_sum=("v_used", "sum"), vd=("vd", "sum"), d_used=("d_used", "sum"),
        d_known=("d_known", "sum"), first=("value", "first")).reset_index()
    values, reason, coverage = _apply_rules(g, min_coverage, partial_sums)
    out = g[keys + ["rule", "n_members", "n_used"]].assign(
        value=values, coverage=coverage, reason=reason)
    out = out[keys + ["value", "rule", "n_members", "n_used", "coverage", "reason"]]
    not_used = grid.loc[state != "used", keys + ["area"]].assign(state=state[state != "used"])
    return Aggregation(values=out.reset_index(drop=True),
                       members=not_used.sort_values(keys + ["area"]).reset_index(drop=True))


def _apply_rules(g: pd.DataFrame, min_coverage: float, partial_sums: bool):
    rule = g["rule"].to_numpy(dtype=object)
    n, k = g["n_members"].to_numpy(), g["n_used"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        wmean = g["vd"].to_numpy() / g["d_used"].to_numpy()
        coverage = np.where(rule == "weighted_mean",
                            g["d_used"].to_numpy() / g["d_known"].to_numpy(), k / n)
    complete = k == n
    partial = np.full(len(g), bool(partial_sums))
    values = np.select(
        [(rule == "none") & (n == 1),
         rule == "none",
         (rule == "sum") & (complete | (partial & (k > 0))),
         rule == "sum",
         (rule == "weighted_mean") & (g["d_used"].to_numpy() > 0) & (coverage >= min_coverage)],
        [g["first"].to_numpy(), np.nan, g["v_sum"].to_numpy(), np.nan, wmean],
        default=np.nan)
    reason = np.select(
        [(rule == "none") & (n > 1),
         k == 0,
         (rule == "sum") & ~complete & ~partial,
         (rule == "sum") & ~complete,
         (rule == "weighted_mean") & ~(g["d_used"].to_numpy() > 0),
         (rule == "weighted_mean") & (coverage < min_coverage)],
        ["not aggregable", "no member has a value", "member(s) without a value",
         "partial sum", "no weight", "coverage below minimum"],
        default="")
    return values, reason, coverage
