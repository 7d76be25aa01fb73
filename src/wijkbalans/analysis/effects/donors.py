"""Which areas may serve as comparison (donors), and who was left out and why.

Rules, applied in this order (the first that applies is the reason given):

1. ``treated``: the treated areas themselves.
2. ``similar_programme``: areas treated by the same or a similar programme (a spill-over
   or a second treatment would bias the comparison; Abadie 2021, section 3.2);
   ``excluded``: areas the user leaves out for another reason (an aggregate such as the
   country as a whole, a known shock).
3. ``own_city``: optionally, areas in the same city as a treated area (spill-overs within
   a city, city-wide policy); needs ``city_of``.
4. ``missing_pre`` / ``missing_post``: areas with a missing outcome before / from the start
   (the estimators need a complete panel; filling gaps would invent a comparison).
5. ``missing_predictor``: for synthetic control with predictors, areas without a value.

A treated area with a missing value is not dropped but reported as an error
(:class:`~.panel.PanelError`): the estimate would be about a different set of areas.

Example
-------
>>> import numpy as np
>>> from wijkbalans.analysis.effects.panel import Panel
>>> p = Panel(units=("A", "B", "C", "D"), times=(2019, 2020, 2021),
...           y=np.array([[1, 2, 3], [1, np.nan, 3], [2, 2, 2], [0, 1, 1.0]]))
>>> pool = donor_pool(p, treated=["A"], start=2021, similar=["D"])
>>> pool.donors, [(e.unit, e.reason) for e in pool.excluded]
(('C',), [('B', 'missing_pre'), ('D', 'similar_programme')])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .panel import Panel, PanelError

REASONS = {
    "similar_programme": ("treated by the same or a similar programme",
                          "valt onder hetzelfde of een vergelijkbaar programma"),
    "excluded": ("left out on request", "op verzoek weggelaten"),
    "own_city": ("in the same city as a treated area",
                 "ligt in dezelfde gemeente als een programmagebied"),
    "missing_pre": ("has missing values before the start", "mist waarden vóór de start"),
    "missing_post": ("has missing values from the start on", "mist waarden vanaf de start"),
    "missing_predictor": ("has no value for a predictor", "mist een waarde voor een voorspeller"),
}


@dataclass(frozen=True)
class Exclusion:
    unit: str
    reason: str
    detail_en: str
    detail_nl: str


@dataclass(frozen=True)
class DonorPool:
    treated: tuple[str, ...]
    donors: tuple[str, ...]
    excluded: tuple[Exclusion, ...]

    def to_dict(self) -> dict:
        return {"treated": list(self.treated), "donors": list(self.donors),
                "excluded": [{"unit": e.unit, "reason": e.reason, "detail_en": e.detail_en,
                              "detail_nl": e.detail_nl} for e in self.excluded]}


def _periods(times, cols) -> str:
    shown = [str(times[c]) for c in cols[:5]]
    return ", ".join(shown) + (f" and {len(cols) - 5} more" if len(cols) > 5 else "")


def donor_pool(panel: Panel, *, treated: Sequence[str], start, similar: Sequence[str] = (),
               exclude: Sequence[str] = (), city_of: Mapping[str, str] | None = None,
               exclude_own_city: bool = False, predictors: np.ndarray | None = None,
               predictor_names: Sequence[str] = ()) -> DonorPool:
    """Apply the rules of the module docstring; ``start`` is the (earliest) start period.

    ``predictors`` is ``(N, k)`` in the panel's unit order. Raises :class:`PanelError`
    when a treated area has missing values or there is no donor left.
    """
    s = panel.column(start)
    rows = panel.rows(list(treated))
    problems = []
    for r in rows:
        gaps = np.flatnonzero(~np.isfinite(panel.y[r]))
        if gaps.size:
            problems.append(f"treated unit {panel.units[r]!r} has no value for "
                            f"{panel.outcome!r} in {_periods(panel.times, gaps)}")
        if predictors is not None:
            bad = [predictor_names[j] if j < len(predictor_names) else str(j)
                   for j in np.flatnonzero(~np.isfinite(predictors[r]))]
            if bad:
                problems.append(f"treated unit {panel.units[r]!r} has no value for "
                                f"predictor(s) {', '.join(bad)}")
    if exclude_own_city and city_of is None:
        problems.append("leaving out the own city needs the city of every area")
    if problems:
        raise PanelError(problems)
    treated_set, similar_set = set(treated), set(similar) - set(treated)
    excluded_set = set(exclude) - treated_set - similar_set
    unknown = sorted((similar_set | excluded_set) - set(panel.units))
    if unknown:
        raise PanelError([f"unit {u!r} (to be left out) is not in the panel" for u in unknown])
    cities = {city_of.get(u) for u in treated} if (exclude_own_city and city_of) else set()
    donors, excluded = [], []

    def drop(unit, reason, extra=""):
        en, nl = REASONS[reason]
        excluded.append(Exclusion(unit, reason, en + extra, nl + extra))

    for i, unit in enumerate(panel.units):
        if unit in treated_set:
            continue
        if unit in similar_set:
            drop(unit, "similar_programme")
            continue
        if unit in excluded_set:
            drop(unit, "excluded")
            continue
        if cities and city_of.get(unit) in cities:
            drop(unit, "own_city", f" ({city_of.get(unit)})")
            continue
        pre_gaps = np.flatnonzero(~np.isfinite(panel.y[i, :s]))
        if pre_gaps.size:
            drop(unit, "missing_pre", f": {_periods(panel.times, pre_gaps)}")
            continue
        post_gaps = s + np.flatnonzero(~np.isfinite(panel.y[i, s:]))
        if post_gaps.size:
            drop(unit, "missing_post", f": {_periods(panel.times, post_gaps)}")
            continue
        if predictors is not None and not np.isfinite(predictors[i]).all():
            missing = [predictor_names[j] if j < len(predictor_names) else str(j)
                       for j in np.flatnonzero(~np.isfinite(predictors[i]))]
            drop(unit, "missing_predictor", f": {', '.join(missing)}")
            continue
        donors.append(unit)
    if not donors:
        raise PanelError(["no comparison area is left after the donor rules: "
                          + "; ".join(f"{e.unit}: {e.detail_en}" for e in excluded[:10])])
    return DonorPool(treated=tuple(treated), donors=tuple(donors), excluded=tuple(excluded))


def restrict(panel: Panel, pool: DonorPool) -> tuple[Panel, np.ndarray]:
    """The panel with only the treated areas (first, in the given order) and the donors,
    plus the row numbers of those units in the original panel."""
    rows = panel.rows(list(pool.treated) + list(pool.donors))
    sub = Panel(units=tuple(panel.units[r] for r in rows), times=panel.times,
                y=panel.y[rows], outcome=panel.outcome)
    return sub, rows
