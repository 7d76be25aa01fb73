"""/api/v1/participation/: every resident action over JSON, with token and session
log-in; refusals as 400, 401, 403, 409 and 429; the endpoints in the OpenAPI schema."""

# The fixtures of tests/participation are imported and then named as test arguments.
# ruff: noqa: F811

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from tests.participation.conftest import (  # noqa: F401 - fixtures used by name below
    PASSWORD,
    _fast_passwords_and_english,
    budget_round,
    city,
    consultation,
    end_voting,
    finance,
    gemeente,
    make_resident,
    moderator,
    postcode_file,
    programme,
    projects,
    source,
)
from wijkbalans.participation.models import Ballot, Comment
from wijkbalans.participation.services import budgets

pytestmark = pytest.mark.django_db
P = "/api/v1/participation"


def client(user=None) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        from wijkbalans.accounts.services import api_token_issue

        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return api


def test_register_verify_and_log_in(city):
    api = client()
    response = api.post(f"{P}/register/", {"email": "iris@voorbeeld.nl",
                                           "postcode": "9711 AB", "password": PASSWORD},
                        format="json")
    assert response.status_code == 201, response.json()
    link = mail.outbox[-1].body.split("http://testserver")[1].split()[0]
    assert link.startswith("/meedoen/")
    token = link.rstrip("/").split("/")[-1]
    refused = api.post(f"{P}/login/", {"email": "iris@voorbeeld.nl", "password": PASSWORD})
    assert refused.status_code == 400  # not confirmed yet
    verified = api.post(f"{P}/verify/", {"token": token}, format="json")
    assert verified.status_code == 200
    assert verified.json() == {"id": verified.json()["id"], "postcode": "9711AB",
                               "buurt": "BU09990001", "verified": True}
    login = api.post(f"{P}/login/", {"email": "IRIS@voorbeeld.nl", "password": PASSWORD})
    assert login.status_code == 200
    me = APIClient(HTTP_AUTHORIZATION=f"Token {login.json()['token']}").get(f"{P}/me/")
    assert me.json()["postcode"] == "9711AB"
    bad = api.post(f"{P}/register/", {"email": "jan@voorbeeld.nl", "postcode": "1011AB",
                                      "password": PASSWORD})
    assert bad.status_code == 400
    assert "Postcode 1011AB is not in an area" in bad.json()["postcode"][0]
    assert api.post(f"{P}/verify/", {"token": "rommel"}).status_code == 400
    assert api.post(f"{P}/resend/", {"email": "onbekend@voorbeeld.nl"}).status_code == 202


def test_comment_support_and_moderation(make_resident, moderator, consultation):
    from wijkbalans.participation.services.proposals import proposal_submit

    author, other = make_resident("9711AA"), make_resident("9711AA")
    response = client(author).post(f"{P}/consultations/{consultation.pk}/comments/",
                                   {"text": "Meer bomen graag."}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] == "Resident of Oosterpark"
    comment_id = response.json()["id"]
    assert client().post(f"{P}/consultations/{consultation.pk}/comments/",
                         {"text": "anoniem"}).status_code == 401
    assert client(moderator).post(f"{P}/consultations/{consultation.pk}/comments/",
                                  {"text": "Dank!"}).json()["official"] is True

    proposal = proposal_submit(acting_user=author, title="Bomen", text="Meer bomen.",
                               area_code="BU09990000")
    supported = client(other).post(f"{P}/proposals/{proposal.pk}/support/")
    assert supported.status_code == 201 and supported.json()["support_count"] == 1
    again = client(other).post(f"{P}/proposals/{proposal.pk}/support/")
    assert again.status_code == 409 and "already support" in again.json()["proposal"][0]
    outside = client(make_resident("9712AB")).post(f"{P}/proposals/{proposal.pk}/support/")
    assert outside.status_code == 403
    detail = client(other).get(f"{P}/proposals/{proposal.pk}/").json()
    assert (detail["supported"], detail["support_count"]) == (True, 1)
    assert client(other).delete(f"{P}/proposals/{proposal.pk}/support/").status_code == 204

    flagged = client(other).post(f"{P}/comments/{comment_id}/flag/", {"reason": "kwetsend"})
    assert flagged.status_code == 201
    queue = client(moderator).get(f"{P}/moderation/").json()
    assert queue[0] == {**queue[0], "kind": "comment", "id": comment_id, "flags": 1}
    assert client(other).get(f"{P}/moderation/").status_code == 403
    hide = client(moderator).post(f"{P}/comments/{comment_id}/moderate/",
                                  {"action": "hide", "reason": "Huisregel 2: geen scheldwoorden."})
    assert hide.status_code == 200 and hide.json()["hidden"] is True
    assert client(moderator).post(f"{P}/comments/{comment_id}/moderate/",
                                  {"action": "hide"}).status_code == 400

    def seen(api):
        comments = api.get(f"{P}/consultations/{consultation.pk}/").json()["comments"]
        return next((c["text"], c["reason"]) for c in comments if c["id"] == comment_id)

    assert seen(client(author)) == ("Meer bomen graag.", "Huisregel 2: geen scheldwoorden.")
    assert seen(client()) == ("Hidden by the moderator.", "")
    assert Comment.objects.get(pk=comment_id).visibility == "hidden"


