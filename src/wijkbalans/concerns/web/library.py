"""The knowledge library (/signalen/kennis/) and the start page of the concern pages
(/signalen/), for members of the Local Alliance.

The library is searchable (``q``: every word must occur, case and accents ignored) and
filterable by theme (``thema``); it shows the guides per theme, the interventions of the
programme register with their evidence, and who receives concerns per theme and area
(the routing table of ``gemeente``)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from .. import knowledge, selectors
from . import common
from .forms import KnowledgeForm

NOT_ALLIANCE = _lazy("The concern pages and the knowledge library are for members of the "
                     "Local Alliance.")


def library(request):
    denied = common.login_or_refuse(
        request, knowledge.user_may_read_knowledge(user=request.user), NOT_ALLIANCE)
    if denied:
        return denied
    form = KnowledgeForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q, theme = data.get("q") or "", data.get("thema") or None
    gemeente, gemeenten = common.gemeente_choice(request)
    guides = knowledge.guides(lang=common.lang(), theme=theme, q=q)
    interventions = knowledge.interventions(user=request.user, theme=theme, q=q)
    contacts = knowledge.contacts(gemeente=gemeente, theme=theme, q=q) if gemeente else []
    for item in interventions:
        item.theme_labels = [common.theme_label(t) for t in item.themes]
    return render(request, "concerns/library.html", {
        "form": form, "q": q, "theme": theme, "guides": guides,
        "interventions": interventions, "contacts": contacts, "gemeente": gemeente,
        "gemeenten": gemeenten, "gemeente_name": dict(gemeenten).get(gemeente, ""),
        "searching": bool(q or theme),
        "found": len(guides) + len(interventions) + len(contacts),
    }, status=400 if form.errors or (request.GET.get("gemeente") and gemeente is None)
        else 200)


def hub(request):
    """What the signed-in member may do here, one link per page."""
    denied = common.login_or_refuse(
        request, knowledge.user_may_read_knowledge(user=request.user), NOT_ALLIANCE)
    if denied:
        return denied
    user = request.user
    return render(request, "concerns/hub.html", {
        "may_record": bool(selectors.submit_organisations(user=user)),
        "may_follow_up": bool(selectors.partner_organisations(user=user)),
        "may_see_aggregates": selectors.user_may_see_aggregates(user=user),
        "has_own": selectors.concerns_of_reporter(user=user).exists(),
    })
