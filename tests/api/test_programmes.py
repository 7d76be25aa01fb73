"""/api/v1/programmes/: the register (public filter for anonymous readers), result updates
through their workflow, funding sources, budget lines (409 with the current row on a stale
version) and coverage, with token and session authentication.

The register fixtures of tests/programmes/conftest.py are imported by name, so the test
functions' arguments shadow them (ruff F811), as pytest means them to."""
# ruff: noqa: F811

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.programmes.conftest import (  # noqa: F401 - fixtures used by name below
    analyst,
    foundation,
    gemeente,
    make_member,
    partner_police,
    partner_school,
    police,
    register_admin,
    register_counts,
    resident,
    school_board,
    staff_school,
    teststad_areas,
    tree,
)
from tests.programmes.money_fixtures import counts, make_money_world
from wijkbalans.accounts.services import api_token_issue
from wijkbalans.programmes.models import BudgetLine, FundingSource, ResultPeriod, ResultUpdate
from wijkbalans.programmes.services.money import budget_line_update
from wijkbalans.programmes.services.results import result_update_create, result_update_edit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/programmes"


def client_for(user, *, token: bool = False) -> APIClient:
    api = APIClient()
    if token:
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    elif user is not None:
        api.force_authenticate(user)
    return api


@pytest.fixture
def world(db):
    return make_money_world()


# -- the register -----------------------------------------------------------------------

def test_anonymous_readers_get_the_public_activities_only(tree):
    body = APIClient().get(f"{BASE}/activities/").json()
    assert body["count"] == 2
    assert [(r["code"], r["depth"], r["parent"]) for r in body["results"]] == [
        ("teststad-nplv", 0, None), ("jongerenwerk-na-school", 1, "teststad-nplv")]
    assert APIClient().get(f"{BASE}/activities/", {"public": "0"}).json()["count"] == 0
    assert APIClient().get(f"{BASE}/activities/schoolmaatschappelijk-werk/"
                           ).status_code == 404


def test_members_read_the_whole_tree_and_filter_it(tree, analyst):
    api = client_for(analyst, token=True)
    rows = api.get(f"{BASE}/activities/").json()["results"]
    assert [(r["code"], r["depth"], r["parent"]) for r in rows] == [
        ("teststad-nplv", 0, None), ("teststad-onderwijs", 1, "teststad-nplv"),
        ("jongerenwerk-na-school", 2, "teststad-onderwijs"),
        ("schoolmaatschappelijk-werk", 2, "teststad-onderwijs")]
    assert rows[3]["owner"] == "stichting-scholen-teststad"
    def codes(**params):
        return [r["code"] for r in api.get(f"{BASE}/activities/", params).json()["results"]]
    assert codes(status="running") == ["teststad-nplv", "teststad-onderwijs"]
    assert codes(area="BU99900101") == ["teststad-nplv", "schoolmaatschappelijk-werk"]
    assert codes(public="0") == ["teststad-onderwijs", "schoolmaatschappelijk-werk"]
    assert codes(theme="safety", limit=1) == ["teststad-nplv"]


@pytest.mark.parametrize(("params", "name"), [
    ({"status": "bezig"}, "status"), ({"theme": "geluk"}, "theme"),
    ({"public": "misschien"}, "public"), ({"colour": "red"}, "colour"),
])
def test_bad_parameters_are_400s_naming_them(tree, params, name):
    response = APIClient().get(f"{BASE}/activities/", params)
    assert response.status_code == 400 and name in response.json()


def test_an_activity_with_results_progress_and_money(tree, analyst, partner_school,
                                                     staff_school):
    update = result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                  organisation=tree.intervention_a.owner, value=Decimal(80),
                                  submit=True)
    public = APIClient().get(f"{BASE}/activities/teststad-nplv/").json()
    assert public["budget"] is None and public["children"] == []
    hidden = APIClient().get(f"{BASE}/activities/jongerenwerk-na-school/").json()
    assert (hidden["parent"], hidden["depth"]) == ("teststad-nplv", 1)
    body = client_for(analyst).get(f"{BASE}/activities/schoolmaatschappelijk-werk/").json()
    assert body["parent"] == "teststad-onderwijs" and body["depth"] == 2
    assert body["areas"] == ["BU99900101"] and body["evidence_databank"] == "nji"
    assert body["partners"] == [{"organisation": "stichting-buurtkracht",
                                 "name": "Stichting Buurtkracht", "role": "implementing"}]
    [pupils] = body["results"]
    assert [(p["period"], p["target"], p["actual"]) for p in pupils["periods"]] == [
        ("2025", "100", None), ("2026", "200", None)]
    assert pupils["periods"][0]["updates"] == [{
        "id": update.pk, "organisation": "stichting-scholen-teststad", "value": "80",
        "status": "submitted", "version": 1}]
    assert body["progress"]["value"] is None and body["budget"] == {
        "lines": [], "totals": {"planned": "0.00", "committed": "0.00", "spent": "0.00"}}


