"""Writes of the touchstone: store an assessment, record a decision. Each checks who may,
checks its input (raising :class:`~.errors.TouchstoneError` naming the field, writing
nothing), writes in one transaction and one audit entry: ``touchstone.assessment.create``,
``touchstone.decision.create``. Neither is ever edited or deleted: a plan that changes is
assessed again, and a new decision supersedes the last.

``acting_user`` None is the system (a management command run without ``--user``), as in
the audit log; pages and the API always pass the signed-in (or anonymous) user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.programmes.models import Activity

from . import permissions
from .errors import TouchstoneError, TouchstoneRefused
from .models import Assessment, Decision
from .scorecard import activity_snapshot, compute_scorecard

LABEL_LIMIT = 200
REASON_LIMIT = 4000


def _user_id(user):
    return user if getattr(user, "pk", None) else None


def assessment_create(*, acting_user, activity: Activity, inputs: Mapping | None = None,
                      label: str = "", expected_version: int | None = None,
                      today: dt.date | None = None) -> Assessment:
    """Compute the scorecard of ``activity`` with ``inputs`` (see
    :func:`~.scorecard.clean_inputs`) and store it with the plan as it is now.

    ``expected_version``: the version of the plan the assessor looked at; when the plan
    changed since, nothing is stored (field ``expected_version``). The plan's row is
    locked while it is assessed, so the snapshot and the scorecard are of one version.
    """
    if not isinstance(activity, Activity) or activity.pk is None:
        raise TouchstoneError(_("Expected an activity of the register."), field="activity")
    if acting_user is not None and not permissions.may_assess(acting_user, activity):
        raise TouchstoneRefused(_("Only the programme bureau, the programme staff of the "
                                  "plan's owner and administrators assess plans."))
    if not isinstance(label, str):
        raise TouchstoneError(_("Expected text for the label."), field="label")
    label = label.strip()
    if len(label) > LABEL_LIMIT:
        raise TouchstoneError(_("At most %(limit)s characters; found %(found)s.")
                              % {"limit": LABEL_LIMIT, "found": len(label)}, field="label")
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            raise TouchstoneError(_("This activity no longer exists."), field="activity")
        if expected_version is not None and expected_version != current.version:
            raise TouchstoneError(
                _("The plan changed since you read it (version %(read)s, now %(now)s): look "
                  "at it again before you assess it.")
                % {"read": expected_version, "now": current.version}, field="expected_version")
        card = compute_scorecard(activity=current, inputs=inputs, today=today)
        assessment = Assessment.objects.create(
            activity=current, label=label, activity_version=current.version,
            activity_snapshot=activity_snapshot(current), inputs=card.inputs,
            results={r.key: r.as_dict() for r in card.results},
            created_by=_user_id(acting_user))
        audit_record(acting_user=acting_user, action="touchstone.assessment.create",
                     obj=assessment, after=snapshot(assessment, exclude=("activity_snapshot",)))
    return assessment


def decision_record(*, acting_user, assessment: Assessment, decision: str,
                    reason: str) -> Decision:
    """Record go, adjust or stop on ``assessment``, with the reason (required). Refused
    when the plan changed after the assessment: a decision is taken on what was weighed."""
    if not isinstance(assessment, Assessment) or assessment.pk is None:
        raise TouchstoneError(_("Expected a stored assessment."), field="assessment")
    activity = assessment.activity
    if acting_user is not None and not permissions.may_decide(acting_user, activity):
        raise TouchstoneRefused(_("Only the programme bureau, the programme staff of the "
                                  "plan's owner and administrators record decisions."))
    if decision not in Decision.Choice.values:
        raise TouchstoneError(_("Expected go, adjust or stop; found %(found)r.")
                              % {"found": decision}, field="decision")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise TouchstoneError(_("Give the reason for the decision."), field="reason")
    if len(reason) > REASON_LIMIT:
        raise TouchstoneError(_("At most %(limit)s characters; found %(found)s.")
                              % {"limit": REASON_LIMIT, "found": len(reason)}, field="reason")
    with transaction.atomic():
        version = Activity.objects.select_for_update().filter(pk=activity.pk).values_list(
            "version", flat=True).first()
        if version != assessment.activity_version:
            raise TouchstoneError(
                _("The plan changed after this assessment (version %(assessed)s, now "
                  "%(now)s): assess it again before deciding.")
                % {"assessed": assessment.activity_version, "now": version},
                field="assessment")
        made = Decision.objects.create(assessment=assessment, decision=decision,
                                       reason=reason, decided_by=_user_id(acting_user))
        audit_record(acting_user=acting_user, action="touchstone.decision.create", obj=made,
                     after=snapshot(made))
    return made
