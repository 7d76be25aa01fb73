"""How stable the ranking is under other weights and standardisations.

Rule: compute the index under a base configuration and under each variant on the same
panel; per period, over the areas ranked under both, count the areas whose decile differs
(``n_changed``), their share, the largest decile shift and the Spearman correlation of the
ranks. A robust index changes few deciles under reasonable alternatives (the approach of
the ID 2019 technical report's sensitivity analysis, and of the OECD/JRC *Handbook on
Constructing Composite Indicators*, 2008, step 7 "uncertainty and sensitivity analysis").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from .stacking import StackingConfig, StackingResult, compute, population_array
from .stacking_methods import ID2019_PRESET
from .standardise import indicator_table, to_cube

METHODS = ("index100", "deprivation")


def decile_changes(
    base: StackingResult | pd.DataFrame,
    other: StackingResult | pd.DataFrame,
    *,
    method: str = "deprivation",
) -> pd.DataFrame:
    """Per period: ``n_compared, n_changed, share_changed, max_shift, rank_correlation``.

    ``base`` and ``other`` are results or their ``scores`` frames.
    """
    if method not in METHODS:
        raise ValueError(f"method is one of {METHODS}")
    a = base.scores if isinstance(base, StackingResult) else base
    b = other.scores if isinstance(other, StackingResult) else other
    cols = ["area", "period", f"{method}_rank", f"{method}_decile"]
    both = a[cols].astype({"area": str, "period": str}).merge(
        b[cols].astype({"area": str, "period": str}), on=["area", "period"],
        suffixes=("_a", "_b"))
    rank_a, rank_b = f"{method}_rank_a", f"{method}_rank_b"
    both = both[both[rank_a].notna() & both[rank_b].notna()]
    rows = []
    for period, g in both.groupby("period", sort=True):
        shift = (g[f"{method}_decile_a"] - g[f"{method}_decile_b"]).abs()
        rho = spearmanr(g[rank_a], g[rank_b]).statistic if len(g) > 2 else np.nan
        rows.append({"period": period, "n_compared": len(g), "n_changed": int((shift > 0).sum()),
                     "share_changed": float((shift > 0).mean()), "max_shift": float(shift.max()),
                     "rank_correlation": float(rho)})
    return pd.DataFrame(rows, columns=["period", "n_compared", "n_changed", "share_changed",
                                       "max_shift", "rank_correlation"])


def weight_variants(base: StackingConfig, domains: Sequence[str]) -> dict[str, StackingConfig]:
    """Alternative weightings of the deprivation score: equal, the ID 2019 preset, and
    each domain left out in turn (weight 0)."""
    variants = {
        "equal weights": replace(base, deprivation_weights=None),
        "ID 2019 weights": replace(base, deprivation_weights=dict(ID2019_PRESET)),
    }
    current = dict(base.deprivation_weights or dict.fromkeys(domains, 1.0))
    for d in domains:
        if current.get(d, 0) > 0 and sum(w for k, w in current.items() if k != d) > 0:
            variants[f"without {d}"] = replace(base, deprivation_weights={**current, d: 0.0})
    return variants


def robustness(
    panel: pd.DataFrame,
    indicators: pd.DataFrame | Iterable,
    *,
    variants: Mapping[str, StackingConfig],
    base: StackingConfig | None = None,
    population: pd.Series | pd.DataFrame | str | None = None,
    method: str = "deprivation",
) -> pd.DataFrame:
    """Decile changes of every variant against ``base``: ``variant`` plus the columns of
    :func:`decile_changes`. The panel is pivoted once for all variants."""
    base = base or StackingConfig()
    cube = to_cube(panel)
    table = indicator_table(indicators)
    pop = population_array(cube, population)
    reference = compute(cube, table, pop, base)
    frames = []
    for name, config in variants.items():
        changes = decile_changes(reference, compute(cube, table, pop, config), method=method)
        frames.append(changes.assign(variant=name))
    if not frames:
        return pd.DataFrame(columns=["variant", "period", "n_compared", "n_changed",
                                     "share_changed", "max_shift", "rank_correlation"])
    out = pd.concat(frames, ignore_index=True)
    return out[["variant"] + [c for c in out.columns if c != "variant"]]