# -- result updates ---------------------------------------------------------------------

def test_a_partner_reports_and_the_bureau_approves_through_the_api(tree, partner_school,
                                                                   staff_school):
    partner = client_for(partner_school, token=True)
    response = partner.post(f"{BASE}/result-updates/", {
        "period": tree.pupils_2025.pk, "organisation": "stichting-scholen-teststad",
        "value": "80.5", "narrative": "Acht klassen", "submit": True}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["value"], body["period_label"]) == ("submitted", "80.5",
                                                                     "2025")
    url = f"{BASE}/result-updates/{body['id']}"
    assert partner.post(f"{url}/approve/", {}, format="json").status_code == 403
    bureau = client_for(staff_school)
    returned = bureau.post(f"{url}/return/", {"comment": ""}, format="json")
    assert returned.status_code == 400 and "comment" in returned.json()
    approved = bureau.post(f"{url}/approve/", {"comment": "Dank"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert ResultPeriod.objects.get(pk=tree.pupils_2025.pk).actual == Decimal("80.5")


def test_reporting_for_another_organisation_is_refused(tree, partner_police,
                                                       register_counts):
    before = register_counts()
    api = client_for(partner_police)
    response = api.post(f"{BASE}/result-updates/", {
        "period": tree.pupils_2025.pk, "organisation": "stichting-scholen-teststad",
        "value": "3"}, format="json")
    assert response.status_code == 403
    bad = api.post(f"{BASE}/result-updates/", {
        "period": tree.youth_2025.pk, "organisation": "politie-basisteam-teststad",
        "value": "1.23456"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()
    assert APIClient().post(f"{BASE}/result-updates/", {}, format="json").status_code == 401
    assert register_counts() == before


def test_a_stale_update_edit_is_a_409_with_the_current_row(tree, partner_school,
                                                           partner_police):
    update = result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                  organisation=tree.intervention_a.owner, value=Decimal(10))
    result_update_edit(acting_user=partner_school, update=update, expected_version=1,
                       value=Decimal(11))
    api = client_for(partner_school)
    url = f"{BASE}/result-updates/{update.pk}/"
    response = api.patch(url, {"version": 1, "value": "12"}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["value"] == "11"
    assert ResultUpdate.objects.get(pk=update.pk).value == Decimal(11)
    ok = api.patch(url, {"version": 2, "value": "12"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 3
    # Another organisation does not even see the draft; the public is not signed in.
    assert client_for(partner_police).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401


# -- money ------------------------------------------------------------------------------

def test_money_is_for_members_only(world):
    for url in ("funding-sources/", "budget-lines/", "coverage/"):
        assert APIClient().get(f"{BASE}/{url}").status_code == 401
        assert client_for(world.resident).get(f"{BASE}/{url}").status_code == 403
        assert client_for(world.partner).get(f"{BASE}/{url}").status_code == 200


def test_funding_sources_are_listed_created_and_changed_by_a_finance_officer(world):
    rows = client_for(world.analyst).get(f"{BASE}/funding-sources/").json()["results"]
    nplv = next(r for r in rows if r["code"] == "nplv")
    assert nplv["end_year"] == 2025 and nplv["allocations"][1] == {
        "year": 2023, "amount": "1234567.89", "version": 1}
    body = {"code": "npg", "name": "NPG", "kind": "npg", "start_year": 2024}
    before = counts()
    assert client_for(world.analyst).post(f"{BASE}/funding-sources/", body,
                                          format="json").status_code == 403
    assert client_for(world.finance_woonstad).post(f"{BASE}/funding-sources/", body,
                                                   format="json").status_code == 403
    assert counts() == before
    finance = client_for(world.finance_gemeente, token=True)
    created = finance.post(f"{BASE}/funding-sources/", body, format="json")
    assert created.status_code == 201 and created.json()["end_year"] is None
    changed = finance.patch(f"{BASE}/funding-sources/npg/", {"version": 1, "end_year": 2030},
                            format="json")
    assert changed.status_code == 200 and changed.json()["end_year"] == 2030
    stale = finance.patch(f"{BASE}/funding-sources/npg/", {"version": 1, "name": "Oud"},
                          format="json")
    assert stale.status_code == 409 and stale.json()["current"]["end_year"] == 2030
    assert FundingSource.objects.get(code="npg").name == "NPG"
    put = finance.put(f"{BASE}/funding-sources/npg/allocations/2024/", {"amount": "2500000.00"},
                      format="json")
    assert put.status_code == 200
    assert put.json()["allocations"] == [{"year": 2024, "amount": "2500000.00", "version": 1}]
    outside = finance.put(f"{BASE}/funding-sources/npg/allocations/2031/", {"amount": "1"},
                          format="json")
    assert outside.status_code == 400 and "year" in outside.json()


def test_budget_lines_with_a_409_on_a_stale_version(world):
    finance = client_for(world.finance_gemeente)
    before = counts()
    refused = client_for(world.finance_woonstad).post(f"{BASE}/budget-lines/", {
        "activity": "c", "source": "gem", "year": 2026, "planned": "10.00"}, format="json")
    assert refused.status_code == 403 and counts() == before
    cents = finance.post(f"{BASE}/budget-lines/", {
        "activity": "c", "source": "gem", "year": 2026, "planned": "10.005"}, format="json")
    assert cents.status_code == 400 and "planned" in cents.json() and counts() == before
    created = finance.post(f"{BASE}/budget-lines/", {
        "activity": "c", "source": "gem", "year": 2026, "planned": "12500.50"}, format="json")
    assert created.status_code == 201
    line = created.json()
    assert (line["planned"], line["committed"], line["version"]) == ("12500.50", "0.00", 1)
    url = f"{BASE}/budget-lines/{line['id']}/"
    budget_line_update(acting_user=world.finance_gemeente,
                       line=BudgetLine.objects.get(pk=line["id"]), expected_version=1,
                       planned=Decimal("13000.00"))
    stale = finance.patch(url, {"version": 1, "planned": "14000.00"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["planned"] == "13000.00"
    assert stale.json()["current"]["version"] == 2
    assert BudgetLine.objects.get(pk=line["id"]).planned == Decimal("13000.00")
    ok = finance.patch(url, {"version": 2, "planned": "14000.00", "committed": "500.00"},
                       format="json")
    assert ok.status_code == 200 and ok.json()["planned"] == "14000.00"
    listed = finance.get(f"{BASE}/budget-lines/", {"activity": "c", "year": 2026}).json()
    assert [x["id"] for x in listed["results"]] == [line["id"]]
    assert finance.delete(url).status_code == 400  # money is committed on it
    finance.patch(url, {"version": 3, "committed": "0"}, format="json")
    assert finance.delete(url).status_code == 204
    assert not BudgetLine.objects.filter(pk=line["id"]).exists()


def test_coverage_json_and_csv_to_the_cent(world):
    api = client_for(world.analyst)
    body = api.get(f"{BASE}/coverage/", {"from": 2024, "to": 2026, "format": "json"}).json()
    assert (body["from_year"], body["to_year"]) == (2024, 2026)
    assert [(y["year"], y["need"], y["secured"], y["gap"]) for y in body["years"]] == [
        (2024, "1784568.39", "1650000.00", "134568.39"),
        (2025, "1344567.89", "100000.00", "1244567.89"),
        (2026, "500000.00", "400000.00", "100000.00")]
    assert body["ending"][0]["after"] == [{"year": 2026, "falls_away": "100000.00",
                                           "activities": ["c", "d"]}]
    response = api.get(f"{BASE}/coverage/", {"from": 2025, "to": 2025, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["source_code"], r["gap"]) for r in rows] == [
        ("gem", "0.00"), ("nplv", "1344567.89"), ("rd", "-100000.00")]
    scoped = api.get(f"{BASE}/coverage/", {"activity": "c", "from": 2022, "to": 2022}).json()
    assert scoped["activity"] == "c" and scoped["years"][0]["need"] == "100000.00"


@pytest.mark.parametrize(("params", "name"), [
    ({"from": 2030, "to": 2025}, "from"), ({"from": "twintig"}, "from"),
    ({"activity": "onbekend"}, "activity"), ({"format": "geojson"}, "format"),
])
def test_coverage_parameters_are_checked(world, params, name):
    response = client_for(world.analyst).get(f"{BASE}/coverage/", params)
    assert response.status_code == 400 and name in response.json()


def test_session_authentication_works_too(world, client):
    client.force_login(world.analyst)
    response = client.get(f"{BASE}/coverage/", {"from": 2022, "to": 2022})
    assert response.status_code == 200
    assert response.json()["years"][0]["gap"] == "234567.89"
