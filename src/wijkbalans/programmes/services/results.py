"""Writes of results: result indicators, their periods with targets, and the updates that
partners report and the programme bureau reviews.

The workflow of a :class:`ResultUpdate`::

    draft ──submit──► submitted ──approve──► approved
      ▲                   │
      └──edit── returned ◄┘ return (with a comment)

- a partner (or programme staff) of an organisation that owns the activity or has a role
  in it writes updates for that organisation, and edits and submits only that
  organisation's updates, while they are draft or returned (a returned update stays
  ``returned`` while it is edited, so its comment stays in view, until it is submitted);
- programme staff of the activity's owner (the programme bureau) approve or return a
  submitted update; returning needs a comment;
- approving sets the period's ``actual`` to the update's value. An update approved
  earlier for the same period stays approved but is *superseded*: the period's actual
  follows the latest approval, and the audit log records the supersession
  (``programmes.result_update.supersede``);
- a period with an approved actual can be locked by the bureau; a locked period refuses
  new updates, edits, submissions, approvals and target changes (returning a pending
  update stays possible, so the queue can be cleared); only an administrator unlocks.
  While a period of a result indicator is locked, its baseline and direction stay too.

Every write takes a row lock on the period first and on the update second, so two
reviewers or a reviewer and a lock never both win; edits of an update name the
``version`` they read (optimistic locking, :class:`ConflictError`).
"""

from __future__ import annotations

import copy
import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.accounts.models import Organisation
from wijkbalans.analysis.rollup import period_key
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.models import Indicator

from .. import permissions
from ..errors import ConflictError, PermissionRefused
from ..models import ResultIndicator, ResultPeriod, ResultUpdate
from .register import choice, parse_decimal, refuse, stored_activity, text

PERIOD = re.compile(r"^\d{4}(?:-Q[1-4])?$")
QUANTITY = {"places": 4, "max_digits": 18}
MAX_NARRATIVE = 10_000
Status = ResultUpdate.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _period(value, field: str = "period") -> str:
    if not isinstance(value, str) or not PERIOD.match(value.strip()):
        refuse(_("Expected a period as YYYY or YYYY-Qn (2025 or 2025-Q3), found %(value)r.")
               % {"value": value}, field)
    return value.strip()


def _indicator_known(code: str) -> bool:
    return code in catalogue.BY_CODE or Indicator.objects.filter(code=code).exists()


def _locked(period: ResultPeriod, field: str | None = None):
    if period.locked:
        refuse(_("The period %(period)s is locked; ask an administrator to unlock it.")
               % {"period": period.period}, field)


# -- result indicators and periods ------------------------------------------------------

def result_indicator_save(*, acting_user, activity, kind, name, indicator_code="", unit="",
                          direction="up", baseline_period="", baseline_value=None,
                          weight=None, order=0, result=None) -> ResultIndicator:
    """Create a result indicator of ``activity``, or change ``result``."""
    activity = stored_activity(activity, field="activity")
    if not permissions.may_edit_register(acting_user, activity):
        raise PermissionRefused(_("Only programme staff of the owner organisation may change "
                                  "the result indicators of this activity."))
    choice(kind, ResultIndicator.Kind, "kind")
    name = text(name, "name", max_length=200, required=True)
    indicator_code = text(indicator_code, "indicator_code", max_length=120)
    if kind == ResultIndicator.Kind.OUTCOME and not indicator_code:
        refuse(_("An outcome indicator names an indicator of the registry."), "indicator_code")
    if indicator_code and not _indicator_known(indicator_code):
        refuse(_("Unknown indicator %(code)s; expected a code of the indicator registry.")
               % {"code": indicator_code}, "indicator_code")
    unit = text(unit, "unit", max_length=40)
    choice(direction, ResultIndicator.Direction, "direction")
    baseline_period = text(baseline_period, "baseline_period")
    if baseline_period:
        baseline_period = _period(baseline_period, "baseline_period")
    baseline_value = parse_decimal(baseline_value, field="baseline_value", **QUANTITY)
    if (baseline_value is not None and kind == ResultIndicator.Kind.OUTCOME
            and not baseline_period):
        refuse(_("A baseline of an outcome indicator names its period."), "baseline_period")
    weight = parse_decimal(weight, field="weight", places=3, max_digits=8, minimum=0)
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 32767:
        refuse(_("Expected a whole number from 0, found %(value)r.") % {"value": order},
               "order")
    values = {"kind": kind, "name": name, "indicator_code": indicator_code, "unit": unit,
              "direction": direction, "baseline_period": baseline_period,
              "baseline_value": baseline_value, "weight": weight, "order": order}
    with transaction.atomic():
        current = None
        if result is not None:
            current = ResultIndicator.objects.select_for_update().filter(
                pk=getattr(result, "pk", None)).first()
            if current is None or current.activity_id != activity.pk:
                refuse(_("This result indicator does not belong to %(code)s.")
                       % {"code": activity.code}, "result")
        taken = ResultIndicator.objects.filter(activity=activity, name=name)
        if taken.exclude(pk=getattr(current, "pk", None)).exists():
            refuse(_("%(code)s already has a result indicator named %(name)s.")
                   % {"code": activity.code, "name": name}, "name")
        if current is None:
            row = ResultIndicator.objects.create(activity=activity, **values)
            audit_record(acting_user=acting_user, action="programmes.result.create", obj=row,
                         after=snapshot(row))
            return row
        _check_periods(current, values)
        before = snapshot(current)
        for key, value in values.items():
            setattr(current, key, value)
        if snapshot(current) != before:
            current.save()
            audit_record(acting_user=acting_user, action="programmes.result.update",
                         obj=current, before=before, after=snapshot(current))
        return current


