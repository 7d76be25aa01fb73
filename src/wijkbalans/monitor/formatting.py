"""Values as the monitor shows them: the indicator's decimals, the reader's language."""

from __future__ import annotations

import math

from django.utils.translation import get_language

from wijkbalans.charts.numbers import format_number


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def value_text(value: float | None, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_number(value, decimals, lang())


def indicator_name(indicator) -> str:
    """The name in the reader's language (Dutch when there is no English one)."""
    if lang() == "en" and getattr(indicator, "name_en", ""):
        return indicator.name_en
    return indicator.name_nl


def chart_number(decimals: int):
    return lambda v: format_number(v, decimals, lang())
