"""The time as the services see it: the real time, unless a caller fixes it for what it
does inside :func:`frozen_at`.

The demo city writes a history (concerns of past weeks, a budget round of last year)
through the same services that check dates against "now"; fixing the moment in a
context variable keeps that local to the one thread and call, where swapping a module's
function would change the clock for every request the process serves meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_MOMENT: ContextVar[dt.datetime | None] = ContextVar("wijkbalans_moment", default=None)


def now() -> dt.datetime:
    """The current moment (aware), or the one fixed by :func:`frozen_at`."""
    return _MOMENT.get() or timezone.now()


def today() -> dt.date:
    """Today in the site's time zone, or the day of the fixed moment."""
    moment = _MOMENT.get()
    return timezone.localdate(moment) if moment else timezone.localdate()


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Let :func:`now` and :func:`today` return ``moment`` (aware) inside the block, in
    this thread or task only."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _MOMENT.set(moment)
    try:
        yield moment
    finally:
        _MOMENT.reset(token)
