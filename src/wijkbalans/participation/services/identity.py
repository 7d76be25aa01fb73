"""Residents: registration with a verified e-mail address, and the declared postcode.

Registering creates an inactive user with a pseudonymous user name (``bewoner-…``; the
audit log names actors by user name, and it must not hold e-mail addresses) and a
:class:`~..models.ResidentProfile` with the postcode. An e-mail goes out with a link that
holds a signed token (``django.core.signing``, salted, expiring after
``PARTICIPATION_VERIFY_MAX_AGE`` seconds, two days by default); opening it activates the
user and records when the address was verified. Mail goes through Django's e-mail
backend: the console in development, the memory outbox in tests, SMTP in production.

A national log-in (DigiD, eHerkenning) plugs in through OIDC: an authentication backend
(for instance a subclass of mozilla-django-oidc's ``OIDCAuthenticationBackend``) calls
:func:`resident_create_verified` with the provider's pseudonymous subject and the
postcode the resident declares; docs/participation.md describes it step by step.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.areas.models import Area

from .. import ratelimit
from ..errors import ParticipationError
from ..models import ResidentProfile
from ..postcodes import is_postcode, normalise_postcode, postcode_buurten
from ._common import now, require_resident

SALT = "wijkbalans.participation.verify-email"
DEFAULT_MAX_AGE = 2 * 24 * 3600
PROFILE_PRIVATE = ("postcode", "buurt")
User = get_user_model()


def verify_max_age() -> int:
    return int(getattr(settings, "PARTICIPATION_VERIFY_MAX_AGE", DEFAULT_MAX_AGE))


def _email(raw: str) -> str:
    email = str(raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ParticipationError(_("Expected an e-mail address, such as naam@voorbeeld.nl."),
                                 field="email") from None
    return email


def _postcode(raw: str) -> tuple[str, Area | None]:
    postcode = normalise_postcode(raw or "")
    if not is_postcode(postcode):
        raise ParticipationError(_("Expected a postcode of four digits and two letters, "
                                   "such as 9712 CP."), field="postcode")
    buurten = postcode_buurten(postcode)
    if not buurten:
        raise ParticipationError(_("Postcode %(postcode)s is not in an area of this "
                                   "municipality.") % {"postcode": postcode},
                                 field="postcode")
    return postcode, Area.objects.filter(code=buurten[0]).first()


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def verification_token(user) -> str:
    """A signed token for ``user``'s current e-mail address (it does not hold the
    address itself)."""
    return signing.dumps({"u": user.pk, "e": _email_digest(user.email)}, salt=SALT)


def _send_verification(user, verify_link: str) -> None:
    link = verify_link.replace("{token}", verification_token(user))
    hours = verify_max_age() // 3600
    body = _("Welcome to wijkbalans.\n\nPlease confirm your e-mail address by opening this "
             "link:\n\n%(link)s\n\nThe link works for %(hours)d hours. Did you not register? "
             "Then you can ignore this e-mail.") % {"link": link, "hours": hours}
    try:
        send_mail(_("Confirm your e-mail address"), body, None, [user.email])
    except OSError as error:
        raise ParticipationError(_("We could not send the e-mail. Please try again "
                                   "later."), field="email") from error


def _pseudonym() -> str:
    return f"bewoner-{secrets.token_hex(6)}"


def _audit_profile(action: str, profile: ResidentProfile, acting_user, before=None) -> None:
    audit_record(acting_user=acting_user, action=action, obj=profile,
                 object_repr=f"resident {profile.user_id}", before=before,
                 after=snapshot(profile, exclude=PROFILE_PRIVATE))


def resident_register(*, email: str, postcode: str, password: str,
                      verify_link: str = "{token}", ip: str | None = None):
    """Register a resident and send the confirmation e-mail. ``verify_link`` is the URL
    of the confirmation page with ``{token}`` where the token goes. Returns the (still
    inactive) user."""
    ratelimit.hit("register", ip=ip)
    email = _email(email)
    postcode, buurt = _postcode(postcode)
    try:
        validate_password(password or "")
    except ValidationError as error:
        raise ParticipationError(" ".join(error.messages), field="password") from None
    if User.objects.filter(email__iexact=email).exists():
        raise ParticipationError(_("There is already an account with this e-mail address. "
                                   "Log in, or ask for a new confirmation e-mail."),
                                 field="email")
    with transaction.atomic():
        user = User(username=_pseudonym(), email=email, is_active=False)
        user.set_password(password)
        user.save()
        profile = ResidentProfile.objects.create(user=user, postcode=postcode, buurt=buurt)
        _audit_profile("participation.resident.register", profile, user)
        _send_verification(user, verify_link)
    return user


def resident_verification_resend(*, email: str, verify_link: str = "{token}",
                                 ip: str | None = None) -> None:
    """Send a new confirmation e-mail to an unverified resident. Says nothing about
    whether the address is known (so nobody can test addresses)."""
    ratelimit.hit("register", ip=ip)
    user = (User.objects.filter(email__iexact=str(email or "").strip(),
                                resident_profile__email_verified_at__isnull=True).first())
    if user is not None:
        _send_verification(user, verify_link)


def resident_verify(*, token: str):
    """Confirm the e-mail address of the token's user and activate the account. A token
    used before answers as the first time did; an old or altered token is refused."""
    try:
        data = signing.loads(str(token or ""), salt=SALT, max_age=verify_max_age())
    except signing.SignatureExpired:
        raise ParticipationError(_("This link has expired. Ask for a new confirmation "
                                   "e-mail."), field="token") from None
    except signing.BadSignature:
        raise ParticipationError(_("This link is not valid. Copy the whole link from the "
                                   "e-mail."), field="token") from None
    with transaction.atomic():
        profile = (ResidentProfile.objects.select_for_update().select_related("user")
                   .filter(user_id=data.get("u")).first())
        if profile is None or not hmac.compare_digest(
                _email_digest(profile.user.email), str(data.get("e"))):
            raise ParticipationError(_("This link is not valid. Copy the whole link from "
                                       "the e-mail."), field="token")
        if profile.verified:
            return profile.user
        before = snapshot(profile, exclude=PROFILE_PRIVATE)
        profile.email_verified_at = now()
        profile.save(update_fields=["email_verified_at"])
        profile.user.is_active = True
        profile.user.save(update_fields=["is_active"])
        _audit_profile("participation.resident.verify", profile, profile.user, before)
    return profile.user


def resident_authenticate(*, email: str, password: str):
    """The verified resident with this e-mail address and password, or None."""
    user = User.objects.filter(email__iexact=str(email or "").strip(),
                               resident_profile__isnull=False).first()
    if user is None:
        return None
    return authenticate(username=user.get_username(), password=password)


@transaction.atomic
def resident_postcode_change(*, acting_user, postcode: str) -> ResidentProfile:
    """A resident who moved declares the new postcode."""
    profile = require_resident(acting_user)
    postcode, buurt = _postcode(postcode)
    before = snapshot(profile, exclude=PROFILE_PRIVATE)
    profile.postcode, profile.buurt = postcode, buurt
    profile.save(update_fields=["postcode", "buurt"])
    _audit_profile("participation.resident.postcode_change", profile, acting_user, before)
    return profile


def oidc_username(subject: str) -> str:
    """The user name of the resident a national log-in identifies: a keyed hash of the
    provider's subject, so the same person finds the same account and the subject (which
    may be a BSN) is never stored."""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(subject).encode(),
                      hashlib.sha256).hexdigest()[:20]
    return f"bewoner-oidc-{digest}"


@transaction.atomic
def resident_create_verified(*, subject: str, postcode: str, email: str = "",
                             acting_user=None):
    """The resident a national log-in (OIDC) vouches for: active, verified, without a
    password of its own. Calling it again for the same subject returns that user."""
    if not str(subject or "").strip():
        raise ParticipationError(_("The identity provider sent no subject."),
                                 field="subject")
    username = oidc_username(subject)
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    email = _email(email) if email else ""
    postcode, buurt = _postcode(postcode)
    user = User(username=username, email=email, is_active=True)
    user.set_unusable_password()
    user.save()
    profile = ResidentProfile.objects.create(user=user, postcode=postcode, buurt=buurt,
                                             email_verified_at=now())
    _audit_profile("participation.resident.register_verified", profile, acting_user or user)
    return user
