"""The array arithmetic of the stacking index: domain means, ranks, the exponential
transform, weighted sums and the worst-share cut-off. See docs/methods/stacking.md.

All functions take numpy arrays whose first axis is the period and second the area;
NaN means "no value" and is never read as 0. Orientation: the inputs are problem scores
(higher = worse); rank 1 and decile 1 are where problems stack most.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import rankdata

# English Indices of Deprivation 2019, domain weights (McLennan et al. 2019, Technical
# report, MHCLG, the section on combining the domains into the IMD). They sum to 99.9
# because of rounding; weights are always divided by their sum.
ID2019_DOMAIN_WEIGHTS: dict[str, float] = {
    "Income": 22.5,
    "Employment": 22.5,
    "Education, Skills and Training": 13.5,
    "Health Deprivation and Disability": 13.5,
    "Crime": 9.3,
    "Barriers to Housing and Services": 9.3,
    "Living Environment": 9.3,
}
# Our mapping of the ID domains onto the default themes (a choice, documented in
# docs/methods/stacking.md). Social cohesion has no ID counterpart and gets weight 0.
ID2019_THEME_MAP: dict[str, str] = {
    "Income": "poverty",
    "Employment": "work_income",
    "Education, Skills and Training": "education",
    "Health Deprivation and Disability": "health",
    "Crime": "safety",
    "Barriers to Housing and Services": "housing",
    "Living Environment": "physical",
}
ID2019_PRESET: dict[str, float] = {
    **{ID2019_THEME_MAP[d]: w for d, w in ID2019_DOMAIN_WEIGHTS.items()},
    "social": 0.0,
}

# X = -23 ln(1 - R (1 - exp(-100/23))): 0 < X <= 100, X = 100 at R = 1 (most deprived), and
# the constant 23 puts about 10% of areas above 50.
EXP_CONSTANT = 23.0
_EXP_FACTOR = -np.expm1(-100.0 / EXP_CONSTANT)  # 1 - e^{-100/23}


def exponential_transform(r: np.ndarray | float) -> np.ndarray:
    """The ID exponential transform of a scaled rank R in [0, 1], most deprived R = 1.

    >>> round(float(exponential_transform(1.0)), 9)
    100.0
    >>> round(float(exponential_transform(0.5)), 4)
    15.6468
    """
    r = np.asarray(r, dtype=float)
    if np.any((r < 0) | (r > 1)):
        raise ValueError("the scaled rank R must lie in [0, 1]")
    return -EXP_CONSTANT * np.log1p(-r * _EXP_FACTOR)


def domain_means(
    z: np.ndarray, domain_of: np.ndarray, n_domains: int, min_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the available problem z-scores per domain.

    ``z`` is ``(P, A, K)``; ``domain_of[k]`` is the domain (0..D-1) of indicator k, and
    every domain has at least one indicator. A domain score exists when at least
    ``min_share`` of its indicators have a value; otherwise NaN. Returns
    ``(domain_z (P, A, D), n_present (P, A, D))``.
    """
    order = np.argsort(domain_of, kind="stable")
    if (order != np.arange(len(order))).any():
        z, domain_of = z[:, :, order], domain_of[order]
    starts = np.searchsorted(domain_of, np.arange(n_domains))
    if (np.diff(np.append(starts, len(domain_of))) == 0).any():
        raise ValueError("every domain needs at least one indicator")
    present = ~np.isnan(z)
    # A sum over contiguous slices; faster and steadier than a matrix product on a busy machine.
    total = np.add.reduceat(np.where(present, z, 0.0), starts, axis=2)
    n_present = np.add.reduceat(present.astype(np.float64), starts, axis=2)
    n_domain = np.bincount(domain_of, minlength=n_domains)
    enough = n_present >= min_share * n_domain[None, None, :] - 1e-12
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n_present
    return np.where(enough & (n_present > 0), mean, np.nan), n_present


