"""Writes to accounts. Each function is one transaction with its audit entry."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from .audit import audit_record, snapshot
from .models import Membership, Organisation, Role

User = get_user_model()


@transaction.atomic
def organisation_create(*, name: str, kind: str, acting_user=None, slug: str = "") -> Organisation:
    if kind not in Organisation.Kind.values:
        raise ValueError(f"unknown organisation kind {kind!r}; expected one of "
                         f"{', '.join(Organisation.Kind.values)}")
    org = Organisation.objects.create(name=name, kind=kind, slug=slug or slugify(name)[:80])
    audit_record(acting_user=acting_user, action="organisation.create", obj=org,
                 after=snapshot(org))
    return org


@transaction.atomic
def user_create(
    *, username: str, password: str | None, email: str = "", first_name: str = "",
    last_name: str = "", is_staff: bool = False, is_superuser: bool = False, acting_user=None,
):
    user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                is_staff=is_staff, is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(acting_user=acting_user, action="user.create", obj=user,
                 after=snapshot(user, exclude=("last_login",)))
    return user


@transaction.atomic
def membership_grant(
    *, user, organisation: Organisation, role: str, acting_user=None
) -> Membership:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if created:
        audit_record(acting_user=acting_user, action="membership.grant", obj=membership,
                     after=snapshot(membership))
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, acting_user=None) -> None:
    before = snapshot(membership)
    label = str(membership)
    pk = membership.pk
    membership.delete()
    audit_record(acting_user=acting_user, action="membership.revoke",
                 object_type="accounts.membership", object_id=str(pk), object_repr=label,
                 before=before)


@transaction.atomic
def api_token_issue(*, user) -> Token:
    """The user's API token, created (and audited) on first request."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(acting_user=user, action="api_token.issue", object_type="authtoken.token",
                     object_id=str(user.pk), object_repr=f"API token of {user.get_username()}")
    return token
