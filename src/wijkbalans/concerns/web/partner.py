"""The partner's inbox (/signalen/partner/): the concerns routed to the user's
organisation, one concern's page with its follow-up, and its free text on request.

The text is never in a list: it is shown only after the explicit action "Show the text",
which reads it through :func:`~wijkbalans.concerns.services.concern_text_read` and so
writes ``concerns.text.read`` to the audit log. The page with the text is not cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import selectors
from ..models import Status
from ..services import ConcernError, ConcernNotAllowed, concern_followup, concern_text_read
from . import common
from .forms import FollowUpForm, InboxForm

PAGE_SIZE = 25
NOT_A_PARTNER = _lazy("This page is for partners of the Local Alliance to whom concerns are "
                      "routed (the role partner in an organisation).")
NOT_YOURS = _lazy("This concern was not routed to your organisation.")


def assignment_row(assignment) -> dict:
    concern = assignment.concern
    return {"assignment": assignment, "concern": concern,
            "theme": common.theme_label(concern.theme),
            "sign": common.sign_label(concern.sign),
            "severity": common.severity_label(concern.severity),
            "week": common.week_text(concern.week_start),
            "status": common.status_label(assignment.status),
            "outcome": common.outcome_label(assignment.outcome),
            "has_text": getattr(assignment, "concern_has_text", None)}


@never_cache
def inbox(request):
    organisations = selectors.partner_organisations(user=request.user)
    denied = common.login_or_refuse(request, bool(organisations), NOT_A_PARTNER)
    if denied:
        return denied
    form = InboxForm(request.GET or None, organisations=organisations)
    data = form.cleaned_data if form.is_valid() else {}
    chosen = data.get("organisatie") or organisations[0].slug
    organisation = next(o for o in organisations if o.slug == chosen)
    assignments = selectors.concerns_routed_to(organisation=organisation,
                                               status=data.get("status") or None)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "concerns/inbox.html", {
        "form": form, "organisation": organisation, "several": len(organisations) > 1,
        "page": page, "rows": [assignment_row(a) for a in page.object_list],
        "open": selectors.concerns_routed_to(organisation=organisation)
        .exclude(status=Status.CLOSED).count(),
        "query": query.urlencode(),
    }, status=400 if form.errors else 200)


def _assignment_or_refuse(request, pk: int):
    if not request.user.is_authenticated:
        return None
    assignment = selectors.assignment_get(pk=pk)
    if assignment is None:
        raise Http404(_("No such concern in an inbox"))
    if not selectors.user_may_follow_up(user=request.user, assignment=assignment):
        common.refuse(NOT_YOURS)
    return assignment


def _detail(request, assignment, *, text: str | None = None, form=None, status=200):
    row = assignment_row(assignment)
    row["has_text"] = selectors.concern_get(pk=assignment.concern_id).has_text
    others = [a.organisation.name for a in assignment.concern.assignments
              .select_related("organisation").exclude(pk=assignment.pk)
              .order_by("organisation__name")]
    closed = assignment.status == Status.CLOSED
    if form is None and not closed:
        form = FollowUpForm(current=assignment.status)
    history = [{"step": step, "status": common.status_label(step.status),
                "outcome": common.outcome_label(step.outcome)}
               for step in assignment.history.select_related("by").order_by("at", "id")]
    return render(request, "concerns/assignment.html", {
        "row": row, "text": text, "form": form, "others": others, "history": history,
        "closed": closed}, status=status)


@never_cache
def assignment_detail(request, pk: int):
    assignment = _assignment_or_refuse(request, pk)
    if assignment is None:
        return common.login_or_refuse(request, False, "")
    return _detail(request, assignment)


@never_cache
@require_POST
def assignment_text(request, pk: int):
    """"Show the text": the one way a partner reads a concern's free text (audited)."""
    assignment = _assignment_or_refuse(request, pk)
    if assignment is None:
        return common.login_or_refuse(request, False, "")
    try:
        text = concern_text_read(acting_user=request.user, concern=assignment.concern)
    except ConcernNotAllowed:
        common.refuse(NOT_YOURS)
    return _detail(request, assignment, text=text)


@never_cache
@require_POST
def assignment_followup(request, pk: int):
    assignment = _assignment_or_refuse(request, pk)
    if assignment is None:
        return common.login_or_refuse(request, False, "")
    if assignment.status == Status.CLOSED:
        messages.error(request, _("This follow-up is closed already."))
        return redirect("concerns:assignment", pk)
    form = FollowUpForm(request.POST, current=assignment.status)
    if form.is_valid():
        try:
            concern_followup(acting_user=request.user, assignment=assignment,
                             status=form.cleaned_data["status"],
                             outcome=form.cleaned_data.get("outcome") or "")
        except ConcernNotAllowed:
            common.refuse(NOT_YOURS)
        except ConcernError as error:
            form.add_error(error.field if error.field in form.fields else None,
                           error.message)
        else:
            messages.success(request, _("The follow-up is saved: %(status)s.")
                             % {"status": common.status_label(form.cleaned_data["status"])})
            return redirect("concerns:assignment", pk)
    return _detail(request, assignment, form=form, status=400)
