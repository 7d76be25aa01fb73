"""A consultation's page: the question or plan, its open period, the comments as the
viewer may see them, and the comment form; and reporting a comment or proposal to the
moderators.

Every verified resident may comment (wherever they live); the municipality's programme
staff answer as the municipality. A hidden comment reads "Hidden by the moderator" for
everyone but its author (who reads the reason too) and the moderators.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors
from ..errors import ParticipationError
from ..models import Comment
from ..ratelimit import client_ip
from ..services import comments, moderation
from ..services.consultations import phase
from .common import found, page, safe_next, show_error, viewer_of
from .forms import CommentForm, FlagForm


def consultation_page(request, pk: int):
    consultation = found(selectors.consultation_get(pk=pk, viewer=request.user),
                         _("No consultation %(pk)s") % {"pk": pk})
    form = CommentForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            comment = comments.comment_create(acting_user=request.user,
                                              text=form.cleaned_data["text"],
                                              consultation=consultation,
                                              ip=client_ip(request))
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:consultation", args=[pk])
                            + f"#reactie-{comment.pk}")
    current = phase(consultation)
    return page(request, "participation/consultation.html", {
        "consultation": consultation, "phase": current, "open_for_comments": current == "open",
        "comments": selectors.comment_views(viewer=request.user, consultation=consultation),
        "outcomes": selectors.outcomes_of(consultation=consultation),
        "form": form, "viewer": viewer_of(request.user)}, error=error, forms=[form])


def _subject_url(item) -> str:
    if isinstance(item, Comment):
        if item.consultation_id:
            return reverse("participation:consultation", args=[item.consultation_id])
        return reverse("participation:proposal", args=[item.proposal_id])
    return reverse("participation:proposal", args=[item.pk])


def _flag(request, item, kind: str):
    back = safe_next(request, _subject_url(item))
    form = FlagForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            moderation.flag_create(acting_user=request.user, item=item,
                                   reason=form.cleaned_data["reason"], ip=client_ip(request))
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return page(request, "participation/flag.html",
                        {"done": True, "back": back, "kind": kind})
    return page(request, "participation/flag.html", {
        "form": form, "item": item, "kind": kind, "back": back,
        "viewer": viewer_of(request.user)}, error=error, forms=[form])


def comment_flag(request, pk: int):
    comment = found(selectors.comment_get(pk=pk), _("No comment %(pk)s") % {"pk": pk})
    view = next((v for v in selectors.comment_views(
        viewer=request.user, consultation=comment.consultation, proposal=comment.proposal)
        if v.id == comment.pk), None)
    comment.shown_text = view.text if view else ""
    return _flag(request, comment, "comment")


def proposal_flag(request, pk: int):
    proposal = found(selectors.proposal_get(pk=pk, viewer=request.user),
                     _("No proposal %(pk)s") % {"pk": pk})
    proposal.shown_text = proposal.title
    return _flag(request, proposal, "proposal")
