"""/api/v1/areas/: filters, paging, CSV, GeoJSON, errors, query counts, real Groningen."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.indicators.importers.base import AreaRecord

from .conftest import area_records, groningen_2017, parse_csv, register, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    """GM0014 with wijken WK001400, WK001401 and 60 buurten (50 + 10)."""
    register(area_records(60))


def test_list_fields_and_level_filter(api, areas):
    response = api.get("/api/v1/areas/", {"level": "wijk"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"][0] == {"code": "WK001400", "name": "Wijk 0", "level": "wijk",
                                  "parent": "GM0014", "gemeentecode": "GM0014",
                                  "latest_year": 2024}


def test_within_parent_q_and_year_filters(api, areas):
    register(area_records(3, gemeente="GM0034"))
    assert api.get("/api/v1/areas/", {"within": "GM0034"}).json()["count"] == 1 + 1 + 3
    children = api.get("/api/v1/areas/", {"parent": "WK001401"}).json()
    assert [a["code"] for a in children["results"]] == [f"BU001401{i:02d}" for i in range(10)]
    assert api.get("/api/v1/areas/", {"q": "buurt 1-"}).json()["count"] == 10
    assert api.get("/api/v1/areas/", {"q": "bu0014010"}).json()["count"] == 10
    register([AreaRecord(code="BU00140000", name="Oude naam", level="buurt", year=2017)])
    year = api.get("/api/v1/areas/", {"year": "2017"}).json()
    assert [a["code"] for a in year["results"]] == ["BU00140000"]
    assert year["results"][0]["name"] == "Buurt 0-0"  # the latest name, not 2017's


def test_pagination_limits_and_links(api, areas):
    first = api.get("/api/v1/areas/", {"level": "buurt", "limit": 25}).json()
    assert first["count"] == 60 and len(first["results"]) == 25
    assert "offset=25" in first["next"] and first["previous"] is None
    last = api.get("/api/v1/areas/", {"level": "buurt", "limit": 25, "offset": 50}).json()
    assert [a["code"] for a in last["results"]][0] == "BU00140100" and last["next"] is None
    default = api.get("/api/v1/areas/").json()
    assert len(default["results"]) == 64  # NL00, GM0014, 2 wijken, 60 buurten
    assert len(api.get("/api/v1/areas/", {"limit": 5000}).json()["results"]) == 64


def test_csv_holds_every_row_and_matches_json(api, areas):
    response = api.get("/api/v1/areas/", {"format": "csv", "limit": 5})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = parse_csv(response)
    assert len(rows) == 64  # CSV is not paginated
    as_json = api.get("/api/v1/areas/", {"limit": 1000}).json()["results"]
    for row, item in zip(rows, as_json, strict=True):
        assert row == {k: "" if v is None else str(v) for k, v in item.items()}


def test_geojson_collection_with_latest_or_chosen_geometry(api, areas):
    register([AreaRecord(code="BU00140000", name="Buurt 0-0", level="buurt", year=2017,
                         geometry=square(6.0, 53.0))])
    register([AreaRecord(code="BU00140000", name="Buurt 0-0", level="buurt", year=2025)])
    response = api.get("/api/v1/areas/", {"format": "geojson", "level": "buurt", "limit": 3})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["count"] == 60
    assert len(body["features"]) == 3 and "offset=3" in body["next"]
    first = body["features"][0]
    assert first["type"] == "Feature" and first["id"] == "BU00140000"
    # 2025 brought no borders: the newest version with a geometry (2024) is shown.
    assert first["properties"]["geometry_year"] == 2024
    assert first["geometry"] == square(6.5, 53.2)
    ring = first["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) >= 4
    old = api.get("/api/v1/areas/", {"format": "geojson", "year": "2017"}).json()
    assert [f["id"] for f in old["features"]] == ["BU00140000"]
    assert old["features"][0]["geometry"] == square(6.0, 53.0)
    assert old["features"][0]["properties"]["geometry_year"] == 2017


def test_detail_with_versions_children_and_sets(api, areas):
    register([AreaRecord(code="WK001401", name="Wijk een", level="wijk", year=2017,
                         land_area_ha=12.0)])
    AreaSet.objects.create(slug="noord", name="Noord").members.add(
        Area.objects.get(code="BU00140100"))
    wijk = api.get("/api/v1/areas/wk001401/").json()  # code case and padding forgiven
    assert wijk["code"] == "WK001401" and wijk["parent"] == "GM0014"
    assert [v["year"] for v in wijk["versions"]] == [2024, 2017]
    assert wijk["versions"][1] == {"year": 2017, "name": "Wijk een", "parent_code": "GM0014",
                                   "centroid": None, "land_area_ha": 12.0}
    assert wijk["children"] == [f"BU001401{i:02d}" for i in range(10)]
    buurt = api.get("/api/v1/areas/BU00140100/").json()
    assert buurt["area_sets"] == ["noord"]
    assert buurt["versions"][0]["centroid"] == pytest.approx([6.5005, 53.2015])
    feature = api.get("/api/v1/areas/BU00140100/", {"format": "geojson"}).json()
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["children"] == [] and feature["properties"]["name"]


def test_unknown_area_is_404(api, areas):
    response = api.get("/api/v1/areas/BU99999999/")
    assert response.status_code == 404


@pytest.mark.parametrize(("params", "name", "fragment"), [
    ({"level": "provincie"}, "level", "expected one of land, gemeente, wijk, buurt"),
    ({"within": "GM14"}, "within", "gemeentecode such as GM0014"),
    ({"within": "GM9999"}, "within", "no area lies in GM9999"),
    ({"parent": "XX12"}, "parent", "CBS area codes"),
    ({"parent": "WK999999"}, "parent", "unknown: WK999999"),
    ({"year": "twenty"}, "year", "a year of four digits"),
    ({"limit": "many"}, "limit", "whole number"),
    ({"offset": "-1"}, "offset", "whole number"),
    ({"levle": "buurt"}, "levle", "unknown parameter"),
    ({"format": "xml"}, "format", "expected one of json, csv, geojson"),
    ({"q": "x" * 101}, "q", "at most 100 characters"),
])
def test_bad_parameters_are_400_naming_the_parameter(api, areas, params, name, fragment):
    response = api.get("/api/v1/areas/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert fragment in " ".join(response.json()[name])


def test_errors_are_json_even_when_csv_or_geojson_was_asked(api, areas):
    for fmt in ("csv", "geojson"):
        response = api.get("/api/v1/areas/", {"format": fmt, "level": "x"})
        assert response.status_code == 400
        assert response.json()["level"]


def _queries(api, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/areas/", params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize("params", [
    {"level": "buurt", "limit": 1000},
    {"level": "buurt", "limit": 1000, "format": "geojson"},
    {"within": "GM0014", "year": "2024", "format": "geojson", "limit": 1000},
    {"level": "buurt", "format": "csv"},
])
def test_query_count_does_not_grow_with_the_number_of_areas(api, params,
                                                             django_assert_max_num_queries):
    register(area_records(10))
    few = _queries(api, params)
    register(area_records(200))
    with django_assert_max_num_queries(few):
        many = api.get("/api/v1/areas/", params)
        if many.streaming:
            assert len(parse_csv(many)) == 200
        else:
            body = many.json()
            assert len(body.get("results") or body.get("features")) >= 200
    assert few <= 5


@pytest.mark.shared_data
def test_groningen_2017_from_the_wijk_en_buurtkaart(api, shared_data):
    """The real 2017 map of Groningen: 15 wijken, 108 buurten (hand-checked in the CSV)."""
    records, _ = groningen_2017(shared_data)
    register(records)
    listed = api.get("/api/v1/areas/", {"within": "GM0014", "level": "buurt"}).json()
    assert listed["count"] == 108
    centrum = api.get("/api/v1/areas/WK001400/").json()
    assert centrum["name"] == "Centrum" and len(centrum["children"]) == 8
    binnenstad = api.get("/api/v1/areas/BU00140000/").json()
    assert (binnenstad["name"], binnenstad["parent"]) == ("Binnenstad-Noord", "WK001400")
    geo = api.get("/api/v1/areas/", {"within": "GM0014", "level": "buurt",
                                     "format": "geojson", "limit": 1000}).json()
    assert len(geo["features"]) == 108
    assert {f["geometry"]["type"] for f in geo["features"]} == {"Polygon"}
    lons = [pt[0] for f in geo["features"] for pt in f["geometry"]["coordinates"][0]]
    lats = [pt[1] for f in geo["features"] for pt in f["geometry"]["coordinates"][0]]
    # WGS84 longitude first (RFC 7946), around the city of Groningen.
    assert 6.4 < min(lons) < max(lons) < 6.8 and 53.1 < min(lats) < max(lats) < 53.3


# -- area sets --------------------------------------------------------------------------

NOORD = {"slug": "groningen-noord", "name": "Groningen-Noord",
         "description": "NPLV-gebied", "members": ["BU00140001", "bu00140000 "]}


def test_anyone_reads_area_sets_with_member_codes(api, areas):
    from wijkbalans.areas.services import area_set_save

    area_set_save(slug="noord", name="Noord", member_codes=["BU00140002", "BU00140001"])
    listed = api.get("/api/v1/area-sets/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["members"] == ["BU00140001", "BU00140002"]
    one = api.get("/api/v1/area-sets/noord/").json()
    assert one["name"] == "Noord" and one["members"] == ["BU00140001", "BU00140002"]
    geo = api.get("/api/v1/area-sets/noord/", {"format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and geo["slug"] == "noord"
    assert [f["id"] for f in geo["features"]] == ["BU00140001", "BU00140002"]
    assert all(f["geometry"]["type"] == "Polygon" for f in geo["features"])
    assert api.get("/api/v1/area-sets/zuid/").status_code == 404


def test_anonymous_and_partner_may_not_write(api, client_as, areas):
    assert api.post("/api/v1/area-sets/", NOORD, format="json").status_code == 401
    partner = client_as("partner")
    response = partner.post("/api/v1/area-sets/", NOORD, format="json")
    assert response.status_code == 403
    assert "admin, programme_staff or analyst" in response.json()["detail"]
    assert not AreaSet.objects.exists()


def test_analyst_creates_replaces_and_deletes_with_audit(client_as, areas):
    from wijkbalans.accounts.models import AuditEntry

    analyst = client_as("analyst")
    created = analyst.post("/api/v1/area-sets/", NOORD, format="json")
    assert created.status_code == 201
    assert created.json()["members"] == ["BU00140000", "BU00140001"]
    entry = AuditEntry.objects.get(action="area_set.save")
    assert entry.actor == analyst.user and entry.after["members"] == ["BU00140000",
                                                                      "BU00140001"]
    again = analyst.post("/api/v1/area-sets/", NOORD, format="json")
    assert again.status_code == 400 and "PUT" in again.json()["slug"][0]

    replaced = analyst.put("/api/v1/area-sets/groningen-noord/",
                           {"name": "Noord", "members": ["BU00140005"]}, format="json")
    assert replaced.status_code == 200
    assert (replaced.json()["name"], replaced.json()["members"]) == ("Noord", ["BU00140005"])
    assert replaced.json()["description"] == ""
    assert AuditEntry.objects.filter(action="area_set.save").count() == 2

    assert analyst.delete("/api/v1/area-sets/groningen-noord/").status_code == 204
    assert not AreaSet.objects.exists()
    assert AuditEntry.objects.get(action="area_set.delete").before["members"] == ["BU00140005"]
    assert analyst.put("/api/v1/area-sets/groningen-noord/", {"name": "x", "members": []},
                       format="json").status_code == 404


@pytest.mark.parametrize(("members", "fragment"), [
    (["BU00140000", "BU99990000", "BU88880000"], "unknown area code(s): BU99990000, BU88880000"),
    (["BU00140000", "WK001400"], "not a buurt: WK001400"),
    ([], "at least one buurt"),
])
def test_bad_members_are_400_naming_the_codes(client_as, areas, members, fragment):
    response = client_as("programme_staff").post(
        "/api/v1/area-sets/", {**NOORD, "members": members}, format="json")
    assert response.status_code == 400
    assert fragment in response.json()["members"][0]
    assert not AreaSet.objects.exists()


def test_bad_body_is_400(client_as, areas):
    staff = client_as("admin")
    response = staff.post("/api/v1/area-sets/", {"slug": "met spatie", "name": ""},
                          format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"slug", "name", "members"}


def test_options_describes_the_write_bodies(api, client_as, areas):
    from wijkbalans.areas.services import area_set_save

    area_set_save(slug="noord", name="Noord", member_codes=["BU00140000"])
    analyst = client_as("analyst")
    listing = analyst.options("/api/v1/area-sets/")
    assert listing.status_code == 200
    assert {"slug", "name", "members"} <= set(listing.json()["actions"]["POST"])
    one = analyst.options("/api/v1/area-sets/noord/")
    assert one.status_code == 200 and "members" in one.json()["actions"]["PUT"]
    anonymous = api.options("/api/v1/area-sets/noord/")
    assert anonymous.status_code == 200 and "actions" not in anonymous.json()


def test_accept_header_chooses_the_format_too(api, areas):
    geo = api.get("/api/v1/areas/", {"level": "wijk"}, HTTP_ACCEPT="application/geo+json")
    assert geo["Content-Type"] == "application/geo+json"
    assert geo.json()["type"] == "FeatureCollection"
    as_csv = api.get("/api/v1/areas/", {"level": "wijk"}, HTTP_ACCEPT="text/csv")
    assert [r["code"] for r in parse_csv(as_csv)] == ["WK001400", "WK001401"]
    assert api.get("/api/v1/areas/", HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
