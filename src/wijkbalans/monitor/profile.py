"""The figures of an area profile: key figures against references, trends, the themes
where the place stands worst, and notes on members that did not count.

Per theme, registered figures and residents' perceptions (indicators marked
``perception``: a resident survey, the Gezondheidsmonitor) are kept apart, so the page
can show what the figures say next to what residents say, as Rotterdam's Wijkprofiel
does. A perception's count of respondents (its denominator, itself a perception) is shown
with it, not as a figure of its own."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

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
    change: str = ""  # since the previous period with a value, e.g. "+2,1 sinds 2023"
    direction: str = ""  # better/worse/unchanged by the polarity; "" when neutral
    respondents: str = ""  # a perception's number of respondents, formatted
    suppressed_after: list[str] = field(default_factory=list)  # later periods held back

    @property
    def direction_text(self) -> str:
        return {"better": _("better"), "worse": _("worse"),
                "unchanged": _("unchanged")}.get(self.direction, "")


@dataclass
class ThemeFigures:
    """One theme's figures: registered ones and perceptions, each by name."""

    theme: str
    label: str
    registered: list[Figure]
    perceived: list[Figure]

    @property
    def has_respondents(self) -> bool:
        return any(f.respondents for f in self.perceived)


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
    themes: list[ThemeFigures]
    worst_themes: list[ThemeStanding]
    values: pd.DataFrame
    indicators: dict[str, Indicator]
    trend_codes: list[str]

    @property
    def figures_by_theme(self) -> list[tuple[str, list[Figure]]]:
        """Every figure shown, by theme label: registered ones first."""
        return [(t.label, t.registered + t.perceived) for t in self.themes]

    @property
    def has_perceptions(self) -> bool:
        return any(t.perceived for t in self.themes)


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


def respondent_counts(indicators: dict[str, Indicator]) -> set[str]:
    """Codes of the perceptions' respondent counts (a perception's denominator that is a
    perception itself): shown with their perception, not as figures of their own."""
    return {i.denominator for i in indicators.values()
            if i.perception and i.denominator in indicators
            and indicators[i.denominator].perception}


def change_since(ind: Indicator, periods: list[str], lookup: dict, key: str, period: str,
                 value: float) -> tuple[str, str]:
    """The change since the previous period of the same kind with a value, as text, and
    its direction by the indicator's polarity (better/worse/unchanged, "" if neutral)."""
    earlier = [p for p in periods if p < period and len(p) == len(period)
               and ("Q" in p) == ("Q" in period)]
    if not earlier:
        return "", ""
    before = earlier[-1]
    diff = value - lookup[(key, ind.code, before)]
    shown = value_text(abs(diff), ind.decimals)
    # Unchanged is what the reader sees: a change that rounds to zero at the shown decimals.
    if shown == value_text(0.0, ind.decimals):
        direction, sign = "unchanged", ""
    else:
        sign = "+" if diff > 0 else "−"
        direction = "" if ind.polarity == "neutral" else (
            "better" if (diff > 0) == (ind.polarity == "higher_better") else "worse")
    return _("%(change)s since %(period)s") % {"change": sign + shown, "period": before}, \
        direction


def respondents_used(place: Place, blocks, indicators: dict[str, Indicator],
                     totals: dict[str, float | None]) -> dict[str, float | None]:
    """An area set's respondents behind each perception: the set's sum less the members
    that did not count (suppressed, too few respondents), so the number matches the
    figure. One query, for those members' counts only."""
    left_out = [f for b in blocks for f in b.perceived
                if f.missing_members and f.indicator.code in totals]
    if not left_out:
        return totals
    ids = dict(zip(place.member_codes, place.member_ids, strict=True))
    panel = indicator_selectors.observation_long(
        indicators=sorted({f.indicator.denominator for f in left_out}),
        area_ids=sorted({ids[a] for f in left_out for a in f.missing_members if a in ids}),
        periods=sorted({f.period for f in left_out}))
    panel = panel[panel["status"] == "value"]
    n = {(r.indicator, r.area, r.period): r.value for r in panel.itertuples(index=False)}
    out = dict(totals)
    for figure in left_out:
        code = figure.indicator.code
        if out[code] is not None:
            out[code] -= sum(n.get((indicators[code].denominator, area, figure.period), 0.0)
                             for area in figure.missing_members)
    return out


def build_profile(place: Place, references: list[Place]) -> Profile:
    values, members = place_values([place, *references])
    # A reference without any figure (e.g. the country, before national data is imported)
    # would only add a column of dashes.
    present = set(values.loc[values["status"] == "value", "place"])
    references = [r for r in references if r.key in present]
    codes = sorted(set(values["indicator"]))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    counts = respondent_counts(indicators)
    mine = values[(values["place"] == place.key) & ~values["indicator"].isin(counts)]
    own = mine[(mine["status"] == "value") & mine["value"].notna()]
    latest = own.sort_values("period").groupby("indicator").tail(1)
    lookup = {(r.place, r.indicator, r.period): r.value
              for r in values.itertuples(index=False) if r.status == "value"}
    held_back: dict[str, list[str]] = {}
    for row in mine[mine["status"] == "suppressed"].itertuples(index=False):
        held_back.setdefault(row.indicator, []).append(row.period)
    periods = {code: sorted(group["period"]) for code, group in own.groupby("indicator")}
    missing = {}
    if not members.empty:
        for (code, period), group in members.groupby(["indicator", "period"]):
            missing[(code, period)] = sorted(group["area"].tolist())
    by_theme: dict[str, ThemeFigures] = {}
    respondents: dict[str, float | None] = {}
    for row in latest.itertuples(index=False):
        ind = indicators[row.indicator]
        refs = [value_text(lookup.get((r.key, row.indicator, row.period)), ind.decimals)
                for r in references]
        change, direction = change_since(ind, periods[row.indicator], lookup, place.key,
                                         row.period, row.value)
        figure = Figure(
            indicator=ind, name=indicator_name(ind), period=row.period, value=row.value,
            text=value_text(row.value, ind.decimals), references=refs,
            missing_members=missing.get((row.indicator, row.period), []),
            change=change, direction=direction,
            suppressed_after=sorted(p for p in held_back.get(row.indicator, [])
                                    if p > row.period))
        if ind.denominator in counts:
            respondents[row.indicator] = lookup.get((place.key, ind.denominator, row.period))
        theme = ind.theme or "other"
        block = by_theme.setdefault(theme, ThemeFigures(theme, theme_label(theme), [], []))
        (block.perceived if ind.perception else block.registered).append(figure)
    if place.is_set:
        respondents = respondents_used(place, by_theme.values(), indicators, respondents)
    for block in by_theme.values():
        for figure in block.perceived:
            if figure.indicator.code in respondents:
                figure.respondents = value_text(respondents[figure.indicator.code], 0)
    order = list(THEMES)
    themes = sorted(by_theme.values(),
                    key=lambda t: order.index(t.theme) if t.theme in order else 99)
    for block in themes:
        block.registered.sort(key=lambda x: x.name)
        block.perceived.sort(key=lambda x: x.name)
    trend_codes = [code for code, group in own.groupby("indicator") if group["period"].nunique()
                   > 1]
    return Profile(place=place, references=references, themes=themes,
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
