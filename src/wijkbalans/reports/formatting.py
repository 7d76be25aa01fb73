"""Numbers, amounts, shares and dates as the app's pages write them, in the report's
language: the same rules as ``monitor.formatting.value_text`` (indicator values), the
register's ``euro`` and ``quantity`` and its progress percentages, so that the report and
the pages show the same text for the same figure (the tests compare them).

Everything here takes the language explicitly; the template filters in
``templatetags/report_format.py`` pass the active one.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from wijkbalans.charts.numbers import format_date, format_number

DASH = "–"


def number(value, decimals: int = 0, lang: str = "nl") -> str:
    """An indicator value: ``value_text`` of the monitor."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return format_number(value, decimals, lang)


def euro(amount, lang: str = "nl") -> str:
    """``€ 1.234.567,89``: exact, from a decimal or its text (never through a float)."""
    if amount is None or amount == "":
        return DASH
    return f"€ {format_number(Decimal(str(amount)), 2, lang)}"


def quantity(value, lang: str = "nl", most: int = 4) -> str:
    """A result's value with as many decimals as it has, at most ``most``."""
    if value is None or value == "":
        return DASH
    value = Decimal(str(value))
    places = max(0, -value.normalize().as_tuple().exponent) if value else 0
    return format_number(value, min(places, most), lang)


def percent(share, lang: str = "nl") -> str:
    """A progress share (0.6875) as the register writes it: ``69%``."""
    if share is None or share == "":
        return DASH
    return f"{quantity(Decimal(str(share)) * 100, lang, most=0)}%"


def date_text(day, lang: str = "nl") -> str:
    """``28 november 2026`` from a date or an ISO date text."""
    if not day:
        return DASH
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return format_date(day, lang)
