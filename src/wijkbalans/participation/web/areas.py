"""The way in for residents: ``/meedoen/`` lists the areas where a consultation or budget
round is open or coming, with a search by name; ``/meedoen/wijk/<code>/`` is the public
page of one buurt, wijk or municipality: its figures in plain sentences, what the
programme does there, what is planned, how to take part, and "you said, we did"."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.monitor.places import resolve_place

from .. import selectors
from ..services.consultations import phase as consultation_phase
from . import neighbourhood
from .common import page, viewer_of

PLACE_LEVELS = (area_codes.BUURT, area_codes.WIJK, area_codes.GEMEENTE)
SEARCH_LIMIT = 50
TIMELINE_LIMIT = 50


def _phased(items, phase_of) -> dict[str, list]:
    out: dict[str, list] = {"open": [], "upcoming": [], "closed": []}
    for item in items:
        item.phase = phase_of(item)
        out.setdefault(item.phase, []).append(item)
    return out


def _place_of(item) -> tuple[str, dict]:
    """A key and the areas to link for an item: its area, or the buurten of its set."""
    if item.area_id:
        return item.area.code, {"name": item.area.name,
                                "links": [(item.area.code, item.area.name)]}
    members = [(m.code, m.name) for m in item.area_set.members.all()]
    return f"set:{item.area_set.slug}", {"name": item.area_set.name, "links": members}


def index(request):
    q = (request.GET.get("q") or "").strip()
    found = []
    if q:
        found = list(area_selectors.area_search(q=q).filter(level__in=PLACE_LEVELS)
                     .values_list("code", "name", "level")[:SEARCH_LIMIT + 1])
        if len(found) == 1:
            return redirect("participation:area", code=found[0][0])
    consultations = selectors.consultation_list().prefetch_related("area_set__members")
    rounds = selectors.budget_round_list().prefetch_related("area_set__members")
    places: dict[str, dict] = {}
    for c in consultations:
        if consultation_phase(c) in ("open", "upcoming"):
            key, place = _place_of(c)
            places.setdefault(key, {**place, "consultations": [], "rounds": []})
            places[key]["consultations"].append(c)
    for r in rounds:
        if selectors.round_phase(r) in ("open", "upcoming"):
            key, place = _place_of(r)
            places.setdefault(key, {**place, "consultations": [], "rounds": []})
            places[key]["rounds"].append(r)
    return page(request, "participation/index.html", {
        "q": q, "found": found[:SEARCH_LIMIT], "more": len(found) > SEARCH_LIMIT,
        "places": sorted(places.values(), key=lambda p: p["name"].lower()),
        "viewer": viewer_of(request.user)})


def area_page(request, code: str):
    code = area_codes.normalise(code)
    place = resolve_place(code) if area_codes.level_of(code) in PLACE_LEVELS else None
    if place is None:
        raise Http404(_("No buurt, wijk or municipality %(code)s") % {"code": code})
    doing, planned = neighbourhood.activities_here(place.key)
    consultations = _phased(selectors.consultation_list(area_code=place.key),
                            consultation_phase)
    rounds = _phased(selectors.budget_round_list(area_code=place.key), selectors.round_phase)
    proposals = list(selectors.proposal_list(area_code=place.key)[:100])
    timeline = list(selectors.outcome_timeline(area_code=place.key)[:TIMELINE_LIMIT])
    return page(request, "participation/area.html", {
        "place": place, "city": neighbourhood.city_of(place),
        "figures": neighbourhood.key_figures(place),
        "doing": doing, "planned": planned,
        "consultations": consultations, "rounds": rounds,
        "proposals": [p for p in proposals if p.status in ("open", "threshold_reached")][:5],
        "proposal_count": len(proposals), "timeline": timeline,
        "viewer": viewer_of(request.user)})
