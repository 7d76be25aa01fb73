"""Writes of early concerns: submit one, record a partner's follow-up, read free text.

Every function is one transaction with one audit entry, and none puts free text in the
audit log or in a log line:

- ``concern.submit``: the concern without its text (``has_text`` says whether there is
  one) and the organisations it was routed to;
- ``concern.followup``: an assignment's status and outcome, before and after;
- ``concerns.text.read``: who read the free text of which concern (every read).

A submission whose free text holds personal data raises :class:`ScreenRefused` with the
screen's findings (what to remove) **before anything is written**: no row, no audit
entry, no log line. The point of a clicked map (``lon``, ``lat``) only selects the buurt;
it is neither stored nor logged.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.accounts.models import Organisation
from wijkbalans.areas.geometry import WGS84_BOUNDS

from . import periods, routing, selectors
from .models import STATUS_ORDER, Assignment, Concern, FollowUp, Outcome, Severity, Sign, Status
from .models import Theme as ThemeChoices

MAX_TEXT = 2000
# A concern is about now: a week more than this many weeks back is refused.
MAX_WEEKS_BACK = 12


class ConcernError(ValueError):
    """The request is refused; ``field`` names the input at fault, ``message`` says what
    was expected. Nothing was written."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ConcernNotAllowed(ConcernError):
    """The acting user may not do this (see the rules in ``selectors``)."""


class ScreenRefused(ConcernError):
    """The free text holds personal data; ``findings`` say what to remove.

    The message names only how many findings there are, never the text or a fragment of
    it, so that an error report or log line cannot carry them.
    """

    def __init__(self, findings: list):
        self.findings = list(findings)
        super().__init__("text", f"the text seems to hold personal data ({len(self.findings)} "
                                 "finding(s)); remove it and try again")

    def __repr__(self) -> str:
        return f"ScreenRefused({len(self.findings)} finding(s))"


def finding_as_dict(finding: Any) -> dict:
    """A finding of the screen as plain data, whatever its class."""
    import dataclasses

    if dataclasses.is_dataclass(finding):
        return {k: v for k, v in dataclasses.asdict(finding).items()}
    if hasattr(finding, "_asdict"):
        return dict(finding._asdict())
    if isinstance(finding, dict):
        return dict(finding)
    return {"kind": str(finding)}


@sensitive_variables("text")
def _screen(text: str) -> list:
    """Findings of the personal-data screen. When the screen itself fails, the error is
    raised afresh outside the handler, so that no traceback, error report or log line
    carries the frames that hold the text; the concern is then not stored."""
    try:
        from wijkbalans.concerns.screening import screen

        return list(screen(text))
    except Exception:  # noqa: BLE001, S110 - replaced below by an error without the text
        pass
    raise ConcernError("text", "the personal-data screen failed; the text was not stored")


def _week(week: str) -> tuple[str, dt.date]:
    try:
        monday = periods.week_start(week)
    except periods.PeriodError as error:
        raise ConcernError("week", str(error)) from None
    today = selectors.today()
    this_monday = today - dt.timedelta(days=today.weekday())
    if monday > this_monday:
        raise ConcernError("week", f"the week {week} has not begun yet")
    if monday < this_monday - dt.timedelta(weeks=MAX_WEEKS_BACK):
        raise ConcernError("week", f"expected a week in the last {MAX_WEEKS_BACK} weeks; "
                                   f"{week} lies further back")
    return periods.week_label(monday), monday


def _severity(severity) -> int:
    value = None
    if isinstance(severity, int) and not isinstance(severity, bool):
        value = severity
    elif isinstance(severity, str) and severity.strip().isdigit():
        value = int(severity.strip())
    if value not in Severity.values:
        raise ConcernError("severity", "expected 1 (low), 2 (medium) or 3 (high); found "
                                       f"{severity!r}")
    return value


def _point(lon, lat):
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ConcernError("lon", "expected a longitude and latitude as numbers") from None
    west, south, east, north = WGS84_BOUNDS
    if not (math.isfinite(x) and math.isfinite(y) and west <= x <= east
            and south <= y <= north):
        raise ConcernError("lon", "expected a point in the Netherlands (longitude 2.8 to "
                                  "7.5, latitude 50.5 to 54.0)")
    buurt = selectors.buurt_at(lon=x, lat=y)
    if buurt is None:
        raise ConcernError("lon", "the point lies in no known buurt; choose the buurt by "
                                  "name")
    return buurt


def _buurt(buurt_code, lon, lat):
    given_point = lon is not None or lat is not None
    if bool(buurt_code) == given_point:
        raise ConcernError("buurt", "give a buurt code or a point on the map (one of the "
                                    "two)")
    if given_point:
        return _point(lon, lat)
    buurt = selectors.buurt_by_code(code=str(buurt_code))
    if buurt is None:
        raise ConcernError("buurt", f"expected a known buurt code such as BU00140402; "
                                    f"found {buurt_code!r}")
    return buurt


