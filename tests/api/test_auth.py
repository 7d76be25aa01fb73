"""POST /api/v1/auth/token/: issuing, refusing, audit; the token then authenticates."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet

from .conftest import area_records, register

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"
PASSWORD = "a-long-test-password"


def test_good_credentials_give_a_token_once_audited(api, make_user):
    user = make_user("analyst")
    first = api.post(URL, {"username": user.username, "password": PASSWORD}, format="json")
    assert first.status_code == 200
    key = first.json()["token"]
    assert key == Token.objects.get(user=user).key and len(key) == 40
    again = api.post(URL, {"username": user.username, "password": PASSWORD})  # form-encoded
    assert again.json()["token"] == key
    entries = AuditEntry.objects.filter(action="api_token.issue")
    assert entries.count() == 1 and entries.get().actor == user


@pytest.mark.parametrize("body", [
    {"username": "user-analyst", "password": "wrong-password"},
    {"username": "niemand", "password": PASSWORD},
    {"username": "user-analyst"},
])
def test_bad_credentials_are_400_without_token(api, make_user, body):
    make_user("analyst")
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()
    assert not AuditEntry.objects.filter(action="api_token.issue").exists()


def test_the_token_authenticates_a_write(api, make_user):
    register(area_records(3))
    user = make_user("analyst")
    key = api.post(URL, {"username": user.username, "password": PASSWORD},
                   format="json").json()["token"]
    body = {"slug": "proef", "name": "Proef", "members": ["BU00140000"]}
    assert api.post("/api/v1/area-sets/", body, format="json").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/area-sets/", body, format="json").status_code == 201
    assert AuditEntry.objects.get(action="area_set.save").actor == user
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api.get("/api/v1/areas/").status_code == 401  # a bad token is refused, not ignored
    assert AreaSet.objects.count() == 1


def test_a_user_without_role_gets_a_token_but_may_not_write(api, make_user):
    register(area_records(1))
    user = make_user(None)
    key = api.post(URL, {"username": user.username, "password": PASSWORD},
                   format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/import-batches/").status_code == 200
    response = api.post("/api/v1/area-sets/", {"slug": "x", "name": "x",
                                               "members": ["BU00140000"]}, format="json")
    assert response.status_code == 403
