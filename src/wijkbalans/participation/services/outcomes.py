""""You said, we did": the outcome of a consultation, proposal or budget project.

An outcome says what became of the input: adopted, partly adopted, not adopted (with the
reason, required) or in progress; and links the activity in the programme register it
became. Outcomes are added, never changed: a later outcome (in progress, then adopted)
follows the earlier one on the area's timeline. An outcome of a proposal sets the
proposal's status: adopted or partly adopted -> adopted, not adopted -> rejected, in
progress -> under review.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot

from .. import permissions
from ..errors import ParticipationError, PermissionRefused
from ..models import BudgetProject, Consultation, Outcome, Proposal
from . import _common as common

PROPOSAL_STATUS = {
    Outcome.Status.ADOPTED: Proposal.Status.ADOPTED,
    Outcome.Status.PARTLY: Proposal.Status.ADOPTED,
    Outcome.Status.NOT_ADOPTED: Proposal.Status.REJECTED,
    Outcome.Status.IN_PROGRESS: Proposal.Status.UNDER_REVIEW,
}


def outcome_write(*, acting_user, status: str, text: str, subject, activity=None,
                  reason: str = "") -> Outcome:
    """Write one outcome without checking who acts (the caller did); inside the
    caller's transaction."""
    if status not in Outcome.Status.values:
        raise ParticipationError(_("Expected one of: %(values)s.")
                                 % {"values": ", ".join(Outcome.Status.values)},
                                 field="status")
    text = common.text(text, field="text", max_length=5000)
    reason = str(reason or "").strip()
    if status == Outcome.Status.NOT_ADOPTED and not reason:
        raise ParticipationError(_("Say why it was not adopted."), field="reason")
    kind = {Consultation: "consultation", Proposal: "proposal",
            BudgetProject: "project"}.get(type(subject))
    if kind is None:
        raise ParticipationError(_("An outcome is about a consultation, a proposal or a "
                                   "project."), field="subject")
    place = subject.round if kind == "project" else subject
    outcome = Outcome.objects.create(
        status=status, text=text, reason=reason, activity=activity,
        area_id=place.area_id, area_set_id=place.area_set_id,
        published_at=common.now(), published_by=acting_user, **{kind: subject})
    audit_record(acting_user=acting_user, action="participation.outcome.publish",
                 obj=outcome, after=snapshot(outcome))
    if kind == "proposal":
        new = PROPOSAL_STATUS[status]
        if subject.status != new:
            before = snapshot(subject, exclude=common.TEXT_FIELDS)
            Proposal.objects.filter(pk=subject.pk).update(status=new)
            subject.status = new
            audit_record(acting_user=acting_user, action="participation.proposal.decide",
                         obj=subject, object_repr=f"proposal {subject.pk}", before=before,
                         after=snapshot(subject, exclude=common.TEXT_FIELDS))
    return outcome


@transaction.atomic
def outcome_publish(*, acting_user, status: str, text: str,
                    consultation: Consultation | None = None,
                    proposal: Proposal | None = None, project: BudgetProject | None = None,
                    activity=None, reason: str = "") -> Outcome:
    """Publish what became of one consultation, proposal or project (one of the three).
    Programme staff of the municipality publish; for a project, also the programme staff
    who run its round."""
    subjects = [s for s in (consultation, proposal, project) if s is not None]
    if len(subjects) != 1:
        raise ParticipationError(_("An outcome is about a consultation, a proposal or a "
                                   "project (one of them)."), field="subject")
    subject = subjects[0]
    allowed = permissions.is_moderator(acting_user) or (
        project is not None and permissions.may_run_round(acting_user,
                                                          project.round.programme))
    if not allowed:
        raise PermissionRefused(_("Only programme staff of the municipality may do this."))
    return outcome_write(acting_user=acting_user, status=status, text=text, subject=subject,
                         activity=activity, reason=reason)
