"""Numbers and dates as Dutch (1.234,5; 28 november 2026) or English readers write them."""

from __future__ import annotations

import datetime as dt
import math

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


def format_number(value: float | None, decimals: int = 0, lang: str = "nl") -> str:
    """A number with thousands separators and a fixed number of decimals.

    >>> format_number(1234.5, 1), format_number(1234.5, 1, "en"), format_number(None)
    ('1.234,5', '1,234.5', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{max(decimals, 0)}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.replace("-", "−")


def format_date(day: dt.date, lang: str = "nl") -> str:
    """>>> format_date(dt.date(2026, 11, 28))
    '28 november 2026'
    """
    if lang == "nl":
        return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
