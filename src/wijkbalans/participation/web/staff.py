"""The staff pages under ``/meedoen/beheer/``: what the programme staff of the municipality
(the moderators, ``permissions.is_moderator``) set up for residents.

- ``beheer/``: the consultations, proposals and budget rounds with their state, and the
  way to each page where staff act on them (edit, moderate, close, publish an outcome).
- ``beheer/raadpleging/nieuw/`` and ``beheer/raadpleging/<pk>/``: create and change a
  consultation (``services.consultations``).
- ``beheer/budget/nieuw/`` and ``beheer/budget/<pk>/``: set up and change a budget round
  and its projects, and publish it (``services.budgets``). Changing a round needs the
  programme staff of the organisation that owns its programme
  (``permissions.may_run_round``); other moderators read it.

Every write goes through one service, which checks the rules again and writes the audit
entry. A refused or malformed form is shown again with what was typed and the message at
its field (400); a POST the user may not make is a 403 and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.programmes import selectors as programme_selectors
from wijkbalans.programmes.models import Activity, FundingSource

from .. import permissions, selectors
from ..errors import ParticipationError
from ..models import BudgetProject, BudgetRound, Consultation, Proposal
from ..services import budgets, consultations
from .common import found, page, place_name, require_moderator, show_error
from .staff_forms import BudgetRoundForm, ConsultationForm, ProjectForm

LIST_LIMIT = 200
SAVED = "opgeslagen"


def _capped(queryset) -> tuple[list, bool]:
    """The first ``LIST_LIMIT`` rows, and whether there are more."""
    rows = list(queryset[:LIST_LIMIT + 1])
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


def _consultation_state(consultation) -> str:
    return {"draft": _("draft"), "upcoming": _("published, not open yet"),
            "open": _("open for comments"), "closed": _("closed")}[
        consultations.phase(consultation)]


def _round_state(budget_round) -> str:
    phase = selectors.round_phase(budget_round)
    if budget_round.status == BudgetRound.Status.CLOSED:
        return _("closed and counted")
    if budget_round.status == BudgetRound.Status.PUBLISHED and phase == "closed":
        return _("voting ended; not counted yet")
    return {"draft": _("draft"), "upcoming": _("published, voting not open yet"),
            "open": _("voting open")}[phase]


def overview(request):
    back = require_moderator(request)
    if back is not None:
        return back
    user = request.user
    consultation_rows, more_consultations = _capped(selectors.consultation_list(viewer=user))
    proposal_rows, more_proposals = _capped(selectors.proposal_list(viewer=user))
    round_rows, more_rounds = _capped(selectors.budget_round_list(viewer=user)
                                      .select_related("programme"))
    for c in consultation_rows:
        c.state, c.place = _consultation_state(c), place_name(c)
    for p in proposal_rows:
        p.place = place_name(p)
    for r in round_rows:
        r.state, r.place = _round_state(r), place_name(r)
        r.may_run = permissions.may_run_round(user, r.programme)
        r.to_close = (r.status == BudgetRound.Status.PUBLISHED
                      and selectors.round_phase(r) == "closed")
    return page(request, "participation/staff_overview.html", {
        "consultations": consultation_rows, "proposals": proposal_rows, "rounds": round_rows,
        "more": {"consultations": more_consultations, "proposals": more_proposals,
                 "rounds": more_rounds}, "limit": LIST_LIMIT})


# -- consultations ----------------------------------------------------------------------

def _activities(user):
    return programme_selectors.activity_tree(user=user)


def consultation_new(request):
    back = require_moderator(request)
    if back is not None:
        return back
    form = ConsultationForm(request.POST or None, activities=_activities(request.user))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultations.consultation_create(
                acting_user=request.user, publish=form.cleaned_data["publish"],
                **form.place_arguments(), **form.service_arguments())
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:staff_consultation",
                                    args=[consultation.pk]) + f"?{SAVED}=1")
    return page(request, "participation/staff_consultation.html",
                {"form": form, "consultation": None}, error=error, forms=[form])


def consultation_edit(request, pk: int):
    """Change a consultation; a draft can be published here too. Its area stays."""
    back = require_moderator(request)
    if back is not None:
        return back
    consultation = found(selectors.consultation_get(pk=pk, viewer=request.user),
                         _("No consultation %(pk)s") % {"pk": pk})
    draft = consultation.status == Consultation.Status.DRAFT
    form = ConsultationForm(
        request.POST or None, activities=_activities(request.user), with_place=False,
        with_publish=draft,
        initial={"title": consultation.title, "text": consultation.text,
                 "opens": consultation.opens, "closes": consultation.closes,
                 "activity": consultation.activity.code if consultation.activity else ""})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the change and the publishing, or neither
                consultation = consultations.consultation_update(
                    acting_user=request.user, consultation=consultation,
                    **form.service_arguments())
                if draft and form.cleaned_data.get("publish"):
                    consultations.consultation_publish(acting_user=request.user,
                                                       consultation=consultation)
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:staff_consultation", args=[pk])
                            + f"?{SAVED}=1")
    consultation.state = _consultation_state(consultation)
    return page(request, "participation/staff_consultation.html", {
        "form": form, "consultation": consultation, "place": place_name(consultation),
        "saved": request.GET.get(SAVED) == "1"}, error=error, forms=[form])


# -- budget rounds ----------------------------------------------------------------------

def _programmes(user) -> tuple[list[Activity], list[Activity]]:
    """(the programmes ``user`` may run a round under, every programme ``user`` reads)."""
    every = [a for a, _depth in programme_selectors.activity_tree(user=user)
             if a.kind == Activity.Kind.PROGRAMME]
    return [a for a in every if permissions.may_run_round(user, a)], every


def _sources() -> list[FundingSource]:
    # The register's money pages read the sources the same way; there is no selector.
    return list(FundingSource.objects.order_by("name", "code"))


def _refuse_runner(budget_round) -> None:
    raise PermissionDenied(_("Only programme staff of %(owner)s, which owns the programme, "
                             "may change this budget round.")
                           % {"owner": budget_round.programme.owner})


def round_new(request):
    back = require_moderator(request)
    if back is not None:
        return back
    runnable, every = _programmes(request.user)
    if request.method == "POST":
        wanted = request.POST.get("programme", "")
        if not runnable or (any(a.code == wanted for a in every)
                            and not any(a.code == wanted for a in runnable)):
            raise PermissionDenied(_("Only programme staff of the organisation that owns "
                                     "the programme may run a budget round under it."))
    form = BudgetRoundForm(request.POST or None, programmes=runnable, sources=_sources(),
                           initial={"year": timezone.localdate().year})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            budget_round = budgets.budget_round_create(
                acting_user=request.user, programme=form.programmes[
                    form.cleaned_data["programme"]],
                **form.place_arguments(), **form.service_arguments())
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:staff_round", args=[budget_round.pk])
                            + f"?{SAVED}=1")
    return page(request, "participation/staff_round_new.html",
                {"form": form, "runnable": runnable}, error=error, forms=[form])


def _round_or_404(request, pk: int) -> BudgetRound:
    return found(selectors.budget_round_get(pk=pk, viewer=request.user),
                 _("No budget round %(pk)s") % {"pk": pk})


def _round_form(request, budget_round, data=None) -> BudgetRoundForm:
    return BudgetRoundForm(data, sources=_sources(), with_place=False, initial={
        "title": budget_round.title, "description": budget_round.description,
        "total_budget": budget_round.total_budget, "opens": budget_round.opens,
        "closes": budget_round.closes, "year": budget_round.year,
        "source": budget_round.source.code, "max_projects": budget_round.max_projects})


def _proposals_for(user, budget_round) -> list[Proposal]:
    """The visible proposals about the round's area, or its area set and its buurten,
    that are not turned down: where a project may come from."""
    if budget_round.area_id:
        qs = selectors.proposal_list(viewer=user, area_code=budget_round.area.code)
    else:
        qs = selectors.proposal_list(viewer=user).filter(
            Q(area_set_id=budget_round.area_set_id)
            | Q(area__in=budget_round.area_set.members.all()))
    return list(qs.filter(visibility=Proposal.Visibility.VISIBLE)
                .exclude(status=Proposal.Status.REJECTED).order_by("title", "id")[:300])


def _round_page(request, budget_round, *, form=None, project_form=None, error=None,
                publish_error=None):
    may_run = permissions.may_run_round(request.user, budget_round.programme)
    draft = budget_round.status == BudgetRound.Status.DRAFT
    # The forms while the round is a draft; a form posted after it was published (in
    # another tab) comes back with the refusal and what was typed.
    if may_run and draft:
        form = form or _round_form(request, budget_round)
        project_form = project_form or ProjectForm(
            proposals=_proposals_for(request.user, budget_round), auto_id="id_project_%s")
    elif not may_run:
        form = project_form = None
    projects = selectors.budget_projects(budget_round=budget_round)
    budget_round.state = _round_state(budget_round)
    return page(request, "participation/staff_round.html", {
        "round": budget_round, "place": place_name(budget_round), "projects": projects,
        "projects_total": sum(p.cost for p in projects), "may_run": may_run, "draft": draft,
        "to_close": (budget_round.status == BudgetRound.Status.PUBLISHED
                     and selectors.round_phase(budget_round) == "closed"),
        "form": form, "project_form": project_form, "publish_error": publish_error,
        "saved": request.GET.get(SAVED) == "1"},
        error=error or publish_error, forms=[form, project_form])


def round_edit(request, pk: int):
    """A round's details and projects; while a draft, its runners change them here."""
    back = require_moderator(request)
    if back is not None:
        return back
    budget_round = _round_or_404(request, pk)
    if request.method != "POST":
        return _round_page(request, budget_round)
    if not permissions.may_run_round(request.user, budget_round.programme):
        _refuse_runner(budget_round)
    form = _round_form(request, budget_round, request.POST)
    error = None
    if form.is_valid():
        try:
            budgets.budget_round_update(acting_user=request.user, budget_round=budget_round,
                                        **form.service_arguments())
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:staff_round", args=[pk]) + f"?{SAVED}=1")
    return _round_page(request, budget_round, form=form, error=error)


