"""Residents' proposals: the list per area, the form to submit one, a proposal's page with
its support against the threshold, the button to support it (or withdraw), its comments,
and for the moderators the step into review.

Who may submit and support: verified residents whose postcode lies (partly) in the
proposal's area, the same rule as voting (docs/participation.md, "The voting rule").
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.monitor.places import resolve_place

from .. import permissions, selectors
from ..errors import ParticipationError
from ..postcodes import postcode_buurten
from ..ratelimit import client_ip
from ..services import comments, proposals
from ..services.comments import PROPOSAL_OPEN
from .common import (
    found,
    page,
    place_name,
    require_login,
    require_moderator,
    show_error,
    viewer_of,
)
from .forms import CommentForm, ProposalForm


def _place_or_404(code: str):
    code = area_codes.normalise(code)
    place = resolve_place(code) if area_codes.level_of(code) in (
        area_codes.BUURT, area_codes.WIJK, area_codes.GEMEENTE) else None
    if place is None:
        raise Http404(_("No buurt, wijk or municipality %(code)s") % {"code": code})
    return place


def proposal_list(request, code: str):
    place = _place_or_404(code)
    items = list(selectors.proposal_list(viewer=request.user, area_code=place.key)[:500])
    for p in items:
        p.progress = progress(p.support_count, p.support_threshold)
    return page(request, "participation/proposals.html", {
        "place": place, "proposals": items, "viewer": viewer_of(request.user)})


def progress(count: int, threshold: int) -> dict:
    """Support against the threshold, for the bar and its text."""
    percent = min(100, round(100 * count / threshold)) if threshold else 100
    return {"count": count, "threshold": threshold, "percent": percent,
            "missing": max(0, threshold - count)}


def area_choices(user) -> list[tuple[str, str]]:
    """The areas a resident may make a proposal for: the buurten of their postcode, the
    wijken and municipality around them, and the area sets that hold one of them."""
    profile = permissions.resident_profile_of(user)
    if profile is None:
        return []
    buurten = list(area_selectors.area_list().filter(code__in=postcode_buurten(profile.postcode))
                   .select_related("parent").prefetch_related("area_sets"))
    choices: dict[str, str] = {}
    for b in buurten:
        choices[b.code] = _("%(name)s (buurt)") % {"name": b.name}
    for b in buurten:
        if b.parent is not None:
            choices[b.parent.code] = _("%(name)s (wijk)") % {"name": b.parent.name}
    gemeenten = area_selectors.area_list().filter(
        code__in={b.gemeentecode for b in buurten if b.gemeentecode})
    for g in gemeenten:
        choices[g.code] = _("%(name)s (whole municipality)") % {"name": g.name}
    for b in buurten:
        for s in b.area_sets.all():
            choices[f"set:{s.slug}"] = _("%(name)s (programme area)") % {"name": s.name}
    return list(choices.items())


def proposal_new(request):
    back = require_login(request)
    if back is not None:
        return back
    viewer = viewer_of(request.user)
    wanted = (request.GET.get("gebied") or "").strip()
    initial = {"area": wanted if wanted.startswith("set:") else area_codes.normalise(wanted)}
    form = ProposalForm(request.POST or None, areas=area_choices(request.user),
                        initial=initial)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = data["area"]
        where = ({"area_set_slug": area[4:]} if area.startswith("set:")
                 else {"area_code": area})
        try:
            proposal = proposals.proposal_submit(acting_user=request.user,
                                                 title=data["title"], text=data["text"],
                                                 ip=client_ip(request), **where)
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect("participation:proposal", pk=proposal.pk)
    return page(request, "participation/proposal_form.html",
                {"form": form, "viewer": viewer}, error=error, forms=[form])


def _proposal_or_404(request, pk: int):
    return found(selectors.proposal_get(pk=pk, viewer=request.user),
                 _("No proposal %(pk)s") % {"pk": pk})


def _context(request, proposal, **extra) -> dict:
    viewer = viewer_of(request.user)
    return {
        "proposal": proposal, "viewer": viewer, "place_name": place_name(proposal),
        "progress": progress(proposal.support_count, proposal.support_threshold),
        # The voting rule reads only the item's area and area set.
        "lives_here": viewer.verified and selectors.resident_may_vote(
            user=request.user, budget_round=proposal),
        "supportable": (proposal.visibility == "visible"
                        and proposal.status in proposals.SUPPORTABLE),
        "open_for_comments": (proposal.visibility == "visible"
                              and proposal.status in PROPOSAL_OPEN),
        "may_see_hidden": permissions.may_see_hidden(request.user, proposal),
        "comments": selectors.comment_views(viewer=request.user, proposal=proposal),
        "outcomes": selectors.outcomes_of(proposal=proposal),
        "form": CommentForm(), **extra}


def proposal_page(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    form = CommentForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            comment = comments.comment_create(acting_user=request.user,
                                              text=form.cleaned_data["text"],
                                              proposal=proposal, ip=client_ip(request))
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:proposal", args=[pk])
                            + f"#reactie-{comment.pk}")
    return page(request, "participation/proposal.html", _context(request, proposal, form=form),
                error=error, forms=[form])


@require_POST
def proposal_support(request, pk: int):
    """Support the proposal (``action=support``) or withdraw the support (``withdraw``)."""
    proposal = _proposal_or_404(request, pk)
    try:
        if request.POST.get("action") == "withdraw":
            proposals.proposal_support_withdraw(acting_user=request.user, proposal=proposal)
        else:
            proposals.proposal_support(acting_user=request.user, proposal=proposal,
                                       ip=client_ip(request))
    except ParticipationError as refused:
        proposal = _proposal_or_404(request, pk)
        return page(request, "participation/proposal.html",
                    _context(request, proposal, support_error=refused.message), error=refused)
    return redirect(reverse("participation:proposal", args=[pk]) + "#steun")


@require_POST
def proposal_review(request, pk: int):
    back = require_moderator(request)
    if back is not None:
        return back
    proposal = _proposal_or_404(request, pk)
    try:
        proposals.proposal_review_start(acting_user=request.user, proposal=proposal)
    except ParticipationError as refused:
        return page(request, "participation/proposal.html",
                    _context(request, proposal, review_error=refused.message), error=refused)
    return redirect("participation:proposal", pk=pk)
