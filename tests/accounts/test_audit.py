import pytest
from django.db import DatabaseError, transaction

from wijkbalans.accounts.audit import audit_record
from wijkbalans.accounts.models import AuditEntry
from wijkbalans.accounts.services import membership_grant, organisation_create, user_create

pytestmark = pytest.mark.django_db


def test_services_write_audit_entries_with_actor_and_after():
    admin = user_create(username="a", password="x-long-password-1")
    org = organisation_create(name="Gemeente Demostad", kind="municipality", acting_user=admin)
    user = user_create(username="b", password="x-long-password-2", acting_user=admin)
    membership_grant(user=user, organisation=org, role="analyst", acting_user=admin)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_repr"))
    assert actions == [("user.create", "system"), ("organisation.create", "a"),
                       ("user.create", "a"), ("membership.grant", "a")]
    created = AuditEntry.objects.get(action="organisation.create")
    assert created.after["name"] == "Gemeente Demostad" and created.before is None
    assert "password" not in AuditEntry.objects.filter(action="user.create").last().after


def test_unknown_role_and_kind_are_refused_without_trace():
    with pytest.raises(ValueError, match="unknown organisation kind"):
        organisation_create(name="X", kind="club")
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_audit_log_is_append_only_in_the_database(operation):
    entry = audit_record(acting_user=None, action="test.write", object_type="t")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        qs = AuditEntry.objects.filter(pk=entry.pk)
        qs.update(action="changed") if operation == "update" else qs.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.write"
