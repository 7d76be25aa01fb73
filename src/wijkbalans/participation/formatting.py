"""Euro amounts as the reader writes them: ``€ 12.345,00`` in Dutch, ``€ 12,345.00`` in
English. Exact on decimals (the chart helpers format floats).

Messages that name an amount (the services' refusals) use :func:`format_eur_active`, so
the amount follows the language of the sentence around it: the page and the API (which
follows ``Accept-Language``) say the same. Texts that are stored use the Dutch notation of
:func:`format_eur` unless the caller passes a language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language


def format_eur(amount: Decimal | int | str, lang: str = "nl") -> str:
    """The amount rounded to cents, with thousands separators.

    >>> format_eur(Decimal("12345")), format_eur(Decimal("-0.5")), format_eur(7, "en")
    ('€ 12.345,00', '€ −0,50', '€ 7.00')
    """
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "−" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}"
    if lang == "nl":
        return f"€ {sign}{groups.replace(',', '.')},{cents}"
    return f"€ {sign}{groups}.{cents}"


def active_language() -> str:
    """``en`` when English is active, else ``nl`` (the site's default)."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def format_eur_active(amount: Decimal | int | str) -> str:
    """The amount in the notation of the active language.

    >>> from django.utils import translation
    >>> with translation.override("en"):
    ...     format_eur_active(Decimal("12345.5"))
    '€ 12,345.50'
    """
    return format_eur(amount, active_language())