@sensitive_variables("text")
def concern_submit(
    *, acting_user, organisation: Organisation, theme: str, week: str, severity: int,
    buurt_code: str | None = None, lon: float | None = None, lat: float | None = None,
    text: str = "", sign: str = "",
) -> Concern:
    """Record a concern and route it; returns the stored concern.

    ``organisation`` is the one the reporter acts for (they hold the role professional or
    partner in it). The buurt is ``buurt_code``, or the buurt that covers the point
    ``lon``/``lat`` (WGS84), which is then discarded. ``week`` is an ISO week
    (``YYYY-Www``) of the last 12 weeks; ``severity`` 1, 2 or 3; ``sign`` optionally says
    what kind of undermining. Raises :class:`ConcernNotAllowed`, :class:`ConcernError`
    (field and expectation) or :class:`ScreenRefused` (the screen's findings), each before
    anything is written.
    """
    role = selectors.submit_role(user=acting_user, organisation=organisation)
    if role is None:
        raise ConcernNotAllowed("organisation", "recording concerns for this organisation "
                                                "needs the role professional or partner in it")
    if theme not in ThemeChoices.values:
        raise ConcernError("theme", f"expected one of {', '.join(ThemeChoices.values)}; "
                                    f"found {theme!r}")
    sign = sign or ""
    if sign and (theme != ThemeChoices.UNDERMINING or sign not in Sign.values):
        raise ConcernError("sign", "a sign is only for undermining crime, one of "
                                   f"{', '.join(Sign.values)}")
    week_text, monday = _week(week)
    level = _severity(severity)
    buurt = _buurt(buurt_code, lon, lat)
    if not isinstance(text, str):
        raise ConcernError("text", "expected text")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ConcernError("text", f"at most {MAX_TEXT} characters; this text has {len(text)}")
    if text:
        findings = _screen(text)
        if findings:
            raise ScreenRefused(findings)
    with transaction.atomic():
        concern = Concern.objects.create(
            theme=theme, sign=sign, buurt=buurt, week=week_text, week_start=monday,
            severity=level, organisation=organisation, reporter_role=role,
            reporter=acting_user, text=text)
        partners = routing.routes_for(theme=theme, buurt=buurt)
        for partner in partners:
            assignment = Assignment.objects.create(concern=concern, organisation=partner)
            FollowUp.objects.create(assignment=assignment, status=Status.ROUTED)
        audit_record(acting_user=acting_user, action="concern.submit", obj=concern,
                     after={**snapshot(concern, exclude=("text",)), "has_text": bool(text),
                            "routed_to": [p.slug for p in partners]})
    return concern


@transaction.atomic
def concern_followup(*, acting_user, assignment: Assignment, status: str,
                     outcome: str = "") -> Assignment:
    """Move an assignment on: acknowledged, acted on, or closed with an outcome category.

    Only a partner of the receiving organisation; the status only moves forward, and
    ``outcome`` is given exactly when closing. Raises :class:`ConcernNotAllowed` or
    :class:`ConcernError`; nothing is written then.
    """
    if not selectors.user_may_follow_up(user=acting_user, assignment=assignment):
        raise ConcernNotAllowed("assignment", "only a partner of the receiving "
                                              "organisation records its follow-up")
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if status not in Status.values or status == Status.ROUTED:
        raise ConcernError("status", "expected acknowledged, acted or closed; found "
                                     f"{status!r}")
    if STATUS_ORDER[status] <= STATUS_ORDER[current.status]:
        raise ConcernError("status", f"the follow-up is {current.status} already; it can "
                                     "only move forward")
    outcome = outcome or ""
    if status == Status.CLOSED and outcome not in Outcome.values:
        raise ConcernError("outcome", f"closing needs an outcome: one of "
                                      f"{', '.join(Outcome.values)}")
    if status != Status.CLOSED and outcome:
        raise ConcernError("outcome", "an outcome is given when closing, not before")
    before = snapshot(current)
    current.status, current.outcome = status, outcome
    current.save(update_fields=["status", "outcome", "updated_at"])
    FollowUp.objects.create(assignment=current, status=status, outcome=outcome,
                            by=acting_user)
    audit_record(acting_user=acting_user, action="concern.followup", obj=current,
                 before=before, after=snapshot(current))
    return current


@transaction.atomic
def concern_text_read(*, acting_user, concern: Concern) -> str:
    """The free text of ``concern`` ("" when there is none or it was erased), for the
    reporter or a partner it was routed to; the read is written to the audit log as
    ``concerns.text.read``. Raises :class:`ConcernNotAllowed` for anyone else."""
    if not selectors.user_may_read_text(user=acting_user, concern=concern):
        raise ConcernNotAllowed("concern", "only the reporter and the partners it was "
                                           "routed to read its free text")
    text, erased_at = Concern.objects.filter(pk=concern.pk).values_list(
        "text", "text_erased_at").get()
    audit_record(acting_user=acting_user, action="concerns.text.read", obj=concern,
                 after={"erased": erased_at is not None, "empty": not text})
    return text
