"""Errors of the programme register, its results and its money."""

from __future__ import annotations

from typing import Any


class ProgrammeError(Exception):
    """A request the register refuses; ``field`` names the form or spreadsheet field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionRefused(ProgrammeError):
    """The acting user may not do this (see ``permissions``)."""


class ConflictError(ProgrammeError):
    """Somebody else changed the row since it was read: the update names an old
    ``version``. Nothing was written; ``current`` holds the row as it is now."""

    def __init__(self, message: str, *, current: dict[str, Any] | None = None):
        super().__init__(message)
        self.current = current or {}
