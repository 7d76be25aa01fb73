"""Residents' accounts on the pages: register, the confirmation link, log in and out, the
postcode, the privacy page. A refused form keeps what was typed and writes nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from wijkbalans.participation.models import ResidentProfile

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _english_pages(client):
    # The site speaks Dutch by default; these tests read the English msgids.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def register(client, **changes):
    data = {"email": "anna@voorbeeld.nl", "postcode": "9711 aa", "password": PASSWORD}
    data.update(changes)
    return client.post("/meedoen/aanmelden/", data)


def link_in_mail() -> str:
    return re.search(r"http://testserver(/meedoen/bevestigen/[^/\s]+/)", mail.outbox[-1].body
                     ).group(1)


def test_register_sends_the_link_to_the_confirmation_page(client, city):
    response = register(client)
    assert response.status_code == 302 and response["Location"] == "/meedoen/aanmelden/verstuurd/"
    user = User.objects.get(email="anna@voorbeeld.nl")
    assert not user.is_active and user.resident_profile.postcode == "9711AA"
    assert len(mail.outbox) == 1
    link = link_in_mail()
    page = client.get(link)
    assert page.status_code == 200
    assert "Your e-mail address is confirmed" in page.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.resident_profile.verified
    # Opening the link again answers the same and changes nothing.
    assert client.get(link).status_code == 200


def test_register_keeps_what_was_typed_and_names_the_problem(client, city):
    response = register(client, postcode="1234 ZZ")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Postcode 1234ZZ is not in an area of this municipality." in html
    assert 'id="id_postcode_error"' in html
    assert 'value="anna@voorbeeld.nl"' in html and 'value="1234 ZZ"' in html
    assert f'value="{PASSWORD}"' in html  # a good password is kept
    assert response["Cache-Control"] == "no-store"
    assert User.objects.count() == 0 and len(mail.outbox) == 0


def test_a_refused_password_is_typed_again_the_rest_is_kept(client, city):
    response = register(client, password="kort")
    html = response.content.decode()
    assert response.status_code == 400
    assert "This password is too short" in html
    assert 'value="kort"' not in html and 'value="anna@voorbeeld.nl"' in html
    assert User.objects.count() == 0


def test_every_empty_field_is_named_at_once(client, city):
    response = client.post("/meedoen/aanmelden/", {"email": "", "postcode": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 400
    for field in ("email", "postcode", "password"):
        assert f'id="id_{field}_error"' in html
    assert "Fill in your postcode: four digits and two letters, such as 9712 CP." in html


def test_an_address_registered_before_is_refused_at_its_field(client, city, make_resident):
    make_resident("9711AA")  # bewoner1@voorbeeld.nl
    response = register(client, email="bewoner1@voorbeeld.nl")
    assert response.status_code == 400
    assert "There is already an account with this e-mail address." in response.content.decode()
    assert ResidentProfile.objects.count() == 1


def test_registering_is_rate_limited_per_address(client, city, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"register": {"ip": (1, 3600)}}
    assert register(client).status_code == 302
    response = register(client, email="bert@voorbeeld.nl")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "You did this too often in a short time." in html
    assert 'value="bert@voorbeeld.nl"' in html
    assert User.objects.count() == 1


def test_a_broken_or_altered_link_is_refused_with_a_way_out(client, city):
    register(client)
    link = link_in_mail()
    response = client.get(link[:-4] + "xx/")
    html = response.content.decode()
    assert response.status_code == 400
    assert "This link is not valid. Copy the whole link from the e-mail." in html
    assert 'action="/meedoen/aanmelden/nieuwe-link/"' in html
    assert not User.objects.get().is_active


def test_resend_answers_the_same_for_any_address(client, city):
    register(client)
    known = client.post("/meedoen/aanmelden/nieuwe-link/", {"email": "anna@voorbeeld.nl"})
    unknown = client.post("/meedoen/aanmelden/nieuwe-link/", {"email": "niemand@voorbeeld.nl"})
    assert known.status_code == unknown.status_code == 200
    text = "If this address is waiting for confirmation, we have sent a new link to it."
    assert text in known.content.decode() and text in unknown.content.decode()
    assert len(mail.outbox) == 2  # the first mail and one new link


def test_log_in_with_e_mail_and_password_and_out_again(client, make_resident):
    make_resident("9711AA")
    response = client.post("/meedoen/inloggen/?next=/meedoen/privacy/",
                           {"email": "Bewoner1@voorbeeld.nl", "password": PASSWORD,
                            "next": "/meedoen/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/meedoen/privacy/"
    assert client.get("/meedoen/mijn-gegevens/").status_code == 200
    assert client.post("/meedoen/uitloggen/").status_code == 302
    assert client.get("/meedoen/mijn-gegevens/")["Location"].startswith("/meedoen/inloggen/")


def test_log_in_never_goes_to_another_site(client, make_resident):
    make_resident("9711AA")
    response = client.post("/meedoen/inloggen/", {"email": "bewoner1@voorbeeld.nl",
                                                  "password": PASSWORD,
                                                  "next": "https://elders.example/"})
    assert response["Location"] == "/meedoen/"


def test_a_wrong_password_and_an_unconfirmed_account_get_one_message(client, city):
    register(client)  # not confirmed
    unconfirmed = client.post("/meedoen/inloggen/", {"email": "anna@voorbeeld.nl",
                                                     "password": PASSWORD})
    wrong = client.post("/meedoen/inloggen/", {"email": "bert@voorbeeld.nl",
                                               "password": PASSWORD})
    message = "The e-mail address or the password is not right."
    for response in (unconfirmed, wrong):
        assert response.status_code == 400 and message in response.content.decode()
    assert 'value="anna@voorbeeld.nl"' in unconfirmed.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_resident_who_moved_declares_the_new_postcode(client, make_resident):
    resident = make_resident("9711AA")
    client.force_login(resident)
    response = client.post("/meedoen/mijn-gegevens/", {"postcode": "9712 aa"})
    assert response["Location"] == "/meedoen/mijn-gegevens/?opgeslagen=1"
    resident.resident_profile.refresh_from_db()
    assert resident.resident_profile.postcode == "9712AA"
    assert resident.resident_profile.buurt.code == "BU09990100"
    refused = client.post("/meedoen/mijn-gegevens/", {"postcode": "97"})
    assert refused.status_code == 400 and 'value="97"' in refused.content.decode()
    resident.resident_profile.refresh_from_db()
    assert resident.resident_profile.postcode == "9712AA"


def test_the_privacy_page_says_what_is_stored(client, db):
    html = client.get("/meedoen/privacy/").content.decode()
    for words in ("Your e-mail address.", "Your postcode.", "What you post:",
                  "We do not ask your name"):
        assert words in html
