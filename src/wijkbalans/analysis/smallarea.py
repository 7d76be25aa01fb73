"""Small areas: minimum-population flags and empirical Bayes shrinkage of noisy rates.

Flags
-----
An area-period whose population is below ``min_population`` is *small*: its scores are
reported but it is kept out of rankings and reference statistics by default. A missing
population is unknown, not zero, so it never makes an area small.

Shrinkage (Marshall 1991)
-------------------------
Marshall, R.J. (1991). "Mapping disease and mortality rates using empirical Bayes
estimators". *Journal of the Royal Statistical Society, Series C (Applied Statistics)*
40(2), 283-294. The moment ("global") estimator, applied per group of areas that share a
parent (the "local" variant, with the parent as the neighbourhood):

    r_i = x_i / n_i                          raw rate of area i (x events in n persons)
    m   = sum x_i / sum n_i                  the parent's pooled rate (or a given parent rate)
    s2  = sum n_i (r_i - m)^2 / sum n_i      population-weighted variance of the raw rates
    A   = max(0, s2 - m / nbar)              between-area variance, nbar = mean n_i
    C_i = A / (A + m / n_i)                  weight of the area's own rate, 0 <= C_i <= 1
    theta_i = m + C_i (r_i - m)              the shrunk rate

``m / n_i`` is the Poisson sampling variance of ``r_i``; with ``model="binomial"`` it is
``m (1 - m) / n_i`` (proportions). A shrunk rate lies between the raw rate and ``m``, and a
larger denominator keeps more of the area's own rate. Rows without numerator or a positive
denominator get NaN and do not enter the group's moments.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

MIN_POPULATION = 100.0  # a policy choice (see docs/methods/stacking.md), not a CBS rule


def small_area_flags(population: pd.Series, *, min_population: float = MIN_POPULATION) -> pd.Series:
    """True where the population is below ``min_population``; NaN population gives False.

    >>> small_area_flags(pd.Series([50.0, 150.0, float("nan")])).tolist()
    [True, False, False]
    """
    return (population.astype(float) < min_population).fillna(False).astype(bool)


def _sampling_variance(m: np.ndarray, n: np.ndarray, model: str) -> np.ndarray:
    if model == "poisson":
        return m / n
    if model == "binomial":
        return m * (1.0 - m) / n
    raise ValueError("model is 'poisson' or 'binomial'")


def shrink_rates(
    frame: pd.DataFrame,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    by: tuple[str, ...] = ("parent",),
    parent_rate: str | None = None,
    model: str = "poisson",
) -> pd.DataFrame:
    """Marshall's empirical Bayes estimate of each row's rate, shrunk within groups ``by``.

    ``frame`` has one row per area (and e.g. period and indicator, which belong in ``by``).
    ``parent_rate`` optionally names a column with the parent's own rate to shrink towards
    instead of the pooled rate. Returns a copy with ``raw_rate``, ``prior_mean``,
    ``prior_var`` (A), ``weight`` (C_i) and ``shrunk_rate``.

    >>> f = pd.DataFrame({"parent": "GM1", "numerator": [1.0, 30.0, 20.0],
    ...                   "denominator": [10.0, 100.0, 200.0]})
    >>> shrink_rates(f)["shrunk_rate"].round(4).tolist()
    [0.145, 0.2747, 0.1067]
    """
    out = frame.copy()
    x = out[numerator].to_numpy(dtype=float)
    n = out[denominator].to_numpy(dtype=float)
    ok = ~np.isnan(x) & ~np.isnan(n) & (n > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(ok, x / n, np.nan)
    keys = list(by)
    group = (out.groupby(keys, sort=False, dropna=False).ngroup().to_numpy() if keys
             else np.zeros(len(out), dtype=int))
    n_groups = group.max() + 1 if len(group) else 0
    w = np.where(ok, n, 0.0)
    sum_n = np.bincount(group, weights=w, minlength=n_groups)
    sum_x = np.bincount(group, weights=np.where(ok, x, 0.0), minlength=n_groups)
    k = np.bincount(group, weights=ok.astype(float), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = sum_x / sum_n
        if parent_rate is not None:
            given = out[parent_rate].to_numpy(dtype=float)
            m = np.bincount(group, weights=np.where(ok, given, 0.0), minlength=n_groups) / k
        dev = np.where(ok, r - m[group], 0.0)
        s2 = np.bincount(group, weights=w * dev * dev, minlength=n_groups) / sum_n
        nbar = sum_n / k
        a = np.maximum(0.0, s2 - _sampling_variance(m, nbar, model))
        noise = _sampling_variance(m[group], n, model)
        # No sampling noise at all (m = 0 or 1) means nothing to shrink: keep the raw rate.
        c = np.where(noise > 0, a[group] / (a[group] + noise), 1.0)
    out["raw_rate"] = r
    out["prior_mean"] = np.where(ok, m[group], np.nan)
    out["prior_var"] = np.where(ok, a[group], np.nan)
    out["weight"] = np.where(ok, c, np.nan)
    out["shrunk_rate"] = np.where(ok, m[group] + c * (r - m[group]), np.nan)
    return out


def shrink_panel(
    panel: pd.DataFrame,
    *,
    rates: Mapping[str, tuple[str, str]],
    parents: Mapping[str, str] | pd.Series,
    scale: Mapping[str, float] | None = None,
    model: str = "poisson",
) -> pd.DataFrame:
    """Replace rate indicators in a long panel by their shrunk values.

    ``rates`` maps a rate indicator to the (numerator, denominator) indicators the source
    gives for it; ``parents`` maps each area to its parent (e.g. buurt to gemeente); the
    rate's ``value`` is ``scale * numerator / denominator`` (e.g. 100 for a percentage).
    Shrinkage runs per parent, period and indicator. Areas without a parent or without
    numerator and denominator keep NaN for the rate: an unshrinkable rate is not guessed.
    """
    scale = dict(scale or {})
    parent_of = pd.Series(parents) if not isinstance(parents, pd.Series) else parents
    wide = panel.pivot_table(index=["area", "period"], columns="indicator", values="value",
                             aggfunc="first", dropna=False)
    pieces = []
    for rate, (num, den) in rates.items():
        frame = pd.DataFrame({
            "area": wide.index.get_level_values(0),
            "period": wide.index.get_level_values(1),
            "numerator": wide[num].to_numpy() if num in wide else np.nan,
            "denominator": wide[den].to_numpy() if den in wide else np.nan,
        })
        frame["parent"] = frame["area"].map(parent_of)
        frame = frame[frame["parent"].notna()]
        shrunk = shrink_rates(frame, by=("parent", "period"), model=model)
        pieces.append(pd.DataFrame({
            "area": shrunk["area"], "period": shrunk["period"], "indicator": rate,
            "shrunk": shrunk["shrunk_rate"] * scale.get(rate, 1.0),
        }))
    if not pieces:
        return panel.copy()
    shrunk = pd.concat(pieces, ignore_index=True)
    out = panel.merge(shrunk, on=["area", "period", "indicator"], how="left")
    is_rate = out["indicator"].isin(list(rates))
    out["value"] = np.where(is_rate, out["shrunk"], out["value"])
    return out.drop(columns="shrunk")