def _check_periods(result: ResultIndicator, values: dict) -> None:
    periods = list(result.periods.all())
    if values["baseline_period"]:
        early = [p.period for p in periods
                 if period_key(p.period) <= period_key(values["baseline_period"])]
        if early:
            refuse(_("Periods %(periods)s do not come after this baseline period.")
                   % {"periods": ", ".join(early)}, "baseline_period")
    if any(p.locked for p in periods):
        for field in ("baseline_period", "baseline_value", "direction"):
            if values[field] != getattr(result, field):
                refuse(_("A period of this indicator is locked; its baseline and direction "
                         "stay as they are."), field)


def result_period_save(*, acting_user, result, period, target=None) -> ResultPeriod:
    """Create the period ``period`` of ``result`` or change its target."""
    result = ResultIndicator.objects.select_related("activity").filter(
        pk=getattr(result, "pk", None)).first()
    if result is None:
        refuse(_("Expected a result indicator of the register."), "result")
    if not permissions.may_edit_register(acting_user, result.activity):
        raise PermissionRefused(_("Only programme staff of the owner organisation may set "
                                  "targets of this activity."))
    period = _period(period)
    if result.baseline_period and period_key(period) <= period_key(result.baseline_period):
        refuse(_("The period %(period)s does not come after the baseline period %(baseline)s.")
               % {"period": period, "baseline": result.baseline_period}, "period")
    target = parse_decimal(target, field="target", **QUANTITY)
    with transaction.atomic():
        row = ResultPeriod.objects.select_for_update().filter(result=result,
                                                              period=period).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ResultPeriod.objects.create(result=result, period=period,
                                                      target=target)
            except IntegrityError:
                refuse(_("The period %(period)s was added meanwhile; reload and try again.")
                       % {"period": period}, "period")
            audit_record(acting_user=acting_user, action="programmes.result_period.create",
                         obj=row, after=snapshot(row))
            return row
        if row.target != target:
            _locked(row, "target")
            before = snapshot(row)
            row.target = target
            row.save(update_fields=["target"])
            audit_record(acting_user=acting_user, action="programmes.result_period.update",
                         obj=row, before=before, after=snapshot(row))
        return row


# -- updates ----------------------------------------------------------------------------

def _lock(update) -> tuple[ResultPeriod, ResultUpdate]:
    """The update's period and the update itself, locked in that order, as stored now."""
    period_id = ResultUpdate.objects.filter(pk=getattr(update, "pk", None)).values_list(
        "period_id", flat=True).first()
    if period_id is None:
        refuse(_("This update no longer exists."))
    period = ResultPeriod.objects.select_for_update().select_related(
        "result__activity").get(pk=period_id)
    row = ResultUpdate.objects.select_for_update().get(pk=update.pk)
    return period, row


