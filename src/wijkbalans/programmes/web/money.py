"""Pages of the register's money: funding sources and what they secure per year
(/programma/financiering/), an activity's budget lines, and the coverage of the whole
horizon (/programma/dekking/): need, secured and gap per year and source in euros, what
falls away when a temporary source ends, a chart with the same figures as a table, and
CSV and JSON downloads.

Members of the Local Alliance read the money; the public does not (it gets a log-in page
or a 403). A finance officer of a municipality edits sources, one of the activity's owner
its budget lines; ``services.money`` checks again and audits every change.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.charts.coverage import coverage_svg
from wijkbalans.charts.numbers import format_number

from .. import coverage as cov
from .. import permissions
from ..errors import ConflictError, PermissionRefused, ProgrammeError
from ..models import BudgetLine, FundingSource
from ..services import money as services
from .common import activity_or_404, conflict_context, euro, refuse
from .forms import (
    AllocationForm,
    BudgetLineEditForm,
    BudgetLineForm,
    CoverageFilterForm,
    FundingSourceEditForm,
    FundingSourceForm,
    lang,
    show_error,
)

ZERO = Decimal("0.00")


def _reader_or_403(user) -> None:
    if not permissions.may_read_money(user):
        refuse(_("Only members of the Local Alliance see the money of the register."))


def _sources_or_403(user) -> None:
    if not permissions.may_edit_sources(user):
        refuse(_("Only a finance officer of the municipality changes funding sources."))


# -- funding sources --------------------------------------------------------------------

def _source_table(sources) -> dict:
    """Sources × years of what they secure: the years of any allocation, in order."""
    years = sorted({a.year for s in sources for a in s.allocations.all()})
    rows = []
    for s in sources:
        amounts = {a.year: a.amount for a in s.allocations.all()}
        rows.append({"source": s, "amounts": [euro(amounts[y]) if y in amounts else "–"
                                              for y in years],
                     "total": euro(sum(amounts.values(), ZERO))})
    totals = [euro(sum((a.amount for s in sources for a in s.allocations.all()
                        if a.year == y), ZERO)) for y in years]
    return {"years": years, "rows": rows, "totals": totals}


@login_required
def sources(request):
    _reader_or_403(request.user)
    may_edit = permissions.may_edit_sources(request.user)
    form = FundingSourceForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        _sources_or_403(request.user)
        if form.is_valid():
            try:
                source = services.funding_source_save(acting_user=request.user,
                                                      **form.service_arguments())
            except PermissionRefused as error:
                refuse(error)
            except ProgrammeError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The funding source %(code)s is added; now set "
                                            "what it secures per year.") % {"code": source.code})
                return redirect("programmes:source_edit", source.code)
    rows = list(FundingSource.objects.select_related("funder").prefetch_related(
        "allocations"))
    return render(request, "programmes/sources.html", {
        "sources": rows, "table": _source_table(rows), "form": form, "may_edit": may_edit,
    }, status=400 if form is not None and form.errors else 200)


def _source_or_404(code: str) -> FundingSource:
    source = FundingSource.objects.select_related("funder").filter(code=code).first()
    if source is None:
        raise Http404(_("No funding source %(code)s") % {"code": code})
    return source


@login_required
def source_edit(request, code: str):
    """The source's form and its secured amounts per year; a hidden ``form`` field says
    which of the two forms was sent."""
    _reader_or_403(request.user)
    _sources_or_403(request.user)
    source = _source_or_404(code)
    which = request.POST.get("form") if request.method == "POST" else None
    form = FundingSourceEditForm(request.POST if which == "source" else None,
                                 initial=FundingSourceForm.initial_from(source))
    posted = request.POST.get("allocation-year", "").strip() if which == "allocation" else ""
    in_row = posted.isdigit() and source.allocations.filter(year=int(posted)).exists()
    allocation_form = AllocationForm(request.POST if which == "allocation" else None,
                                     prefix="allocation",
                                     auto_id=f"id_alloc{posted}_%s" if in_row else "id_%s")
    context = {"source": source, "form": form,
               "allocation_form": AllocationForm(prefix="allocation") if in_row
               else allocation_form}
    row_form = allocation_form if in_row else None
    if which in ("source", "allocation"):
        bound = form if which == "source" else allocation_form
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if which == "source":
                    saved = services.funding_source_save(
                        acting_user=request.user, source=source,
                        expected_version=data["version"], **bound.service_arguments())
                else:
                    saved = source
                    services.funding_allocation_set(
                        acting_user=request.user, source=source, year=data["year"],
                        amount=data["amount"], expected_version=data["version"])
            except PermissionRefused as error:
                refuse(error)
            except ConflictError as error:
                context.update(conflict_context(error, bound))
                context["allocations"] = _allocations(source, row_form)
                return render(request, "programmes/source_form.html", context, status=409)
            except ProgrammeError as error:
                show_error(bound, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("programmes:source_edit", saved.code)
    context["allocations"] = _allocations(source, row_form)
    return render(request, "programmes/source_form.html", context,
                  status=400 if form.errors or allocation_form.errors else 200)


def _allocations(source, bound=None) -> list[dict]:
    """Each secured amount with its own small form (ids told apart by year); ``bound`` is
    the form just sent for one of them, shown in its row with its errors."""
    rows = []
    for a in source.allocations.order_by("year"):
        form = bound if bound is not None and str(bound.data.get("allocation-year", "")
                                                  ).strip() == str(a.year) else None
        rows.append({"allocation": a, "amount": euro(a.amount), "form": form or AllocationForm(
            prefix="allocation", auto_id=f"id_alloc{a.year}_%s",
            initial={"year": a.year, "amount": a.amount, "version": a.version})})
    return rows


# -- budget lines -----------------------------------------------------------------------

def _budget_or_403(user, activity) -> None:
    if not permissions.may_edit_budget(user, activity):
        refuse(_("Only a finance officer of %(owner)s changes the budget of this activity.")
               % {"owner": activity.owner})


def _line_or_404(activity, pk: int) -> BudgetLine:
    line = activity.budget_lines.select_related("source", "activity__owner").filter(
        pk=pk).first()
    if line is None:
        raise Http404(_("No such budget line"))
    return line


@login_required
def budget_line_new(request, code: str):
    activity = activity_or_404(request.user, code)
    _budget_or_403(request.user, activity)
    form = BudgetLineForm(request.POST or None, sources=list(FundingSource.objects.all()),
                          initial={"source": request.GET.get("bron", ""),
                                   "year": request.GET.get("jaar", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_create(acting_user=request.user, activity=activity,
                                        **form.service_arguments())
        except PermissionRefused as error:
            refuse(error)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The budget line is added."))
            return redirect("programmes:activity", code)
    return render(request, "programmes/budget_line_form.html",
                  {"activity": activity, "form": form, "line": None},
                  status=400 if form.errors else 200)


def _line_conflict(error: ConflictError, form) -> dict:
    current = dict(error.current or {})
    if current.get("source_id"):
        current["source"] = FundingSource.objects.filter(pk=current["source_id"]).values_list(
            "code", flat=True).first()
    error.current = current
    return conflict_context(error, form)


@login_required
def budget_line_edit(request, code: str, pk: int):
    activity = activity_or_404(request.user, code)
    _budget_or_403(request.user, activity)
    line = _line_or_404(activity, pk)
    form = BudgetLineEditForm(request.POST or None, sources=list(FundingSource.objects.all()),
                              initial=BudgetLineForm.initial_from(line))
    context = {"activity": activity, "form": form, "line": line}
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(acting_user=request.user, line=line,
                                        expected_version=form.cleaned_data["version"],
                                        **form.service_arguments())
        except PermissionRefused as error:
            refuse(error)
        except ConflictError as error:
            context.update(_line_conflict(error, form))
            return render(request, "programmes/budget_line_form.html", context, status=409)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("programmes:activity", code)
    return render(request, "programmes/budget_line_form.html", context,
                  status=400 if form.errors else 200)


@login_required
@require_POST
def budget_line_delete(request, code: str, pk: int):
    activity = activity_or_404(request.user, code)
    _budget_or_403(request.user, activity)
    line = _line_or_404(activity, pk)
    try:
        services.budget_line_delete(acting_user=request.user, line=line)
    except PermissionRefused as error:
        refuse(error)
    except ProgrammeError as error:
        messages.error(request, error.message)
        return redirect("programmes:budget_line_edit", code, pk)
    messages.success(request, _("The budget line is deleted."))
    return redirect("programmes:activity", code)


# -- coverage ---------------------------------------------------------------------------

def _coverage_or_400(request):
    """The coverage for the page's filters, or (None, the form with its errors)."""
    form = CoverageFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return None, form
    data = form.cleaned_data if request.GET else {}
    try:
        return cov.coverage_table(from_year=data.get("van"), to_year=data.get("tot")), form
    except ProgrammeError as error:
        form.add_error({"from_year": "van", "to_year": "tot"}.get(error.field), error.message)
        return None, form


