"""Moderation: the municipality's programme staff hide comments and proposals with a
reason, show them again, and mark new or flagged items as reviewed; residents flag items.

A hidden item stays in the database. Its author still reads it, with the moderator's
reason; everyone else reads "hidden by the moderator" (``selectors``). The queue holds
items nobody reviewed yet, and items flagged after their review
(``selectors.moderation_queue``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot

from .. import ratelimit
from ..errors import AlreadyDone, ParticipationError
from ..models import Comment, Flag, Proposal
from . import _common as common

Item = Comment | Proposal


def _kind(item) -> str:
    if isinstance(item, Comment):
        return "comment"
    if isinstance(item, Proposal):
        return "proposal"
    raise ParticipationError(_("Only comments and proposals are moderated."), field="item")


def _locked(item):
    return type(item).objects.select_for_update().get(pk=item.pk)


def _audit(action: str, item, acting_user, before) -> None:
    audit_record(acting_user=acting_user, action=f"participation.{_kind(item)}.{action}",
                 obj=item, object_repr=f"{_kind(item)} {item.pk}", before=before,
                 after=snapshot(item, exclude=common.TEXT_FIELDS))


@transaction.atomic
def moderation_hide(*, acting_user, item: Item, reason: str) -> Item:
    """Hide ``item``; the reason is shown to its author."""
    common.require_moderator(acting_user)
    _kind(item)
    reason = common.text(reason, field="reason", max_length=1000)
    item = _locked(item)
    before = snapshot(item, exclude=common.TEXT_FIELDS)
    stamp = common.now()
    item.visibility = item.Visibility.HIDDEN
    item.moderation_reason = reason
    item.moderated_by, item.moderated_at, item.reviewed_at = acting_user, stamp, stamp
    item.save(update_fields=["visibility", "moderation_reason", "moderated_by",
                             "moderated_at", "reviewed_at"])
    _audit("hide", item, acting_user, before)
    return item


@transaction.atomic
def moderation_show(*, acting_user, item: Item) -> Item:
    """Show a hidden item again (the reason is cleared)."""
    common.require_moderator(acting_user)
    _kind(item)
    item = _locked(item)
    if item.visibility == item.Visibility.VISIBLE:
        return item
    before = snapshot(item, exclude=common.TEXT_FIELDS)
    stamp = common.now()
    item.visibility, item.moderation_reason = item.Visibility.VISIBLE, ""
    item.moderated_by, item.moderated_at, item.reviewed_at = acting_user, stamp, stamp
    item.save(update_fields=["visibility", "moderation_reason", "moderated_by",
                             "moderated_at", "reviewed_at"])
    _audit("show", item, acting_user, before)
    return item


@transaction.atomic
def moderation_mark_reviewed(*, acting_user, item: Item) -> Item:
    """Take a new or flagged item out of the queue, leaving it as it is."""
    common.require_moderator(acting_user)
    _kind(item)
    item = _locked(item)
    before = snapshot(item, exclude=common.TEXT_FIELDS)
    item.reviewed_at = common.now()
    item.save(update_fields=["reviewed_at"])
    _audit("review", item, acting_user, before)
    return item


def flag_create(*, acting_user, item: Item, reason: str = "", ip: str | None = None) -> Flag:
    """A resident reports an item to the moderators (once per item)."""
    common.require_resident(acting_user)
    kind = _kind(item)
    reason = str(reason or "").strip()
    if len(reason) > 300:
        raise ParticipationError(_("Use at most %(max)d characters; this text has "
                                   "%(found)d.") % {"max": 300, "found": len(reason)},
                                 field="reason")
    ratelimit.hit("flag", user_id=acting_user.pk, ip=ip)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(user=acting_user, reason=reason, **{kind: item})
            type(item).objects.filter(pk=item.pk).update(flag_count=F("flag_count") + 1,
                                                         flagged_at=common.now())
            audit_record(acting_user=acting_user, action=f"participation.{kind}.flag",
                         obj=flag, object_repr=f"flag of {kind} {item.pk}",
                         after=snapshot(flag, exclude=("reason",)))
    except IntegrityError:
        raise AlreadyDone(_("You reported this already."), field="item") from None
    return flag
