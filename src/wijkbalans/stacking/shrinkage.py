"""Empirical Bayes shrinkage of the index's rate indicators towards their gemeente.

Which indicators: those stored with ``aggregation == "weighted_mean"``, a ``denominator``
and a unit of ``%`` (binomial model, scale 100) or ``per 1.000`` (Poisson model, scale
1000). Other weighted means (incomes, WOZ values, Leefbaarometer scores) are not counts
of events in a population and stay as they are.

The rule, per indicator and index (or base) period: the rate's figures come from its
vintage (see :mod:`.panels`); the denominator is read **in that same stored period**
(never an older or newer one), the numerator is ``rate * denominator / scale``, and
:func:`wijkbalans.analysis.smallarea.shrink_rates` (Marshall 1991) shrinks every area
within its gemeente (``areas.codes.gemeente_of``: buurten and wijken alike), the parent
rate being the gemeente's pooled rate over the areas read. The gemeente, not the wijk, is
the parent: a wijk often holds only a few buurten, too few to estimate the between-area
variance. An area without a denominator value (or a zero one) keeps its raw rate, and a
rate without any denominator value in its period is not shrunk; both are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkbalans.analysis.smallarea import shrink_rates
from wijkbalans.areas import codes as area_codes
from wijkbalans.indicators.models import Indicator

#: unit -> (model, scale): a share in percent is a binomial proportion, a count per
#: 1,000 residents a Poisson rate.
RATE_UNITS = {"%": ("binomial", 100.0), "per 1.000": ("poisson", 1000.0)}


@dataclass(frozen=True)
class RateDefinition:
    code: str
    denominator: str
    model: str
    scale: float


def rate_definitions(codes) -> dict[str, RateDefinition]:
    """The shrinkable rate indicators among ``codes`` (one query)."""
    rows = (Indicator.objects.filter(code__in=list(codes),
                                     aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
                                     unit__in=list(RATE_UNITS))
            .exclude(denominator="").values_list("code", "unit", "denominator"))
    return {code: RateDefinition(code, den, *RATE_UNITS[unit]) for code, unit, den in rows}


def shrink_index_panel(
    panel: pd.DataFrame, *, rates: dict[str, RateDefinition], denominators: pd.DataFrame,
    vintages: dict[str, dict[str, str]],
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """``panel`` (``area, period, indicator, value``; ``period`` the index or base label)
    with each rate of ``rates`` replaced by its shrunk value, and notes saying what was done.

    ``denominators``: ``area, period, indicator, value`` at stored periods;
    ``vintages``: label period to (indicator to the stored period that serves it).
    """
    pieces, shrunk_notes, missing_notes, partial_notes = [], [], [], []
    present = set(panel["indicator"])
    for code, rate in sorted(rates.items()):
        if code not in present:
            continue
        for label in sorted(vintages):
            stored = vintages[label].get(code)
            rows = panel[(panel["indicator"] == code) & (panel["period"] == label)]
            if stored is None or rows.empty:
                continue
            den = denominators[(denominators["indicator"] == rate.denominator)
                               & (denominators["period"] == stored)]
            n = rows["area"].map(den.groupby("area")["value"].first()).astype(float)
            has = n.notna().to_numpy() & (n.to_numpy() > 0)
            if not has.any():
                missing_notes.append(f"{code} ({label}): not shrunk, no values of its "
                                     f"denominator {rate.denominator} in {stored}")
                continue
            value = rows["value"].to_numpy(dtype=float)
            pieces.append(pd.DataFrame({
                "index": rows.index, "indicator": code, "period": label,
                "parent": rows["area"].map(area_codes.gemeente_of).to_numpy(),
                "numerator": value / rate.scale * n.to_numpy(), "denominator": n.to_numpy(),
                "model": rate.model, "scale": rate.scale}))
            shrunk_notes.append(f"{code} ({label}, {rate.model})")
            without = int((~has & ~np.isnan(value)).sum())
            if without:
                partial_notes.append(f"{code} ({label}): {without} areas without a value of "
                                     f"{rate.denominator} in {stored} keep their raw rate")
    out = panel.copy()
    for model in ("binomial", "poisson"):
        frames = [p for p in pieces if p["model"].iloc[0] == model]
        if not frames:
            continue
        frame = pd.concat(frames, ignore_index=True)
        result = shrink_rates(frame, by=("indicator", "period", "parent"), model=model)
        ok = result["shrunk_rate"].notna().to_numpy()
        out.loc[result["index"].to_numpy()[ok], "value"] = (
            result["shrunk_rate"].to_numpy()[ok] * result["scale"].to_numpy()[ok])
    notes = []
    if shrunk_notes:
        notes.append("rates shrunk towards their gemeente (empirical Bayes): "
                     + ", ".join(shrunk_notes))
    return out, tuple(notes + missing_notes + partial_notes)


def shrink_vintage_panel(vp, rates: dict[str, RateDefinition], *, period: str,
                         base: str | None) -> tuple[pd.DataFrame, list[str]]:
    """:func:`shrink_index_panel` of a :class:`~.panels.VintagePanel` read with the
    denominators of ``rates`` as ``extra``: the index period and the base period, if any."""
    labels = {period: vp.vintages}
    if base is not None and base != period:
        labels[base] = vp.base_vintages
    extra = vp.extra if vp.extra is not None else pd.DataFrame(
        columns=["area", "period", "indicator", "value"])
    panel, notes = shrink_index_panel(vp.panel, rates=rates, denominators=extra,
                                      vintages=labels)
    return panel, list(notes) or ["shrink: no rate indicator with a denominator (unit % or "
                                  "per 1.000) to shrink"]
