"""Demostad's participation: postcodes, residents, consultations, proposals and budget
rounds, made through the services, with the expected tallies; loaded idempotently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.areas.models import AreaSet
from wijkbalans.demo.figures import DEFAULT_SEED, build_city
from wijkbalans.demo.geography import PROGRAMME_NAME, PROGRAMME_SLUG
from wijkbalans.demo.participation import (
    CLOSED_TITLE,
    OPEN_TITLE,
    REFERENCE,
    RESIDENT_USERNAMES,
    ROUND_2025,
    ROUND_OPEN,
    demo_participation_ensure,
)
from wijkbalans.participation import selectors
from wijkbalans.participation.models import (
    AreaPostcode,
    Ballot,
    BallotChoice,
    BudgetRound,
    Comment,
    Consultation,
    Outcome,
    Proposal,
    ResidentProfile,
    Support,
)
from wijkbalans.participation.services.consultations import phase
from wijkbalans.programmes.models import Activity, BudgetLine

VOGELBUURT = "BU99990101"


@pytest.fixture(scope="module")
def geography():
    return build_city(DEFAULT_SEED).geography


@pytest.fixture
def demostad(db, settings, geography):
    """Demostad without its figures: areas, programme area, people and register (what
    ``demo_load`` makes before participation), then the participation itself."""
    from wijkbalans.areas.services import area_set_save, areas_register
    from wijkbalans.demo.people import demo_people_ensure
    from wijkbalans.demo.register import demo_register_ensure

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with transaction.atomic():
        areas_register(records=geography.records)
    area_set_save(slug=PROGRAMME_SLUG, name=PROGRAMME_NAME,
                  member_codes=geography.programme_codes)
    demo_people_ensure()
    demo_register_ensure()
    return demo_participation_ensure()


def counts() -> dict[str, int]:
    models = (AreaPostcode, ResidentProfile, Consultation, Comment, Proposal, Support,
              BudgetRound, Ballot, BallotChoice, Outcome, Activity, BudgetLine, AuditEntry)
    return {m.__name__: m.objects.count() for m in models} | {
        "users": get_user_model().objects.count()}


def test_postcodes_and_residents(demostad, client):
    # 1 postcode table + 31 residents + 2 consultations + 4 proposals + 2 rounds.
    assert demostad == 40
    # 40 buurten x 4 postcodes; 8 of them span two buurten.
    assert AreaPostcode.objects.values("postcode").distinct().count() == 160
    assert AreaPostcode.objects.count() == 168
    assert sorted(AreaPostcode.objects.filter(postcode="9991AD")
                  .values_list("buurtcode", flat=True)) == ["BU99990000", "BU99990100"]
    assert set(AreaPostcode.objects.values_list("gemeentecode", flat=True)) == {"GM9999"}
    profiles = ResidentProfile.objects.select_related("user", "buurt")
    assert profiles.count() == 31 and all(p.verified and p.user.is_active for p in profiles)
    bewoner = profiles.get(user__username="bewoner")
    assert (bewoner.postcode, bewoner.buurt.code) == ("9992BB", VOGELBUURT)
    members = set(AreaSet.objects.get(slug=PROGRAMME_SLUG).members.values_list("code",
                                                                                flat=True))
    assert {p.buurt.code for p in profiles} == members  # spread over all nine buurten
    assert client.login(username="bewoner-017", password="demo")
    # The audit log names residents by id, never by postcode.
    entry = AuditEntry.objects.filter(action="participation.resident.register_verified")
    assert entry.count() == 31 and "postcode" not in entry.first().after


def test_consultations_and_proposals(demostad):
    closed, open_ = (Consultation.objects.get(title=CLOSED_TITLE),
                     Consultation.objects.get(title=OPEN_TITLE))
    assert phase(closed, at=REFERENCE) == "closed" and phase(open_, at=REFERENCE) == "open"
    assert phase(open_, at=REFERENCE - dt.timedelta(days=31)) == "upcoming"
    assert phase(open_, at=REFERENCE + dt.timedelta(days=366)) == "closed"
    assert closed.comments.count() == 5 and closed.comments.filter(official=True).count() == 1
    assert open_.comments.count() == 7
    hidden = open_.comments.get(visibility="hidden")
    assert "zonder bewijs" in hidden.moderation_reason
    (outcome,) = closed.outcomes.all()
    assert outcome.activity.code == "ondernemers-initiatief"
    assert outcome.published_at.date() == dt.date(2023, 11, 20)

    statuses = dict(Proposal.objects.values_list("status", "title"))
    assert set(statuses) == {"threshold_reached", "adopted", "rejected", "open"}
    above = Proposal.objects.get(status="threshold_reached")
    assert above.supports.count() == above.support_threshold == 25
    rejected = Proposal.objects.get(status="rejected")
    (no,) = rejected.outcomes.all()
    assert no.status == "not_adopted" and "autoverkeer" in no.reason
    adopted = Proposal.objects.get(status="adopted")
    assert adopted.author.username == "bewoner" and adopted.area.code == VOGELBUURT


def test_budget_rounds_tally_within_budget(demostad):
    closed = BudgetRound.objects.get(title=ROUND_2025["title"])
    assert closed.status == "closed" and closed.closed_by.username == "bureau"
    tally = selectors.budget_round_tally(budget_round=closed)
    # A {1,2,5} x9, B {1,4} x6, C {2,3} x5, D {1,3,5} x4, E {4,5} x4 (28 ballots).
    votes = {row.project.title: row.votes for row in tally.rows}
    assert votes == {"Bankjes en groen op het Vogelplein": 19,
                     "Speelplek voor peuters in Hofstede": 14,
                     "Buurtfeest Noorderkwartier": 9,
                     "Overdekte fietsenstalling bij de Noorderpoort": 10,
                     "Taalcafé in de bibliotheek": 17}
    # Greedy in € 40.000: Vogelplein 12k, Taalcafé 6k, Speelplek 18k (4k left); the
    # fietsenstalling (15k) no longer fits and is skipped; the buurtfeest (4k) fits.
    assert [p.title for p in tally.winners] == [
        "Bankjes en groen op het Vogelplein", "Taalcafé in de bibliotheek",
        "Speelplek voor peuters in Hofstede", "Buurtfeest Noorderkwartier"]
    assert tally.ballots == 28 and tally.allocated == Decimal("40000.00")
    assert Ballot.objects.filter(round=closed, resident__username="bewoner").exists()

    activities = Activity.objects.filter(budget_projects__round=closed)
    assert activities.count() == 4
    assert {a.parent.code for a in activities} == {"nplv-noord"}
    lines = BudgetLine.objects.filter(activity__in=activities)
    assert {(line.source.code, line.year) for line in lines} == {
        ("gemeente-wijkvernieuwing", 2025)}
    assert lines.aggregate(total=Sum("planned"))["total"] == Decimal("40000.00")

    open_round = BudgetRound.objects.get(title=ROUND_OPEN["title"])
    assert open_round.status == "published"
    assert selectors.round_phase(open_round, at=REFERENCE) == "open"
    assert open_round.total_budget == Decimal("50000.00")
    assert open_round.projects.count() == 6
    ballots = Ballot.objects.filter(round=open_round)
    assert ballots.count() == 25
    totals = [sum(c.project.cost for c in b.choices.select_related("project"))
              for b in ballots]
    assert max(totals) == Decimal("47000.00") <= open_round.total_budget
    tally = selectors.budget_round_tally(budget_round=open_round)
    # A {1,2,3} x8, B {1,4,5,6} x6, C {2,3,4,6} x5, D {5,6} x3, E {2,4} x3.
    costs = {row.project.cost: row.votes for row in tally.rows}
    assert costs == {Decimal("20000.00"): 14, Decimal("15000.00"): 16,
                     Decimal("12000.00"): 13, Decimal("8000.00"): 14,
                     Decimal("10000.00"): 9, Decimal("3000.00"): 14}
    # 15k (16 votes); the 14s by cost: 3k, 8k, 20k (4k left); 12k and 10k do not fit.
    assert [p.cost for p in tally.winners] == [Decimal("15000.00"), Decimal("3000.00"),
                                               Decimal("8000.00"), Decimal("20000.00")]
    assert tally.allocated == Decimal("46000.00") <= open_round.total_budget
    bewoner = get_user_model().objects.get(username="bewoner")
    assert selectors.ballot_of(budget_round=open_round, user=bewoner) is None
    assert selectors.resident_may_vote(user=bewoner, budget_round=open_round)


def test_outcome_timeline_links_to_activities(demostad):
    timeline = list(selectors.outcome_timeline(area_code=VOGELBUURT))
    # The 2025 round (5 projects and the proposal it adopted) and the consultation about
    # Noorderkwartier; the rejected proposal is about Noorderpoort, not Vogelbuurt.
    assert len(timeline) == 7
    adopted = [o for o in timeline if o.status == "adopted"]
    assert len(adopted) == 6 and all(o.activity is not None for o in adopted)
    vogelplein = next(o for o in timeline if o.proposal is not None)
    project = vogelplein.proposal.budget_projects.get()
    assert vogelplein.activity == project.activity
    assert vogelplein.activity.parent.code == "nplv-noord"
    assert timeline[-1].consultation.title == CLOSED_TITLE
    assert timeline[-1].activity.code == "ondernemers-initiatief"
    skipped = next(o for o in timeline if o.status == "not_adopted")
    assert skipped.activity is None and " 10 " in skipped.reason


def test_loading_twice_changes_nothing(demostad):
    before = counts()
    assert demo_participation_ensure() == 0
    assert counts() == before
    assert before["users"] == 11 + len(RESIDENT_USERNAMES)
