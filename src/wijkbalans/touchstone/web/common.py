"""What the touchstone's pages share: numbers in the reader's notation, a rating as a badge
that does not rely on colour, and the service's refusal shown at the field it names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbalans.analysis import touchstone as rules
from wijkbalans.charts.numbers import format_date, format_number

from ..criteria.base import RATING_LABELS

# A meter of three dots says the level without colour; the word says it to everyone.
METER = {rules.STRONG: "●●●", rules.ADEQUATE: "●●○", rules.WEAK: "●○○", rules.UNKNOWN: "?"}


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return "–"
    try:
        return format_number(float(value), decimals, lang())
    except (TypeError, ValueError):
        return str(value)


def quantity(value) -> str:
    """A stored figure (``"3000.0000"``) with the decimals it needs, at most four."""
    if value is None or value == "":
        return "–"
    try:
        exact = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = max(0, -exact.normalize().as_tuple().exponent) if exact else 0
    return format_number(exact, min(places, 4), lang())


def percent(share, decimals: int = 1) -> str:
    if share is None or share == "":
        return "–"
    return format_number(100 * float(share), decimals, lang()) + "%"


def euro(amount) -> str:
    if amount is None or amount == "":
        return "–"
    return "€ " + format_number(Decimal(str(amount)), 2, lang())  # exact, never a float


def yes_no(value) -> str:
    return _("yes") if value else _("no")


def day(moment) -> str:
    if not moment:
        return ""
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date()
    return format_date(moment, lang())


def badge(rating: str) -> dict:
    """What the badge template needs: the rating's key (for the style), its word and its
    meter (hidden from screen readers, which read the word)."""
    return {"key": rating, "label": str(RATING_LABELS.get(rating, rating)),
            "meter": METER.get(rating, "")}


def ratings_summary(results) -> list[dict]:
    """Criterion label and badge for each result of a scorecard, in scorecard order."""
    return [{"key": r.key, "label": r.label, "badge": badge(r.rating), "basis": r.basis}
            for r in results]


def show_error(form, error, aliases: dict[str, str] | None = None) -> None:
    """The service's message at the form field it names (``notes.money`` is the field
    ``note_money``), else above the form."""
    field = error.field or ""
    if "." in field:
        head, key = field.split(".", 1)
        field = {"notes": f"note_{key}", "argued_ratings": f"argued_{key}"}.get(head, field)
    field = (aliases or {}).get(field, field)
    form.add_error(field if field in form.fields else None, error.message)
