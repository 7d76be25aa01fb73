"""Retention: free text older than the period is erased by the purge job, the counts
stay, a dry run writes nothing, and a second run finds nothing more."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.concerns.models import Concern
from wijkbalans.concerns.retention import concerns_text_purge
from wijkbalans.concerns.services import concern_text_read

NOW = dt.datetime(2025, 6, 18, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def aged(submit):
    """Three concerns with text recorded 13, 11 and 2 months before NOW, one without."""
    made = []
    for months, text in [(13, "oud verhaal over de buurt"), (11, "bijna oud"), (2, "nieuw"),
                         (14, "")]:
        concern = submit(text=text)
        Concern.objects.filter(pk=concern.pk).update(
            created_at=NOW - dt.timedelta(days=30.5 * months))
        made.append(concern)
    return made


def texts() -> list[str]:
    return list(Concern.objects.order_by("created_at").values_list("text", flat=True))


def test_text_past_twelve_months_is_erased_and_the_concern_stays(aged):
    result = concerns_text_purge(now=NOW)
    assert (result.erased, result.months, result.dry_run) == (1, 12, False)
    assert result.cutoff == dt.datetime(2024, 6, 18, 12, 0, tzinfo=dt.UTC)
    assert texts() == ["", "", "bijna oud", "nieuw"]
    assert Concern.objects.count() == 4
    erased = Concern.objects.get(pk=aged[0].pk)
    assert erased.text_erased_at == NOW and erased.theme == "poverty_debts"
    entry = AuditEntry.objects.get(action="concerns.text.purge")
    assert entry.after["erased"] == 1 and entry.after["months"] == 12
    assert "oud verhaal" not in str(entry.after)


def test_a_second_run_erases_nothing_and_writes_nothing(aged):
    concerns_text_purge(now=NOW)
    before = AuditEntry.objects.count()
    assert concerns_text_purge(now=NOW).erased == 0
    assert AuditEntry.objects.count() == before


def test_a_dry_run_counts_and_writes_nothing(aged):
    before = AuditEntry.objects.count()
    result = concerns_text_purge(now=NOW, dry_run=True)
    assert result.erased == 1 and result.dry_run
    assert texts()[1] == "oud verhaal over de buurt"
    assert AuditEntry.objects.count() == before


def test_the_period_is_a_setting(aged, settings):
    settings.CONCERNS_TEXT_RETENTION_MONTHS = 1
    assert concerns_text_purge(now=NOW).erased == 3
    assert texts() == ["", "", "", ""]
    settings.CONCERNS_TEXT_RETENTION_MONTHS = 0
    with pytest.raises(ValueError, match="at least 1"):
        concerns_text_purge(now=NOW)


def test_the_reporter_reads_an_erased_text_as_empty(aged, signal_city):
    concerns_text_purge(now=NOW)
    assert concern_text_read(acting_user=signal_city.teacher, concern=aged[0]) == ""
    assert AuditEntry.objects.filter(action="concerns.text.read").get().after == {
        "erased": True, "empty": True}


def test_the_command_purges_and_says_how_many(aged, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    out = StringIO()
    call_command("concerns", "purge", "--dry-run", stdout=out)
    assert out.getvalue().strip() == ("would erase the free text of 1 concern(s) recorded "
                                      "before 2024-06-18 14:00 (12 months)")  # Amsterdam time
    assert texts()[1] == "oud verhaal over de buurt"
    out = StringIO()
    call_command("concerns", "purge", stdout=out)
    assert out.getvalue().startswith("erased the free text of 1 concern(s)")
    assert texts()[1] == ""
