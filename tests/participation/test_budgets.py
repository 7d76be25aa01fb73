"""Budget rounds: one ballot per resident, only residents of the area, within the budget,
only while open; the tally; closing turns the winners into activities with budget lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.participation import selectors
from wijkbalans.participation.errors import AlreadyDone, ParticipationError, PermissionRefused
from wijkbalans.participation.models import Ballot, BallotChoice, BudgetRound, Outcome
from wijkbalans.participation.services import budgets
from wijkbalans.participation.services.ballots import ballot_cast
from wijkbalans.participation.services.proposals import proposal_submit
from wijkbalans.programmes.models import Activity, BudgetLine

from .conftest import W0, end_voting, projects, round_in

pytestmark = pytest.mark.django_db


def cast(user, budget_round, *letters):
    ids = projects(budget_round)
    return ballot_cast(acting_user=user, budget_round=budget_round,
                       project_ids=[ids[letter] for letter in letters])


def counts():
    return Ballot.objects.count(), BallotChoice.objects.count()


def test_a_ballot_within_the_budget(make_resident, budget_round):
    resident = make_resident("9711AA")
    ballot = cast(resident, budget_round, "A", "C", "D")
    assert ballot.total == Decimal("10000") and len(ballot.project_ids) == 3
    assert counts() == (1, 3)
    assert selectors.ballot_of(budget_round=budget_round, user=resident).pk == ballot.pk
    entry = AuditEntry.objects.get(action="participation.ballot.cast")
    assert entry.after == {"id": ballot.pk, "round": budget_round.pk,
                           "resident": resident.pk, "choices": 3}


def test_a_resident_votes_once(make_resident, budget_round):
    resident = make_resident("9711AA")
    cast(resident, budget_round, "A")
    with pytest.raises(AlreadyDone, match="You have already voted in this round"):
        cast(resident, budget_round, "B", "C")
    assert counts() == (1, 1)


def test_only_residents_of_the_area_vote(make_resident, budget_round):
    # 9712AA lies in wijk Zuid only; 9711AB spans Noord and Zuid, so it may vote in Noord.
    outside, spanning = make_resident("9712AA"), make_resident("9711AB")
    with pytest.raises(PermissionRefused, match="Only residents of Noord"):
        cast(outside, budget_round, "A")
    assert counts() == (0, 0)
    cast(spanning, budget_round, "A")
    assert counts() == (1, 1)
    assert selectors.resident_may_vote(user=outside, budget_round=budget_round) is False
    assert selectors.resident_may_vote(user=spanning, budget_round=budget_round) is True


def test_an_area_set_round_uses_its_buurten(make_resident, moderator, programme, source):
    budget_round = round_in(moderator=moderator, programme=programme, source=source,
                            area_code="", area_set_slug="noord")
    cast(make_resident("9711AB"), budget_round, "D")  # BU09990001 is in the set
    with pytest.raises(PermissionRefused):
        cast(make_resident("9712AB"), budget_round, "D")


def test_over_budget_is_refused_with_the_amounts(make_resident, budget_round):
    resident = make_resident()
    with pytest.raises(ParticipationError) as refused:
        cast(resident, budget_round, "A", "B")
    assert refused.value.field == "projects"
    # The amounts in the notation of the active language (English here).
    assert refused.value.message == (
        "The projects you chose cost € 11,000.00 together; the budget is € 10,000.00. "
        "Choose projects that fit within the budget.")
    assert counts() == (0, 0)
    cast(resident, budget_round, "A", "C")  # the resident can still vote after
    assert counts() == (1, 2)


@pytest.mark.parametrize(("choice", "words"), [
    ([], "Choose at least one project"),
    (["x"], "Expected a list of project numbers"),
    ("12", "Expected a list of project numbers"),
    ([999999], "These projects are not on this ballot: 999999"),
])
def test_malformed_choices_are_refused(make_resident, budget_round, choice, words):
    with pytest.raises(ParticipationError, match=words):
        ballot_cast(acting_user=make_resident(), budget_round=budget_round, project_ids=choice)
    assert counts() == (0, 0)


def test_the_most_projects_on_a_ballot(make_resident, moderator, programme, source):
    budget_round = round_in(moderator=moderator, programme=programme, source=source,
                            max_projects=2)
    with pytest.raises(ParticipationError, match="Choose at most 2 projects; you chose 3"):
        cast(make_resident(), budget_round, "B", "C", "D")


def test_ballots_only_while_open(make_resident, budget_round, moderator, programme, source):
    resident = make_resident()
    BudgetRound.objects.filter(pk=budget_round.pk).update(
        opens=timezone.now() + dt.timedelta(hours=1), closes=timezone.now() + dt.timedelta(2))
    with pytest.raises(ParticipationError, match="has not started yet"):
        cast(resident, budget_round, "A")
    end_voting(budget_round)
    with pytest.raises(ParticipationError, match="has closed"):
        cast(resident, budget_round, "A")
    draft = round_in(moderator=moderator, programme=programme, source=source, publish=False)
    with pytest.raises(ParticipationError, match="no such budget round"):
        cast(resident, draft, "A")
    assert counts() == (0, 0)


def test_casting_a_ballot_is_a_few_queries(make_resident, budget_round):
    resident = make_resident()
    resident = type(resident).objects.select_related("resident_profile").get(pk=resident.pk)
    budget_round = selectors.budget_round_for_ballot(pk=budget_round.pk)  # as the API
    ids = list(projects(budget_round).values())[:1]
    with CaptureQueriesContext(connection) as queries:
        ballot_cast(acting_user=resident, budget_round=budget_round, project_ids=ids)
    # lives-in, round (FOR SHARE), projects, ballot, choices, audit; savepoints aside
    statements = [q["sql"] for q in queries.captured_queries
                  if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 6, statements
    assert not any("FOR UPDATE" in s for s in statements)


def vote_in(make_resident, budget_round):
    """10 ballots: A+C+D ×4, B+C ×3, B+D ×2, D ×1 -> A 4, B 5, C 7, D 7."""
    for letters, times in ((("A", "C", "D"), 4), (("B", "C"), 3), (("B", "D"), 2),
                           (("D",), 1)):
        for _ in range(times):
            cast(make_resident(), budget_round, *letters)


def test_the_tally(make_resident, budget_round):
    vote_in(make_resident, budget_round)
    tally = selectors.budget_round_tally(budget_round=budget_round)
    # Ranking: D 7 (1000), C 7 (3000), B 5, A 4. D, C fit (4000); B fits (9000); A does not.
    assert [(r.project.title[-1], r.votes, r.selected) for r in tally.rows] == [
        ("D", 7, True), ("C", 7, True), ("B", 5, True), ("A", 4, False)]
    assert (tally.ballots, tally.allocated) == (10, Decimal("9000"))


def test_closing_makes_activities_budget_lines_and_outcomes(make_resident, budget_round,
                                                            moderator, programme, source):
    vote_in(make_resident, budget_round)
    with pytest.raises(ParticipationError, match="Voting is open until"):
        budgets.budget_round_close(acting_user=moderator, budget_round=budget_round)
    end_voting(budget_round)
    winners = budgets.budget_round_close(acting_user=moderator, budget_round=budget_round)
    assert [p.title for p in winners] == ["Project D", "Project C", "Project B"]
    budget_round.refresh_from_db()
    assert budget_round.status == "closed" and budget_round.closed_by == moderator
    activities = Activity.objects.filter(parent=programme).order_by("title")
    assert [(a.title, a.kind, a.owner_id, a.public) for a in activities] == [
        ("Project B", "intervention", programme.owner_id, True),
        ("Project C", "intervention", programme.owner_id, True),
        ("Project D", "intervention", programme.owner_id, True)]
    assert {tuple(a.areas.values_list("code", flat=True)) for a in activities} == {(W0,)}
    lines = BudgetLine.objects.filter(activity__in=activities).order_by("planned")
    assert [(line.planned, line.year, line.source_id) for line in lines] == [
        (Decimal("1000.00"), 2026, source.pk), (Decimal("3000.00"), 2026, source.pk),
        (Decimal("5000.00"), 2026, source.pk)]
    # The moderator is no finance officer: the system wrote the lines on their behalf.
    line_audits = AuditEntry.objects.filter(action="programmes.budget_line.create",
                                            actor__isnull=True)
    assert [a.after["on_behalf_of"] for a in line_audits] == [moderator.pk] * 3
    outcomes = Outcome.objects.filter(project__round=budget_round)
    assert sorted((o.project.title, o.status, o.activity_id is not None) for o in outcomes) == [
        ("Project A", "not_adopted", False), ("Project B", "adopted", True),
        ("Project C", "adopted", True), ("Project D", "adopted", True)]
    assert "It got 4 votes" in outcomes.get(project__title="Project A").reason
    d = budget_round.projects.get(title="Project D")
    assert (d.votes, d.selected, d.activity.title) == (7, True, "Project D")
    with pytest.raises(ParticipationError, match="not closed yet"):
        budgets.budget_round_close(acting_user=moderator, budget_round=budget_round)
    with pytest.raises(ParticipationError, match="has closed"):
        cast(make_resident(), budget_round, "A")


def test_a_finance_officer_closing_writes_the_lines_in_their_name(
        make_resident, budget_round, moderator, finance, gemeente):
    from wijkbalans.accounts.services import membership_grant

    membership_grant(user=moderator, organisation=gemeente, role="finance_officer")
    moderator = type(moderator).objects.get(pk=moderator.pk)  # fresh role cache
    cast(make_resident(), budget_round, "A")
    end_voting(budget_round)
    budgets.budget_round_close(acting_user=moderator, budget_round=budget_round)
    entry = AuditEntry.objects.get(action="programmes.budget_line.create")
    assert entry.actor_id == moderator.pk and "on_behalf_of" not in entry.after


def test_only_the_programme_staff_close_and_nothing_changes(make_resident, budget_round,
                                                            outsider_staff, finance):
    cast(make_resident(), budget_round, "A")
    end_voting(budget_round)
    for user in (outsider_staff, finance, make_resident()):
        with pytest.raises(PermissionRefused):
            budgets.budget_round_close(acting_user=user, budget_round=budget_round)
    budget_round.refresh_from_db()
    assert budget_round.status == "published"
    assert (Activity.objects.count(), Outcome.objects.count()) == (1, 0)  # the programme


def test_a_project_from_a_proposal_adopts_the_proposal(make_resident, budget_round, moderator):
    resident = make_resident()
    proposal = proposal_submit(acting_user=resident, title="Bankjes in het park",
                               text="Meer bankjes.", area_code=W0)
    BudgetRound.objects.filter(pk=budget_round.pk).update(status="draft")
    budget_round.refresh_from_db()
    project = budgets.budget_project_add(acting_user=moderator, budget_round=budget_round,
                                         title="Bankjes", cost="750.50", proposal=proposal)
    BudgetRound.objects.filter(pk=budget_round.pk).update(status="published")
    budget_round.refresh_from_db()
    ballot_cast(acting_user=resident, budget_round=budget_round, project_ids=[project.pk])
    end_voting(budget_round)
    budgets.budget_round_close(acting_user=moderator, budget_round=budget_round)
    proposal.refresh_from_db()
    outcome = proposal.outcomes.get()
    assert proposal.status == "adopted" and outcome.activity.title == "Bankjes"
    assert outcome.activity.budget_lines.get().planned == Decimal("750.50")


def test_round_setup_is_checked(city, moderator, programme, source, outsider_staff):
    now = timezone.now()
    base = {"title": "Ronde", "total_budget": "10000", "opens": now,
            "closes": now + dt.timedelta(days=3), "year": 2026, "programme": programme,
            "source": source, "area_code": W0}
    for changes, field in (({"total_budget": "12,5.0"}, "total_budget"),
                           ({"total_budget": "100.001"}, "total_budget"),
                           ({"year": 2030}, "year"), ({"area_code": "BU12345678"}, "area"),
                           ({"closes": now - dt.timedelta(days=1)}, "closes"),
                           ({"max_projects": 0}, "max_projects")):
        with pytest.raises(ParticipationError) as refused:
            budgets.budget_round_create(acting_user=moderator, **{**base, **changes})
        assert refused.value.field == field
    with pytest.raises(PermissionRefused):
        budgets.budget_round_create(acting_user=outsider_staff, **base)
    budget_round = budgets.budget_round_create(acting_user=moderator, **base)
    with pytest.raises(ParticipationError, match="more than the whole budget of € 10,000.00"):
        budgets.budget_project_add(acting_user=moderator, budget_round=budget_round,
                                   title="Te duur", cost="10000.01")
    with pytest.raises(ParticipationError, match="Add at least one project"):
        budgets.budget_round_publish(acting_user=moderator, budget_round=budget_round)
    project = budgets.budget_project_add(acting_user=moderator, budget_round=budget_round,
                                         title="Speeltuin", cost="2500")
    budgets.budget_project_update(acting_user=moderator, project=project, cost="2600")
    budgets.budget_round_publish(acting_user=moderator, budget_round=budget_round)
    with pytest.raises(ParticipationError, match="can no longer change"):
        budgets.budget_project_update(acting_user=moderator, project=project, cost="10")
    project.refresh_from_db()
    assert project.cost == Decimal("2600")
    assert BudgetRound.objects.count() == 1
