"""``/api/v1/touchstone/``: compute, assess, decide, list, compare, afterwards; who may,
and the OpenAPI schema of the endpoints."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.touchstone.conftest import add_result
from wijkbalans.accounts.models import AuditEntry
from wijkbalans.api.touchstone import urlpatterns as touchstone_urlpatterns
from wijkbalans.conf.urls import urlpatterns as site_urlpatterns
from wijkbalans.touchstone.models import Assessment, Decision

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
# The site with the touchstone endpoints in front, whether or not api/urls.py has them yet.
urlpatterns = [path("api/v1/", include(touchstone_urlpatterns)), *site_urlpatterns]
BASE = "/api/v1/touchstone/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None and user.is_authenticated:
        client.force_authenticate(user)
    return client


def counts():
    return Assessment.objects.count(), Decision.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def plans(make_plan):
    a = make_plan("ts-api-a", themes=["poverty"], evidence="effectief_goede", public=True)
    add_result(a, name="Deelnemers", targets=[("2027", 3000)])
    b = make_plan("ts-api-b", themes=["physical"])
    return a, b


def test_get_computes_json_and_csv_and_stores_nothing(plans, people):
    before = counts()
    response = client_for(people["bureau"]).get(BASE + "ts-api-a/",
                                                HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["assessment"] is None and data["activity_version"] == 1
    ratings = {c["key"]: c["rating"] for c in data["criteria"]}
    assert (ratings["need"], ratings["evidence"], ratings["reach"]) == (
        "strong", "strong", "strong")  # 3,000 / 22,622 = 13.3%
    assert counts() == before
    response = client_for(people["bureau"]).get(BASE + "ts-api-a/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["rating"] for r in rows][:3] == ["strong", "strong", "strong"]


def test_get_with_a_target_group_and_bad_parameters(plans, people):
    client = client_for(people["bureau"])
    found = client.get(BASE + "ts-api-a/", {"target_group": "inwoners_65plus"}).json()
    reach = next(c for c in found["criteria"] if c["key"] == "reach")
    assert reach["data"]["target_group"]["indicator"] == "inwoners_65plus"
    wrong = client.get(BASE + "ts-api-a/", {"target_group": "werkzaam_pct"})
    assert wrong.status_code == 400 and "target_group_indicator" in wrong.json()
    unknown = client.get(BASE + "ts-api-a/", {"colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()


def test_the_public_reads_public_plans_without_amounts(plans, people):
    anonymous = client_for()
    assert anonymous.get(BASE + "ts-api-b/").status_code == 404  # not public
    data = anonymous.get(BASE + "ts-api-a/").json()
    money = next(c for c in data["criteria"] if c["key"] == "money")
    assert "need" not in money["data"] and money["rating"] == "weak"
    member = client_for(people["partner"]).get(BASE + "ts-api-b/")
    assert member.status_code == 200


def test_post_stores_an_assessment_and_a_decision(plans, people, no_participation):
    client = client_for(people["bureau"])
    before = counts()
    response = client.post(BASE + "ts-api-a/", {
        "label": "variant A", "expected_version": 1,
        "inputs": {"notes": {"residents": "Bewonersavond: positief."},
                   "argued_ratings": {"residents": "adequate"}}}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert counts() == (before[0] + 1, before[1], before[2] + 1)
    residents = next(c for c in data["criteria"] if c["key"] == "residents")
    assert (residents["rating"], residents["basis"]) == ("adequate", "argued")
    assert data["decision"] is None and data["label"] == "variant A"
    decided = client.post(BASE + "ts-api-a/decision/",
                          {"decision": "go", "reason": "Sterk op nood en bewijs."},
                          format="json")
    assert decided.status_code == 201, decided.content
    assert decided.json()["decision"] == "go"
    assert decided.json()["decided_by"] == "bureau"
    listed = client_for().get(BASE + "ts-api-a/assessments/").json()
    assert [a["assessment"] for a in listed] == [data["assessment"]]
    assert listed[0]["decision"]["reason"] == "Sterk op nood en bewijs."


@pytest.mark.parametrize(("body", "field"), [
    ({"inputs": {"target_group_indicator": "werkzaam_pct"}}, "target_group_indicator"),
    ({"inputs": {"notes": {"geld": "x"}}}, "notes.geld"),
    ({"expected_version": 7}, "expected_version"),
    ({"label": "x" * 201}, "label"),
    ({"inputs": "tekst"}, "inputs"),
])
def test_post_with_bad_input_is_400_naming_the_field(plans, people, body, field):
    before = counts()
    response = client_for(people["bureau"]).post(BASE + "ts-api-a/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert counts() == before


def test_who_may_post(plans, people):
    before = counts()
    assert client_for(people["partner"]).post(BASE + "ts-api-a/", {},
                                              format="json").status_code == 403
    assert client_for().post(BASE + "ts-api-a/", {}, format="json").status_code in (401, 403)
    assert client_for(people["bewoner"]).post(BASE + "ts-api-b/", {},
                                              format="json").status_code == 404
    assert client_for(people["partner"]).post(
        BASE + "ts-api-a/decision/", {"decision": "go", "reason": "x"},
        format="json").status_code == 400  # no assessment yet
    assert counts() == before


def test_decision_errors(plans, people):
    client = client_for(people["bureau"])
    made = client.post(BASE + "ts-api-a/", {}, format="json").json()["assessment"]
    before = counts()
    assert client.post(BASE + "ts-api-a/decision/", {"decision": "later", "reason": "x"},
                       format="json").json().keys() == {"decision"}
    assert "reason" in client.post(BASE + "ts-api-a/decision/",
                                   {"decision": "stop", "reason": " "},
                                   format="json").json()
    assert "assessment" in client.post(BASE + "ts-api-a/decision/",
                                       {"assessment": made + 100, "decision": "go",
                                        "reason": "x"}, format="json").json()
    assert client_for(people["partner"]).post(
        BASE + "ts-api-a/decision/", {"decision": "go", "reason": "x"},
        format="json").status_code == 403
    assert counts() == before


def test_comparison_and_afterwards(plans, people):
    client = client_for(people["bureau"])
    a = client.post(BASE + "ts-api-a/", {"label": "A"}, format="json").json()["assessment"]
    b = client.post(BASE + "ts-api-b/", {"label": "B"}, format="json").json()["assessment"]
    table = client.get("/api/v1/touchstone-comparison/", {"assessments": f"{a},{b}"}).json()
    assert [p["label"] for p in table["plans"]] == ["A", "B"]
    assert [c["rating"] for c in table["criteria"][0]["plans"]] == ["strong", "weak"]
    # The public may compare only what it may read.
    refused = client_for().get("/api/v1/touchstone-comparison/", {"assessments": f"{a},{b}"})
    assert refused.status_code == 400 and str(b) in refused.json()["assessments"][0]
    assert client.get("/api/v1/touchstone-comparison/").status_code == 400
    after = client_for().get(BASE + "ts-api-a/afterwards/").json()
    assert after["assessment"]["id"] == a
    assert after["results"][0]["expected"] == {"2027": "3000.0000"}
    assert client_for().get(BASE + "ts-api-b/afterwards/").status_code == 404


def test_schema_of_the_endpoints_is_valid():
    generator = SchemaGenerator(patterns=[path("api/v1/", include(touchstone_urlpatterns))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    scorecard = schema["paths"]["/api/v1/touchstone/{code}/"]
    assert set(scorecard) >= {"get", "post"}
    assert set(scorecard["get"]["responses"]["200"]["content"]) == {"application/json",
                                                                     "text/csv"}
    assert {p["name"] for p in scorecard["get"]["parameters"]} >= {"target_group", "format"}
    assert "post" in schema["paths"]["/api/v1/touchstone/{code}/decision/"]
