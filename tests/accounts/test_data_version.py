"""Which audited writes move the data version on (and so empty the monitor's cache)."""

import pytest

from wijkbalans.accounts.audit import audit_record, changes_data
from wijkbalans.core.selectors import data_version


@pytest.mark.parametrize("action", [
    "import.load", "area_set.save", "target.save", "indicator.create",
    "programmes.activity.create", "programmes.budget_line.update", "concerns.publish"])
def test_writes_to_data_move_the_version_on(action, db, django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(acting_user=None, action=action, object_type="x", object_id="1")
    assert changes_data(action)
    assert data_version() == before + 1


@pytest.mark.parametrize("action", [
    "participation.ballot.cast", "participation.comment.create", "concern.submit",
    "concerns.text.read", "concerns.route.add", "report.run", "touchstone.decision.create",
    "api_token.issue", "user.create", "membership.grant", "evaluation.run",
    "programmes.something.read"])
def test_reads_and_resident_actions_leave_the_cache_alone(
        action, db, django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(acting_user=None, action=action, object_type="x", object_id="1")
    assert not changes_data(action)
    assert data_version() == before
