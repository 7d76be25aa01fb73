"""Proposals: submitted by residents of the area, supported once each, the threshold."""

from __future__ import annotations

import pytest

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.participation import selectors
from wijkbalans.participation.errors import AlreadyDone, ParticipationError, PermissionRefused
from wijkbalans.participation.models import Proposal, Support
from wijkbalans.participation.services.proposals import (
    proposal_review_start,
    proposal_submit,
    proposal_support,
    proposal_support_withdraw,
)

from .conftest import B00, B10, W0

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(make_resident, settings):
    settings.PARTICIPATION_SUPPORT_THRESHOLD = 2
    return proposal_submit(acting_user=make_resident("9711AA"), title="Een moestuin",
                           text="Een moestuin op het plein.", area_code=B00)


def test_submit_for_the_area_you_live_in(make_resident):
    resident = make_resident("9711AB")  # BU09990001 (wijk Noord) and BU09990100 (Zuid)
    proposal = proposal_submit(acting_user=resident, title=" Speeltuin ",
                               text="Een speeltuin.", area_code=W0)
    assert (proposal.title, proposal.status, proposal.support_threshold) == (
        "Speeltuin", "open", 25)
    proposal_submit(acting_user=resident, title="Zuid", text="Ook hier.", area_code=B10)
    with pytest.raises(ParticipationError, match="for the area you live in"):
        proposal_submit(acting_user=resident, title="Elders", text="Niet hier.",
                        area_code=B00)
    assert Proposal.objects.count() == 2
    entry = AuditEntry.objects.filter(action="participation.proposal.submit").first()
    assert "title" not in entry.after and "text" not in entry.after


def test_support_once_and_the_threshold(proposal, make_resident):
    first, second = make_resident("9711AA"), make_resident("9711AA")
    proposal_support(acting_user=first, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "open"
    with pytest.raises(AlreadyDone, match="already support"):
        proposal_support(acting_user=first, proposal=proposal)
    proposal_support(acting_user=second, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "threshold_reached"
    assert Support.objects.filter(proposal=proposal).count() == 2
    assert selectors.proposal_get(pk=proposal.pk, viewer=first).support_count == 2
    assert AuditEntry.objects.filter(action="participation.proposal.threshold_reached",
                                     actor__isnull=True).count() == 1
    # Withdrawing does not undo the threshold.
    proposal_support_withdraw(acting_user=first, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.supports.count()) == ("threshold_reached", 1)
    with pytest.raises(ParticipationError, match="do not support"):
        proposal_support_withdraw(acting_user=first, proposal=proposal)


def test_only_residents_of_the_area_support(proposal, make_resident, moderator):
    with pytest.raises(PermissionRefused, match="Only residents of Oosterpark"):
        proposal_support(acting_user=make_resident("9712AA"), proposal=proposal)
    with pytest.raises(PermissionRefused, match="Register as a resident"):
        proposal_support(acting_user=moderator, proposal=proposal)
    assert Support.objects.count() == 0


def test_review_and_decided_proposals_take_no_support(proposal, make_resident, moderator):
    with pytest.raises(PermissionRefused):
        proposal_review_start(acting_user=make_resident(), proposal=proposal)
    proposal_review_start(acting_user=moderator, proposal=proposal)
    with pytest.raises(ParticipationError, match="no longer collects support"):
        proposal_support(acting_user=make_resident(), proposal=proposal)
    assert Support.objects.count() == 0


def test_area_filter_finds_what_concerns_an_area(make_resident):
    resident = make_resident("9711AB")
    on_wijk = proposal_submit(acting_user=resident, title="Wijk", text="x", area_code=W0)
    on_set = proposal_submit(acting_user=resident, title="Set", text="x",
                             area_set_slug="noord")
    on_zuid = proposal_submit(acting_user=resident, title="Zuid", text="x", area_code=B10)

    def titles(code):
        return sorted(p.title for p in selectors.proposal_list(area_code=code))

    assert titles("BU09990001") == ["Set", "Wijk"]    # its wijk; a set it is in
    assert titles("BU09990002") == ["Wijk"]           # its wijk; not in the set
    assert titles(W0) == ["Set", "Wijk"]              # itself; a set of its buurten
    assert titles("WK099901") == ["Zuid"]             # a buurt in it
    assert titles("GM0999") == ["Set", "Wijk", "Zuid"]
    assert {on_wijk.pk, on_set.pk, on_zuid.pk} == set(
        selectors.proposal_list().values_list("pk", flat=True))
