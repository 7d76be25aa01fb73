"""'You said, we did': outcomes with the activity or the reason, on a timeline per area."""

from __future__ import annotations

import pytest

from wijkbalans.participation import selectors
from wijkbalans.participation.errors import ParticipationError, PermissionRefused
from wijkbalans.participation.models import Outcome
from wijkbalans.participation.services.outcomes import outcome_publish
from wijkbalans.participation.services.proposals import proposal_submit

from .conftest import B00, B10

pytestmark = pytest.mark.django_db


def test_outcomes_decide_proposals_and_form_a_timeline(make_resident, moderator, programme,
                                                       consultation):
    resident = make_resident("9711AB")
    north = proposal_submit(acting_user=resident, title="Noord", text="x", area_code="WK099900")
    south = proposal_submit(acting_user=resident, title="Zuid", text="x", area_code=B10)
    outcome_publish(acting_user=moderator, proposal=north, status="in_progress",
                    text="We onderzoeken het.")
    north.refresh_from_db()
    assert north.status == "under_review"
    outcome_publish(acting_user=moderator, proposal=north, status="adopted",
                    text="Het komt er.", activity=programme)
    outcome_publish(acting_user=moderator, proposal=south, status="not_adopted",
                    text="Het past niet.", reason="Er is geen ruimte op die plek.")
    outcome_publish(acting_user=moderator, consultation=consultation, status="partly",
                    text="Het plein krijgt meer groen.", activity=programme)
    north.refresh_from_db()
    south.refresh_from_db()
    assert (north.status, south.status) == ("adopted", "rejected")
    timeline = [(o.status, o.text) for o in selectors.outcome_timeline(area_code=B00)]
    assert timeline == [("partly", "Het plein krijgt meer groen."),
                        ("adopted", "Het komt er."), ("in_progress", "We onderzoeken het.")]
    assert [o.status for o in selectors.outcome_timeline(area_code=B10)] == ["not_adopted"]
    assert Outcome.objects.get(status="adopted").activity == programme


def test_outcomes_are_checked(make_resident, moderator, consultation):
    proposal = proposal_submit(acting_user=make_resident(), title="P", text="x",
                               area_code=B00)
    with pytest.raises(ParticipationError, match="Say why"):
        outcome_publish(acting_user=moderator, proposal=proposal, status="not_adopted",
                        text="Nee.")
    with pytest.raises(ParticipationError, match="one of them"):
        outcome_publish(acting_user=moderator, proposal=proposal, consultation=consultation,
                        status="adopted", text="Ja.")
    with pytest.raises(ParticipationError, match="Expected one of"):
        outcome_publish(acting_user=moderator, proposal=proposal, status="done", text="Ja.")
    with pytest.raises(PermissionRefused):
        outcome_publish(acting_user=make_resident(), proposal=proposal, status="adopted",
                        text="Ja.")
    proposal.refresh_from_db()
    assert (Outcome.objects.count(), proposal.status) == (0, "open")
