"""Two people edit the same money at the same moment, each on their own database
connection (PostgreSQL only): neither edit is lost. The loser gets ConflictError with the
row as it is now, and its retry on a fresh read applies on top of the winner's edit."""

from __future__ import annotations

import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connections

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.programmes.errors import ConflictError
from wijkbalans.programmes.models import BudgetLine, FundingAllocation
from wijkbalans.programmes.services.money import budget_line_update, funding_allocation_set

from .money_fixtures import make_money_world

pytestmark = [pytest.mark.postgres]


def run_in_threads(*targets, timeout: float = 30):
    """Run each target in a thread of its own (so on a connection of its own); return
    what each returned or raised."""
    outcomes: list = [None] * len(targets)

    def body(i, target):
        try:
            outcomes[i] = target()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a thread hung"
    return outcomes


def test_two_edits_of_one_line_never_lose_an_update(transactional_db):
    world = make_money_world()
    user = world.finance_gemeente
    line = BudgetLine.objects.get(activity__code="a", source__code="nplv", year=2023)
    assert line.version == 1
    barrier = threading.Barrier(2)
    edits = {"committed": "1000000.00", "spent": "234567.89"}

    def edit(field):
        def go():
            seen = BudgetLine.objects.get(pk=line.pk)  # both read version 1
            barrier.wait(timeout=10)
            try:
                return budget_line_update(acting_user=user, line=seen,
                                          expected_version=seen.version,
                                          **{field: edits[field]})
            except ConflictError as conflict:
                # Read again and redo the change on top of what is there now.
                fresh = BudgetLine.objects.get(pk=line.pk)
                assert conflict.current["version"] == fresh.version == 2
                budget_line_update(acting_user=user, line=fresh,
                                   expected_version=fresh.version, **{field: edits[field]})
                return conflict
        return go

    outcomes = run_in_threads(edit("committed"), edit("spent"))
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(conflicts) == 1, outcomes
    assert not any(isinstance(o, Exception) and not isinstance(o, ConflictError)
                   for o in outcomes), outcomes
    final = BudgetLine.objects.get(pk=line.pk)
    assert (final.committed, final.spent, final.version) == (
        D("1000000.00"), D("234567.89"), 3)
    assert final.planned == D("1234567.89")
    entries = list(AuditEntry.objects.filter(action="programmes.budget_line.update",
                                             object_id=str(line.pk)).order_by("id"))
    assert len(entries) == 2
    # The second entry's before is exactly the first one's after: nothing in between.
    assert entries[1].before == entries[0].after
    assert entries[1].after["committed"] == "1000000.00"
    assert entries[1].after["spent"] == "234567.89"


def test_the_second_edit_waits_for_the_row_lock_and_sees_the_first(transactional_db):
    from django.db import transaction

    world = make_money_world()
    user = world.finance_gemeente
    line = BudgetLine.objects.get(activity__code="a", source__code="nplv", year=2024)
    barrier = threading.Barrier(2)
    events: list[str] = []
    hold = 0.5

    def first():
        with transaction.atomic():
            budget_line_update(acting_user=user, line=line, expected_version=1,
                               planned="1234567.90")
            barrier.wait(timeout=10)  # the row is locked until this transaction commits
            time.sleep(hold)
            events.append("first commits")
        return "done"

    def second():
        barrier.wait(timeout=10)
        started = time.monotonic()
        try:
            budget_line_update(acting_user=user, line=line, expected_version=1,
                               planned="1.00")
        except ConflictError as conflict:
            events.append("second refused")
            return time.monotonic() - started, conflict.current
        return "second wrote"

    outcomes = run_in_threads(first, second)
    assert outcomes[0] == "done"
    waited, current = outcomes[1]
    assert events == ["first commits", "second refused"]
    assert waited >= hold * 0.8
    assert (current["version"], current["planned"]) == (2, "1234567.90")
    final = BudgetLine.objects.get(pk=line.pk)
    assert (final.planned, final.version) == (D("1234567.90"), 2)


def test_two_first_amounts_for_one_year_make_one_row(transactional_db):
    world = make_money_world(with_money=False)
    user = world.finance_gemeente
    barrier = threading.Barrier(2)

    def put(amount):
        def go():
            barrier.wait(timeout=10)
            return funding_allocation_set(acting_user=user, source=world.sources["rd"],
                                          year=2025, amount=amount)
        return go

    outcomes = run_in_threads(put("100.00"), put("200.00"))
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    written = [o for o in outcomes if isinstance(o, FundingAllocation)]
    assert len(conflicts) == 1 and len(written) == 1, outcomes
    assert conflicts[0].current["amount"] == str(written[0].amount)
    (row,) = FundingAllocation.objects.filter(source__code="rd", year=2025)
    assert (row.amount, row.version) == (written[0].amount, 1)
