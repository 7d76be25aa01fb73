"""The area profile at /gebied/<code or slug>/, with its charts, map and downloads."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.models import Area
from wijkbalans.charts.line import Series, trend_svg
from wijkbalans.indicators.models import Indicator
from wijkbalans.monitor.formatting import chart_number, indicator_name, value_text
from wijkbalans.monitor.goals import cached, headline_for, stacking_summary, targets_for
from wijkbalans.monitor.places import place_values, resolve_place
from wijkbalans.monitor.profile import build_profile, references_for, siblings_for_map

from .common import bad_request, csv_response, csv_value, svg_response


def _place_or_404(key: str):
    place = resolve_place(key)
    if place is None:
        raise Http404(_("No area or area set %(key)s") % {"key": key})
    return place


def profile(request, key: str):
    place = _place_or_404(key)
    refs, unknown = references_for(place, request.GET.get("vergelijk"))
    if unknown:
        return bad_request(request, _("vergelijk: expected an area code or area-set slug, "
                                      "found %(found)r") % {"found": unknown})
    data = build_profile(place, refs)
    refs = data.references
    compare_query = f"?vergelijk={request.GET['vergelijk']}" if request.GET.get(
        "vergelijk") else ""
    series: dict[str, dict] = {}
    shown = data.values[data.values["status"] == "value"]
    for row in shown.itertuples(index=False):
        series.setdefault(row.indicator, {})[(row.place, row.period)] = row.value
    trends = []
    for code in data.trend_codes:
        ind = data.indicators[code]
        table = _trend_table(series.get(code, {}), [place, *refs], ind.decimals)
        trends.append({"indicator": ind, "name": indicator_name(ind), "table": table,
                       "chart": reverse("monitor:profile_chart", args=[place.key, code])
                       + compare_query})
    crumbs = []
    area = place.area
    while area is not None and area.parent_id:
        area = Area.objects.filter(pk=area.parent_id).first()
        if area is not None and area.level != "land":
            crumbs.insert(0, area)
    members = (list(area_selectors.area_set_members(area_set=place.area_set)
                    .values_list("code", "name")) if place.is_set else [])
    sets = area_selectors.area_set_slugs_of(area=place.area) if place.area else []
    version = area_selectors.area_latest_version(area=place.area) if place.area else None
    return render(request, "monitor/profile.html", {
        "place": place, "profile": data, "references": refs, "trends": trends,
        "crumbs": crumbs, "members": members, "sets": sets, "version": version,
        "compare_query": compare_query,
        "comparison": request.GET.get("vergelijk", ""),
        "stacking": stacking_summary(place), "targets": targets_for(place),
        "headline": headline_for(place) if place.is_set else [],
    })


def _trend_table(lookup: dict, places, decimals):
    """One indicator's values by period (rows) and place (columns), formatted."""
    periods = sorted({period for _place, period in lookup})
    return {"header": [p.name for p in places],
            "rows": [(period, [value_text(lookup.get((p.key, period)), decimals)
                               for p in places]) for period in periods]}


def profile_chart(request, key: str, indicator: str):
    place = _place_or_404(key)
    ind = Indicator.objects.filter(code=indicator).first()
    if ind is None:
        raise Http404(_("No indicator %(code)s") % {"code": indicator})
    refs, unknown = references_for(place, request.GET.get("vergelijk"))
    if unknown:
        return bad_request(request, _("vergelijk: unknown area %(found)r") % {"found": unknown})
    values, _members = place_values([place, *refs], indicators=[indicator])
    values = values[values["status"] == "value"].sort_values("period")
    series = []
    for i, p in enumerate([place, *refs]):
        own = values[values["place"] == p.key]
        series.append(Series(label=p.name, periods=own["period"].tolist(),
                             values=own["value"].tolist(), dashed=i > 0))
    title = f"{indicator_name(ind)} — {place.name}"
    svg = trend_svg(series, title=title, unit=ind.unit, number=chart_number(ind.decimals),
                    description=_("Trend of %(indicator)s for %(place)s and its references; "
                                  "the table below the chart holds the same figures.")
                    % {"indicator": indicator_name(ind), "place": place.name})
    download = f"{place.key}-{indicator}.svg" if "download" in request.GET else None
    return svg_response(svg, download)


def profile_csv(request, key: str):
    place = _place_or_404(key)
    refs, unknown = references_for(place, request.GET.get("vergelijk"))
    if unknown:
        return bad_request(request, _("vergelijk: unknown area %(found)r") % {"found": unknown})
    values, _members = place_values([place, *refs])
    values = values.sort_values(["place", "indicator", "period"])
    return csv_response(f"{place.key}.csv", ["place", "indicator", "period", "value", "status"],
                        [[r.place, r.indicator, r.period, csv_value(r.value), r.status]
                         for r in values.itertuples(index=False)])


def profile_geojson(request, key: str):
    place = _place_or_404(key)
    ids = siblings_for_map(place)
    geometries = area_selectors.area_geometries(area_ids=ids)
    areas = dict(Area.objects.filter(pk__in=ids).values_list("pk", "code"))
    names = dict(Area.objects.filter(pk__in=ids).values_list("pk", "name"))
    own = set(place.member_ids)
    features = [{
        "type": "Feature", "id": areas[pk], "geometry": geometry,
        "properties": {"code": areas[pk], "name": names[pk], "label": names[pk],
                       "fill": "#00527a" if pk in own else "#e0e0e0",
                       "url": reverse("monitor:profile", args=[areas[pk]])},
    } for pk, (_year, geometry) in geometries.items()]
    return HttpResponse(json.dumps({"type": "FeatureCollection", "features": features}),
                        content_type="application/geo+json")


def target_chart(request, key: str, pk: int):
    """A target's path: observed values, the straight path to the target, the reference."""
    from wijkbalans.stacking import selectors as stacking

    place = _place_or_404(key)
    target = stacking.target_get(pk=pk)
    if target is None or not place.is_set or target.area_set_id != place.area_set.pk:
        raise Http404(_("No target %(id)s for %(key)s") % {"id": pk, "key": key})
    progress = cached("progress", str(target.pk),
                      lambda: stacking.target_progress(target=target))
    observed = [p for p in progress["periods"] if p.get("value") is not None]
    reference = [p for p in progress["periods"] if p.get("reference") is not None]
    series = [
        Series(label=place.name, periods=[p["period"] for p in observed],
               values=[p["value"] for p in observed]),
        Series(label=_("path to the target"), periods=[p["period"] for p in progress["path"]],
               values=[p.get("value") for p in progress["path"]], dashed=True),
    ]
    if reference:
        series.append(Series(label=_("reference"), periods=[p["period"] for p in reference],
                             values=[p["reference"] for p in reference], dashed=True))
    what = target.indicator or target.theme
    svg = trend_svg(series, title=f"{what} — {place.name}", unit=progress.get("unit") or "",
                    number=chart_number(1),
                    description=_("Observed values, the straight path to the target and the "
                                  "reference; the table beside the chart holds the figures."))
    return svg_response(svg, f"doel-{pk}.svg" if "download" in request.GET else None)
