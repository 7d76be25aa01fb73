"""The background runner: ``wijkbalans reports work [--once]``.

As the evaluation worker (:mod:`wijkbalans.evaluations.worker`): one process, no broker;
it claims the oldest queued version (:func:`~.services.report_claim`), generates it, and
looks again; with nothing queued it sleeps ``poll_seconds``. With ``once`` it generates
what is queued and returns. On start it marks versions left ``running`` by a stopped
worker as failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import close_old_connections, connection

from .models import ReportVersion
from .services import report_claim, report_fail_stale, report_run


def work_one() -> ReportVersion | None:
    """Claim and generate one queued version; None when nothing is queued."""
    version = report_claim()
    if version is None:
        return None
    return report_run(version=version)


def work(*, once: bool = False, poll_seconds: float = 3.0, max_runs: int | None = None,
         report: Callable[[ReportVersion], None] | None = None) -> int:
    """Generate queued versions until none is left (``once``) or for ever; returns how
    many ran. ``report`` is called with each finished version."""
    report_fail_stale()
    runs = 0
    while max_runs is None or runs < max_runs:
        if not connection.in_atomic_block:
            close_old_connections()
        version = work_one()
        if version is None:
            if once:
                break
            time.sleep(poll_seconds)
            continue
        runs += 1
        if report is not None:
            report(version)
    return runs