def _query(coverage) -> str:
    return f"?van={coverage.from_year}&tot={coverage.to_year}"


def _coverage_tables(coverage) -> dict:
    by_year: dict[int, list] = {}
    for r in coverage.rows:
        by_year.setdefault(r.year, []).append({
            "code": r.source_code, "name": r.source_name, "need": euro(r.need),
            "secured": euro(r.secured), "gap": euro(r.gap), "short": r.gap > 0})
    years = [{"year": y.year, "need": euro(y.need), "secured": euro(y.secured),
              "gap": euro(y.gap), "shortfall": euro(y.shortfall), "short": y.gap > 0,
              "sources": by_year.get(y.year, [])} for y in coverage.years]
    ending = [{"code": e.source_code, "name": e.source_name, "last_year": e.last_year,
               "secured": euro(e.secured_last_year), "need": euro(e.need_last_year),
               "after": [{"year": a.year, "amount": euro(a.falls_away),
                          "activities": a.activities} for a in e.after if a.falls_away]}
              for e in coverage.ending]
    totals = {k: euro(sum((getattr(y, k) for y in coverage.years), ZERO))
              for k in ("need", "secured", "gap", "shortfall")}
    return {"years": years, "ending": ending, "totals": totals, "chart": _chart_data(coverage)}


