"""What the management commands share."""

from __future__ import annotations

from django.core.management.base import CommandError

from wijkbalans.accounts.selectors import user_by_username


def acting_user(username: str):
    """The user a command records as acting (``--user``), None for the system; a name
    that matches no user is a clear error before anything is written."""
    if not username:
        return None
    user = user_by_username(username=username)
    if user is None:
        raise CommandError(f"--user: no user named {username!r}")
    return user
