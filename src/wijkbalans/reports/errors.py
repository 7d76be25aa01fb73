"""Errors of the reports app: a refused request names its field; a stale edit its rival."""

from __future__ import annotations

from typing import Any


class ReportError(Exception):
    """A request the reports app refuses; ``field`` names the option or form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionRefused(ReportError):
    """The acting user may not do this (see :mod:`.permissions`)."""


class ConflictError(ReportError):
    """Somebody else saved the text since it was read: nothing was written; ``current``
    holds the row as it is now."""

    def __init__(self, message: str, *, current: dict[str, Any] | None = None):
        super().__init__(message)
        self.current = current or {}
