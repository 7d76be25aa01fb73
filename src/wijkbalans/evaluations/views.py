"""Pages under /evaluaties/: the list, the form that defines an evaluation, the result
with its charts (server-rendered SVG, each with a data table), and the reproducibility
check.

Anyone may read evaluations, as the monitor; defining and checking them needs the role
admin, programme staff or analyst. The form only queues the evaluation: a worker
(``wijkbalans evaluations work``) runs it, and the result page refreshes itself every
three seconds (a meta refresh, no script) until the run has finished.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.charts.effects import gap_svg, paths_svg, placebo_bins, placebo_svg

from . import presentation as show
from . import selectors
from .forms import EvaluationForm
from .services import EvaluationError, evaluation_create, evaluation_rerun_check

PAGE_SIZE = 50
REFRESH_SECONDS = 3


def _evaluation_or_404(pk: int, *, done: bool = False):
    evaluation = selectors.evaluation_get(pk=pk)
    if evaluation is None or (done and evaluation.status != evaluation.Status.DONE):
        raise Http404(_("No finished evaluation %(id)s") % {"id": pk})
    return evaluation


def _indicator(code: str) -> dict:
    names = selectors.indicator_names(code=code)
    if names is None:
        return {"name": code, "decimals": 1, "unit": ""}
    return {"name": names[1] if show.lang() == "en" else names[0], "decimals": names[2],
            "unit": names[3]}


def evaluation_list(request):
    page = Paginator(selectors.evaluation_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"evaluation": e, "estimate": show.number(e.estimate, 2),
             "conclusion": show.conclusion_label(e.conclusion) if e.conclusion else ""}
            for e in page]
    return render(request, "evaluations/list.html", {
        "page": page, "rows": rows,
        "may_define": selectors.evaluation_user_may_define(user=request.user),
    })


@login_required
def evaluation_new(request):
    if not selectors.evaluation_user_may_define(user=request.user):
        raise PermissionDenied(_("Defining an evaluation needs the role administrator, "
                                 "programme staff or analyst."))
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = evaluation_create(**form.service_arguments(),
                                           acting_user=request.user)
        except EvaluationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The evaluation is queued; this page shows the "
                                        "result when it is ready."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    return render(request, "evaluations/form.html", {"form": form},
                  status=400 if form.errors else 200)


def evaluation_detail(request, pk: int):
    evaluation = _evaluation_or_404(pk)
    context = {"evaluation": evaluation, "refresh": REFRESH_SECONDS,
               "indicator": _indicator(evaluation.outcome),
               "may_define": selectors.evaluation_user_may_define(user=request.user)}
    result = evaluation.result
    if evaluation.status == evaluation.Status.DONE and result:
        decimals = context["indicator"]["decimals"]
        names = selectors.area_names(codes=show.codes_named(result))
        weights, unweighted = show.donor_weights(result, names)
        values, actual, what = show.placebo_values(result)
        context.update({
            "summary": show.summary(result, decimals), "verdict": show.verdict(result),
            "paths": show.path_rows(result, decimals),
            "placebo_rows": show.placebo_rows(result, decimals), "placebo_what": what,
            "placebo_count": len(values), "fit": show.fit(result, decimals),
            "weights": weights, "unweighted": unweighted,
            "time_weights": show.time_weights(result),
            "left_out": show.left_out(result, names),
            "leave_one_out": show.leave_one_out(result, names, decimals),
            "ratios": show.ratio_rows(result, names, decimals),
            "treated": [(c, names.get(c, "")) for c in result["donor_pool"]["treated"]],
            "charts": {kind: reverse("evaluations:chart", args=[pk, kind])
                       for kind in ("verloop", "verschil", "placebo")},
        })
    return render(request, "evaluations/detail.html", context)


def evaluation_chart(request, pk: int, kind: str):
    evaluation = _evaluation_or_404(pk, done=True)
    result = evaluation.result
    indicator = _indicator(evaluation.outcome)
    d = indicator["decimals"]
    number = (lambda v: show.number(v, d))  # noqa: E731 - a formatter handed to matplotlib
    start = show.start_index(result)
    start_label = _("start %(period)s") % {"period": evaluation.start_period}
    table_note = _("The table below the chart holds the same figures.")
    if kind == "verloop":
        svg = paths_svg(
            show.periods(result), result["treated_path"], result["counterfactual"],
            start_index=start, title=_("%(outcome)s: programme area and its comparison")
            % {"outcome": indicator["name"]}, treated_label=_("programme area"),
            counterfactual_label=_("comparison (counterfactual)"), start_label=start_label,
            unit=indicator["unit"], number=number,
            description=_("Solid line: the programme area; dashed line: what the comparison "
                          "areas suggest it would have been without the programme.")
            + " " + table_note)
    elif kind == "verschil":
        svg = gap_svg(
            show.periods(result), result["gap"], start_index=start,
            title=_("%(outcome)s: difference with the comparison")
            % {"outcome": indicator["name"]},
            gap_label=_("programme area minus comparison"), start_label=start_label,
            unit=indicator["unit"], number=number, description=table_note)
    elif kind == "placebo":
        values, actual, what = show.placebo_values(result)
        svg = placebo_svg(
            values, actual, edges=placebo_bins(values, actual),
            title=_("Placebo distribution: %(what)s") % {"what": what}, value_label=what,
            count_label=_("number of placebos"), actual_label=_("this evaluation"),
            number=lambda v: show.number(v, show.effect_decimals(d)),
            description=_("Bars: the placebo results of comparison areas treated as if they "
                          "had the programme; the line is this evaluation.") + " " + table_note)
    else:
        raise Http404(_("No chart %(kind)s") % {"kind": kind})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def evaluation_check(request, pk: int):
    if not selectors.evaluation_user_may_define(user=request.user):
        raise PermissionDenied(_("Checking an evaluation needs the role administrator, "
                                 "programme staff or analyst."))
    evaluation = _evaluation_or_404(pk, done=True)
    try:
        check = evaluation_rerun_check(evaluation=evaluation, acting_user=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
        return redirect("evaluations:detail", pk=pk)
    if check.identical:
        messages.success(request, _("Computed again from the stored panel and settings: the "
                                    "result is identical."))
    else:
        detail = check.error or ", ".join(check.differences)
        messages.error(request, _("Computed again from the stored panel and settings: the "
                                  "result differs (%(detail)s).") % {"detail": detail})
    return redirect("evaluations:detail", pk=pk)
