"""Registering residents: a verified e-mail address (a signed, expiring link), a postcode
of the area, no personal data in the audit log, and the OIDC hook."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.participation.errors import ParticipationError, PermissionRefused
from wijkbalans.participation.models import ResidentProfile
from wijkbalans.participation.services import identity
from wijkbalans.participation.services.identity import (
    resident_authenticate,
    resident_create_verified,
    resident_postcode_change,
    resident_register,
    resident_verification_resend,
    resident_verify,
)

from .conftest import B00, B01, B10, PASSWORD

pytestmark = pytest.mark.django_db
LINK = "https://wijkbalans.example/meedoen/bevestigen/{token}/"
User = get_user_model()


def token_from_mail() -> str:
    return mail.outbox[-1].body.split("/bevestigen/")[1].split("/")[0]


def test_register_sends_a_link_and_the_link_activates(city):
    user = resident_register(email=" Anna@Voorbeeld.NL ", postcode="9711 ab",
                             password=PASSWORD, verify_link=LINK)
    assert not user.is_active and user.email == "anna@voorbeeld.nl"
    assert user.username.startswith("bewoner-") and "anna" not in user.username
    profile = user.resident_profile
    assert (profile.postcode, profile.buurt.code, profile.verified) == ("9711AB", B01, False)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@voorbeeld.nl"]
    assert "https://wijkbalans.example/meedoen/bevestigen/" in mail.outbox[0].body
    assert resident_authenticate(email="anna@voorbeeld.nl", password=PASSWORD) is None

    verified = resident_verify(token=token_from_mail())
    assert verified.pk == user.pk and verified.is_active
    assert ResidentProfile.objects.get(user=user).verified
    assert resident_authenticate(email="ANNA@voorbeeld.nl", password=PASSWORD).pk == user.pk
    assert resident_authenticate(email="anna@voorbeeld.nl", password="wrong") is None
    # Opening the link again does no harm and writes nothing new.
    audits = AuditEntry.objects.count()
    assert resident_verify(token=token_from_mail()).pk == user.pk
    assert AuditEntry.objects.count() == audits


def test_the_audit_log_holds_no_email_or_postcode(city):
    resident_register(email="bert@voorbeeld.nl", postcode="9711AA", password=PASSWORD,
                      verify_link=LINK)
    user = resident_verify(token=token_from_mail())
    resident_postcode_change(acting_user=user, postcode="9712AA")
    entries = AuditEntry.objects.filter(action__startswith="participation.resident")
    assert sorted(e.action for e in entries) == [
        "participation.resident.postcode_change", "participation.resident.register",
        "participation.resident.verify"]
    text = json.dumps([[e.actor_repr, e.object_repr, e.before, e.after] for e in entries])
    for private in ("bert", "voorbeeld", "9711", "9712"):
        assert private not in text.lower()
    assert {e.after["user_id"] for e in entries} == {user.pk}


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"email": "geen-adres"}, "email", "Expected an e-mail address"),
    ({"postcode": "971AB"}, "postcode", "four digits and two letters"),
    ({"postcode": "1011AB"}, "postcode", "Postcode 1011AB is not in an area"),
    ({"password": "kort"}, "password", "too short"),
])
def test_bad_registrations_are_refused_and_write_nothing(city, fields, field, words):
    values = {"email": "carla@voorbeeld.nl", "postcode": "9711AA", "password": PASSWORD,
              **fields}
    users, audits = User.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ParticipationError) as refused:
        resident_register(**values, verify_link=LINK)
    assert refused.value.field == field and words in refused.value.message
    assert (User.objects.count(), AuditEntry.objects.count(), len(mail.outbox)) == (
        users, audits, 0)


def test_an_address_registers_once(city):
    resident_register(email="dirk@voorbeeld.nl", postcode="9711AA", password=PASSWORD)
    with pytest.raises(ParticipationError) as refused:
        resident_register(email="DIRK@voorbeeld.nl", postcode="9711AA", password=PASSWORD)
    assert refused.value.field == "email"
    assert User.objects.filter(email="dirk@voorbeeld.nl").count() == 1


def test_expired_and_altered_tokens_are_refused(city, monkeypatch):
    user = resident_register(email="eva@voorbeeld.nl", postcode="9711AA", password=PASSWORD,
                             verify_link=LINK)
    token = token_from_mail()
    with pytest.raises(ParticipationError, match="not valid"):
        resident_verify(token=token[:-2] + ("aa" if not token.endswith("aa") else "bb"))
    later = time.time() + identity.DEFAULT_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(ParticipationError, match="expired"):
        resident_verify(token=token)
    monkeypatch.undo()
    user.refresh_from_db()
    assert not user.is_active and not user.resident_profile.verified
    # A token for another address (the user changed it) does not verify this one.
    User.objects.filter(pk=user.pk).update(email="eva.nieuw@voorbeeld.nl")
    with pytest.raises(ParticipationError, match="not valid"):
        resident_verify(token=token)


def test_resend_says_nothing_about_unknown_addresses(city):
    resident_register(email="fenna@voorbeeld.nl", postcode="9711AA", password=PASSWORD)
    resident_verification_resend(email="onbekend@voorbeeld.nl")
    assert len(mail.outbox) == 1
    resident_verification_resend(email="fenna@voorbeeld.nl", verify_link=LINK)
    assert len(mail.outbox) == 2 and resident_verify(token=token_from_mail()).is_active
    resident_verification_resend(email="fenna@voorbeeld.nl")  # verified: nothing sent
    assert len(mail.outbox) == 2


def test_postcode_change_follows_the_table(make_resident):
    user = make_resident("9711AA")
    profile = resident_postcode_change(acting_user=user, postcode="9712 aa")
    assert (profile.postcode, profile.buurt.code) == ("9712AA", B10)
    with pytest.raises(ParticipationError):
        resident_postcode_change(acting_user=user, postcode="0000AA")
    assert ResidentProfile.objects.get(user=user).postcode == "9712AA"


def test_unverified_users_cannot_act(city):
    user = resident_register(email="gijs@voorbeeld.nl", postcode="9711AA", password=PASSWORD)
    with pytest.raises(PermissionRefused, match="Confirm your e-mail"):
        resident_postcode_change(acting_user=user, postcode="9712AA")


def test_oidc_hook_makes_a_verified_resident_without_storing_the_subject(city):
    user = resident_create_verified(subject="999999990", postcode="9711AA")
    assert user.is_active and user.resident_profile.verified
    assert not user.has_usable_password()
    assert "999999990" not in user.username and user.username.startswith("bewoner-oidc-")
    assert resident_create_verified(subject="999999990", postcode="9711AA").pk == user.pk
    assert user.resident_profile.buurt.code == B00
    assert "999999990" not in json.dumps(list(AuditEntry.objects.values("before", "after",
                                                                         "object_repr")))
