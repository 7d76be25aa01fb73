"""Consultations: a question or plan for an area, open for comments for a period.

The municipality's programme staff create, change and publish them; a draft is seen by
them only. Residents comment while the consultation is open (``comments.comment_create``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot

from ..errors import ParticipationError
from ..models import Consultation
from . import _common as common

EDITABLE = ("title", "text", "opens", "closes", "activity")


def phase(consultation: Consultation, at=None) -> str:
    """``draft``, ``upcoming``, ``open`` or ``closed``."""
    if consultation.status == Consultation.Status.DRAFT:
        return "draft"
    at = at or common.now()
    if at < consultation.opens:
        return "upcoming"
    return "open" if at < consultation.closes else "closed"


def _audit(action: str, consultation: Consultation, acting_user, before=None) -> None:
    audit_record(acting_user=acting_user, action=action, obj=consultation, before=before,
                 after=snapshot(consultation))


@transaction.atomic
def consultation_create(*, acting_user, title: str, text: str, opens, closes,
                        area_code: str = "", area_set_slug: str = "", activity=None,
                        publish: bool = False) -> Consultation:
    common.require_moderator(acting_user)
    area, area_set = common.place(area_code, area_set_slug)
    opens, closes = common.period(opens, closes)
    consultation = Consultation.objects.create(
        area=area, area_set=area_set, title=common.text(title, field="title", max_length=200),
        text=common.text(text, field="text", max_length=20_000), opens=opens, closes=closes,
        activity=activity, created_by=acting_user,
        status=Consultation.Status.PUBLISHED if publish else Consultation.Status.DRAFT)
    _audit("participation.consultation.create", consultation, acting_user)
    return consultation


@transaction.atomic
def consultation_update(*, acting_user, consultation: Consultation,
                        **changes) -> Consultation:
    """Change title, text, opens, closes or the linked activity."""
    common.require_moderator(acting_user)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ParticipationError(_("This cannot be changed: %(fields)s.")
                                 % {"fields": ", ".join(unknown)}, field=unknown[0])
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    before = snapshot(consultation)
    if "title" in changes:
        consultation.title = common.text(changes["title"], field="title", max_length=200)
    if "text" in changes:
        consultation.text = common.text(changes["text"], field="text", max_length=20_000)
    if "opens" in changes or "closes" in changes:
        consultation.opens, consultation.closes = common.period(
            changes.get("opens", consultation.opens), changes.get("closes",
                                                                  consultation.closes))
    if "activity" in changes:
        consultation.activity = changes["activity"]
    consultation.save()
    _audit("participation.consultation.update", consultation, acting_user, before)
    return consultation


@transaction.atomic
def consultation_publish(*, acting_user, consultation: Consultation) -> Consultation:
    common.require_moderator(acting_user)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == Consultation.Status.PUBLISHED:
        return consultation
    before = snapshot(consultation)
    consultation.status = Consultation.Status.PUBLISHED
    consultation.save(update_fields=["status"])
    _audit("participation.consultation.publish", consultation, acting_user, before)
    return consultation