def test_vote_within_the_budget_once_and_in_the_area(make_resident, budget_round, moderator):
    ids = projects(budget_round)
    resident = make_resident("9711AA")
    api = client(resident)
    detail = api.get(f"{P}/rounds/{budget_round.pk}/").json()
    assert (detail["may_vote"], detail["voted"], detail["total_budget_display"]) == (
        True, False, "€ 10.000,00")
    assert [p["cost_display"] for p in detail["projects"]] == [
        "€ 6.000,00", "€ 5.000,00", "€ 3.000,00", "€ 1.000,00"]

    over = api.post(f"{P}/rounds/{budget_round.pk}/ballot/",
                    {"projects": [ids["A"], ids["B"]]}, format="json")
    assert over.status_code == 400
    # The amounts follow the message's language, as on the page.
    assert over.json()["projects"] == [
        "The projects you chose cost € 11,000.00 together; the budget is € 10,000.00. "
        "Choose projects that fit within the budget."]
    with CaptureQueriesContext(connection) as queries:
        cast = api.post(f"{P}/rounds/{budget_round.pk}/ballot/",
                        {"projects": [ids["A"], ids["C"]]}, format="json")
    assert cast.status_code == 201
    assert cast.json()["total_display"] == "€ 9.000,00"
    statements = [q for q in queries.captured_queries
                  if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= 10
    twice = api.post(f"{P}/rounds/{budget_round.pk}/ballot/", {"projects": [ids["D"]]},
                     format="json")
    assert twice.status_code == 409
    assert twice.json()["round"] == ["You have already voted in this round. Every resident "
                                     "votes once."]
    assert api.get(f"{P}/rounds/{budget_round.pk}/ballot/").json()["projects"] == [
        ids["A"], ids["C"]]
    outside = client(make_resident("9712AA")).post(
        f"{P}/rounds/{budget_round.pk}/ballot/", {"projects": [ids["D"]]}, format="json")
    assert outside.status_code == 403 and "Only residents of Noord" in outside.json()["detail"]
    assert client().post(f"{P}/rounds/{budget_round.pk}/ballot/",
                         {"projects": [ids["D"]]}, format="json").status_code == 401
    assert Ballot.objects.count() == 1

    # Results are published when the round closes; its staff see them live.
    assert client().get(f"{P}/rounds/{budget_round.pk}/results/").status_code == 404
    assert client(moderator).get(f"{P}/rounds/{budget_round.pk}/results/").status_code == 200
    end_voting(budget_round)
    budgets.budget_round_close(acting_user=moderator, budget_round=budget_round)
    results = client().get(f"{P}/rounds/{budget_round.pk}/results/").json()
    assert (results["closed"], results["ballots"], results["allocated"]) == (
        True, 1, "9000.00")
    assert [(r["title"], r["votes"], r["selected"]) for r in results["projects"]] == [
        ("Project C", 1, True), ("Project A", 1, True), ("Project D", 0, False),
        ("Project B", 0, False)]
    outcomes = client().get(f"{P}/outcomes/", {"area": "BU09990002"}).json()["results"]
    adopted = [o for o in outcomes if o["status"] == "adopted"]
    assert sorted(o["subject_title"] for o in adopted) == ["Project A", "Project C"]
    assert all(o["activity"].startswith("nplv-teststad-pb") for o in adopted)


def test_session_log_in_works_too(make_resident, budget_round):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_login(make_resident())
    response = api.post(f"{P}/rounds/{budget_round.pk}/ballot/",
                        {"projects": [projects(budget_round)["D"]]}, format="json")
    assert response.status_code == 201


def test_too_many_is_429_with_retry_after(make_resident, consultation, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"comment": {"user": (1, 600)}}
    api = client(make_resident())
    url = f"{P}/consultations/{consultation.pk}/comments/"
    assert api.post(url, {"text": "een"}).status_code == 201
    limited = api.post(url, {"text": "twee"})
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 601
    assert Comment.objects.count() == 1


def test_lists_filter_by_area_and_refuse_unknown_parameters(make_resident, budget_round,
                                                            consultation):
    api = client()
    assert api.get(f"{P}/rounds/", {"area": "BU09990001"}).json()["count"] == 1
    assert api.get(f"{P}/rounds/", {"area": "BU09990100"}).json()["count"] == 0
    assert api.get(f"{P}/consultations/", {"area": "WK099900"}).json()["count"] == 1
    assert api.get(f"{P}/consultations/", {"colour": "red"}).status_code == 400
    assert api.get(f"{P}/proposals/", {"status": "maybe"}).status_code == 400
    assert api.get(f"{P}/proposals/999/").status_code == 404


def test_every_participation_endpoint_is_in_the_schema(city):
    schema = json.loads(client().get("/api/v1/schema/", {"format": "json"}).content)
    validate_schema(schema)
    paths = {p: set(ops) for p, ops in schema["paths"].items() if "/participation/" in p}
    assert paths[f"{P}/rounds/{{id}}/ballot/"] >= {"get", "post"}
    assert paths[f"{P}/proposals/{{id}}/support/"] >= {"post", "delete"}
    assert {f"{P}/register/", f"{P}/verify/", f"{P}/login/", f"{P}/outcomes/",
            f"{P}/consultations/{{id}}/comments/", f"{P}/moderation/"} <= set(paths)
    assert len(paths) == 22
