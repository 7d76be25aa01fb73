"""What the concern pages share: the reader's language, weeks as people read them, the
gemeente a page is about, labels of themes and statuses, and the refusals.

No view logs or messages the free text of a concern: it is shown only in the response to
the person who typed it (a refused form) or who may read it (through the audited
``concerns.services.concern_text_read``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbalans.charts.numbers import MONTHS_EN, MONTHS_NL, format_date

from .. import knowledge, periods, selectors
from ..models import Outcome, Severity, Sign, Status, Theme


def lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def refuse(message: str):
    raise PermissionDenied(message)


def login_or_refuse(request, allowed: bool, message: str):
    """None when ``allowed``; the log-in page for a visitor; a 403 for a signed-in user
    without the role."""
    if allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refuse(message)


def week_text(monday: dt.date, language: str | None = None) -> str:
    """``week 25: 16 to 22 June 2025`` (or in Dutch), from the week's Monday."""
    language = language or lang()
    sunday = monday + dt.timedelta(days=6)
    months = MONTHS_NL if language == "nl" else MONTHS_EN
    if monday.month == sunday.month:
        first = str(monday.day)
    elif monday.year == sunday.year:
        first = f"{monday.day} {months[monday.month - 1]}"
    else:
        first = format_date(monday, language)
    return _("week %(number)s: %(first)s to %(last)s") % {
        "number": monday.isocalendar()[1], "first": first,
        "last": format_date(sunday, language)}


def week_choices(*, weeks_back: int) -> list[tuple[str, str]]:
    """This week and the ``weeks_back`` weeks before it, newest first, as form choices."""
    today = selectors.today()
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks_back + 1)]
    return [(periods.week_label(m), week_text(m)) for m in mondays]


def this_week() -> str:
    return periods.week_label(selectors.today())


def theme_label(theme: str) -> str:
    return str(dict(Theme.choices).get(theme, theme))


def sign_label(sign: str) -> str:
    return str(dict(Sign.choices).get(sign, "")) if sign else ""


def severity_label(severity: int) -> str:
    return str(dict(Severity.choices).get(severity, severity))


def status_label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))


def outcome_label(outcome: str) -> str:
    return str(dict(Outcome.choices).get(outcome, "")) if outcome else ""


def gemeente_choice(request, *, param: str = "gemeente") -> tuple[str | None,
                                                                   list[tuple[str, str]]]:
    """The gemeente a page shows (``?gemeente=``, else the first of the choices) and the
    choices; ``(None, choices)`` when the parameter names no gemeente among them."""
    choices = knowledge.concern_gemeenten()
    wanted = (request.GET.get(param) or "").strip().upper()
    codes = [code for code, _name in choices]
    if wanted:
        return (wanted if wanted in codes else None), choices
    return (codes[0] if codes else None), choices
