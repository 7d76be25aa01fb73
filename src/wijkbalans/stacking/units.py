"""A place (an area set or an area) and its references, as values per period.

Rules (docs/analysis/groningen-stacking.md and docs/methods/stacking.md):

* **the place**: an area set is the aggregate of its member buurten by each indicator's
  rule (:func:`wijkbalans.analysis.aggregate.aggregate_areas`: counts summed, rates
  weighted by their denominator, scores not aggregable); an area is its own stored figure,
  and where the store has none, a wijk or gemeente is the aggregate of its buurten;
* **city**: the gemeente's own figure as published (CBS, RIVM); for a period in which
  the store has none (the Leefbaarometer buurt files carry no gemeente row), the aggregate
  of all its buurten by the same rules. A set spanning several gemeenten has the
  aggregate of all their buurten;
* **rest of city**: the gemeente's buurten that are not in the place, aggregated;
* **country**: the stored figure of ``NL00``.

The units are rows of one long frame with the pseudo-codes :data:`SUBJECT`, :data:`CITY`,
:data:`REST`, :data:`COUNTRY`, so the analysis functions take them like any area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from wijkbalans.analysis.aggregate import aggregate_areas
from wijkbalans.analysis.stacking import StackingConfig, StackingResult, stacking_index
from wijkbalans.analysis.standardise import DEFAULT_THEMES, Reference
from wijkbalans.areas import codes as area_codes
from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.indicators import selectors as indicator_selectors

from .panels import (
    POPULATION,
    index_indicator_codes,
    relabel_vintages,
    sort_periods,
    vintages_for,
)

SUBJECT, CITY, REST, COUNTRY = "@subject", "@city", "@rest_of_city", "@country"
REFERENCE_UNITS = {"city": CITY, "rest_of_city": REST, "country": COUNTRY}
REFERENCE_LABELS = {"city": "the municipality", "rest_of_city": "the rest of the municipality",
                    "country": "the Netherlands"}
_ALL_CITY = "@city_buurten"


class PlaceError(ValueError):
    """The place named does not exist or cannot be compared."""


@dataclass(frozen=True)
class Place:
    """What a unit is: ``kind`` is ``area_set`` or ``area``; ``members`` are its buurten."""

    key: str
    kind: str
    name: str
    level: str
    gemeenten: tuple[str, ...]
    members: tuple[str, ...]


def resolve_place(area_set_or_code: AreaSet | str) -> Place:
    """An :class:`AreaSet`, the slug of one, or a CBS code (two queries at most)."""
    if isinstance(area_set_or_code, AreaSet):
        area_set = area_set_or_code
    else:
        raw = str(area_set_or_code).strip()
        code = area_codes.normalise(raw)
        if area_codes.level_of(code) is not None:
            return _area_place(code)
        area_set = AreaSet.objects.filter(slug=raw).first()
        if area_set is None:
            raise PlaceError(f"no area set or area {raw!r}")
    rows = list(area_set.members.values_list("code", "gemeentecode"))
    if not rows:
        raise PlaceError(f"area set {area_set.slug!r} has no members")
    return Place(key=area_set.slug, kind="area_set", name=area_set.name, level="area_set",
                 gemeenten=tuple(sorted({g for _, g in rows})),
                 members=tuple(sorted(c for c, _ in rows)))


def _area_place(code: str) -> Place:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise PlaceError(f"no area with code {code!r}")
    if area.level == area_codes.LAND:
        return Place(key=code, kind="area", name=area.name, level=area.level, gemeenten=(),
                     members=())
    buurten = Area.objects.filter(level=area_codes.BUURT, gemeentecode=area.gemeentecode)
    if area.level == area_codes.WIJK:
        buurten = buurten.filter(parent=area)
    elif area.level == area_codes.BUURT:
        buurten = buurten.filter(pk=area.pk)
    return Place(key=code, kind="area", name=area.name, level=area.level,
                 gemeenten=(area.gemeentecode,),
                 members=tuple(sorted(buurten.values_list("code", flat=True))))


@dataclass(frozen=True)
class UnitPanel:
    """``values``: unit, period, indicator, value, how (``stored``/``aggregated``) for the
    place and its references; ``buurten``: the long panel of the reference buurten
    (area, period, indicator, value, status); ``table``: the indicator table."""

    place: Place
    values: pd.DataFrame
    buurten: pd.DataFrame
    table: pd.DataFrame
    city_buurten: tuple[str, ...]
    notes: tuple[str, ...] = ()


def borrow_weights(buurten: pd.DataFrame, table: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """Denominators for periods in which the store has none at all.

    A rate is combined over buurten weighted by its denominator in the same period
    (docs/indicators.md). Sources do not always share years: the RIVM monitor of 2020
    next to a KWB of 2024 only leaves 2020 without any resident count. For such a period
    (no buurt has a value of the denominator), each buurt's denominator is taken from its
    nearest period with one, the latest earlier else the earliest later. Only relative
    sizes matter for the weights; a note says which periods borrowed. A denominator the
    store does not hold at all (``woningen`` when only the KWB population table was
    imported) is replaced by the residents (``inwoners``), with a note.
    """
    weighted = table[(table["aggregation"] == "weighted_mean") & (table["denominator"] != "")]
    population = buurten[(buurten["indicator"] == POPULATION) & buurten["value"].notna()]
    notes, frames = [], [buurten]
    for den, group in weighted.groupby("denominator", sort=True):
        need = set(buurten.loc[buurten["indicator"].isin(group["code"])
                               & buurten["value"].notna(), "period"])
        have = buurten[(buurten["indicator"] == den) & buurten["value"].notna()]
        replaced = have.empty and den != POPULATION and not population.empty
        if replaced:
            have = population.assign(indicator=den)
        lacking = sorted(need - set(have["period"]))
        fill = sorted(need) if replaced else lacking
        if not fill or have.empty:
            continue
        wide = have.pivot(index="area", columns="period", values="value")
        periods = sort_periods(set(wide.columns) | set(fill))
        filled = wide.reindex(columns=periods).ffill(axis=1).bfill(axis=1)[fill]
        rows = filled.stack().rename("value").reset_index()
        frames[0] = frames[0][~((frames[0]["indicator"] == den)
                                & frames[0]["period"].isin(fill))]
        frames.append(rows.assign(indicator=den, status="value")[list(buurten.columns)])
        if replaced:
            notes.append(f"weights {den}: the store has none; residents ({POPULATION}) "
                         "weigh instead")
        if lacking:
            notes.append(f"weights {den} for {', '.join(lacking)} borrowed from the nearest "
                         "year with figures (the store has none for these periods)")
    return pd.concat(frames, ignore_index=True), notes


def _needed(table: pd.DataFrame, indicators: Sequence[str]) -> list[str]:
    known = table.set_index("code")
    extra = [known.at[c, "denominator"] for c in indicators
             if c in known.index and known.at[c, "denominator"]]
    return list(dict.fromkeys([*indicators, *extra, POPULATION]))


def unit_panel(place: Place, *, indicators: Sequence[str],
               periods: Sequence[str] | None = None) -> UnitPanel:
    """The place, the city, the rest of the city and the country per period and indicator.

    Reads the indicator table, the buurten of the place's gemeente(n) (one query per
    gemeente; all buurten for the country) and the stored figures of the place, its
    gemeente(n) and NL00: a fixed number of queries whatever the number of areas.
    """
    table = indicator_selectors.indicator_table_frame()
    wanted = _needed(table, indicators)
    table = table[table["code"].isin(wanted)]
    # A denominator the store lacks stays in the table (as the catalogue defines it), so
    # that weights put in by borrow_weights reach the aggregation.
    absent = [c for c in wanted if c not in set(table["code"])]
    table = pd.concat([table, pd.DataFrame(
        [{"code": c, "theme": "", "polarity": "neutral", "aggregation": "sum",
          "denominator": ""} for c in absent], columns=table.columns)], ignore_index=True)
    if place.level == area_codes.LAND:
        buurten = indicator_selectors.observation_long(indicators=wanted, level="buurt",
                                                       periods=periods)
    else:
        frames = [indicator_selectors.observation_long(indicators=wanted, level="buurt",
                                                       within=g, periods=periods)
                  for g in place.gemeenten]
        buurten = pd.concat(frames, ignore_index=True)
    buurten = buurten.astype({"indicator": str, "area": str, "period": str})
    buurten, notes = borrow_weights(buurten, table)
    city_buurten = tuple(sorted(buurten["area"].unique()))
    stored_codes = {area_codes.COUNTRY_CODE, *place.gemeenten}
    if place.kind == "area":
        stored_codes.add(place.key)
    ids = dict(Area.objects.filter(code__in=stored_codes).values_list("pk", "code"))
    stored = indicator_selectors.observation_long(indicators=wanted, area_ids=list(ids),
                                                  periods=periods)
    stored = stored.astype({"indicator": str, "area": str, "period": str})
    stored = stored[stored["value"].notna()]

    if place.level == area_codes.LAND:  # the country: its own figure, else all buurten
        members = {SUBJECT: list(city_buurten)}
    else:
        inside = set(place.members)
        members = {SUBJECT: list(place.members),
                   REST: [b for b in city_buurten if b not in inside],
                   _ALL_CITY: list(city_buurten)}
    members = {k: v for k, v in members.items() if v}
    aggregated = pd.DataFrame(columns=["area_set", "period", "indicator", "value"])
    if members and not buurten.empty:
        aggregated = aggregate_areas(buurten, table, members).values
    aggregated = aggregated.rename(columns={"area_set": "unit"})[
        ["unit", "period", "indicator", "value"]].assign(how="aggregated")
    aggregated = aggregated[aggregated["value"].notna()]

    def own(code: str, unit: str) -> pd.DataFrame:
        rows = stored[stored["area"] == code]
        return pd.DataFrame({"unit": unit, "period": rows["period"],
                             "indicator": rows["indicator"], "value": rows["value"],
                             "how": "stored"})

    parts = [own(area_codes.COUNTRY_CODE, COUNTRY)]
    if place.kind == "area":
        parts.append(own(place.key, SUBJECT))
    if len(place.gemeenten) == 1:
        parts.append(own(place.gemeenten[0], CITY))
    # Own figures first: they win over the aggregate of the same unit, period and indicator.
    parts.append(aggregated[aggregated["unit"].isin([SUBJECT, REST])])
    parts.append(aggregated[aggregated["unit"] == _ALL_CITY].assign(unit=CITY))
    values = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    if values.empty:
        values = pd.DataFrame(columns=["unit", "period", "indicator", "value", "how"])
    values = values.drop_duplicates(["unit", "period", "indicator"], keep="first")
    values = values.astype({"value": float}).sort_values(["unit", "indicator", "period"])
    return UnitPanel(place=place, values=values.reset_index(drop=True), buurten=buurten,
                     table=table, city_buurten=city_buurten, notes=tuple(notes))


def unit_series(up: UnitPanel, *, unit: str, indicator: str) -> pd.Series:
    """The values of one unit and indicator, indexed by period."""
    rows = up.values[(up.values["unit"] == unit) & (up.values["indicator"] == indicator)]
    return rows.set_index("period")["value"]


def unit_domain_scores(up: UnitPanel, *, base_period: str | None,
                       themes: Sequence[str] | None = None,
                       at: str | None = None) -> StackingResult:
    """Index-100 domain scores of the place and its references against the city's buurten.

    Rule: the panel is the reference buurten plus the units (:data:`SUBJECT`, :data:`CITY`,
    :data:`REST`, :data:`COUNTRY`) as extra rows; every indicator is standardised against
    the reference buurten only (unweighted mean and sd, buurten under 100 residents left
    out), in ``base_period`` (fixed, so a score moves only when the unit's own values move;
    None: each period against itself). A unit's domain score is then ``100 - 10 z_d`` of
    its aggregated values, exactly as a buurt's. Only the buurten are ranked.

    ``at``: one period for which every indicator enters with its vintage (its newest
    figures up to ``at``, see :mod:`.panels`), as the index does; the base period then
    takes the vintages up to the base. Without ``at`` every stored period is its own.
    """
    themes = tuple(themes or DEFAULT_THEMES)
    codes = [c for c in index_indicator_codes(themes) if c in set(up.table["code"])]
    if not codes:
        raise PlaceError(f"no indicator of the theme(s) {', '.join(themes)} in the store")
    buurten = up.buurten[up.buurten["indicator"].isin(codes)][["area", "period", "indicator",
                                                               "value"]]
    units = up.values[up.values["indicator"].isin(codes)].rename(columns={"unit": "area"})
    panel = pd.concat([buurten, units[["area", "period", "indicator", "value"]]],
                      ignore_index=True)
    pop = up.buurten[up.buurten["indicator"] == POPULATION]
    if at is not None:
        known = panel[panel["area"].isin(up.city_buurten)]
        labels = [at] if base_period in (None, at) else [at, base_period]
        panel = pd.concat([relabel_vintages(panel, vintages_for(known, p), p) for p in labels],
                          ignore_index=True)
        pop = pd.concat([relabel_vintages(pop, vintages_for(pop, p), p) for p in labels],
                        ignore_index=True)
    population = pop.rename(columns={"value": "population"})[["area", "period", "population"]]
    if base_period is not None and base_period not in set(panel["period"]):
        raise PlaceError(f"no values of the theme(s) {', '.join(themes)} in the base period "
                         f"{base_period}")
    config = StackingConfig(
        themes=themes, rank_areas=up.city_buurten,
        reference=Reference(areas=up.city_buurten, base_period=base_period,
                            label="the buurten of the municipality"))
    return stacking_index(panel, up.table, population=population, config=config)
