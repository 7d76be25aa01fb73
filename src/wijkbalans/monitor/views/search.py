"""Find an area or area set by name or code, from every page."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import redirect, render

from wijkbalans.areas import selectors as area_selectors

LIMIT = 50


def search(request):
    q = (request.GET.get("q") or "").strip()
    areas, sets = [], []
    if q:
        areas = list(area_selectors.area_search(q=q).values_list("code", "name", "level",
                                                                 "gemeentecode")[:LIMIT + 1])
        sets = list(area_selectors.area_set_list().filter(
            Q(name__icontains=q) | Q(slug__icontains=q)).values_list("slug", "name"))
        if len(areas) + len(sets) == 1:
            key = areas[0][0] if areas else sets[0][0]
            return redirect("monitor:profile", key=key)
    return render(request, "monitor/search.html", {
        "q": q, "areas": areas[:LIMIT], "sets": sets, "more": len(areas) > LIMIT})
