"""Errors of resident participation. Each names the field (or parameter) at fault, so a
form shows it next to the field and the API returns it under that name."""

from __future__ import annotations


class ParticipationError(Exception):
    """A request the participation app refuses; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionRefused(ParticipationError):
    """The acting user may not do this (see ``permissions``)."""


class AlreadyDone(ParticipationError):
    """The resident did this already: voted in this round, supported this proposal."""


class RateLimited(ParticipationError):
    """Too many writes of one kind in a short time; ``retry_after`` in seconds."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after
