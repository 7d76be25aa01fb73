"""A *place* is what a monitor page is about: a CBS area, or an area set (a programme
area) whose figures are aggregated from its buurten by each indicator's rule."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from wijkbalans.analysis.aggregate import aggregate_areas
from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.indicators import selectors as indicator_selectors


@dataclass
class Place:
    key: str  # CBS code or area-set slug
    name: str
    is_set: bool
    level: str  # land/gemeente/wijk/buurt, or "set"
    area: Area | None = None
    area_set: AreaSet | None = None
    member_ids: list[int] = field(default_factory=list)
    member_codes: list[str] = field(default_factory=list)
    gemeentecode: str = ""

    @property
    def url_key(self) -> str:
        return self.key


def resolve_place(key: str) -> Place | None:
    """The area with CBS code ``key`` or the area set with slug ``key`` (two queries at most)."""
    code = area_codes.normalise(key)
    if area_codes.level_of(code):
        area = Area.objects.filter(code=code).first()
        if area is None:
            return None
        return Place(key=area.code, name=area.name, is_set=False, level=area.level, area=area,
                     member_ids=[area.pk], member_codes=[area.code],
                     gemeentecode=area.gemeentecode)
    area_set = area_selectors.area_set_get(slug=key)
    if area_set is None:
        return None
    members = list(area_selectors.area_set_members(area_set=area_set)
                   .values_list("pk", "code", "gemeentecode"))
    gemeenten = sorted({g for _, _, g in members if g})
    return Place(key=area_set.slug, name=area_set.name, is_set=True, level="set",
                 area_set=area_set, member_ids=[pk for pk, _, _ in members],
                 member_codes=[c for _, c, _ in members],
                 gemeentecode=gemeenten[0] if len(gemeenten) == 1 else "")


def resolve_places(keys: list[str]) -> tuple[list[Place], list[str]]:
    """Places for ``keys``, and the keys that name nothing."""
    places, unknown = [], []
    for key in keys:
        place = resolve_place(key)
        (places.append(place) if place else unknown.append(key))
    return places, unknown


def place_values(places: list[Place], *, indicators: list[str] | None = None,
                 periods: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values of every place: ``place, indicator, period, value, status`` and, for area sets,
    the members that did not count (``place, indicator, period, area, state``).

    Two queries for the plain areas together and two per area set (its members' panel,
    with the denominators the aggregation rules need), whatever the number of indicators.
    """
    frames, notes = [], []
    plain = [p for p in places if not p.is_set]
    if plain:
        long = indicator_selectors.observation_long(
            indicators=indicators, area_ids=[p.member_ids[0] for p in plain], periods=periods)
        long = long.rename(columns={"area": "place"})
        frames.append(long)
    sets = [p for p in places if p.is_set]
    if sets:
        table = indicator_selectors.indicator_table_frame(codes=None)
        wanted = set(indicators) if indicators is not None else set(table["code"])
        denominators = set(table.loc[table["code"].isin(wanted), "denominator"]) - {""}
        needed = sorted(wanted | denominators)
        table = table[table["code"].isin(needed)]
        for place in sets:
            panel = indicator_selectors.observation_long(
                indicators=needed, area_ids=place.member_ids, periods=periods)
            if panel.empty:
                continue
            result = aggregate_areas(panel, table, {place.key: place.member_codes})
            values = result.values.rename(columns={"area_set": "place"})
            values = values[values["indicator"].isin(wanted)]
            values = values.assign(status=values["value"].notna().map(
                {True: "value", False: "missing"}))
            frames.append(values[["indicator", "place", "period", "value", "status"]])
            members = result.members.rename(columns={"area_set": "place"})
            notes.append(members[members["indicator"].isin(wanted)])
    values = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=["indicator", "place", "period", "value", "status"]))
    members = (pd.concat(notes, ignore_index=True) if notes
               else pd.DataFrame(columns=["place", "indicator", "period", "area", "state"]))
    return values, members
