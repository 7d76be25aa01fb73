"""Which domains and indicators drive an area's score: long frames of contributions.

Rule (exact, additive; see docs/methods/stacking.md):

* method (a): ``index100 - 100 = sum_d c_d`` with ``c_d = w_d / W * (index100_d - 100)``
  and, inside a domain, ``c_{d,i} = w_d / W * (-scale * z_i / n_d)`` for each of the
  ``n_d`` indicators with a value, so the indicator contributions add up to ``c_d``;
* method (b): ``deprivation = sum_d w_d / W * X_d``. Ranking and the exponential transform
  are not additive over indicators, so (b) is decomposed by domain only.

``W`` is the sum of the weights of the domains that count (all of them, or the present ones
when partial scores are allowed). Contributions are NaN where the overall score is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .standardise import Cube

if TYPE_CHECKING:
    from .stacking import StackingResult


@dataclass
class Arrays:
    """The intermediate arrays of one computation, ``(P, A, ...)``."""

    cube: Cube
    domains: tuple[str, ...]
    z: np.ndarray
    dz: np.ndarray
    n_present: np.ndarray
    domain_of: np.ndarray
    index_dom: np.ndarray
    exp_score: np.ndarray
    position: np.ndarray
    worst: np.ndarray
    w_a: np.ndarray
    w_b: np.ndarray
    index100: np.ndarray
    deprivation: np.ndarray
    scale: float

    @cached_property
    def share_a(self) -> np.ndarray:
        """``w_d / W`` of method (a) per (P, A, D)."""
        return _shares(self.w_a, self.index_dom, self.index100)

    @cached_property
    def share_b(self) -> np.ndarray:
        """``w_d / W`` of method (b) per (P, A, D)."""
        return _shares(self.w_b, self.exp_score, self.deprivation)


def _small(n: int) -> type:
    return np.int8 if n < 127 else np.int16 if n < 32_767 else np.int32


def _keys(cube: Cube, inner: pd.Index | None, inner_name: str | None) -> dict:
    # Categorical keys from the narrowest codes: no string is copied, so millions of rows
    # cost little.
    n_p, n_a = len(cube.periods), len(cube.areas)
    k = 1 if inner is None else len(inner)
    keys = {
        "area": pd.Categorical.from_codes(
            np.tile(np.repeat(np.arange(n_a, dtype=_small(n_a)), k), n_p),
            categories=cube.areas),
        "period": pd.Categorical.from_codes(
            np.repeat(np.arange(n_p, dtype=_small(n_p)), n_a * k), categories=cube.periods),
    }
    if inner is not None:
        keys[inner_name] = pd.Categorical.from_codes(
            np.tile(np.arange(k, dtype=_small(k)), n_p * n_a), categories=inner)
    return keys


def _frame(data: dict) -> pd.DataFrame:
    # copy=False keeps each column its own block: consolidating millions of rows into
    # 2-D blocks would copy every float column once more.
    return pd.DataFrame(data, copy=False)


def area_period_frame(cube: Cube, columns: dict) -> pd.DataFrame:
    """One row per (period, area), in period-major order, with ``columns`` as ``(P, A)``."""
    data = _keys(cube, None, None)
    for name, values in columns.items():
        data[name] = values if isinstance(values, pd.Categorical) else np.asarray(values).ravel()
    return _frame(data)


def _shares(weights: np.ndarray, scores: np.ndarray, overall: np.ndarray) -> np.ndarray:
    """``w_d / W`` per (P, A, D), W over the domains that entered the overall score."""
    counted = (~np.isnan(scores)) & (weights > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = weights / np.where(counted, weights, 0.0).sum(axis=-1, keepdims=True)
    share = np.where(counted, share, np.where(weights > 0, np.nan, 0.0))
    return np.where(np.isnan(overall)[..., None], np.nan, share)


def domain_frame(arr: Arrays) -> pd.DataFrame:
    """One row per (period, area, domain) with scores and contributions to both methods."""
    share_a, share_b = arr.share_a, arr.share_b
    data = _keys(arr.cube, pd.Index(arr.domains), "domain")
    n_dom = np.broadcast_to(np.bincount(arr.domain_of, minlength=len(arr.domains)), arr.dz.shape)
    data.update({
        "n_indicators": n_dom.ravel().astype(np.int64),
        "n_present": arr.n_present.ravel().astype(np.int64),
        "z_problem": arr.dz.ravel(),
        "index100": arr.index_dom.ravel(),
        "index100_contribution": (share_a * (arr.index_dom - 100.0)).ravel(),
        "position": arr.position.ravel(),
        "exp_score": arr.exp_score.ravel(),
        "deprivation_contribution": (share_b * arr.exp_score).ravel(),
        "worst": arr.worst.ravel(),
    })
    return _frame(data)


def indicator_frame(arr: Arrays) -> pd.DataFrame:
    """One row per (period, area, indicator): value, problem z and its index100 contribution."""
    share_a = arr.share_a  # (P, A, D)
    domain_of = arr.domain_of
    with np.errstate(invalid="ignore", divide="ignore"):
        per_unit = share_a * (-arr.scale) / arr.n_present  # (P, A, D)
    # Only indicators of a domain that has a score contribute; the rest stay NaN.
    per_unit = np.where(np.isnan(arr.dz), np.nan, per_unit)
    contribution = np.take(per_unit, domain_of, axis=2) * arr.z
    data = _keys(arr.cube, arr.cube.indicators, "indicator")
    domains = np.array(arr.domains)
    data["domain"] = pd.Categorical.from_codes(
        np.tile(domain_of.astype(_small(len(domains))),
                len(arr.cube.periods) * len(arr.cube.areas)), categories=domains)
    data.update({
        "value": arr.cube.values.ravel(),
        "z_problem": arr.z.ravel(),
        "index100_contribution": contribution.ravel(),
    })
    return _frame(data)


def drivers(
    result: StackingResult,
    *,
    area: str,
    period: str,
    level: str = "domain",
    method: str = "index100",
    n: int | None = None,
) -> pd.DataFrame:
    """The contributions of one area-period, worst first.

    ``level``: ``"domain"`` or ``"indicator"`` (method ``index100`` only). For ``index100``
    the most negative contribution (pulling the index down) comes first; for
    ``deprivation`` the largest.
    """
    if method not in ("index100", "deprivation"):
        raise ValueError("method is 'index100' or 'deprivation'")
    if level == "indicator" and method != "index100":
        raise ValueError("the deprivation score is decomposed by domain only")
    frame = result.domains if level == "domain" else result.indicators
    column = f"{method}_contribution"
    rows = frame[(frame["area"] == area) & (frame["period"] == period)]
    rows = rows.sort_values(column, ascending=(method == "index100"), na_position="last")
    keep = ["domain", column] if level == "domain" else ["domain", "indicator", "z_problem", column]
    rows = rows[keep].reset_index(drop=True)
    return rows if n is None else rows.head(n)