def _chart_data(coverage) -> dict:
    """The chart's figures: per year the need and what each source secured (sources in
    the order of the stack, by code)."""
    names: dict[str, str] = {}
    secured: dict[tuple[int, str], Decimal] = {}
    for r in sorted(coverage.rows, key=lambda r: r.source_code):
        names.setdefault(r.source_code, r.source_name)
        secured[r.year, r.source_code] = r.secured
    return {"codes": list(names), "names": list(names.values()), "secured": secured,
            "years": [y.year for y in coverage.years], "need": [y.need for y in coverage.years],
            "rows": [{"year": y.year, "need": euro(y.need), "total": euro(y.secured),
                      "gap": euro(y.gap), "short": y.gap > 0,
                      "sources": [euro(secured.get((y.year, c), ZERO)) for c in names]}
                     for y in coverage.years]}


@login_required
def coverage_page(request):
    _reader_or_403(request.user)
    coverage, form = _coverage_or_400(request)
    context = {"form": form}
    if coverage is not None:
        if not form.is_bound:  # show the years the default range chose
            form.initial = {"van": coverage.from_year, "tot": coverage.to_year}
        context.update(_coverage_tables(coverage))
        context.update({"coverage": coverage, "query": _query(coverage)})
    return render(request, "programmes/coverage.html", context,
                  status=400 if coverage is None else 200)


def _download(request, fmt: str):
    _reader_or_403(request.user)
    coverage, form = _coverage_or_400(request)
    if coverage is None:
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    name = f"dekking-{coverage.from_year}-{coverage.to_year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(cov.coverage_csv(coverage), content_type="text/csv; "
                                                                         "charset=utf-8")
    else:
        response = HttpResponse(cov.coverage_json(coverage),
                                content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def coverage_csv(request):
    return _download(request, "csv")


@login_required
def coverage_json(request):
    return _download(request, "json")


def _million(value: float) -> str:
    """Axis labels: ``€ 1,5 mln`` (Dutch) or ``€ 1.5 m``."""
    if abs(value) >= 1_000_000:
        return f"€ {format_number(value / 1_000_000, 1, lang())} " + _("mln")
    return f"€ {format_number(value, 0, lang())}"


@login_required
def coverage_chart(request):
    _reader_or_403(request.user)
    coverage, _form = _coverage_or_400(request)
    if coverage is None:
        return HttpResponse(_("Expected years such as van=2022&tot=2042."), status=400,
                            content_type="text/plain; charset=utf-8")
    data = _chart_data(coverage)
    svg = coverage_svg(
        data["years"], data["need"],
        [(name, [data["secured"].get((y, code), ZERO) for y in data["years"]])
         for code, name in zip(data["codes"], data["names"], strict=True)],
        title=_("Planned need and secured funds per year, %(first)s–%(last)s")
        % {"first": coverage.from_year, "last": coverage.to_year},
        need_label=_("planned need"), number=_million,
        description=_("Bars: the funds secured per year, stacked by source; line: the "
                      "planned need. Where the line runs above the bar, money is still to "
                      "be found. The table on the page holds the same figures."))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
