"""/api/v1/observations/ and /api/v1/import-batches/: filters, paging, CSV, errors, query
counts; and the panel selector the analysis reads."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.api import indicators as api_indicators
from wijkbalans.areas.services import area_set_save
from wijkbalans.indicators import selectors

from .conftest import (
    area_records,
    buurt_codes,
    groningen_2017,
    load_observations,
    parse_csv,
    register,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/observations/"


def store(n_buurten: int) -> None:
    """``n`` buurten in GM0014 and 3 in GM0034; inwoners 2023 and 2024 for each buurt,
    veiligheid 2024-Q1/Q2 for the first three (one missing, one suppressed)."""
    register(area_records(n_buurten))
    register(area_records(3, gemeente="GM0034"))
    buurten = buurt_codes(n_buurten) + ["BU00340000", "BU00340001", "BU00340002"]
    rows = [("inwoners", code, period, 100.0 + i + (period == "2024"), "value")
            for i, code in enumerate(buurten) for period in ("2023", "2024")]
    rows += [("veiligheid", "BU00140000", "2024-Q1", 12.5, "value"),
             ("veiligheid", "BU00140000", "2024-Q2", None, "missing"),
             ("veiligheid", "BU00140001", "2024-Q1", None, "suppressed"),
             ("veiligheid", "BU00140002", "2024-Q1", 7.25, "value")]
    load_observations(rows)


@pytest.fixture
def observations():
    store(20)


def rows_of(api, **params) -> list[dict]:
    response = api.get(URL, {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keys(rows) -> list[tuple]:
    return [(r["indicator"], r["area"], r["period"]) for r in rows]


def test_rows_are_ordered_and_shaped(api, observations):
    rows = rows_of(api, indicator="veiligheid,inwoners", area="BU00140000")
    assert keys(rows) == [("inwoners", "BU00140000", "2023"), ("inwoners", "BU00140000", "2024"),
                          ("veiligheid", "BU00140000", "2024-Q1"),
                          ("veiligheid", "BU00140000", "2024-Q2")]
    assert set(rows[0]) == {"indicator", "area", "area_name", "level", "period", "value",
                            "status", "batch"}
    assert rows[1]["value"] == 101.0 and rows[1]["area_name"] == "Buurt 0-0"
    assert rows[1]["level"] == "buurt" and isinstance(rows[1]["batch"], int)
    assert (rows[3]["value"], rows[3]["status"]) == (None, "missing")


def test_area_level_within_period_and_status_filters(api, observations):
    assert len(rows_of(api, indicator="inwoners")) == 23 * 2
    assert len(rows_of(api, indicator="inwoners", within="GM0034")) == 3 * 2
    assert len(rows_of(api, indicator="inwoners", level="wijk")) == 0
    twenty_three = rows_of(api, indicator="inwoners", period="2023", area="BU00140003,BU00340001")
    assert keys(twenty_three) == [("inwoners", "BU00140003", "2023"),
                                  ("inwoners", "BU00340001", "2023")]
    assert len(rows_of(api, indicator="inwoners", period=["2023", "2024"])) == 46
    by_area = rows_of(api, area="BU00140001")  # indicator not needed with area
    assert keys(by_area) == [("inwoners", "BU00140001", "2023"),
                             ("inwoners", "BU00140001", "2024"),
                             ("veiligheid", "BU00140001", "2024-Q1")]
    hidden = rows_of(api, indicator="veiligheid", status="missing,suppressed")
    assert [r["status"] for r in hidden] == ["missing", "suppressed"]


def test_area_set_selects_its_member_buurten(api, observations):
    area_set_save(slug="noord", name="Noord", member_codes=["BU00140002", "BU00340000"])
    rows = rows_of(api, area_set="noord", period="2024")
    assert keys(rows) == [("inwoners", "BU00140002", "2024"), ("inwoners", "BU00340000", "2024")]
    assert len(rows_of(api, area_set="noord")) == 5


def test_latest_is_the_newest_period_per_indicator(api, observations):
    rows = rows_of(api, indicator="inwoners,veiligheid", period="latest")
    assert {r["period"] for r in rows if r["indicator"] == "inwoners"} == {"2024"}
    assert keys([r for r in rows if r["indicator"] == "veiligheid"]) == [
        ("veiligheid", "BU00140000", "2024-Q2")]
    # Among the rows the other filters select: BU00140002's newest veiligheid is Q1.
    own = rows_of(api, indicator="veiligheid", area="BU00140002", period="latest")
    assert keys(own) == [("veiligheid", "BU00140002", "2024-Q1")]
    assert rows_of(api, indicator="veiligheid", level="wijk", period="latest") == []


def test_pagination(api, observations):
    first = api.get(URL, {"indicator": "inwoners", "limit": 10}).json()
    assert first["count"] == 46 and len(first["results"]) == 10
    second = api.get(first["next"]).json()
    assert keys(second["results"])[0] == ("inwoners", "BU00140005", "2023")
    assert len(api.get(URL, {"indicator": "inwoners"}).json()["results"]) == 46


def test_csv_streams_every_row_and_matches_json(api, observations):
    response = api.get(URL, {"indicator": "inwoners,veiligheid", "format": "csv",
                             "limit": 2})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="observations.csv"' in response["Content-Disposition"]
    rows = parse_csv(response)
    as_json = rows_of(api, indicator="inwoners,veiligheid")
    assert len(rows) == len(as_json) == 50
    for row, item in zip(rows, as_json, strict=True):
        expected = {k: "" if v is None else str(v) for k, v in item.items()}
        got = dict(row)
        assert float(got.pop("value") or "nan") == pytest.approx(
            item["value"] if item["value"] is not None else math.nan, nan_ok=True)
        expected.pop("value")
        assert got == expected
    assert rows[1]["value"] == "101"  # a whole number without ".0"
    assert [r["value"] for r in rows[-4:]] == ["12.5", "", "", "7.25"]


def test_csv_above_the_cap_is_400(api, observations, monkeypatch):
    monkeypatch.setattr(api_indicators, "MAX_CSV_ROWS", 45)
    response = api.get(URL, {"indicator": "inwoners", "format": "csv"})
    assert response.status_code == 400
    assert "at most 45 rows; this selection has 46" in response.json()["format"][0]
    assert len(parse_csv(api.get(URL, {"indicator": "inwoners", "format": "csv",
                                       "period": "2024"}))) == 23


@pytest.mark.parametrize(("params", "name", "fragment"), [
    ({}, "indicator", "required unless area or area_set is given"),
    ({"level": "buurt"}, "indicator", "required unless"),
    ({"indicator": "inwoners,geluk,kleur"}, "indicator", "unknown: geluk, kleur"),
    ({"indicator": "inwoners", "period": "2024-13"}, "period", "found '2024-13'"),
    ({"indicator": "inwoners", "period": "24"}, "period", "YYYY, YYYY-Qn or YYYY-MM"),
    ({"indicator": "inwoners", "period": "latest,2024"}, "period", "'latest' alone"),
    ({"indicator": "inwoners", "status": "ok"}, "status",
     "expected one of value, missing, suppressed; found 'ok'"),
    ({"area": "BU99999999"}, "area", "unknown: BU99999999"),
    ({"area": "buurt-7"}, "area", "CBS area codes"),
    ({"area_set": "nergens"}, "area_set", "no area set 'nergens'"),
    ({"indicator": "inwoners", "level": "stad"}, "level", "expected one of"),
    ({"indicator": "inwoners", "within": "Groningen"}, "within", "gemeentecode"),
    ({"indicator": "inwoners", "format": "geojson"}, "format", "expected one of json, csv"),
    ({"indicator": "inwoners", "periode": "2024"}, "periode", "unknown parameter"),
])
def test_bad_filters_are_400_naming_the_parameter(api, observations, params, name, fragment):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert fragment in " ".join(response.json()[name])


def test_all_problems_are_reported_at_once(api, observations):
    body = api.get(URL, {"indicator": "geluk", "level": "x", "period": "x",
                         "format": "csv"}).json()
    assert set(body) == {"indicator", "level", "period"}


def _count_queries(api, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(URL, params)
        assert response.status_code == 200
        if response.streaming:
            parse_csv(response)
    return len(captured)


@pytest.mark.parametrize("params", [
    {"indicator": "inwoners", "limit": 1000},
    {"indicator": "inwoners,veiligheid", "within": "GM0014", "level": "buurt",
     "period": "latest", "limit": 1000},
    {"area_set": "alles", "limit": 1000},
    {"indicator": "inwoners", "format": "csv"},
])
def test_query_count_does_not_grow_with_rows_or_areas(api, params,
                                                      django_assert_max_num_queries):
    store(10)
    area_set_save(slug="alles", name="Alles", member_codes=buurt_codes(10))
    few = _count_queries(api, params)
    store(200)
    area_set_save(slug="alles", name="Alles", member_codes=buurt_codes(200))
    with django_assert_max_num_queries(few):
        response = api.get(URL, params)
        rows = parse_csv(response) if response.streaming else response.json()["results"]
        assert len(rows) >= 200
    assert few <= 6


def test_limit_above_the_maximum_is_cut_to_it():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from wijkbalans.api.pagination import ApiPagination

    request = Request(APIRequestFactory().get("/", {"limit": "5000"}))
    assert ApiPagination().get_limit(request) == 1000


@pytest.mark.shared_data
def test_groningen_2017_population_as_csv(api, shared_data):
    """Hand-checked in buurt2017.csv: Binnenstad-Noord 4,440 residents; the 108 buurten
    add up to 202,515 (the wijken to 202,620: CBS rounds each figure separately)."""
    records, rows = groningen_2017(shared_data)
    register(records)
    load_observations(rows, file_name="buurt2017.csv")
    buurten = parse_csv(api.get(URL, {"indicator": "inwoners", "level": "buurt",
                                      "within": "GM0014", "format": "csv"}))
    assert len(buurten) == 108
    assert sum(int(r["value"]) for r in buurten) == 202_515
    assert buurten[0]["area"] == "BU00140000" and buurten[0]["value"] == "4440"
    wijken = rows_of(api, indicator="inwoners", level="wijk")
    assert sum(r["value"] for r in wijken) == 202_620
    centrum = rows_of(api, indicator="inwoners", area="WK001400")
    assert (centrum[0]["area_name"], centrum[0]["value"]) == ("Centrum", 22_635)


# -- the panel selector -----------------------------------------------------------------

def test_observation_panel_is_wide_with_nan_for_no_value(observations):
    panel = selectors.observation_panel(indicators=["veiligheid", "inwoners"],
                                        areas=["BU00140000", "BU00140001"])
    assert list(panel.columns) == ["name", "level", "veiligheid", "inwoners"]
    assert list(panel.index.names) == ["area", "period"]
    assert panel.loc[("BU00140000", "2024-Q1"), "veiligheid"] == 12.5
    assert panel.loc[("BU00140000", "2024"), "inwoners"] == 101.0
    assert math.isnan(panel.loc[("BU00140000", "2024"), "veiligheid"])
    # A suppressed value is no value: the area has no veiligheid row in the panel.
    assert ("BU00140001", "2024-Q1") not in panel.index
    assert panel.loc[("BU00140001", "2023"), "name"] == "Buurt 0-1"
    latest = selectors.observation_panel(indicators=["inwoners"], within="GM0034",
                                         latest=True)
    assert latest.index.get_level_values("period").unique().tolist() == ["2024"]
    assert latest["inwoners"].tolist() == [121.0, 122.0, 123.0]
    empty = selectors.observation_panel(indicators=["inwoners"], level="wijk")
    assert empty.empty and list(empty.columns) == ["name", "level", "inwoners"]


# -- import batches ---------------------------------------------------------------------

def test_import_batches_are_for_signed_in_users(api, client_as, tmp_path, monkeypatch):
    from wijkbalans.indicators import importers
    from wijkbalans.indicators.services import file_sha256, import_file

    monkeypatch.setitem(importers.KINDS, "fake", "tests.indicators.fake_importer")
    path = tmp_path / "wijk.csv"
    path.write_text("indicator,area,period,value\nx,BU00140000,2024,1.5\nx,BU00140001,2024,.\n",
                    encoding="utf-8")
    analyst = client_as("analyst")
    result = import_file(kind="fake", path=path, acting_user=analyst.user)
    assert api.get("/api/v1/import-batches/").status_code == 401
    listed = analyst.get("/api/v1/import-batches/").json()
    assert listed["count"] == 1
    batch = listed["results"][0]
    assert (batch["id"], batch["kind"], batch["file_name"]) == (result.batch_id, "fake",
                                                                "wijk.csv")
    assert batch["file_sha256"] == file_sha256(path) and batch["user"] == analyst.user.username
    assert (batch["created"], batch["updated"], batch["areas_created"]) == (2, 0, 2)
    detail = analyst.get(f"/api/v1/import-batches/{result.batch_id}/").json()
    assert "report" in detail and detail["finished_at"] >= detail["started_at"]
    assert analyst.get("/api/v1/import-batches/999999/").status_code == 404
    rows = rows_of(api, indicator="x")
    assert {r["batch"] for r in rows} == {result.batch_id}
