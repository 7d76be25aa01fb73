"""What the import's writers share: comparing a row with what is registered, and an
update that refuses to overwrite a change made since the row was read."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.programmes.errors import ConflictError


def differences(obj: models.Model, wanted: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``wanted`` whose value differs from ``obj``'s."""
    return {name: value for name, value in wanted.items() if getattr(obj, name) != value}


def versioned_update(obj: models.Model, changes: dict[str, Any]) -> models.Model:
    """Write ``changes`` to ``obj`` only if nobody changed it since it was read (its
    ``version`` still matches); raise :class:`ConflictError` otherwise, which rolls the
    whole import back."""
    model = type(obj)
    extra = {"updated_at": timezone.now()} if any(
        f.name == "updated_at" for f in model._meta.concrete_fields) else {}
    written = model.objects.filter(pk=obj.pk, version=obj.version).update(
        **changes, **extra, version=F("version") + 1)
    if not written:
        current = model.objects.filter(pk=obj.pk).first()
        raise ConflictError(
            _("%(object)s was changed by someone else during the import; nothing was "
              "imported. Import the workbook again.") % {"object": obj},
            current=snapshot(current) if current else None)
    obj.refresh_from_db()
    return obj


def audit(*, acting_user, action: str, obj: models.Model, before=None, after=None) -> None:
    audit_record(acting_user=acting_user, action=action, obj=obj, before=before,
                 after=after if after is not None else snapshot(obj))


def user_or_none(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None
