"""The background runner: ``wijkbalans evaluations work [--once]``.

One process per machine, no broker and no threads: it takes the oldest queued evaluation
(:func:`~.services.evaluation_claim`: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a
conditional update on SQLite, so two workers never run the same evaluation), runs it, and
looks again; with nothing queued it sleeps ``poll_seconds``. With ``once`` it runs what is
queued and returns. On start it marks evaluations left ``running`` by a stopped worker as
failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import close_old_connections, connection

from .models import Evaluation
from .services import evaluation_claim, evaluation_fail_stale, evaluation_run


def work_one() -> Evaluation | None:
    """Claim and run one queued evaluation; None when nothing is queued."""
    evaluation = evaluation_claim()
    if evaluation is None:
        return None
    return evaluation_run(evaluation=evaluation)


def work(*, once: bool = False, poll_seconds: float = 3.0, max_runs: int | None = None,
         report: Callable[[Evaluation], None] | None = None) -> int:
    """Run queued evaluations until none is left (``once``) or for ever; returns how many
    ran. ``report`` is called with each finished evaluation."""
    evaluation_fail_stale()
    runs = 0
    while max_runs is None or runs < max_runs:
        # A long-lived process: drop connections the database has closed meanwhile (not
        # inside a transaction, where Django would close the caller's connection).
        if not connection.in_atomic_block:
            close_old_connections()
        evaluation = work_one()
        if evaluation is None:
            if once:
                break
            time.sleep(poll_seconds)
            continue
        runs += 1
        if report is not None:
            report(evaluation)
    return runs