@require_POST
def round_publish(request, pk: int):
    back = require_moderator(request)
    if back is not None:
        return back
    budget_round = _round_or_404(request, pk)
    if not permissions.may_run_round(request.user, budget_round.programme):
        _refuse_runner(budget_round)
    try:
        budgets.budget_round_publish(acting_user=request.user, budget_round=budget_round)
    except ParticipationError as refused:
        return _round_page(request, budget_round, publish_error=refused)
    return redirect("participation:staff_round", pk=pk)


@require_POST
def project_new(request, pk: int):
    back = require_moderator(request)
    if back is not None:
        return back
    budget_round = _round_or_404(request, pk)
    if not permissions.may_run_round(request.user, budget_round.programme):
        _refuse_runner(budget_round)
    form = ProjectForm(request.POST, proposals=_proposals_for(request.user, budget_round),
                       auto_id="id_project_%s")
    error = None
    if form.is_valid():
        try:
            budgets.budget_project_add(acting_user=request.user, budget_round=budget_round,
                                       **form.service_arguments())
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:staff_round", args=[pk]) + "#projecten")
    return _round_page(request, budget_round, project_form=form, error=error)


def _project_or_404(request, pk: int) -> tuple[BudgetProject, BudgetRound]:
    project = found(BudgetProject.objects.select_related("proposal").filter(pk=pk).first(),
                    _("No project %(pk)s") % {"pk": pk})
    return project, _round_or_404(request, project.round_id)


