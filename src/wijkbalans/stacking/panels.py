"""Reading the index panel from the store: which indicators, which vintage of each.

Sources publish in different years: the Leefbaarometer and the KWB for 2024, the RIVM
health monitor every four years (2020). An index "for 2024" therefore takes, for every
indicator, its **vintage**: the newest period up to and including the index period in
which the indicator has values at the level (one vintage per indicator, the same for every
area, so all areas are compared on the same figures). A period is "up to" a year when it
starts before the year ends (``2024-Q3`` is up to ``2024``). The vintages used are
reported, so nobody takes a 2020 survey for a 2024 one.

The areas scored are those with a value in the index period itself (the classification
that the newest figures follow); older vintages are joined to them by CBS code, so an area
whose code changed since an older vintage has no value for that vintage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from wijkbalans.analysis.standardise import DEFAULT_THEMES, NEUTRAL
from wijkbalans.analysis.targets import period_time
from wijkbalans.indicators import catalogue
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.models import Observation, ObservationStatus

POPULATION = "inwoners"


def index_indicator_codes(themes: Iterable[str] | None = None) -> list[str]:
    """The indicators of the index: the catalogue's core indicators with a polarity in the
    index domains (``themes``, default all eight).

    A source's own extra columns (``rivm.*``, the Leefbaarometer's classes
    ``lbm_klasse_*``) and the Leefbaarometer total ``lbm_afw`` (theme liveability, the sum
    of the five dimensions that are in the index already) are left out: they would count
    the same thing twice.
    """
    themes = tuple(themes or DEFAULT_THEMES)
    return [s.code for s in catalogue.CORE if s.polarity != NEUTRAL and s.theme in themes]


def period_end(period: str) -> float:
    """The decimal year at which ``period`` ends: 2025.0 for ``2024``, 2024.25 for 2024-Q1."""
    text = str(period)
    step = 0.25 if "-Q" in text else (1 / 12 if "-" in text else 1.0)
    return period_time(text) + step


def vintage_up_to(periods: Iterable[str], period: str) -> str | None:
    """The newest of ``periods`` that starts before ``period`` ends, or None.

    >>> vintage_up_to(["2012", "2016", "2020"], "2024"), vintage_up_to(["2020"], "2019")
    ('2020', None)
    """
    end = period_end(period)
    eligible = [p for p in periods if period_time(p) < end - 1e-9]
    if not eligible:
        return None
    return max(eligible, key=lambda p: (period_time(p), -len(p)))


def sort_periods(periods: Iterable[str]) -> list[str]:
    return sorted(set(periods), key=lambda p: (period_time(p), -len(p)))


def periods_with_values(*, indicators: Sequence[str], level: str,
                        within: str | None = None) -> dict[str, list[str]]:
    """Indicator code to the periods in which it has values at ``level``, in one query."""
    qs = Observation.objects.filter(indicator__code__in=list(indicators), area__level=level,
                                    status=ObservationStatus.VALUE)
    if within:
        qs = qs.filter(area__gemeentecode=within)
    pairs = qs.order_by().values_list("indicator__code", "period").distinct()
    out: dict[str, list[str]] = {}
    for code, period in pairs:
        out.setdefault(code, []).append(period)
    return {code: sort_periods(periods) for code, periods in out.items()}


def vintages_for(frame: pd.DataFrame, period: str) -> dict[str, str]:
    """Indicator to its vintage for ``period`` among the rows of ``frame`` with a value."""
    have = frame[frame["value"].notna()].groupby("indicator")["period"].unique()
    return {code: v for code, periods in have.items()
            if (v := vintage_up_to(list(periods), period)) is not None}


def relabel_vintages(frame: pd.DataFrame, vintages: dict[str, str], label: str) -> pd.DataFrame:
    """The rows of ``frame`` (``indicator, period, ...``) in their indicator's vintage, with
    ``period`` set to ``label``."""
    if not vintages:
        return frame.iloc[0:0].assign(period=label)
    chosen = pd.Series(vintages, name="vintage")
    rows = frame[frame["period"] == frame["indicator"].map(chosen)]
    return rows.assign(period=label)


@dataclass(frozen=True)
class VintagePanel:
    """A panel whose ``period`` is the index period (and the base period, if any).

    ``panel``: ``area, period, indicator, value`` (the index indicators);
    ``population``: ``area, period, population``; ``vintages`` and ``base_vintages``:
    indicator code to the stored period that serves the index (base) period.
    """

    panel: pd.DataFrame
    population: pd.DataFrame | None
    vintages: dict[str, str]
    base_vintages: dict[str, str]
    areas: tuple[str, ...]
    extra: pd.DataFrame | None = None


def read_vintage_panel(
    *, indicators: Sequence[str], level: str, within: str | None, period: str,
    base_period: str | None, available: dict[str, list[str]], extra: Sequence[str] = (),
) -> VintagePanel:
    """One query for the index indicators and the population at their vintages.

    ``available`` is :func:`periods_with_values` of the same scope. ``extra`` indicators
    (e.g. the denominators of rates) are read in the same query at the stored periods
    of the vintages, not relabelled: ``VintagePanel.extra`` (``area, period, indicator,
    value``, ``period`` as stored) for the scored areas.
    """
    wanted = [*indicators, POPULATION]
    vintages = {c: v for c in wanted
                if (v := vintage_up_to(available.get(c, []), period)) is not None}
    base_vintages = {}
    if base_period is not None:
        base_vintages = {c: v for c in wanted
                         if (v := vintage_up_to(available.get(c, []), base_period)) is not None}
    periods = sorted(set(vintages.values()) | set(base_vintages.values()) | {period})
    extra = list(dict.fromkeys(extra))
    long = indicator_selectors.observation_long(
        indicators=list(dict.fromkeys([*wanted, *extra])), level=level, within=within,
        periods=periods)
    long = long.astype({"indicator": str, "area": str, "period": str})
    scoring = long["indicator"].isin(wanted)
    areas = sorted(long.loc[scoring & (long["period"] == period) & long["value"].notna(),
                            "area"].unique())
    long = long[long["area"].isin(areas)]
    extra_rows = long[long["indicator"].isin(extra)][["area", "period", "indicator", "value"]]
    long = long[long["indicator"].isin(wanted)]

    frames = [relabel_vintages(long, vintages, period)]
    if base_period is not None and base_period != period:
        frames.append(relabel_vintages(long, base_vintages, base_period))
    both = pd.concat(frames, ignore_index=True)
    pop = both[both["indicator"] == POPULATION]
    panel = both[both["indicator"] != POPULATION]
    population = None
    if POPULATION in vintages:
        population = pop.rename(columns={"value": "population"})[["area", "period",
                                                                  "population"]]
    return VintagePanel(
        panel=panel[["area", "period", "indicator", "value"]].reset_index(drop=True),
        population=population,
        vintages={c: v for c, v in vintages.items() if c != POPULATION},
        base_vintages={c: v for c, v in base_vintages.items() if c != POPULATION},
        areas=tuple(areas),
        extra=extra_rows.reset_index(drop=True) if extra else None,
    )
