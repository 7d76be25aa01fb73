"""/api/v1/index/, drivers, gaps and targets: answers, permissions, 400s naming the
parameter, and query counts that do not grow with the number of areas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.stacking.cities import B, make_country
from wijkbalans.accounts.models import AuditEntry
from wijkbalans.stacking.models import Target

from .conftest import parse_csv

pytestmark = pytest.mark.django_db
BODY = {"indicator": "ervaren_gezondheid_pct", "kind": "value", "baseline_period": "2019",
        "target_period": "2029", "target_value": 70}


@pytest.fixture
def country(db):
    make_country()


def test_index_json_and_csv(api, country):
    response = api.get("/api/v1/index/", {"level": "buurt", "method": "index100"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2024" and body["count"] == 10
    assert body["domains"] == ["work_income", "health"]
    assert body["vintages"]["angst_depressie_hoog_pct"] == "2020"
    first = body["results"][0]
    assert list(first) == ["code", "name", "score", "rank", "decile", "stack_count",
                           "work_income", "health"]
    assert first["code"] == B[0] and first["rank"] == 1
    page = api.get("/api/v1/index/", {"level": "buurt", "limit": 3, "offset": 3}).json()
    assert len(page["results"]) == 3 and page["count"] == 10 and "offset=6" in page["next"]
    csv_rows = parse_csv(api.get("/api/v1/index/", {"level": "buurt", "within": "GM0777",
                                                     "reference": "city", "format": "csv"}))
    assert [r["rank"] for r in csv_rows] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize(("params", "name", "words"), [
    ({}, "level", "required"),
    ({"level": "provincie"}, "level", "expected one of buurt, wijk"),
    ({"level": "buurt", "period": "2022"}, "period", "found '2022'"),
    ({"level": "buurt", "reference": "base:1900"}, "reference", "no values of the index"),
    ({"level": "buurt", "reference": "city"}, "reference", "needs within"),
    ({"level": "buurt", "method": "median"}, "method", "found 'median'"),
    ({"level": "buurt", "within": "GM14"}, "within", "expected a gemeentecode"),
    ({"level": "buurt", "themes": "geluk"}, "themes", "found 'geluk'"),
    ({"level": "buurt", "colour": "red"}, "colour", "unknown parameter"),
    ({"level": "buurt", "format": "geojson"}, "format", "expected one of json, csv"),
])
def test_index_bad_parameters_are_400s_naming_them(api, country, params, name, words):
    response = api.get("/api/v1/index/", params)
    assert response.status_code == 400
    assert words in " ".join(response.json()[name])


def test_index_queries_do_not_grow_with_areas(api, db):
    make_country()

    def count(within: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/index/", {"level": "buurt", "within": within,
                                                  "reference": "city"})
        assert response.status_code == 200
        return len(queries)

    small = count("GM0777")
    make_country(extra_buurten=60)
    assert api.get("/api/v1/index/", {"level": "buurt", "within": "GM0779",
                                      "reference": "city"}).json()["count"] == 60
    assert count("GM0779") == small


def test_drivers(api, country):
    body = api.get(f"/api/v1/areas/{B[0]}/drivers/", {"by": "indicator"}).json()
    assert body["rank"] == 1 and len(body["drivers"]) == 3
    assert sum(d["index100_contribution"] for d in body["drivers"]) == pytest.approx(
        body["score"] - 100)
    assert api.get("/api/v1/areas/BU99999999/drivers/").status_code == 404
    response = api.get(f"/api/v1/areas/{B[0]}/drivers/", {"by": "street"})
    assert response.status_code == 400 and "by" in response.json()
    as_set = api.get("/api/v1/areas/noord/drivers/", {"reference": "city"})
    assert as_set.status_code == 200 and as_set.json()["kind"] == "area_set"


def test_gaps(api, country):
    response = api.get("/api/v1/area-sets/noord/gaps/", {
        "reference": "rest_of_city", "base": "2019", "indicator": "werkzaam_pct"})
    assert response.status_code == 200
    rows = [r for r in response.json()["results"] if r["kind"] == "indicator"]
    by_period = {r["period"]: r for r in rows}
    assert by_period["2024"]["gap"] == pytest.approx(-11.6)
    assert by_period["2024"]["closure"] == pytest.approx(1 - 11.6 / 15.6)
    csv_rows = parse_csv(api.get("/api/v1/area-sets/noord/gaps/", {
        "base": "2019", "indicator": "werkzaam_pct", "format": "csv"}))
    assert {r["kind"] for r in csv_rows} == {"indicator", "domain"}
    for params, name in (({}, "base"), ({"base": "2019", "reference": "world"}, "reference"),
                         ({"base": "2018"}, "base"), ({"base": "2019", "indicator": "x"},
                                                      "indicator")):
        bad = api.get("/api/v1/area-sets/noord/gaps/", params)
        assert bad.status_code == 400 and name in bad.json(), params
    assert api.get("/api/v1/area-sets/zuid/gaps/", {"base": "2019"}).status_code == 404


def test_targets_read_by_anyone_written_by_editors(api, client_as, country):
    assert api.get("/api/v1/area-sets/noord/targets/").json() == []
    assert api.post("/api/v1/area-sets/noord/targets/", BODY, format="json").status_code in (
        401, 403)
    partner = client_as("partner")
    refused = partner.post("/api/v1/area-sets/noord/targets/", BODY, format="json")
    assert refused.status_code == 403
    assert "admin, programme_staff or analyst" in refused.json()["detail"]
    assert not Target.objects.exists()
    analyst = client_as("analyst")
    created = analyst.post("/api/v1/area-sets/noord/targets/", BODY, format="json")
    assert created.status_code == 201
    target = created.json()
    assert target["area_set"] == "noord" and target["target_value"] == 70.0
    entry = AuditEntry.objects.get(action="target.save")
    assert entry.actor == analyst.user and entry.after["indicator"] == "ervaren_gezondheid_pct"
    url = f"/api/v1/targets/{target['id']}/"
    assert api.get(url).json()["kind"] == "value"
    assert api.get("/api/v1/area-sets/noord/targets/").json()[0]["id"] == target["id"]
    progress = api.get(url + "progress/").json()
    statuses = {r["period"]: r["status"] for r in progress["periods"]}
    assert statuses == {"2019": "on track", "2021": "behind", "2024": "on track",
                        "2029": "no data"}
    assert partner.put(url, {**BODY, "target_value": 80}, format="json").status_code == 403
    updated = analyst.put(url, {**BODY, "target_value": 64}, format="json")
    assert updated.status_code == 200 and updated.json()["target_value"] == 64.0
    assert api.get(url + "progress/").json()["latest"]["status"] == "ahead"
    assert partner.delete(url).status_code == 403
    assert analyst.delete(url).status_code == 204
    assert api.get(url).status_code == 404 and api.get(url + "progress/").status_code == 404


@pytest.mark.parametrize(("body", "name"), [
    ({**BODY, "indicator": "geluk"}, "indicator"),
    ({**BODY, "target_period": "2018"}, "target_period"),
    ({**BODY, "target_value": None}, "target_value"),
    ({**BODY, "kind": "closure", "target_value": None, "closure_share": 1.5}, "closure_share"),
    ({**BODY, "kind": "wish"}, "kind"),
    ({**BODY, "reference": "world"}, "reference"),
    ({**BODY, "theme": "health"}, "indicator"),
])
def test_target_writes_400_name_the_field(client_as, country, body, name):
    response = client_as("analyst").post("/api/v1/area-sets/noord/targets/", body,
                                         format="json")
    assert response.status_code == 400
    assert name in response.json()
    assert not Target.objects.exists()


def test_targets_of_unknown_set_and_target_are_404(api, client_as, country):
    assert api.get("/api/v1/area-sets/zuid/targets/").status_code == 404
    analyst = client_as("analyst")
    assert analyst.post("/api/v1/area-sets/zuid/targets/", BODY,
                        format="json").status_code == 404
    assert api.get("/api/v1/targets/999/").status_code == 404