def _may_edit(user, row: ResultUpdate) -> None:
    """Rights first (as if the update were a draft), then the state."""
    as_draft = copy.copy(row)
    as_draft.status = Status.DRAFT
    if not permissions.may_edit_update(user, as_draft):
        raise PermissionRefused(_("Only the reporting organisation may change its own "
                                  "result updates."))
    if row.status not in EDITABLE:
        refuse(_("Only a draft or returned update can be changed; this one is %(status)s.")
               % {"status": row.get_status_display()}, "status")


def _may_review(user, period: ResultPeriod, row: ResultUpdate) -> None:
    if not permissions.may_review(user, period.result.activity):
        raise PermissionRefused(_("Only programme staff of the owner organisation review "
                                  "result updates of this activity."))
    if row.status != Status.SUBMITTED:
        refuse(_("Only a submitted update can be reviewed; this one is %(status)s.")
               % {"status": row.get_status_display()}, "status")


def _write(acting_user, action: str, row: ResultUpdate, before: dict, **fields):
    """A conditional update of ``row`` at its version; ``row`` refreshed and audited."""
    done = ResultUpdate.objects.filter(pk=row.pk, version=row.version).update(
        **fields, version=F("version") + 1)
    if not done:
        raise ConflictError(_("Someone else changed this update meanwhile; nothing was saved."),
                            current=snapshot(ResultUpdate.objects.get(pk=row.pk)))
    row.refresh_from_db()
    audit_record(acting_user=acting_user, action=action, obj=row, before=before,
                 after=snapshot(row))
    return row


def _synced(update, row: ResultUpdate) -> ResultUpdate:
    """Keep the caller's instance in step with the stored row; return the row."""
    if isinstance(update, ResultUpdate) and update is not row:
        for field in ResultUpdate._meta.concrete_fields:
            setattr(update, field.attname, getattr(row, field.attname))
    return row


def result_update_create(*, acting_user, period, organisation, value, narrative="",
                         submit=False) -> ResultUpdate:
    if not isinstance(organisation, Organisation) or organisation.pk is None:
        refuse(_("Expected an organisation."), "organisation")
    value = parse_decimal(value, field="value", **QUANTITY)
    if value is None:
        refuse(_("This field is required."), "value")
    narrative = text(narrative, "narrative", max_length=MAX_NARRATIVE)
    if not isinstance(submit, bool):
        refuse(_("Expected yes or no (true or false), found %(value)r.") % {"value": submit},
               "submit")
    with transaction.atomic():
        row = ResultPeriod.objects.select_for_update().select_related(
            "result__activity").filter(pk=getattr(period, "pk", None)).first()
        if row is None:
            refuse(_("Expected a period of a result indicator."), "period")
        if not permissions.may_report(acting_user, row.result.activity, organisation.pk):
            raise PermissionRefused(_("You may not report results of this activity for "
                                      "%(organisation)s.") % {"organisation": organisation.name},
                                    field="organisation")
        _locked(row, "period")
        now = timezone.now()
        update = ResultUpdate.objects.create(
            period=row, organisation=organisation, value=value, narrative=narrative,
            status=Status.SUBMITTED if submit else Status.DRAFT,
            submitted_at=now if submit else None,
            created_by=acting_user if getattr(acting_user, "pk", None) else None)
        audit_record(acting_user=acting_user, action="programmes.result_update.create",
                     obj=update, after=snapshot(update))
    return update


def result_update_edit(*, acting_user, update, expected_version, value,
                       narrative="") -> ResultUpdate:
    value = parse_decimal(value, field="value", **QUANTITY)
    if value is None:
        refuse(_("This field is required."), "value")
    narrative = text(narrative, "narrative", max_length=MAX_NARRATIVE)
    with transaction.atomic():
        period, row = _lock(update)
        _may_edit(acting_user, row)
        before = snapshot(row)
        if row.version != expected_version:
            raise ConflictError(_("Someone else changed this update after you opened it. "
                                  "Nothing was saved; reload it and make your change again."),
                                current=before)
        _locked(period, "value")
        if row.value == value and row.narrative == narrative:
            return _synced(update, row)
        return _synced(update, _write(acting_user, "programmes.result_update.edit", row,
                                      before, value=value, narrative=narrative))