def project_edit(request, pk: int):
    """Change a project of a draft round; or remove it (``project_remove``)."""
    back = require_moderator(request)
    if back is not None:
        return back
    project, budget_round = _project_or_404(request, pk)
    may_run = permissions.may_run_round(request.user, budget_round.programme)
    if request.method == "POST" and not may_run:
        _refuse_runner(budget_round)
    form = ProjectForm(request.POST or None, initial={
        "title": project.title, "description": project.description, "cost": project.cost})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            budgets.budget_project_update(acting_user=request.user, project=project,
                                          **form.service_arguments())
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:staff_round", args=[budget_round.pk])
                            + "#projecten")
    return _project_page(request, project, budget_round, form=form, error=error,
                         may_run=may_run)


def _project_page(request, project, budget_round, *, form, error=None, may_run=True):
    return page(request, "participation/staff_project.html", {
        "project": project, "round": budget_round, "form": form, "may_run": may_run,
        "draft": budget_round.status == BudgetRound.Status.DRAFT,
        "error": error}, error=error, forms=[form])


@require_POST
def project_remove(request, pk: int):
    back = require_moderator(request)
    if back is not None:
        return back
    project, budget_round = _project_or_404(request, pk)
    if not permissions.may_run_round(request.user, budget_round.programme):
        _refuse_runner(budget_round)
    try:
        budgets.budget_project_remove(acting_user=request.user, project=project)
    except ParticipationError as refused:
        form = ProjectForm(initial={"title": project.title,
                                    "description": project.description,
                                    "cost": project.cost})
        return _project_page(request, project, budget_round, form=form, error=refused)
    return redirect(reverse("participation:staff_round", args=[budget_round.pk])
                    + "#projecten")
