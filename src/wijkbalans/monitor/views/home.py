"""The start page: a choropleth of one indicator, with a ranked table beside it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkbalans.charts.maps import MapArea, choropleth_svg
from wijkbalans.monitor import choropleth
from wijkbalans.monitor.formatting import indicator_name

from .common import bad_request, csv_response, csv_value, svg_response


def _scope(request):
    try:
        return choropleth.build_scope(request.GET), None
    except choropleth.ScopeError as error:
        return None, str(error)


def home(request):
    scope, error = _scope(request)
    if error:
        return bad_request(request, error)
    if scope is None:
        return render(request, "monitor/empty.html")
    rows, legend = choropleth.map_rows(scope)
    query = urlencode({"binnen": scope.within, "niveau": scope.level,
                       "indicator": scope.indicator.code if scope.indicator else "",
                       "periode": scope.period})
    return render(request, "monitor/home.html", {
        "scope": scope, "rows": rows, "legend": legend, "query": query,
        "choices": choropleth.scope_choices(),
        "indicator_label": indicator_name(scope.indicator) if scope.indicator else "",
        "has_programme": any(r.in_programme for r in rows),
    })


def map_geojson(request):
    scope, error = _scope(request)
    if error or scope is None:
        return HttpResponse(json.dumps({"error": error or _("nothing to map")}), status=400,
                            content_type="application/json")
    rows, _legend = choropleth.map_rows(scope)
    body = json.dumps(choropleth.feature_collection(scope, rows), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    if "download" in request.GET:
        response["Content-Disposition"] = 'attachment; filename="kaart.geojson"'
    return response


def map_csv(request):
    scope, error = _scope(request)
    if error or scope is None:
        return bad_request(request, error or _("nothing to map"))
    rows, _legend = choropleth.map_rows(scope)
    code = scope.indicator.code if scope.indicator else ""
    return csv_response(
        f"{code}-{scope.period}-{scope.within}.csv",
        ["rank", "code", "name", "indicator", "period", "value", "status", "class"],
        [[r.rank or "", r.code, r.name, code, scope.period, csv_value(r.value), r.status,
          "" if r.klass is None else r.klass + 1] for r in rows],
    )


def map_svg(request):
    scope, error = _scope(request)
    if error or scope is None:
        return bad_request(request, error or _("nothing to map"))
    rows, legend = choropleth.map_rows(scope)
    collection = choropleth.feature_collection(scope, rows)
    areas = [MapArea(code=f["id"], name=f["properties"]["name"], geometry=f["geometry"],
                     fill=f["properties"]["fill"] if f["properties"]["class"] is not None
                     else None) for f in collection["features"]]
    title = f"{indicator_name(scope.indicator)}, {scope.period}, {scope.within_name}"
    svg = choropleth_svg(areas, title=title, legend=legend, missing_label=_("no figure"))
    return svg_response(svg, f"kaart-{scope.within}-{scope.period}.svg")
