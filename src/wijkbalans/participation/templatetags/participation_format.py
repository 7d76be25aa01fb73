"""Amounts and moments on the participation pages, as the reader writes them: ``€ 6.000,00``
and ``1 maart 2026, 09:00`` on Dutch pages, ``€ 6,000.00`` and ``1 March 2026, 09:00`` on
English ones."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from wijkbalans.charts.numbers import format_date

from ..formatting import format_eur
from ..web.common import lang

register = template.Library()


@register.filter
def eur(value) -> str:
    return "–" if value in (None, "") else format_eur(value, lang())


@register.filter
def day(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_date(value, lang())


@register.filter
def when(value) -> str:
    """A moment: the day and the time in the site's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{format_date(local.date(), lang())}, {local:%H:%M}"
