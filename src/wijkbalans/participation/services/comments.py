"""Comments and questions on consultations and proposals.

Every verified resident may comment, wherever they live (people who work or go to school
in an area have a say too); supporting and voting are for the area's residents only.
Programme staff of the municipality answer as the municipality (``official``). A comment
is shown at once and enters the moderation queue.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot

from .. import permissions, ratelimit
from ..errors import ParticipationError
from ..models import Comment, Consultation, Proposal
from . import _common as common
from .consultations import phase

MAX_COMMENT = 2000
PROPOSAL_OPEN = (Proposal.Status.OPEN, Proposal.Status.THRESHOLD_REACHED,
                 Proposal.Status.UNDER_REVIEW)


def _check_subject(consultation: Consultation | None, proposal: Proposal | None) -> None:
    if (consultation is None) == (proposal is None):
        raise ParticipationError(_("A comment is about a consultation or a proposal."),
                                 field="subject")
    if consultation is not None and phase(consultation) != "open":
        raise ParticipationError(_("This consultation is not open for comments."),
                                 field="consultation")
    if proposal is not None and (proposal.visibility != Proposal.Visibility.VISIBLE
                                 or proposal.status not in PROPOSAL_OPEN):
        raise ParticipationError(_("This proposal is no longer open for comments."),
                                 field="proposal")


def comment_create(*, acting_user, text: str, consultation: Consultation | None = None,
                   proposal: Proposal | None = None, ip: str | None = None) -> Comment:
    official = permissions.is_moderator(acting_user)
    if not official:
        common.require_resident(acting_user)
    _check_subject(consultation, proposal)
    body = common.text(text, field="text", max_length=MAX_COMMENT)
    if not official:
        ratelimit.hit("comment", user_id=acting_user.pk, ip=ip)
    with transaction.atomic():
        comment = Comment.objects.create(consultation=consultation, proposal=proposal,
                                         author=acting_user, text=body, official=official)
        audit_record(acting_user=acting_user, action="participation.comment.create",
                     obj=comment, after=snapshot(comment, exclude=common.TEXT_FIELDS))
    return comment
