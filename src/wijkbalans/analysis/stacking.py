"""The stacked-problem index: domain scores and three transparent overall measures.

Format: a long panel (``area, period, indicator, value``; see :mod:`.standardise`) and an
indicator table (``code, theme, polarity``). Method, formulas and sources are in
``docs/methods/stacking.md``; in short, per area and period:

* domain score ``z_d``: mean of the available problem z-scores of the domain's indicators
  (positive = worse than the reference), NaN when fewer than ``min_share_present`` of them
  have a value;
* (a) ``index100`` (Rotterdam Wijkprofiel style): ``100 - 10 * z_d`` per domain and their
  weighted mean overall; 100 = the reference mean (in the base period when fixed), 10
  points = one reference sd, **higher = better**;
* (b) ``deprivation`` (English Indices of Deprivation style): R = share of the reference at
  or below the area's domain score, ``X_d = -23 ln(1 - R (1 - e^{-100/23}))``, score
  ``sum_d w_d X_d / sum_d w_d``; **higher = more deprived**, 0..100;
* (c) ``stack_count``: in how many domains the area is among the worst ``worst_share`` of
  the reference (default: the worst decile).

Ranks and deciles count from where problems stack most (rank 1, decile 1), ties take the
minimum rank. Areas below ``min_population``, outside ``rank_areas``, or with a missing
domain (unless ``allow_partial``) are not ranked; their scores are still reported.

>>> panel = pd.DataFrame({"area": ["a", "b", "c"] * 2, "period": "2020",
...     "indicator": ["x"] * 3 + ["y"] * 3, "value": [1.0, 2.0, 3.0, 30.0, 20.0, 10.0]})
>>> table = pd.DataFrame({"code": ["x", "y"], "theme": ["poverty", "health"],
...     "polarity": ["higher_worse", "higher_better"]})
>>> result = stacking_index(panel, table, config=StackingConfig(themes=("poverty", "health")))
>>> result.scores[["area", "deprivation_rank", "stack_count"]].to_numpy().tolist()
[['a', 3.0, 0.0], ['b', 2.0, 0.0], ['c', 1.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import decomposition
from .stacking_methods import (
    cutoff_in,
    deciles_from_ranks,
    domain_means,
    exponential_transform,
    normalised_weights,
    position_in,
    rank_worst_first,
    sorted_reference,
    weighted_mean,
)
from .standardise import (
    DEFAULT_THEMES,
    NEUTRAL,
    Cube,
    Reference,
    indicator_table,
    problem_z,
    reference_mask,
    reference_period_index,
    reference_stats,
    signs_for,
    to_cube,
)

REASONS = ("", "not in ranking set", "population below minimum", "missing domain score")


@dataclass(frozen=True)
class StackingConfig:
    """Every choice of the index, with its default (see docs/methods/stacking.md)."""

    themes: tuple[str, ...] = DEFAULT_THEMES
    reference: Reference = field(default_factory=Reference)
    min_share_present: float = 0.5  # of a domain's indicators, for a domain score
    allow_partial: bool = False  # rank areas with a missing domain score
    min_population: float = 100.0  # areas below are flagged and not ranked
    rank_small_areas: bool = False
    worst_share: float = 0.1  # method (c): the worst decile
    index_weights: Mapping[str, float] | None = None  # method (a); None = equal
    deprivation_weights: Mapping[str, float] | None = None  # method (b); see ID2019_PRESET
    rank_areas: tuple[str, ...] | None = None  # None = every area
    index_scale: float = 10.0  # index points per reference sd


@dataclass(frozen=True)
class StackingResult:
    """Scores per area-period, per domain, and the decomposition per indicator.

    ``scores``: area, period, population, small, eligible, reason, index100, index100_rank,
    index100_decile, deprivation, deprivation_rank, deprivation_decile, stack_count,
    domains_assessed. ``domains``: area, period, domain, n_indicators, n_present, z_problem,
    index100, index100_contribution, position, exp_score, deprivation_contribution, worst.
    ``indicators``: area, period, domain, indicator, value, z_problem, index100_contribution.
    Contributions add up: ``index100 - 100`` and ``deprivation`` are the sums of theirs.
    """

    scores: pd.DataFrame
    domains: pd.DataFrame
    indicators: pd.DataFrame
    domains_used: tuple[str, ...]
    indicators_used: tuple[str, ...]
    config: StackingConfig
    notes: tuple[str, ...] = ()

    def domain_scores(self, column: str = "index100") -> pd.DataFrame:
        """The domain frame's ``column`` wide: one row per (area, period), a column per domain."""
        wide = self.domains.pivot(index=["area", "period"], columns="domain", values=column)
        wide.columns = [str(c) for c in wide.columns]
        return wide[list(self.domains_used)].reset_index()


def population_array(
    cube: Cube, population: pd.Series | pd.DataFrame | str | None
) -> np.ndarray | None:
    """Population as ``(period, area)``: an indicator code in the panel, a series indexed by
    (area, period), or a frame with ``area, period, population``. NaN where unknown."""
    if population is None:
        return None
    if isinstance(population, str):
        where = cube.indicators.get_loc(population)
        return cube.values[:, :, where].copy()
    if isinstance(population, pd.DataFrame):
        population = population.set_index(["area", "period"])["population"]
    return cube.area_period(population)


