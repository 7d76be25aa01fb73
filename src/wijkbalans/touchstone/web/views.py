"""Pages under /toetssteen/: the plans to assess and the recent assessments, a plan's page
(the live scorecard, its assessments, decisions and afterwards), the forms that store an
assessment and record a decision, and alternative plans side by side.

Views are thin: they read through :mod:`..selectors` and write through :mod:`..services`.
Controls are shown to whom :mod:`..permissions` allows them and the services check again:
a forbidden POST is a 403 and changes nothing. A plan the reader may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.programmes import permissions as programme_rules
from wijkbalans.programmes import selectors as programme_selectors

from .. import permissions, selectors
from ..context import DEFAULT_TARGET_GROUP
from ..errors import TouchstoneError, TouchstoneRefused
from ..services import assessment_create, decision_record
from . import plan_page
from .common import badge, day, ratings_summary, show_error
from .forms import AssessmentForm, DecisionForm, InputsForm, assessment_name

RECENT = 25
COMPARE_MOST = 6
# Inputs the assessment form carries unseen: their errors go above the form.
HIDDEN_FIELDS = {"target_group_indicator": "", "reach_result": "", "expected_version": ""}


def _activity_or_404(user, code: str):
    activity = selectors.activity_for(user=user, code=code)
    if activity is None:
        raise Http404(_("No activity %(code)s in the register") % {"code": code})
    return activity


def _assessment_row(user, assessment) -> dict:
    card = selectors.assessment_scorecard(user=user, assessment=assessment)
    return {"assessment": assessment, "day": day(assessment.created_at),
            "ratings": ratings_summary(card.results), "decision": card.extra.get("decision"),
            "outdated": card.extra.get("outdated")}


def index(request):
    user = request.user
    plans = selectors.plans_to_assess(user=user)
    prefetch_related_objects(plans, "parent")
    latest = selectors.latest_assessments(user=user, activities=plans) if plans else {}
    recent = selectors.assessment_list(user=user)[:RECENT]
    return render(request, "touchstone/index.html", {
        "plans": [{"activity": a, "latest": _assessment_row(user, latest[a.code])
                   if a.code in latest else None} for a in plans],
        "recent": [_assessment_row(user, a) for a in recent],
    })


def _plan_response(request, activity, *, inputs_form=None, assess_form=None,
                   decision_form=None, status=200):
    user = request.user
    inputs_form = inputs_form or InputsForm(activity=activity)
    card = None
    if not inputs_form.is_bound or inputs_form.is_valid():
        try:
            card = selectors.scorecard_compute(user=user, activity=activity,
                                               inputs=inputs_form.inputs())
        except TouchstoneRefused as error:
            raise PermissionDenied(error.message) from error
        except TouchstoneError as error:
            show_error(inputs_form, error, {"target_group_indicator": "target_group"})
    if inputs_form.errors:
        status = max(status, 400)
    context = plan_page.build(user=user, activity=activity, card=card,
                              inputs=inputs_form.inputs(), assess_form=assess_form,
                              decision_form=decision_form)
    context["inputs_form"] = inputs_form
    context["crumbs"] = [a for a in programme_selectors.activity_ancestors(activity=activity)
                         if programme_rules.may_read(user, a)]
    return render(request, "touchstone/plan.html", context, status=status)


def plan(request, code: str):
    activity = _activity_or_404(request.user, code)
    inputs_form = InputsForm(request.GET, activity=activity) if request.GET else None
    return _plan_response(request, activity, inputs_form=inputs_form)


def _plan_url(activity, inputs: dict | None = None, anchor: str = "") -> str:
    """The plan's page with the inputs its scorecard was computed with (the defaults are
    left out)."""
    inputs = inputs or {}
    query = {k: v for k, v in (("target_group", inputs.get("target_group_indicator")),
                               ("reach_result", inputs.get("reach_result")))
             if v and v != DEFAULT_TARGET_GROUP}
    return reverse("touchstone:plan", args=[activity.code]) + (
        "?" + urlencode(query) if query else "") + anchor


@require_POST
def assess(request, code: str):
    activity = _activity_or_404(request.user, code)
    if not permissions.may_assess(request.user, activity):
        raise PermissionDenied(_("Only the programme bureau, the programme staff of the "
                                 "plan's owner and administrators assess plans."))
    form = AssessmentForm(request.POST)
    status = 400
    if form.is_valid():
        arguments = form.service_arguments()
        try:
            assessment = assessment_create(acting_user=request.user, activity=activity,
                                           **arguments)
        except TouchstoneRefused as error:
            raise PermissionDenied(error.message) from error
        except TouchstoneError as error:
            show_error(form, error, HIDDEN_FIELDS)
            status = 400
            if error.field == "expected_version":
                # Someone changed the plan: show it as it is now, keep what was typed, and
                # let the next store build on the version now shown.
                status = 409
                activity = _activity_or_404(request.user, code)
                form.data = form.data.copy()
                form.data["expected_version"] = str(activity.version)
        else:
            messages.success(request, _("The assessment is stored as number %(id)s.")
                             % {"id": assessment.pk})
            return redirect(_plan_url(activity, arguments["inputs"], "#assessments"))
    inputs = {"target_group": form.data.get("target_group_indicator") or "",
              "reach_result": form.data.get("reach_result") or ""}
    inputs_form = InputsForm(inputs, activity=activity)
    if not inputs_form.is_valid():
        inputs_form = None  # the hidden inputs were tampered with: show the defaults
    return _plan_response(request, activity, inputs_form=inputs_form, assess_form=form,
                          status=status)


@require_POST
def decide(request, code: str):
    activity = _activity_or_404(request.user, code)
    if not permissions.may_decide(request.user, activity):
        raise PermissionDenied(_("Only the programme bureau, the programme staff of the "
                                 "plan's owner and administrators record decisions."))
    current = [a for a in selectors.assessment_list(user=request.user, activity=activity)
               if a.activity_version == activity.version]
    form = DecisionForm(request.POST, assessments=current)
    if form.is_valid():
        assessment = next(a for a in current if a.pk == form.cleaned_data["assessment"])
        try:
            decision_record(acting_user=request.user, assessment=assessment,
                            decision=form.cleaned_data["decision"],
                            reason=form.cleaned_data["reason"])
        except TouchstoneRefused as error:
            raise PermissionDenied(error.message) from error
        except TouchstoneError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The decision on assessment %(id)s is recorded.")
                             % {"id": assessment.pk})
            return redirect(_plan_url(activity, anchor="#assessments"))
    return _plan_response(request, activity, decision_form=form, status=400)


# -- alternatives side by side -----------------------------------------------------------

def _wanted(request) -> tuple[list[int], str | None]:
    """The assessment numbers asked for (``?assessments=1,2`` or one parameter each), in
    order, each once; or the problem with them."""
    wanted: list[int] = []
    for value in request.GET.getlist("assessments"):
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            if not item.isdigit():
                return [], _("Expected assessment numbers such as 12,15; found %(found)r.") \
                    % {"found": item}
            if int(item) not in wanted:
                wanted.append(int(item))
    if len(wanted) > COMPARE_MOST:
        return [], _("At most %(most)s plans side by side; found %(found)s.") % {
            "most": COMPARE_MOST, "found": len(wanted)}
    return wanted, None


def _picker(user, readable, chosen: list[int]) -> list[dict]:
    """The assessments to pick from, grouped by the activity above the plan (the plans
    under one programme line are the alternatives), oldest first: the columns follow."""
    prefetch_related_objects(readable, "activity__parent")
    groups: dict[str, dict] = {}
    for assessment in sorted(readable, key=lambda a: a.pk):  # variant A before variant B
        parent = assessment.activity.parent
        if parent is not None and programme_rules.may_read(user, parent):
            key, title = parent.code, parent.title
        else:
            key, title = "", _("Plans without a (visible) activity above them")
        group = groups.setdefault(key, {"code": key, "title": title, "items": []})
        group["items"].append({"assessment": assessment, "name": assessment_name(assessment),
                               "checked": assessment.pk in chosen})
    return sorted(groups.values(), key=lambda g: (g["code"] == "", g["title"]))


def compare(request):
    user = request.user
    wanted, problem = _wanted(request)
    readable = selectors.assessment_list(user=user)
    by_pk = {a.pk: a for a in readable}
    missing = [pk for pk in wanted if pk not in by_pk]
    if missing and problem is None:
        problem = _("No assessment %(ids)s that you may read.") % {
            "ids": ", ".join(str(pk) for pk in missing)}
    comparison = None
    if wanted and problem is None:
        comparison = selectors.compare([by_pk[pk] for pk in wanted], user=user)
    plans = []
    if comparison is not None:
        plans = [{"plan": p, "day": day(p.computed_at),
                  "outdated": by_pk[p.assessment_id].activity.version != p.version}
                 for p in comparison.plans]
    rows = []
    if comparison is not None:
        for row in comparison.rows:
            rows.append({"label": row.label, "question": row.question, "cells": [
                None if c is None else {"badge": badge(c.rating),
                                        "reason": c.reason.text(), "note": c.note,
                                        "argued": c.basis == "argued"}
                for c in row.cells]})
    return render(request, "touchstone/compare.html", {
        "groups": _picker(user, readable, wanted), "problem": problem,
        "plans": plans, "rows": rows,
    }, status=400 if problem else 200)
