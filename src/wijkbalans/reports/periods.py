"""The report's period and which figures fall in it.

A report is made for a period ``P`` (``YYYY`` or ``YYYY-Qn``). A figure of period ``q``
belongs to the report when ``q`` starts before ``P`` ends (the rule the stacking index
uses for its vintages): ``2024-Q3`` is in a report for ``2024`` and ``2025`` is not; a
yearly figure ``2024`` is in a report for any quarter of 2024, since it starts before the
quarter ends.
"""

from __future__ import annotations

import re

from wijkbalans.analysis.targets import period_time

PERIOD = re.compile(r"^\d{4}(?:-Q[1-4])?$")


def is_report_period(text: str) -> bool:
    """>>> is_report_period("2024"), is_report_period("2024-Q2"), is_report_period("2024-13")
    (True, True, False)
    """
    return bool(PERIOD.match(text or ""))


def period_end(period: str) -> float:
    """The decimal year at which ``period`` ends: 2025.0 for 2024, 2024.5 for 2024-Q2."""
    text = str(period)
    step = 0.25 if "-Q" in text else (1 / 12 if "-" in text else 1.0)
    return period_time(text) + step


def up_to(period: str, report_period: str) -> bool:
    """Whether a figure of ``period`` belongs in a report for ``report_period``.

    >>> up_to("2024-Q3", "2024"), up_to("2025", "2024"), up_to("2024", "2024-Q2")
    (True, False, True)
    """
    try:
        return period_time(str(period)) < period_end(report_period) - 1e-9
    except ValueError:
        return False


def sort_key(period: str) -> tuple[float, int]:
    return (period_time(period), -len(period))
