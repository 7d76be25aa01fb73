"""/api/v1/concerns/: record a concern with a token, the refusal that leaves no trace,
one's own list, and the suppressed summary."""

from __future__ import annotations

import json
import logging

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from wijkbalans.concerns.models import Concern

from .conftest import buurt_code, centre
from .test_aggregates import FIRST_QUARTER

URL = "/api/v1/concerns/"
SUMMARY = "/api/v1/concerns/summary/"
BODY = {"theme": "poverty_debts", "buurt": "BU09980102", "week": "2025-W24", "severity": 3}
PERSONAL = "Jan de Vries (jan.devries@example.nl, 06-12345678) woont op Dorpsstraat 12"


def row_counts() -> dict[str, int]:
    """Rows in every table of the project."""
    return {model._meta.db_table: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)}


def test_a_professional_records_a_concern_with_a_token(api_as):
    response = api_as("teacher").post(URL, {**BODY, "text": "zorgen over schulden"},
                                      format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("theme", "buurt", "buurt_name", "week", "severity",
                                 "organisation", "reporter_role", "has_text", "routed_to")} == {
        "theme": "poverty_debts", "buurt": "BU09980102", "buurt_name": "Buurt 1.2",
        "week": "2025-W24", "severity": 3, "organisation": "basisschool",
        "reporter_role": "professional", "has_text": True, "routed_to": ["schuldhulp"]}
    assert "text" not in body
    assert Concern.objects.get(pk=body["id"]).text == "zorgen over schulden"


def test_a_point_on_the_map_chooses_the_buurt(api_as):
    lon, lat = centre(2, 1)
    body = {**BODY, "buurt": "", "lon": lon, "lat": lat}
    response = api_as("teacher").post(URL, body, format="json")
    assert response.status_code == 201 and response.json()["buurt"] == "BU09980201"


@pytest.mark.parametrize("change, field", [
    ({"theme": "drugs"}, "theme"),
    ({"week": "2025-W30"}, "week"),
    ({"severity": 5}, "severity"),
    ({"buurt": "BU12345678"}, "buurt"),
    ({"organisation": "politie"}, None),  # not a member: 403
    ({"organisation": "nergens"}, "organisation"),
])
def test_a_bad_body_names_the_field_and_stores_nothing(api_as, change, field):
    client = api_as("teacher")
    before = row_counts()
    response = client.post(URL, {**BODY, **change}, format="json")
    if field is None:
        assert response.status_code == 403
    else:
        assert response.status_code == 400 and field in response.json()
    assert row_counts() == before


def test_who_may_post(api_as, signal_city):
    assert APIClient().post(URL, BODY, format="json").status_code == 401
    assert api_as("programme").post(URL, BODY, format="json").status_code == 403
    partner = api_as("police_officer").post(URL, {**BODY, "theme": "undermining"},
                                            format="json")
    assert partner.status_code == 201 and partner.json()["reporter_role"] == "partner"


def test_personal_data_is_refused_and_leaves_no_trace(api_as, caplog, settings):
    settings.ADMINS = [("Beheer", "beheer@example.org")]
    client = api_as("teacher")
    for name in ("", "django", "wijkbalans"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:  # SQL is logged at DEBUG now
        response = client.post(URL, {**BODY, "text": PERSONAL}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["text"][0].startswith("the text seems to hold personal data")
    kinds = {f["kind"] for f in body["findings"]}
    assert {"email", "phone"} <= kinds and all(f["hint"] for f in body["findings"])
    assert row_counts() == before  # no concern, no audit entry, nothing anywhere
    fragments = ["Vries", "example.nl", "12345678", "Dorpsstraat"]
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert not any(f in logged for f in fragments)
    assert not any(f in q["sql"] or f in str(q.get("params", "")) for q in queries.captured_queries
                   for f in fragments)
    assert mail.outbox == []


def test_a_broken_screen_is_refused_without_trace(api_as, caplog, monkeypatch, settings):
    settings.ADMINS = [("Beheer", "beheer@example.org")]

    def broken(text):
        raise RuntimeError(f"cannot screen {text}")

    monkeypatch.setattr("wijkbalans.concerns.screening.screen", broken)
    client = api_as("teacher")
    caplog.set_level(logging.DEBUG)
    before = row_counts()
    response = client.post(URL, {**BODY, "text": "geheim verhaal"}, format="json")
    assert response.status_code == 400 and "screen failed" in response.json()["text"][0]
    assert row_counts() == before
    assert "geheim" not in caplog.text and mail.outbox == []


def test_own_concerns_are_listed_without_text(api_as, submit, signal_city):
    submit(text="eigen zorg")
    submit(acting_user=signal_city.debt_worker, organisation=signal_city.orgs.debt_help)
    response = api_as("teacher").get(URL)
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1 and results[0]["has_text"] is True
    assert "eigen zorg" not in json.dumps(response.json())
    assert api_as("programme").get(URL).json()["results"] == []


@pytest.fixture
def quarter(add_concerns):
    add_concerns(FIRST_QUARTER)


def test_the_summary_is_suppressed(api_as, quarter):
    response = api_as("programme").get(SUMMARY, {"gemeente": "gm0998", "from": "2025-Q1",
                                                 "to": "2025-Q1"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["gemeente"], body["period_kind"], body["k"]) == ("GM0998", "quarter", 5)
    assert [b["code"] for b in body["buurten"]] == [buurt_code(w, b) for w in (1, 2)
                                                  for b in (1, 2, 3)]
    period = body["periods"][0]
    rows = {row["theme"]: (row["counts"], row["total"]) for row in period["rows"]}
    assert rows["undermining"] == ([None, None, 0, 0, 0, 0], 13)
    assert rows["poverty_debts"] == ([None, None, None, 0, 0, 0], 16)
    assert rows["total"] == ([None, 15, None, 0, 0, 0], 29)
    assert (period["suppressed_primary"], period["suppressed_secondary"]) == (1, 6)


def test_the_summary_defaults_to_four_complete_periods(api_as, quarter):
    body = api_as("analyst").get(SUMMARY, {"gemeente": "GM0998"}).json()
    assert [p["period"] for p in body["periods"]] == ["2024-Q2", "2024-Q3", "2024-Q4",
                                                      "2025-Q1"]


@pytest.mark.parametrize("params, field", [
    ({"gemeente": "Signaalstad"}, "gemeente"),
    ({"gemeente": "GM0998", "to": "2025-Q2"}, "to"),  # not complete on 18 June 2025
    ({"gemeente": "GM0998", "from": "2025-01"}, "from"),  # a month, not a quarter
    ({"gemeente": "GM0998", "period": "month"}, "period"),  # unknown parameter
])
def test_bad_summary_parameters_are_named(api_as, quarter, params, field):
    response = api_as("programme").get(SUMMARY, params)
    assert response.status_code == 400 and field in response.json()


def test_only_the_programme_bureau_sees_the_summary(api_as, quarter):
    assert APIClient().get(SUMMARY, {"gemeente": "GM0998"}).status_code == 401
    for username in ("teacher", "police_officer"):
        assert api_as(username).get(SUMMARY, {"gemeente": "GM0998"}).status_code == 403


def test_the_endpoints_are_in_the_schema(signal_city):
    schema = json.loads(APIClient().get("/api/v1/schema/", {"format": "json"}).content)
    assert set(schema["paths"][URL]) >= {"get", "post"}
    assert "get" in schema["paths"][SUMMARY]
    names = {p["name"] for p in schema["paths"][SUMMARY]["get"]["parameters"]}
    assert {"gemeente", "from", "to"} <= names
