"""Writing the audit log. Every service that writes calls :func:`audit_record`.

Following the house rule that every write is one service function that also writes its
audit entry (see docs/architecture.md), this module is the one door into AuditEntry.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models, transaction

from .models import AuditEntry

SYSTEM = "system"

# Writes that cannot change what the monitor caches (figures, areas, targets and the
# index built on them) leave the data version alone, so that a busy budget round or a
# professional reading a concern does not empty the monitor's cache on every request.
# A denylist, not an allowlist: a new kind of write invalidates the cache until it is
# listed here, which costs speed, never correctness.
NO_DATA_CHANGE = ("participation.", "concern.", "concerns.text.", "concerns.route.",
                  "report.", "touchstone.", "api_token.", "user.", "membership.",
                  "evaluation.")


def changes_data(action: str) -> bool:
    """Whether an audited write may change data the monitor caches."""
    return not action.startswith(NO_DATA_CHANGE) and not action.endswith(".read")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete field values of ``instance``, fit for the audit log's before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name == "password":
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def audit_record(
    *,
    acting_user: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``acting_user`` None means the system (a command run by no user)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    user = acting_user if getattr(acting_user, "pk", None) else None
    from wijkbalans.core.services import data_version_bump

    if changes_data(action):
        transaction.on_commit(data_version_bump)
    return AuditEntry.objects.create(
        actor=user,
        actor_repr=user.get_username() if user else SYSTEM,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )
