"""Ballots under concurrency (PostgreSQL): 40 ballots from 8 threads, each with its own
database connection, 10 of them second ballots of a resident fired at the same moment;
and ballots still arriving while the round is closed. No ballot lost, none counted twice.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from wijkbalans.participation import selectors
from wijkbalans.participation.errors import AlreadyDone, ParticipationError
from wijkbalans.participation.models import Ballot, BallotChoice
from wijkbalans.participation.services import budgets
from wijkbalans.participation.services.ballots import ballot_cast

from .conftest import end_voting, projects

pytestmark = pytest.mark.postgres
THREADS = 8
CHOICES = [("A", "C", "D"), ("B", "C"), ("B", "D"), ("D",), ("C",)]


def run_in_threads(jobs, work, *, on_start=None):
    """Run ``work(job)`` for every job on THREADS threads that start together; return
    the outcomes ("ok" or the exception's class name) in job order."""
    results = [None] * len(jobs)
    start = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        try:
            start.wait()
            for n in range(index, len(jobs), THREADS):
                try:
                    work(jobs[n])
                    results[n] = "ok"
                except (AlreadyDone, ParticipationError) as error:
                    results[n] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    if on_start:
        on_start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def test_forty_ballots_from_eight_threads(transactional_db, make_resident, budget_round):
    assert connection.vendor == "postgresql"
    ids = projects(budget_round)
    residents = [make_resident() for _ in range(30)]
    # 30 first ballots, then 10 residents try again; jobs n and n+30 go to threads that
    # differ, so the two ballots of one resident race each other.
    jobs = [(r, CHOICES[i % 5]) for i, r in enumerate(residents)]
    jobs += [(residents[i], CHOICES[i % 5]) for i in range(0, 30, 3)]
    outcomes = run_in_threads(jobs, lambda job: ballot_cast(
        acting_user=job[0], budget_round=budget_round,
        project_ids=[ids[letter] for letter in job[1]]))

    assert Counter(outcomes) == {"ok": 30, "AlreadyDone": 10}
    assert Ballot.objects.filter(round=budget_round).count() == 30
    assert sorted(Ballot.objects.values_list("resident_id", flat=True)) == sorted(
        r.pk for r in residents)
    # Each of the 5 choices was made by 6 residents: A 6, B 12, C 18, D 18.
    expected = {"A": 6, "B": 12, "C": 18, "D": 18}
    tally = selectors.budget_round_tally(budget_round=budget_round)
    assert {row.project.title[-1]: row.votes for row in tally.rows} == expected
    assert BallotChoice.objects.count() == sum(expected.values()) == 54
    assert tally.ballots == 30


def test_ballots_while_the_round_closes(transactional_db, make_resident, budget_round,
                                        moderator):
    ids = projects(budget_round)
    residents = [make_resident() for _ in range(40)]
    closed, cast_so_far, lock = {}, [0], threading.Lock()
    some_cast = threading.Event()

    def vote(resident):
        time.sleep(0.1)  # spread the ballots out, so that the close falls among them
        ballot_cast(acting_user=resident, budget_round=budget_round, project_ids=[ids["D"]])
        with lock:
            cast_so_far[0] += 1
            if cast_so_far[0] == 10:
                some_cast.set()

    def close_meanwhile():
        assert some_cast.wait(timeout=60)
        end_voting(budget_round)
        closed["winners"] = budgets.budget_round_close(acting_user=moderator,
                                                       budget_round=budget_round)
        connection.close()

    outcomes = run_in_threads(residents, vote, on_start=close_meanwhile)
    stored = Ballot.objects.filter(round=budget_round).count()
    counted = budget_round.projects.get(pk=ids["D"]).votes
    # Every ballot that was stored was counted at the close; the rest were refused.
    assert stored == counted == outcomes.count("ok")
    assert outcomes.count("ok") + outcomes.count("ParticipationError") == 40
    assert 10 <= counted < 40  # the close came while ballots were still arriving
    assert [p.pk for p in closed["winners"]] == [ids["D"]]


def test_a_ballot_in_flight_holds_the_close_and_is_counted(transactional_db, make_resident,
                                                          budget_round, moderator,
                                                          monkeypatch):
    """A ballot that read the round as open holds FOR SHARE on its row: closing waits
    for it and counts it."""
    ids = projects(budget_round)
    resident = make_resident()
    inserted, release = threading.Event(), threading.Event()
    real_bulk_create = BallotChoice.objects.bulk_create

    def slow_bulk_create(objects, **kwargs):
        inserted.set()
        assert release.wait(timeout=60)
        return real_bulk_create(objects, **kwargs)

    monkeypatch.setattr(BallotChoice.objects, "bulk_create", slow_bulk_create)
    done = {}

    def cast():
        try:
            ballot_cast(acting_user=resident, budget_round=budget_round,
                        project_ids=[ids["B"]])
            done["ballot"] = "ok"
        finally:
            connection.close()

    def close():
        try:
            end_voting(budget_round)
            done["winners"] = budgets.budget_round_close(acting_user=moderator,
                                                         budget_round=budget_round)
        finally:
            connection.close()

    voter = threading.Thread(target=cast)
    voter.start()
    assert inserted.wait(timeout=60)
    closer = threading.Thread(target=close)
    closer.start()
    closer.join(timeout=1.0)
    assert closer.is_alive()  # waiting for the ballot's transaction
    release.set()
    voter.join(timeout=60)
    closer.join(timeout=60)
    assert done["ballot"] == "ok"
    assert [p.pk for p in done["winners"]] == [ids["B"]]
    assert budget_round.projects.get(pk=ids["B"]).votes == 1
