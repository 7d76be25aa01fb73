"""Proposals by residents, support for them, and the threshold.

A verified resident submits a proposal for an area they live in (a buurt of their
postcode lies in it); residents of the area support it, once each. When the support
reaches the proposal's threshold (``PARTICIPATION_SUPPORT_THRESHOLD``, 25 by default,
fixed on the proposal when it is submitted) its status becomes ``threshold_reached`` and
the municipality reviews it; its decision is an outcome (``outcomes.outcome_publish``),
which sets the status to adopted or rejected. Withdrawn support does not undo a reached
threshold.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot

from .. import ratelimit
from ..errors import AlreadyDone, ParticipationError
from ..models import Proposal, Support
from . import _common as common

DEFAULT_THRESHOLD = 25
SUPPORTABLE = (Proposal.Status.OPEN, Proposal.Status.THRESHOLD_REACHED)


def support_threshold() -> int:
    return int(getattr(settings, "PARTICIPATION_SUPPORT_THRESHOLD", DEFAULT_THRESHOLD))


def _audit(action: str, proposal: Proposal, acting_user, before=None) -> None:
    audit_record(acting_user=acting_user, action=action, obj=proposal,
                 object_repr=f"proposal {proposal.pk}", before=before,
                 after=snapshot(proposal, exclude=common.TEXT_FIELDS))


def proposal_submit(*, acting_user, title: str, text: str, area_code: str = "",
                    area_set_slug: str = "", ip: str | None = None) -> Proposal:
    profile = common.require_resident(acting_user)
    area, area_set = common.place(area_code, area_set_slug)
    title = common.text(title, field="title", max_length=200)
    body = common.text(text, field="text", max_length=5000)
    if not common.lives_in(profile, area, area_set):
        raise ParticipationError(_("You can make a proposal for the area you live in; your "
                                   "postcode is not in this area."), field="area")
    ratelimit.hit("proposal", user_id=acting_user.pk, ip=ip)
    with transaction.atomic():
        proposal = Proposal.objects.create(area=area, area_set=area_set, title=title,
                                           text=body, author=acting_user,
                                           support_threshold=support_threshold())
        _audit("participation.proposal.submit", proposal, acting_user)
    return proposal


def proposal_support(*, acting_user, proposal: Proposal, ip: str | None = None) -> Support:
    """Support a proposal. The proposal row is locked for the moment of counting, so the
    support that reaches the threshold is always seen (supports are few; ballots, which
    are many, take no such lock)."""
    profile = common.require_resident(acting_user)
    ratelimit.hit("support", user_id=acting_user.pk, ip=ip)
    try:
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if (locked.visibility != Proposal.Visibility.VISIBLE
                    or locked.status not in SUPPORTABLE):
                raise ParticipationError(_("This proposal no longer collects support."),
                                         field="proposal")
            common.require_lives_in(profile, locked)
            support = Support.objects.create(proposal=locked, resident=acting_user)
            audit_record(acting_user=acting_user, action="participation.proposal.support",
                         obj=support, object_repr=f"support of proposal {locked.pk}",
                         after=snapshot(support))
            if (locked.status == Proposal.Status.OPEN
                    and locked.supports.count() >= locked.support_threshold):
                before = snapshot(locked, exclude=common.TEXT_FIELDS)
                locked.status = Proposal.Status.THRESHOLD_REACHED
                locked.save(update_fields=["status"])
                _audit("participation.proposal.threshold_reached", locked, None, before)
    except IntegrityError:
        raise AlreadyDone(_("You already support this proposal."), field="proposal") from None
    proposal.status = locked.status
    return support


@transaction.atomic
def proposal_support_withdraw(*, acting_user, proposal: Proposal) -> None:
    common.require_resident(acting_user)
    support = Support.objects.filter(proposal=proposal, resident=acting_user).first()
    if support is None:
        raise ParticipationError(_("You do not support this proposal."), field="proposal")
    before = snapshot(support)
    pk = support.pk
    support.delete()
    audit_record(acting_user=acting_user, action="participation.proposal.support_withdraw",
                 object_type="participation.support", object_id=str(pk),
                 object_repr=f"support of proposal {proposal.pk}", before=before)


@transaction.atomic
def proposal_review_start(*, acting_user, proposal: Proposal) -> Proposal:
    """The municipality takes a proposal into review (with or without the threshold)."""
    common.require_moderator(acting_user)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status not in SUPPORTABLE:
        raise ParticipationError(_("This proposal is already under review or decided."),
                                 field="status")
    before = snapshot(locked, exclude=common.TEXT_FIELDS)
    locked.status = Proposal.Status.UNDER_REVIEW
    locked.save(update_fields=["status"])
    _audit("participation.proposal.review_start", locked, acting_user, before)
    return locked
