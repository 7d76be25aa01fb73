"""Errors of the touchstone."""

from __future__ import annotations


class TouchstoneError(Exception):
    """An assessment or decision refused; ``field`` names the input (``notes.money``)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TouchstoneRefused(TouchstoneError):
    """The acting user may not do this (see :mod:`.permissions`)."""
