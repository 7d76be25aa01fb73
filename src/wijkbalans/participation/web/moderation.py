"""Moderation by the municipality's programme staff: the queue of new and flagged comments
and proposals; hiding one with a reason (its author reads it), showing it again, marking
it reviewed. Every form posts to one item's address, which without an error sends the
moderator back where they came from, and with one shows the item with its forms and the
error at the field, keeping what was typed.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors
from ..errors import ParticipationError
from ..models import Comment
from ..services import moderation
from ..services.consultations import phase
from .common import page, require_moderator, safe_next, show_error
from .forms import HideForm

KINDS = {"reactie": "comment", "voorstel": "proposal"}


def url_kind(item) -> str:
    return "reactie" if isinstance(item, Comment) else "voorstel"


def subject_of(item) -> dict:
    """Where an item stands: the title and page of its consultation or proposal."""
    if isinstance(item, Comment):
        if item.consultation_id:
            return {"title": item.consultation.title,
                    "url": reverse("participation:consultation", args=[item.consultation_id])
                    + f"#reactie-{item.pk}"}
        return {"title": item.proposal.title,
                "url": reverse("participation:proposal", args=[item.proposal_id])
                + f"#reactie-{item.pk}"}
    return {"title": item.title, "url": reverse("participation:proposal", args=[item.pk])}


def _rows(items) -> list[dict]:
    return [{"item": i, "kind": url_kind(i), "subject": subject_of(i),
             "is_comment": isinstance(i, Comment),
             "form": HideForm(auto_id=f"id_{url_kind(i)}_{i.pk}_%s")} for i in items]


def awaiting_outcome() -> dict:
    """What waits for the municipality's answer: proposals with enough support or in
    review, and closed consultations without an outcome (four queries)."""
    proposals = [p for p in selectors.proposal_list(viewer=None)
                 if p.status in ("threshold_reached", "under_review")]
    answered = set(selectors.outcome_timeline().filter(consultation__isnull=False)
                   .values_list("consultation_id", flat=True))
    consultations = [c for c in selectors.consultation_list()
                     if phase(c) == "closed" and c.pk not in answered]
    return {"proposals": proposals, "consultations": consultations}


def queue(request):
    back = require_moderator(request)
    if back is not None:
        return back
    return page(request, "participation/moderation.html",
                {"rows": _rows(selectors.moderation_queue()), "waiting": awaiting_outcome()})


def _item_or_404(kind: str, pk: int, viewer):
    if kind not in KINDS:
        raise Http404(_("Only comments and proposals are moderated."))
    item = (selectors.comment_get(pk=pk) if KINDS[kind] == "comment"
            else selectors.proposal_get(pk=pk, viewer=viewer))
    if item is None:
        raise Http404(_("No such item"))
    return item


def moderate(request, kind: str, pk: int):
    """One item: GET shows it with its forms; POST ``action`` hide (with ``reason``), show
    or reviewed."""
    back = require_moderator(request)
    if back is not None:
        return back
    item = _item_or_404(kind, pk, request.user)
    form = HideForm(request.POST if request.POST.get("action") == "hide" else None,
                    auto_id=f"id_{kind}_{pk}_%s")
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "hide":
                if form.is_valid():
                    moderation.moderation_hide(acting_user=request.user, item=item,
                                               reason=form.cleaned_data["reason"])
            elif action == "show":
                moderation.moderation_show(acting_user=request.user, item=item)
            elif action == "reviewed":
                moderation.moderation_mark_reviewed(acting_user=request.user, item=item)
            else:
                raise ParticipationError(_("Expected the action hide, show or reviewed."),
                                         field="action")
        except ParticipationError as refused:
            error = refused
            if form.is_bound:  # a hide: the reason's field, else above the forms
                show_error(form, refused)
        if error is None and not (form.is_bound and form.errors):
            return redirect(safe_next(request, reverse("participation:moderation")))
        item = _item_or_404(kind, pk, request.user)
    row = _rows([item])[0]
    row["form"] = form
    return page(request, "participation/moderate_item.html",
                {"row": row, "next": safe_next(request, ""), "error": error}, error=error,
                forms=[form])
