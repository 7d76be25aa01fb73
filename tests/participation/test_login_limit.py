"""The residents' log-in is limited: failed attempts per e-mail address typed and per IP
address (kind ``login`` of ``participation.ratelimit``), on the page and in the API
(``POST /api/v1/participation/login/``), which share the counts. A refused attempt says
when to try again (429 with Retry-After) and checks no password; a successful log-in does
not count and clears the address's failures.

With it (the same part of the work): the over-budget refusal of a ballot names its amounts
in the notation of the reader's language, on the page and in the API alike."""

from __future__ import annotations

import types

import pytest
from rest_framework.test import APIClient

from wijkbalans.participation import ratelimit

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/meedoen/inloggen/"
API_LOGIN = "/api/v1/participation/login/"
# 2026-01-01 11:01:40 UTC: 100 seconds into a 15-minute window that ends at 11:15 UTC,
# 12:15 in Amsterdam (CET, UTC+1).
FIXED = 1767265200 + 100


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def resident(make_resident):
    return make_resident("9711AA")  # bewoner1@voorbeeld.nl


@pytest.fixture
def small_limits(settings):
    settings.PARTICIPATION_RATE_LIMITS = {"login": {"email": (3, 900), "ip": (5, 900)}}


def log_in(client, email="bewoner1@voorbeeld.nl", password="fout-wachtwoord", **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def test_the_defaults_and_overrides(settings):
    assert ratelimit.limits("login") == {"email": (10, 900), "ip": (30, 900)}
    settings.PARTICIPATION_RATE_LIMITS = {"login": {"ip": None}}
    assert ratelimit.limits("login") == {"email": (10, 900), "ip": None}


def test_failures_per_address_are_limited_and_then_even_the_right_password_waits(
        client, resident, small_limits, monkeypatch):
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: FIXED))
    for _ in range(3):
        assert log_in(client).status_code == 400
    refused = log_in(client, password=PASSWORD)
    html = refused.content.decode()
    assert refused.status_code == 429
    assert refused["Retry-After"] == "801"  # 900 - 100 + 1
    assert ("You tried to log in too often without success. Try again from 12:15 (in 14 "
            "min.).") in html
    assert 'value="bewoner1@voorbeeld.nl"' in html  # what was typed stays
    assert "_auth_user_id" not in client.session
    # Another address from another connection is not held up.
    other = log_in(client, email="iemand@voorbeeld.nl", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 400
    # The next window lets the resident in.
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: FIXED + 801))
    assert log_in(client, password=PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_failures_per_ip_address_are_limited_across_addresses(client, city, small_limits):
    for n in range(5):
        assert log_in(client, email=f"gok{n}@voorbeeld.nl").status_code == 400
    assert log_in(client, email="nog-een@voorbeeld.nl").status_code == 429
    elsewhere = log_in(client, email="nog-een@voorbeeld.nl", REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 400


def test_successful_log_ins_do_not_count_and_clear_the_addresss_failures(
        client, resident, small_limits):
    for _ in range(4):
        assert log_in(client, password=PASSWORD).status_code == 302
        client.logout()
    for _ in range(2):
        assert log_in(client).status_code == 400
    assert log_in(client, password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(3):  # three failures again: the earlier two were cleared
        assert log_in(client).status_code == 400
    assert log_in(client).status_code == 429


def test_the_address_is_compared_without_case_or_spaces(client, resident, small_limits):
    for email in ("bewoner1@voorbeeld.nl", " Bewoner1@Voorbeeld.NL", "BEWONER1@VOORBEELD.NL"):
        assert log_in(client, email=email).status_code == 400
    assert log_in(client, email="bewoner1@voorbeeld.nl ").status_code == 429


def test_the_api_shares_the_limit_and_answers_429_with_retry_after(client, resident,
                                                                   small_limits):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):
        assert log_in(client).status_code == 400
    wrong = api.post(API_LOGIN, {"email": "bewoner1@voorbeeld.nl", "password": "fout"})
    assert wrong.status_code == 400
    refused = api.post(API_LOGIN, {"email": "bewoner1@voorbeeld.nl", "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 901
    assert refused.json()["detail"].startswith(
        "You tried to log in too often without success. Try again from ")
    assert "token" not in refused.json()
    # and the page after the API's failures
    assert log_in(client, password=PASSWORD).status_code == 429


def test_the_api_log_in_clears_the_failures_on_success(resident, small_limits):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):
        assert api.post(API_LOGIN, {"email": "bewoner1@voorbeeld.nl",
                                    "password": "fout"}).status_code == 400
    ok = api.post(API_LOGIN, {"email": "bewoner1@voorbeeld.nl", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]
    for _ in range(3):
        assert api.post(API_LOGIN, {"email": "bewoner1@voorbeeld.nl",
                                    "password": "fout"}).status_code == 400
    assert api.post(API_LOGIN, {"email": "bewoner1@voorbeeld.nl",
                                "password": "fout"}).status_code == 429


def test_the_count_never_holds_an_address_in_clear(client, resident, small_limits):
    from django.core.cache import cache

    log_in(client)
    keys = list(cache._cache)  # the local-memory cache of the tests
    assert keys and not any("voorbeeld" in k or "127.0.0.1" in k for k in keys)


# -- the over-budget refusal in the reader's notation ------------------------------------

@pytest.mark.parametrize(("language", "total", "budget"), [
    ("en", "€ 11,000.00", "€ 10,000.00"), ("nl", "€ 11.000,00", "€ 10.000,00")])
def test_the_page_and_the_api_name_the_amounts_alike(client, budget_round, make_resident,
                                                      language, total, budget):
    from wijkbalans.participation.models import Ballot

    from .conftest import projects

    ids = projects(budget_round)
    chosen = [ids["A"], ids["B"]]  # € 6.000 + € 5.000 against € 10.000
    client.force_login(make_resident("9711AA"))
    page = client.post(f"/meedoen/budget/{budget_round.pk}/",
                       {"projects": chosen, "action": "vote"},
                       HTTP_ACCEPT_LANGUAGE=language).content.decode()
    page_message = page.split('id="projects_error" role="alert"><p>')[1].split("</p>")[0]
    api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    api.force_login(make_resident("9711AA"))
    answer = api.post(f"/api/v1/participation/rounds/{budget_round.pk}/ballot/",
                      {"projects": chosen}, format="json")
    assert answer.status_code == 400
    assert answer.json()["projects"] == [page_message]
    assert total in page_message and budget in page_message
    assert Ballot.objects.count() == 0
