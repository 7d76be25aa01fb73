""""You said, we did": publishing what became of a consultation, a proposal or a budget
project, linked to the activity of the programme register it became, or with the reason
why not. Programme staff of the municipality publish; for a project also the staff who
run its round (``services.outcomes.outcome_publish`` decides). The outcome appears on the
subject's page and on the timeline of every neighbourhood page it concerns.

The subject comes in the query: ``?raadpleging=<id>``, ``?voorstel=<id>`` or
``?project=<id>``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkbalans.programmes import selectors as programme_selectors

from .. import permissions, selectors
from ..errors import ParticipationError
from ..models import BudgetProject
from ..services import outcomes
from .common import page, require_login, show_error
from .forms import OutcomeForm

PARAMETERS = {"raadpleging": "consultation", "voorstel": "proposal", "project": "project"}


def _subject(request) -> tuple[str, object, str]:
    """(kind, subject, its page) from the query; 404 when it names nothing."""
    given = [(name, request.GET[name]) for name in PARAMETERS if request.GET.get(name)]
    if len(given) != 1 or not given[0][1].isdigit():
        raise Http404(_("Name one consultation, proposal or project: ?raadpleging=, "
                        "?voorstel= or ?project= with its number."))
    name, pk = given[0][0], int(given[0][1])
    kind = PARAMETERS[name]
    if kind == "consultation":
        item = selectors.consultation_get(pk=pk, viewer=request.user)
        url = reverse("participation:consultation", args=[pk]) if item else ""
    elif kind == "proposal":
        item = selectors.proposal_get(pk=pk, viewer=request.user)
        url = reverse("participation:proposal", args=[pk]) if item else ""
    else:
        item = (BudgetProject.objects.select_related("round__programme", "activity")
                .filter(pk=pk).first())
        url = reverse("participation:round", args=[item.round_id]) + "#uitslag" if item else ""
    if item is None:
        raise Http404({"consultation": _("No consultation %(pk)s"),
                       "proposal": _("No proposal %(pk)s"),
                       "project": _("No project %(pk)s")}[kind] % {"pk": pk})
    return kind, item, url


def _may_publish(user, kind: str, item) -> bool:
    return permissions.is_moderator(user) or (
        kind == "project" and permissions.may_run_round(user, item.round.programme))


def outcome_new(request):
    back = require_login(request, staff=True)
    if back is not None:
        return back
    kind, item, url = _subject(request)
    if not _may_publish(request.user, kind, item):
        raise PermissionDenied(_("Only programme staff of the municipality may do this."))
    linked = getattr(item, "activity", None)
    form = OutcomeForm(request.POST or None,
                       activities=programme_selectors.activity_tree(user=request.user),
                       initial={"activity": linked.code if linked else ""})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.outcome_publish(acting_user=request.user, **{kind: item},
                                     **form.service_arguments())
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(url)
    return page(request, "participation/outcome_form.html", {
        "form": form, "kind": kind, "item": item, "back": url,
        "earlier": selectors.outcomes_of(**{kind: item})}, error=error, forms=[form])
