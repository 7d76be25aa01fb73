"""Euro amounts as Dutch readers write them: ``€ 12.345,00``. Exact on decimals (the
chart helpers format floats)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


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
