"""Where problems stack up: the index of every buurt or wijk, on a map and in a table, with
its robustness; and the GeoJSON and CSV behind them."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.models import Area
from wijkbalans.charts.palettes import MISSING, class_colours
from wijkbalans.monitor import choropleth
from wijkbalans.monitor.formatting import value_text
from wijkbalans.monitor.profile import theme_label
from wijkbalans.stacking import selectors as stacking

from .common import bad_request, csv_response, csv_value

METHODS = ("deprivation", "index100", "count")
LEVELS = ("buurt", "wijk")


def _decile_colour(decile: int | None) -> str:
    """Two deciles to a colour, decile 1 (problems stack most) darkest."""
    if not decile:
        return MISSING
    palette = class_colours(5, higher_is_worse=True)[::-1]  # dark first
    return palette[min((decile - 1) // 2, 4)]


def _params(request):
    within = request.GET.get("binnen") or choropleth.default_within()
    return {
        "within": within,
        "level": request.GET.get("niveau") or "buurt",
        "period": request.GET.get("periode") or "latest",
        "reference": request.GET.get("referentie") or "city",
        "method": request.GET.get("methode") or "deprivation",
        "shrink": request.GET.get("krimp") == "1",
    }


def _result(params):
    if params["level"] not in LEVELS:
        raise stacking.IndexParameterError(
            "niveau", _("niveau: expected one of %(levels)s") % {"levels": ", ".join(LEVELS)})
    return stacking.index_panel(level=params["level"], within=params["within"],
                                period=params["period"], reference=params["reference"],
                                method=params["method"], shrink=params["shrink"])


def stacking_page(request):
    params = _params(request)
    if params["within"] is None:
        return render(request, "monitor/empty.html")
    try:
        result = _result(params)
    except (stacking.IndexParameterError, ValueError) as error:
        return bad_request(request, str(error))
    rows = stacking.index_rows(result, params["method"])
    for row in rows:
        row["url"] = reverse("monitor:profile", args=[row["code"]])
        row["fill"] = _decile_colour(row.get("decile"))
        row["score_text"] = value_text(row.get("score"), 1)
        row["domains"] = [value_text(row.get(d), 1) for d in result.domains]
    query = urlencode({"binnen": params["within"], "niveau": params["level"],
                       "periode": result.period, "referentie": params["reference"],
                       "methode": params["method"], "krimp": "1" if params["shrink"] else ""})
    try:
        robustness = stacking.index_robustness(
            level=params["level"], within=params["within"], period=result.period,
            reference=params["reference"], method="deprivation", shrink=params["shrink"])
        robustness_rows = robustness.to_dict("records")
    except (stacking.IndexParameterError, ValueError):
        robustness_rows = []
    return render(request, "monitor/stacking.html", {
        "params": params, "result": result, "rows": rows, "query": query,
        "domains": [(d, theme_label(d)) for d in result.domains],
        "choices": choropleth.scope_choices(), "methods": METHODS,
        "legend": [(_decile_colour(d), _("deciles %(a)s–%(b)s") % {"a": d, "b": d + 1})
                   for d in (1, 3, 5, 7, 9)],
        "robustness": robustness_rows,
    })


def stacking_geojson(request):
    params = _params(request)
    try:
        result = _result(params)
    except (stacking.IndexParameterError, ValueError) as error:
        return HttpResponse(json.dumps({"error": str(error)}), status=400,
                            content_type="application/json")
    rows = {r["code"]: r for r in stacking.index_rows(result, params["method"])}
    ids = dict(Area.objects.filter(code__in=list(rows)).values_list("pk", "code"))
    features = []
    for pk, (_year, geometry) in area_selectors.area_geometries(area_ids=list(ids)).items():
        row = rows[ids[pk]]
        label = f"{row['name']}: " + _("rank %(rank)s, decile %(decile)s") % {
            "rank": row.get("rank") or "–", "decile": row.get("decile") or "–"}
        features.append({"type": "Feature", "id": row["code"], "geometry": geometry,
                         "properties": {"code": row["code"], "name": row["name"],
                                        "fill": _decile_colour(row.get("decile")),
                                        "label": label,
                                        "url": reverse("monitor:profile", args=[row["code"]])}})
    return HttpResponse(json.dumps({"type": "FeatureCollection", "features": features}),
                        content_type="application/geo+json")


def stacking_csv(request):
    params = _params(request)
    try:
        result = _result(params)
    except (stacking.IndexParameterError, ValueError) as error:
        return bad_request(request, str(error))
    rows = stacking.index_rows(result, params["method"])
    header = ["code", "name", "score", "rank", "decile", "stack_count", *result.domains]
    return csv_response(f"stapeling-{params['within']}-{result.period}.csv", header,
                        [[r.get("code"), r.get("name"), csv_value(r.get("score")),
                          r.get("rank") or "", r.get("decile") or "", r.get("stack_count"),
                          *[csv_value(r.get(d)) for d in result.domains]] for r in rows])