def _domains(table: pd.DataFrame, cube: Cube, themes: Iterable[str]) -> tuple[list, list, list]:
    themes = list(themes)
    usable = table[(table["polarity"] != NEUTRAL) & table["theme"].isin(themes)]
    in_panel = [c for c in cube.indicators if c in usable.index]
    domains = [t for t in themes if (usable.loc[in_panel, "theme"] == t).any()]
    notes = [f"theme {t!r} has no oriented indicator in the panel and is left out"
             for t in themes if t not in domains]
    ordered = [c for d in domains for c in in_panel if usable.at[c, "theme"] == d]
    return domains, ordered, notes


def compute(
    cube: Cube, table: pd.DataFrame, population: np.ndarray | None, config: StackingConfig
) -> StackingResult:
    """The index on a prepared cube (used by :func:`stacking_index` and robustness runs)."""
    domains, used, notes = _domains(table, cube, config.themes)
    if not domains:
        raise ValueError(f"no indicator of the themes {config.themes} in the panel")
    sub = cube.select(used)
    n_p, n_a = sub.values.shape[:2]
    domain_of = pd.Index(domains).get_indexer(table.loc[used, "theme"])

    small = np.zeros((n_p, n_a), dtype=bool) if population is None else (
        population < config.min_population)  # NaN population is not small: unknown != 0
    in_ref = reference_mask(sub, config.reference)[None, :] & ~small
    ref_period = reference_period_index(sub, config.reference)
    mean, sd = reference_stats(sub.values, in_ref, ref_period)
    z = problem_z(sub.values, signs_for(used, table), mean, sd)
    dz, n_present = domain_means(z, domain_of, len(domains), config.min_share_present)

    # (a) index 100: higher = better.
    index_dom = 100.0 - config.index_scale * dz
    w_a = normalised_weights(domains, config.index_weights)
    index100 = weighted_mean(index_dom, w_a, config.allow_partial)

    # (b) position in the reference distribution, exponential transform, weighted sum;
    # (c) the worst-share flag per domain. Both against the reference of each period.
    position = np.full(dz.shape, np.nan)
    worst = np.zeros(dz.shape, dtype=bool)
    for d in range(len(domains)):
        refs: dict[int, tuple[np.ndarray, float]] = {}  # a fixed base period sorts once
        for p in range(n_p):
            rp = int(ref_period[p])
            if rp not in refs:
                ref_sorted = sorted_reference(dz[rp, in_ref[rp], d])
                refs[rp] = ref_sorted, cutoff_in(ref_sorted, config.worst_share)
            ref_sorted, cutoff = refs[rp]
            values = dz[p, :, d]
            position[p, :, d] = position_in(ref_sorted, values)
            with np.errstate(invalid="ignore"):
                worst[p, :, d] = values >= cutoff
    exp_score = exponential_transform(position)
    w_b = normalised_weights(domains, config.deprivation_weights)
    deprivation = weighted_mean(exp_score, w_b, config.allow_partial)

    assessed = (~np.isnan(dz)).sum(axis=-1)
    countable = (assessed == len(domains)) | (config.allow_partial & (assessed > 0))
    stack_count = np.where(countable, worst.sum(axis=-1), np.nan)

    in_set = np.ones(n_a, dtype=bool) if config.rank_areas is None else np.asarray(
        sub.areas.isin(list(config.rank_areas)))
    eligible = in_set[None, :] & (~small | config.rank_small_areas)
    rank_a = rank_worst_first(-index100, eligible)  # a lower index is worse
    rank_b = rank_worst_first(deprivation, eligible)

    reason = np.where(~in_set[None, :], 1, np.where(small & ~config.rank_small_areas, 2,
                      np.where(np.isnan(index100) | np.isnan(deprivation), 3, 0)))
    arrays = decomposition.Arrays(
        cube=sub, domains=tuple(domains), z=z, dz=dz, n_present=n_present,
        domain_of=domain_of, index_dom=index_dom, exp_score=exp_score, position=position,
        worst=worst, w_a=w_a, w_b=w_b, index100=index100, deprivation=deprivation,
        scale=config.index_scale,
    )
    scores = decomposition.area_period_frame(sub, {
        "population": population if population is not None else np.full((n_p, n_a), np.nan),
        "small": small,
        "eligible": eligible,
        "reason": pd.Categorical.from_codes(reason.ravel(), categories=list(REASONS)),
        "index100": index100,
        "index100_rank": rank_a,
        "index100_decile": deciles_from_ranks(rank_a),
        "deprivation": deprivation,
        "deprivation_rank": rank_b,
        "deprivation_decile": deciles_from_ranks(rank_b),
        "stack_count": stack_count,
        "domains_assessed": assessed,
    })
    return StackingResult(
        scores=scores,
        domains=decomposition.domain_frame(arrays),
        indicators=decomposition.indicator_frame(arrays),
        domains_used=tuple(domains),
        indicators_used=tuple(used),
        config=config,
        notes=tuple(notes),
    )


def stacking_index(
    panel: pd.DataFrame,
    indicators: pd.DataFrame | Iterable,
    *,
    population: pd.Series | pd.DataFrame | str | None = None,
    config: StackingConfig | None = None,
) -> StackingResult:
    """Domain scores, the three stacking measures, ranks, deciles and the decomposition.

    ``population``: an indicator code in the panel (e.g. ``"inwoners"``), a series indexed
    by (area, period), or a frame ``area, period, population``; None skips the
    minimum-population rule. See the module docstring for the formulas.
    """
    config = config or StackingConfig()
    cube = to_cube(panel)
    table = indicator_table(indicators)
    return compute(cube, table, population_array(cube, population), config)
