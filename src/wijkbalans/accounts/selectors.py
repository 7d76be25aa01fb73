"""Reads from accounts."""

from __future__ import annotations

from .models import Membership


def user_roles(*, user) -> set[str]:
    """The roles a user holds in any organisation. Superusers hold every role."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add("admin")
    return roles


def user_has_role(*, user, roles: set[str] | frozenset[str]) -> bool:
    return bool(user_roles(user=user) & set(roles)) or bool(
        getattr(user, "is_superuser", False)
    )


def user_by_username(*, username: str):
    """The user with this user name, or None."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username).first()
