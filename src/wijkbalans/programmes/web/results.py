"""Pages of an activity's results: its result indicators and their targets per period
(programme staff of the owner), the updates partners report (draft, submitted), the
review by the programme bureau (approve, or return with a comment), and locking an
approved period. Every write goes through ``services.results``; a refused permission is
a 403 that changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.analysis.rollup import period_key

from .. import permissions
from ..errors import ConflictError, PermissionRefused, ProgrammeError
from ..models import ResultPeriod, ResultUpdate
from ..services import results as services
from .common import activity_or_404, conflict_context, quantity, refuse
from .forms import (
    ResultIndicatorForm,
    ResultPeriodForm,
    ResultUpdateEditForm,
    ResultUpdateForm,
    ReviewForm,
    show_error,
)


def _editor_or_403(user, activity) -> None:
    if not permissions.may_edit_register(user, activity):
        refuse(_("Only programme staff of %(owner)s may change the results of this "
                 "activity.") % {"owner": activity.owner})


def _result_or_404(activity, pk: int):
    result = activity.results.filter(pk=pk).first()
    if result is None:
        raise Http404(_("No such result indicator"))
    return result


@login_required
def result_new(request, code: str):
    activity = activity_or_404(request.user, code)
    _editor_or_403(request.user, activity)
    form = ResultIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.result_indicator_save(acting_user=request.user,
                                                    activity=activity, **form.cleaned_data)
        except PermissionRefused as error:
            refuse(error)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The result indicator is added; set its targets "
                                        "per period below."))
            return redirect("programmes:result_edit", code, result.pk)
    return render(request, "programmes/result_form.html",
                  {"activity": activity, "form": form, "result": None},
                  status=400 if form.errors else 200)


@login_required
def result_edit(request, code: str, pk: int):
    """The indicator's form and its periods with their targets; a hidden ``form`` field
    says which of the two forms was sent."""
    activity = activity_or_404(request.user, code)
    _editor_or_403(request.user, activity)
    result = _result_or_404(activity, pk)
    which = request.POST.get("form") if request.method == "POST" else None
    form = ResultIndicatorForm(request.POST if which == "result" else None,
                               initial=ResultIndicatorForm.initial_from(result))
    period_form = ResultPeriodForm(request.POST if which == "period" else None)
    if which in ("result", "period"):
        target_form, save = ((period_form, _save_period) if which == "period"
                             else (form, _save_result))
        if target_form.is_valid():
            try:
                save(request.user, activity, result, target_form.cleaned_data)
            except PermissionRefused as error:
                refuse(error)
            except ProgrammeError as error:
                show_error(target_form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("programmes:result_edit", code, pk)
    periods = sorted(result.periods.all(), key=lambda p: period_key(p.period))
    return render(request, "programmes/result_form.html", {
        "activity": activity, "form": form, "result": result, "period_form": period_form,
        "periods": [{"period": p, "target": quantity(p.target), "actual": quantity(p.actual)}
                    for p in periods],
    }, status=400 if form.errors or period_form.errors else 200)


def _save_result(user, activity, result, data):
    services.result_indicator_save(acting_user=user, activity=activity, result=result, **data)


def _save_period(user, activity, result, data):
    services.result_period_save(acting_user=user, result=result, period=data["period"],
                                target=data["target"])


# -- updates ----------------------------------------------------------------------------

def _open_periods(activity) -> list[ResultPeriod]:
    periods = ResultPeriod.objects.filter(result__activity=activity, locked=False
                                          ).select_related("result")
    return sorted(periods, key=lambda p: (p.result.order, p.result.name,
                                          period_key(p.period)))


def _update_or_404(activity, pk: int) -> ResultUpdate:
    update = ResultUpdate.objects.select_related("period__result", "organisation").filter(
        pk=pk, period__result__activity=activity).first()
    if update is None:
        raise Http404(_("No such result update"))
    return update


@login_required
def result_update_new(request, code: str):
    activity = activity_or_404(request.user, code)
    organisations = permissions.reporting_organisations(request.user, activity)
    if not organisations:
        refuse(_("Only partners of this activity report its results."))
    form = ResultUpdateForm(request.POST or None, periods=_open_periods(activity),
                            organisation_ids=organisations,
                            initial={"period": request.GET.get("periode", "")})
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.result_update_create(acting_user=request.user, submit=submit,
                                          **form.service_arguments())
        except PermissionRefused as error:
            refuse(error)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your update is sent to the programme bureau.")
                             if submit else _("Your update is saved as a draft."))
            return redirect("programmes:activity", code)
    return render(request, "programmes/update_form.html",
                  {"activity": activity, "form": form, "update": None},
                  status=400 if form.errors else 200)


@login_required
def result_update_edit(request, code: str, pk: int):
    activity = activity_or_404(request.user, code)
    update = _update_or_404(activity, pk)
    if not permissions.may_edit_update(request.user, update):
        refuse(_("Only %(organisation)s may change this update, while it is a draft or "
                 "returned.") % {"organisation": update.organisation})
    form = ResultUpdateEditForm(request.POST or None, initial={
        "value": update.value, "narrative": update.narrative, "version": update.version})
    context = {"activity": activity, "form": form, "update": update}
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        data = form.cleaned_data
        try:
            services.result_update_edit(acting_user=request.user, update=update,
                                        expected_version=data["version"], value=data["value"],
                                        narrative=data["narrative"])
            if submit:
                services.result_update_submit(acting_user=request.user, update=update)
        except PermissionRefused as error:
            refuse(error)
        except ConflictError as error:
            context.update(conflict_context(error, form))
            return render(request, "programmes/update_form.html", context, status=409)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your update is sent to the programme bureau.")
                             if submit else _("Your changes are saved."))
            return redirect("programmes:activity", code)
    return render(request, "programmes/update_form.html", context,
                  status=400 if form.errors else 200)


@login_required
def result_update_review(request, code: str, pk: int):
    activity = activity_or_404(request.user, code)
    update = _update_or_404(activity, pk)
    if not permissions.may_review(request.user, activity):
        refuse(_("Only the programme bureau of %(owner)s reviews result updates.")
               % {"owner": activity.owner})
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        service = {"approve": services.result_update_approve,
                   "return": services.result_update_return}.get(decision)
        if service is None:
            form.add_error(None, _("Choose approve or return."))
        else:
            try:
                service(acting_user=request.user, update=update,
                        comment=form.cleaned_data["comment"])
            except PermissionRefused as error:
                refuse(error)
            except ProgrammeError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The update is approved; it is the actual of "
                                            "%(period)s now.") % {"period": update.period.period}
                                 if decision == "approve" else
                                 _("The update is returned to %(organisation)s with your "
                                   "comment.") % {"organisation": update.organisation})
                return redirect("programmes:activity", code)
    previous = update.period.actual
    return render(request, "programmes/review_form.html", {
        "activity": activity, "update": update, "form": form, "value": quantity(update.value),
        "target": quantity(update.period.target), "current": quantity(previous),
        "reviewable": update.status == ResultUpdate.Status.SUBMITTED
        and not update.period.locked,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def period_lock(request, code: str, pk: int):
    activity = activity_or_404(request.user, code)
    period = ResultPeriod.objects.filter(pk=pk, result__activity=activity).first()
    if period is None:
        raise Http404(_("No such period"))
    unlock = request.POST.get("action") == "unlock"
    allowed = (permissions.is_admin(request.user) if unlock
               else permissions.may_review(request.user, activity))
    if not allowed:
        refuse(_("Only an administrator unlocks a period.") if unlock else
               _("Only the programme bureau of %(owner)s locks periods.")
               % {"owner": activity.owner})
    service = services.result_period_unlock if unlock else services.result_period_lock
    try:
        service(acting_user=request.user, period=period)
    except PermissionRefused as error:
        refuse(error)
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, (_("The period %(period)s is unlocked.") if unlock
                                   else _("The period %(period)s is locked."))
                         % {"period": period.period})
    return redirect("programmes:activity", code)
