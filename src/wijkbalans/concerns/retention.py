"""Retention: the free text of a concern is erased once it is older than the retention
period (setting ``CONCERNS_TEXT_RETENTION_MONTHS``, default 12 months after it was
recorded). The concern itself (theme, buurt, week, severity, organisation) stays, so the
counts and the published aggregates do not change.

Run by ``wijkbalans concerns purge [--dry-run]`` from a scheduler (docs/deploy.md): one
``UPDATE`` and one audit entry ``concerns.text.purge`` with the number erased and the
cut-off, never the texts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wijkbalans.accounts.audit import audit_record

from .models import Concern
from .periods import months_back

DEFAULT_MONTHS = 12


def retention_months() -> int:
    months = int(getattr(settings, "CONCERNS_TEXT_RETENTION_MONTHS", DEFAULT_MONTHS))
    if months < 1:
        raise ValueError(f"CONCERNS_TEXT_RETENTION_MONTHS is at least 1; found {months}")
    return months


@dataclass(frozen=True)
class PurgeResult:
    cutoff: dt.datetime  # texts of concerns recorded before this moment are erased
    months: int
    erased: int  # how many texts were (or, with dry_run, would be) erased
    dry_run: bool


def concerns_text_purge(*, now: dt.datetime | None = None, months: int | None = None,
                        dry_run: bool = False, acting_user=None) -> PurgeResult:
    """Erase the free text of every concern recorded before ``now`` minus ``months``
    (default: the setting). With ``dry_run`` nothing is written; the count is what
    would be erased. Running it again erases nothing more."""
    now = now or timezone.now()
    months = retention_months() if months is None else int(months)
    if months < 1:
        raise ValueError(f"the retention period is at least 1 month; found {months}")
    cutoff = months_back(now, months)
    due = Concern.objects.filter(created_at__lt=cutoff).exclude(text="")
    if dry_run:
        return PurgeResult(cutoff=cutoff, months=months, erased=due.count(), dry_run=True)
    with transaction.atomic():
        erased = due.update(text="", text_erased_at=now)
        if erased:
            audit_record(acting_user=acting_user, action="concerns.text.purge",
                         object_type="concerns.concern",
                         object_repr=f"{erased} free text(s) erased",
                         after={"erased": erased, "cutoff": cutoff, "months": months})
    return PurgeResult(cutoff=cutoff, months=months, erased=erased, dry_run=False)