def result_update_submit(*, acting_user, update) -> ResultUpdate:
    with transaction.atomic():
        period, row = _lock(update)
        _may_edit(acting_user, row)
        _locked(period)
        return _synced(update, _write(
            acting_user, "programmes.result_update.submit", row, snapshot(row),
            status=Status.SUBMITTED, submitted_at=timezone.now()))


def result_update_approve(*, acting_user, update, comment="") -> ResultUpdate:
    comment = text(comment, "comment", max_length=MAX_NARRATIVE)
    with transaction.atomic():
        period, row = _lock(update)
        _may_review(acting_user, period, row)
        _locked(period)
        previous = (ResultUpdate.objects.filter(period=period, status=Status.APPROVED)
                    .order_by("-reviewed_at", "-id").first())
        row = _write(acting_user, "programmes.result_update.approve", row, snapshot(row),
                     status=Status.APPROVED, review_comment=comment,
                     reviewed_by=acting_user if getattr(acting_user, "pk", None) else None,
                     reviewed_at=timezone.now())
        if previous is not None:
            old = snapshot(previous)
            audit_record(acting_user=acting_user, action="programmes.result_update.supersede",
                         obj=previous, before=old, after={**old, "superseded_by": row.pk})
        before = snapshot(period)
        period.actual = row.value
        period.save(update_fields=["actual"])
        audit_record(acting_user=acting_user, action="programmes.result_period.actual",
                     obj=period, before=before, after=snapshot(period))
        return _synced(update, row)


def result_update_return(*, acting_user, update, comment) -> ResultUpdate:
    comment = text(comment, "comment", max_length=MAX_NARRATIVE)
    if not comment:
        refuse(_("Say what should change: a returned update needs a comment."), "comment")
    with transaction.atomic():
        period, row = _lock(update)
        _may_review(acting_user, period, row)
        return _synced(update, _write(
            acting_user, "programmes.result_update.return", row, snapshot(row),
            status=Status.RETURNED, review_comment=comment,
            reviewed_by=acting_user if getattr(acting_user, "pk", None) else None,
            reviewed_at=timezone.now()))


# -- locking periods --------------------------------------------------------------------

def _period_row(period) -> ResultPeriod:
    row = ResultPeriod.objects.select_for_update().select_related(
        "result__activity").filter(pk=getattr(period, "pk", None)).first()
    if row is None:
        refuse(_("Expected a period of a result indicator."), "period")
    return row


def result_period_lock(*, acting_user, period) -> ResultPeriod:
    with transaction.atomic():
        row = _period_row(period)
        if not permissions.may_review(acting_user, row.result.activity):
            raise PermissionRefused(_("Only programme staff of the owner organisation lock "
                                      "periods of this activity."))
        if row.locked:
            refuse(_("The period %(period)s is locked already.") % {"period": row.period},
                   "locked")
        approved = row.updates.filter(status=Status.APPROVED).exists()
        if row.actual is None or not approved:
            refuse(_("Only a period with an approved actual can be locked."), "actual")
        before = snapshot(row)
        row.locked, row.locked_at = True, timezone.now()
        row.locked_by = acting_user if getattr(acting_user, "pk", None) else None
        row.save(update_fields=["locked", "locked_at", "locked_by"])
        audit_record(acting_user=acting_user, action="programmes.result_period.lock",
                     obj=row, before=before, after=snapshot(row))
    _copy(row, period)
    return row


def result_period_unlock(*, acting_user, period) -> ResultPeriod:
    with transaction.atomic():
        row = _period_row(period)
        if not permissions.is_admin(acting_user):
            raise PermissionRefused(_("Only an administrator unlocks a period."))
        if not row.locked:
            refuse(_("The period %(period)s is not locked.") % {"period": row.period},
                   "locked")
        before = snapshot(row)
        row.locked, row.locked_at, row.locked_by = False, None, None
        row.save(update_fields=["locked", "locked_at", "locked_by"])
        audit_record(acting_user=acting_user, action="programmes.result_period.unlock",
                     obj=row, before=before, after=snapshot(row))
    _copy(row, period)
    return row


def _copy(row: ResultPeriod, period) -> None:
    """Keep the caller's instance in step with the stored row."""
    if isinstance(period, ResultPeriod) and period is not row:
        period.locked, period.locked_at = row.locked, row.locked_at
        period.locked_by_id = row.locked_by_id

