"""ISO weeks and the periods they fall in.

A concern is recorded for an ISO week (``YYYY-Www``, Monday to Sunday). A week belongs to
the month, quarter and year of its Thursday, the rule ISO 8601 uses for the year of a
week; so weeks nest in months, months in quarters, quarters in years, and every count
of a period is the sum of its weeks.

>>> week_start("2025-W01"), week_label(dt.date(2024, 12, 30))
(datetime.date(2024, 12, 30), '2025-W01')
>>> period_of(dt.date(2024, 12, 30), "month"), period_of(dt.date(2024, 12, 30), "quarter")
('2025-01', '2025-Q1')
"""

from __future__ import annotations

import datetime as dt
import re

KINDS = ("week", "month", "quarter", "year")
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
FORMS = {
    "week": (re.compile(r"^\d{4}-W\d{2}$"), "YYYY-Www, e.g. 2025-W07"),
    "month": (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "YYYY-MM, e.g. 2025-02"),
    "quarter": (re.compile(r"^\d{4}-Q[1-4]$"), "YYYY-Qn, e.g. 2025-Q1"),
    "year": (re.compile(r"^\d{4}$"), "YYYY, e.g. 2025"),
}


class PeriodError(ValueError):
    """A week or period written in the wrong form; the message says what was expected."""


def week_start(label: str) -> dt.date:
    """The Monday of ISO week ``label`` (``YYYY-Www``)."""
    match = WEEK.match(str(label).strip())
    if not match:
        raise PeriodError(f"expected an ISO week as YYYY-Www (e.g. 2025-W07); found {label!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PeriodError(f"{label}: the year {year} has no week {week}") from None


def week_label(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def period_of(monday: dt.date, kind: str) -> str:
    """The period of ``kind`` that the week starting on ``monday`` belongs to."""
    if kind == "week":
        return week_label(monday)
    thursday = monday + dt.timedelta(days=3)
    if kind == "month":
        return f"{thursday.year}-{thursday.month:02d}"
    if kind == "quarter":
        return f"{thursday.year}-Q{(thursday.month - 1) // 3 + 1}"
    if kind == "year":
        return str(thursday.year)
    raise PeriodError(f"expected a period kind ({', '.join(KINDS)}); found {kind!r}")


def check_period(label: str, kind: str) -> str:
    if kind not in FORMS:
        raise PeriodError(f"expected a period kind ({', '.join(KINDS)}); found {kind!r}")
    pattern, form = FORMS[kind]
    label = str(label).strip()
    if not pattern.match(label):
        raise PeriodError(f"expected a {kind} as {form}; found {label!r}")
    if kind == "week":
        week_start(label)
    return label


def period_weeks(label: str, kind: str) -> tuple[dt.date, dt.date]:
    """The Mondays of the first and the last week of a period.

    >>> period_weeks("2025-Q1", "quarter")
    (datetime.date(2024, 12, 30), datetime.date(2025, 3, 24))
    """
    label = check_period(label, kind)
    if kind == "week":
        monday = week_start(label)
        return monday, monday
    year = int(label[:4])
    if kind == "year":
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif kind == "quarter":
        q = int(label[-1])
        first = dt.date(year, 3 * q - 2, 1)
        last = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    else:
        month = int(label[5:7])
        first = dt.date(year, month, 1)
        last = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1) \
            - dt.timedelta(days=1)
    # The weeks whose Thursday lies between first and last.
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    last_thursday = last - dt.timedelta(days=(last.weekday() - 3) % 7)
    return first_thursday - dt.timedelta(days=3), last_thursday - dt.timedelta(days=3)


def periods_between(first: str, last: str, kind: str) -> list[str]:
    """Every period of ``kind`` from ``first`` to ``last``, both included.

    >>> periods_between("2024-Q4", "2025-Q2", "quarter")
    ['2024-Q4', '2025-Q1', '2025-Q2']
    """
    start, _ = period_weeks(first, kind)
    _, end = period_weeks(last, kind)
    if end < start:
        raise PeriodError(f"the first period {first} comes after the last {last}")
    out: list[str] = []
    monday = start
    while monday <= end:
        label = period_of(monday, kind)
        if not out or out[-1] != label:
            out.append(label)
        monday += dt.timedelta(days=7)
    return out


def previous(label: str, kind: str, steps: int = 1) -> str:
    """The period ``steps`` periods before ``label``.

    >>> previous("2025-Q1", "quarter", 3), previous("2025-W01", "week")
    ('2024-Q2', '2024-W52')
    """
    for _ in range(steps):
        first, _ = period_weeks(label, kind)
        label = period_of(first - dt.timedelta(days=7), kind)
    return label


def months_back(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` minus whole calendar months (the day clamped to the month's length).

    >>> months_back(dt.datetime(2025, 3, 31, 12), 1)
    datetime.datetime(2025, 2, 28, 12, 0)
    """
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))
