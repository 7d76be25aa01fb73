"""A small city for the monitor's tests, loaded through the normal pipeline (load_parsed):
a gemeente, two wijken, ``n`` buurten drawn as squares, three years of three indicators
(a count, a weighted rate, a score), and an area set of the first three buurten."""

from __future__ import annotations

import pandas as pd
import pytest

from wijkbalans.areas.services import area_set_save
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.importers.base import AreaRecord, Parsed, observations_frame
from wijkbalans.indicators.services import load_parsed

GM = "GM0999"
PERIODS = ["2022", "2023", "2024"]


def square(lon, lat, size=0.01):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat],
                                                [lon + size, lat + size], [lon, lat + size],
                                                [lon, lat]]]}


def buurt(i: int) -> str:
    return f"BU0999{i // 10:02d}{i % 10:02d}"


def city_values(n: int) -> dict[str, dict[tuple[str, str], float]]:
    """Hand-checkable values: buurt i has 100*(i+1) residents in 2024 (10 fewer a year
    earlier), werkzaam_pct 60+i (+1 a year), lbm_klasse i % 9 + 1."""
    values: dict[str, dict] = {"inwoners": {}, "werkzaam_pct": {}, "lbm_klasse": {}}
    for i in range(n):
        for k, period in enumerate(PERIODS):
            back = len(PERIODS) - 1 - k
            values["inwoners"][(buurt(i), period)] = 100.0 * (i + 1) - 10 * back
            values["werkzaam_pct"][(buurt(i), period)] = 60.0 + i - back
            values["lbm_klasse"][(buurt(i), period)] = float(i % 9 + 1)
    for period in PERIODS:  # the municipality's own figures, as CBS publishes them
        people = {b: v for (b, p), v in values["inwoners"].items() if p == period}
        values["inwoners"][(GM, period)] = sum(people.values())
        values["werkzaam_pct"][(GM, period)] = sum(
            values["werkzaam_pct"][(b, period)] * n for b, n in people.items()) / sum(
            people.values())
    return values


def make_city(n: int = 6) -> dict:
    areas = [AreaRecord(code=GM, name="Teststad", level="gemeente", year=2024)]
    for w in range((n - 1) // 10 + 1):
        areas.append(AreaRecord(code=f"WK0999{w:02d}", name=f"Wijk {w}", level="wijk",
                                year=2024))
    for i in range(n):
        lon, lat = 6.5 + (i % 10) * 0.01, 53.2 + (i // 10) * 0.01
        areas.append(AreaRecord(code=buurt(i), name=f"Buurt {i}", level="buurt", year=2024,
                                geometry=square(lon, lat), centroid=(lon + .005, lat + .005),
                                land_area_ha=70.0))
    values = city_values(n)
    rows = {k: [] for k in ("indicator", "area", "period", "value", "status", "row", "column")}
    for code, series in values.items():
        for (area, period), value in series.items():
            for key, item in (("indicator", code), ("area", area), ("period", period),
                              ("value", value), ("status", "value"), ("row", 0),
                              ("column", code)):
                rows[key].append(item)
    parsed = Parsed(observations=observations_frame(rows), areas=areas,
                    indicators=[catalogue.spec(c) for c in values])
    load_parsed(parsed=parsed, kind="test", file_name="city", file_sha256=f"city-{n}")
    area_set_save(slug="noord", name="Noord", member_codes=[buurt(i) for i in range(3)])
    return values


@pytest.fixture
def city(db):
    return make_city(6)


def frame(values) -> pd.DataFrame:
    return pd.DataFrame(values)
