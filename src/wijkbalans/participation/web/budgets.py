"""A neighbourhood budget round: its projects and costs, the ballot, the confirmation
after voting, and the results once the round is closed (the tally, the winners, and the
activities they became).

The ballot works without JavaScript: "Check the total" posts the choice and the page
comes back with the total against the budget (nothing is stored); "Vote" casts it, and a
choice over the budget is refused with the message naming both amounts, the choice kept.
With JavaScript, ``participation/ballot.js`` keeps a live total (``aria-live="polite"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from .. import permissions, selectors
from ..errors import ParticipationError
from ..formatting import format_eur
from ..ratelimit import client_ip
from ..services import ballots, budgets
from .common import found, int_list, lang, page, place_name, require_login, viewer_of


def _round_or_404(request, pk: int):
    return found(selectors.budget_round_get(pk=pk, viewer=request.user),
                 _("No budget round %(pk)s") % {"pk": pk})


# The service's refusal, in the reader's notation of amounts.
REFUSED_OVER = gettext_noop("The projects you chose cost %(total)s together; the budget is "
                            "%(budget)s. Choose projects that fit within the budget.")
# The running total under the ballot (the page's and the script's).
WITHIN = gettext_noop("You chose %(total)s of the %(budget)s budget; %(left)s is left.")
OVER = gettext_noop("You chose %(total)s: %(over)s more than the %(budget)s budget.")
TOO_MANY = gettext_noop("You chose %(count)s projects; choose at most %(max)s.")


@dataclass(frozen=True)
class Total:
    summary: str  # the running total
    fits: bool
    refusal: str  # what the service says of this choice, when it does not fit


def total_of(total: Decimal, budget_round, count: int) -> Total:
    """What the page says of a choice: its total against the budget and whether it
    fits."""
    language = lang()
    amounts = {"total": format_eur(total, language),
               "budget": format_eur(budget_round.total_budget, language),
               "left": format_eur(budget_round.total_budget - total, language),
               "over": format_eur(total - budget_round.total_budget, language),
               "count": str(count), "max": str(budget_round.max_projects)}
    if total > budget_round.total_budget:
        return Total(_(OVER) % amounts, False, _(REFUSED_OVER) % amounts)
    if budget_round.max_projects is not None and count > budget_round.max_projects:
        return Total(_(TOO_MANY) % amounts, False, _(TOO_MANY) % amounts)
    return Total(_(WITHIN) % amounts, True, "")


def script_texts(budget_round) -> dict[str, str]:
    """The running total's sentences for ``ballot.js``, with ``{total}``, ``{budget}``,
    ``{left}``, ``{over}`` and ``{count}`` where the script puts its figures."""
    marks = {"total": "{total}", "budget": "{budget}", "left": "{left}", "over": "{over}",
             "count": "{count}", "max": str(budget_round.max_projects)}
    return {"over": _(OVER) % marks, "too_many": _(TOO_MANY) % marks,
            "within": _(WITHIN) % marks}


def _why_not(request, budget_round, phase: str, ballot, viewer) -> str:
    """Why the viewer cannot vote now, or "" when they can."""
    if ballot is not None:
        return ""
    if phase == "upcoming":
        return "upcoming"
    if phase != "open":
        return "closed"
    if not viewer.logged_in:
        return "anonymous"
    if not viewer.resident:
        return "not_resident"
    if not viewer.verified:
        return "unverified"
    if not selectors.resident_may_vote(user=request.user, budget_round=budget_round):
        return "other_area"
    return ""


def _results(request, budget_round, projects) -> dict | None:
    if not selectors.results_visible(budget_round=budget_round, viewer=request.user):
        return None
    tally = selectors.budget_round_tally(budget_round=budget_round)
    stored = {p.pk: p for p in projects}  # with the activity each winner became
    rows = [{"project": stored.get(r.project.pk, r.project), "votes": r.votes,
             "selected": r.selected} for r in tally.rows]
    return {"rows": rows, "ballots": tally.ballots, "allocated": tally.allocated,
            "left": tally.budget - tally.allocated,
            "final": budget_round.status == budget_round.Status.CLOSED}


def _context(request, budget_round, *, chosen: set[int], **extra) -> dict:
    projects = selectors.budget_projects(budget_round=budget_round)
    phase = selectors.round_phase(budget_round)
    ballot = selectors.ballot_of(budget_round=budget_round, user=request.user)
    viewer = viewer_of(request.user)
    total = sum((p.cost for p in projects if p.pk in chosen), Decimal("0"))
    may_run = permissions.may_run_round(request.user, budget_round.programme)
    return {
        "round": budget_round, "projects": projects, "phase": phase, "ballot": ballot,
        "place_name": place_name(budget_round),
        "viewer": viewer, "why_not": _why_not(request, budget_round, phase, ballot, viewer),
        "chosen": chosen, "total": total_of(total, budget_round, len(chosen)),
        "script_texts": script_texts(budget_round),
        "may_run": may_run, "may_publish_outcome": may_run or viewer.moderator,
        "results": _results(request, budget_round, projects), **extra}


def round_page(request, pk: int):
    budget_round = _round_or_404(request, pk)
    posted = request.POST.getlist("projects") if request.method == "POST" else []
    error, checked = None, False
    if request.method == "POST":
        if request.POST.get("action") == "check":
            checked = True
        else:
            try:
                ballots.ballot_cast(acting_user=request.user, budget_round=budget_round,
                                    project_ids=posted, ip=client_ip(request))
            except ParticipationError as refused:
                error = refused
            else:
                return redirect("participation:ballot_done", pk=pk)
    context = _context(request, budget_round, chosen=set(int_list(posted)), checked=checked,
                       error=error)
    return page(request, "participation/round.html", context, error=error)


def ballot_done(request, pk: int):
    """The confirmation after voting: what the resident chose, and when results come."""
    back = require_login(request)
    if back is not None:
        return back
    budget_round = _round_or_404(request, pk)
    ballot = selectors.ballot_of(budget_round=budget_round, user=request.user)
    if ballot is None:
        return redirect("participation:round", pk=pk)
    chosen = [c.project for c in ballot.choices.all()]
    return page(request, "participation/ballot_done.html", {
        "round": budget_round, "ballot": ballot, "chosen": chosen,
        "total": sum((p.cost for p in chosen), Decimal("0"))})


@require_POST
def round_close(request, pk: int):
    """Close the round after its voting period: count, and turn the winners into
    activities of the programme (``budgets.budget_round_close``)."""
    back = require_login(request, staff=True)
    if back is not None:
        return back
    budget_round = _round_or_404(request, pk)
    try:
        budgets.budget_round_close(acting_user=request.user, budget_round=budget_round)
    except ParticipationError as refused:
        context = _context(request, budget_round, chosen=set(), close_error=refused.message)
        return page(request, "participation/round.html", context, error=refused)
    return redirect(reverse("participation:round", args=[pk]) + "#uitslag")
