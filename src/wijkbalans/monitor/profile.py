"""The figures of an area profile: key figures against references, trends, the themes
where the place stands worst, and notes on members that did not count."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wijkbalans.analysis.standardise import orientation
from wijkbalans.areas.models import Area
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.catalogue import THEMES
from wijkbalans.indicators.models import Indicator

from .formatting import indicator_name, lang, value_text
from .places import Place, place_values, resolve_place


@dataclass
class Figure:
    indicator: Indicator
    name: str
    period: str
    value: float | None
    text: str
    references: list[str]  # formatted values of the references, same period
    missing_members: list[str] = field(default_factory=list)


@dataclass
class ThemeStanding:
    theme: str
    label: str
    score: float  # mean oriented z against the municipality's areas; negative = worse
    text: str
    drivers: list[str]


@dataclass
class Profile:
    place: Place
    references: list[Place]
    figures_by_theme: list[tuple[str, list[Figure]]]
    worst_themes: list[ThemeStanding]
    values: pd.DataFrame
    indicators: dict[str, Indicator]
    trend_codes: list[str]


def references_for(place: Place, compare_key: str | None) -> tuple[list[Place], str | None]:
    """The municipality, the country and an optional comparison place; and an error."""
    refs: list[Place] = []
    if place.gemeentecode and place.key != place.gemeentecode:
        city = resolve_place(place.gemeentecode)
        if city:
            refs.append(city)
    if place.key != "NL00":
        country = resolve_place("NL00")
        if country:
            refs.append(country)
    error = None
    if compare_key:
        other = resolve_place(compare_key)
        if other is None:
            error = compare_key
        elif other.key not in {r.key for r in refs} | {place.key}:
            refs.append(other)
    return refs, error


def theme_label(theme: str) -> str:
    nl, en = THEMES.get(theme, (theme, theme))
    return en if lang() == "en" else nl


def build_profile(place: Place, references: list[Place]) -> Profile:
    values, members = place_values([place, *references])
    # A reference without any figure (e.g. the country, before national data is imported)
    # would only add a column of dashes.
    present = set(values.loc[values["status"] == "value", "place"])
    references = [r for r in references if r.key in present]
    codes = sorted(set(values["indicator"]))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    own = values[(values["place"] == place.key) & (values["status"] == "value")]
    own = own[own["value"].notna()]
    latest = own.sort_values("period").groupby("indicator").tail(1)
    lookup = {(r.place, r.indicator, r.period): r.value
              for r in values.itertuples(index=False) if r.status == "value"}
    missing = {}
    if not members.empty:
        for (code, period), group in members.groupby(["indicator", "period"]):
            missing[(code, period)] = sorted(group["area"].tolist())
    by_theme: dict[str, list[Figure]] = {}
    for row in latest.itertuples(index=False):
        ind = indicators[row.indicator]
        refs = [value_text(lookup.get((r.key, row.indicator, row.period)), ind.decimals)
                for r in references]
        by_theme.setdefault(ind.theme or "other", []).append(Figure(
            indicator=ind, name=indicator_name(ind), period=row.period, value=row.value,
            text=value_text(row.value, ind.decimals), references=refs,
            missing_members=missing.get((row.indicator, row.period), [])))
    order = list(THEMES)
    figures_by_theme = [(theme_label(t), sorted(f, key=lambda x: x.name))
                        for t, f in sorted(by_theme.items(),
                                           key=lambda kv: order.index(kv[0])
                                           if kv[0] in order else 99)]
    trend_codes = [code for code, group in own.groupby("indicator") if group["period"].nunique()
                   > 1]
    return Profile(place=place, references=references, figures_by_theme=figures_by_theme,
                   worst_themes=worst_themes(place, latest, indicators), values=values,
                   indicators=indicators, trend_codes=sorted(
                       trend_codes, key=lambda c: (indicators[c].theme, c)))


def worst_themes(place: Place, latest: pd.DataFrame, indicators: dict[str, Indicator],
                 limit: int = 3) -> list[ThemeStanding]:
    """Themes where the place stands worst against the areas of its municipality.

    For each indicator with a polarity, z = ±(value − mean) / sd (signed so that negative
    is worse) over the
    municipality's areas of the same level (buurten for an area set) in the same period;
    a theme's score is the mean z of its indicators; negative is worse than average.
    """
    if not place.gemeentecode or latest.empty:
        return []
    level = "buurt" if place.is_set else place.level
    if level not in ("buurt", "wijk"):
        return []
    polar = [c for c in latest["indicator"] if indicators[c].polarity != "neutral"]
    if not polar:
        return []
    periods = sorted(set(latest["period"]))
    peers = indicator_selectors.observation_long(indicators=polar, level=level,
                                                 within=place.gemeentecode, periods=periods)
    peers = peers[(peers["status"] == "value") & peers["value"].notna()]
    stats = peers.groupby(["indicator", "period"])["value"].agg(["mean", "std"])
    by_theme: dict[str, list[tuple[float, str]]] = {}
    for row in latest.itertuples(index=False):
        ind = indicators[row.indicator]
        if ind.polarity == "neutral" or (row.indicator, row.period) not in stats.index:
            continue
        mean, sd = stats.loc[(row.indicator, row.period)]
        if not sd or math.isnan(sd):
            continue
        # orientation() gives +1 where higher is worse; negate so that negative = worse.
        z = -orientation(ind.polarity) * (row.value - mean) / sd
        by_theme.setdefault(ind.theme or "other", []).append((z, indicator_name(ind)))
    standings = []
    for theme, scored in by_theme.items():
        score = float(np.mean([z for z, _ in scored]))
        drivers = [name for z, name in sorted(scored)[:2] if z < 0]
        standings.append(ThemeStanding(theme=theme, label=theme_label(theme), score=score,
                                       text=value_text(score, 1), drivers=drivers))
    standings.sort(key=lambda s: s.score)
    return [s for s in standings if s.score < 0][:limit]


def siblings_for_map(place: Place) -> list[int]:
    """Areas drawn around the place on its small map: its parent's children, or the
    members of a set together with the other buurten of their municipality."""
    if place.is_set:
        if place.gemeentecode:
            return list(Area.objects.filter(gemeentecode=place.gemeentecode, level="buurt")
                        .values_list("pk", flat=True))
        return list(place.member_ids)
    area = place.area
    if area.parent_id and area.level in ("buurt", "wijk"):
        return list(Area.objects.filter(parent_id=area.parent_id).values_list("pk", flat=True))
    return [area.pk]