def normalised_weights(
    domains: Sequence[str], weights: Mapping[str, float] | None
) -> np.ndarray:
    """Weights per domain in ``domains`` order; None means equal. Negative is an error."""
    if weights is None:
        return np.ones(len(domains))
    unknown = set(weights) - set(domains)
    w = np.array([float(weights.get(d, 0.0)) for d in domains])
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("domain weights must be finite and not negative")
    if w.sum() <= 0:
        hint = f" (weights name unknown domains {sorted(unknown)})" if unknown else ""
        raise ValueError(f"no positive weight on the domains in use {list(domains)}{hint}")
    return w


def weighted_mean(scores: np.ndarray, weights: np.ndarray, allow_partial: bool) -> np.ndarray:
    """``sum_d w_d s_d / sum_d w_d`` over the last axis.

    Without ``allow_partial`` a NaN in any domain with positive weight gives NaN; with it the
    weights are renormalised over the domains present (NaN when none is).
    """
    positive = weights > 0
    present = ~np.isnan(scores) & positive
    w = np.where(present, weights, 0.0)
    total = np.where(present, scores * weights, 0.0).sum(axis=-1)
    wsum = w.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = total / wsum
    complete = present.sum(axis=-1) == positive.sum()
    ok = (wsum > 0) & (complete | allow_partial)
    return np.where(ok, out, np.nan)


def sorted_reference(reference: np.ndarray) -> np.ndarray:
    """The reference values with a value, ascending (sorted once, used for R and cut-offs)."""
    return np.sort(reference[~np.isnan(reference)])


def position_in(ref_sorted: np.ndarray, values: np.ndarray) -> np.ndarray:
    """R = share of the sorted reference <= x; NaN stays NaN (see :func:`scaled_position`)."""
    out = np.full(values.shape, np.nan)
    if len(ref_sorted) == 0:
        return out
    ok = ~np.isnan(values)
    out[ok] = np.searchsorted(ref_sorted, values[ok], side="right") / len(ref_sorted)
    return out


def cutoff_in(ref_sorted: np.ndarray, share: float) -> float:
    """The k-th worst of the sorted reference, k = ceil(share * N) (see :func:`worst_cutoff`)."""
    if not 0 < share <= 1:
        raise ValueError("the worst share must lie in (0, 1]")
    if len(ref_sorted) == 0:
        return float("nan")
    k = max(1, int(np.ceil(share * len(ref_sorted) - 1e-9)))
    return float(ref_sorted[len(ref_sorted) - k])


def scaled_position(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """R = share of reference values <= x, in (0, 1] for reference members; NaN stays NaN.

    For a member of the reference this equals (N - rank + 1) / N where rank counts from the
    most deprived (rank 1) with ties at their *minimum* rank: tied areas share the larger R.

    >>> scaled_position(np.array([3.0, 1.0, 2.0, 3.0]), np.array([3.0, 1.0, 2.0, 3.0]))
    array([1.  , 0.25, 0.5 , 1.  ])
    """
    return position_in(sorted_reference(reference), values)


def worst_cutoff(reference: np.ndarray, share: float) -> float:
    """The problem score at or above which an area is among the worst ``share``.

    With the N reference values sorted worst first, the cut-off is the k-th with
    k = ceil(share * N) (at least 1); ties at the cut-off all count as worst.

    >>> worst_cutoff(np.arange(20.0), 0.1)
    18.0
    """
    return cutoff_in(sorted_reference(reference), share)


def rank_worst_first(scores: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Rank per period (row), 1 = highest problem score, ties at their minimum rank.

    ``scores`` and ``eligible`` are ``(P, A)``; areas not eligible or with NaN get NaN.
    """
    ok = eligible & ~np.isnan(scores)
    # Ineligible areas sort after every eligible one, so they cannot shift a rank.
    keyed = np.where(ok, -scores, np.inf)
    ranks = rankdata(keyed, method="min", axis=1).astype(float)
    return np.where(ok, ranks, np.nan)


def deciles_from_ranks(ranks: np.ndarray, n_bins: int = 10) -> np.ndarray:
    """``ceil(n_bins * rank / N)`` per period, N = number of ranked areas; decile 1 = worst."""
    n = (~np.isnan(ranks)).sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.ceil(n_bins * ranks / n - 1e-12)
    return out
