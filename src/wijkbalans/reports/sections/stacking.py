"""The stacking picture: where problems stack in the city, with the programme area
outlined on the map; the area set's index and the domains that drive it.

Reads ``stacking.selectors.index_panel`` / ``index_rows`` with the stacking page's
defaults for a city (buurten, reference ``city``, method ``deprivation``) and
``stacking.selectors.area_drivers`` as the area profile does (the set scored as one unit
against its city's buurten, index 100, by domain). The index period is the report's
period, or the newest index period before it ends.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from wijkbalans.areas import selectors as area_selectors
from wijkbalans.charts.palettes import MISSING, class_colours
from wijkbalans.stacking import selectors as stacking

from ..periods import up_to
from . import Context
from .headline import theme_name

METHOD = "deprivation"
REFERENCE = "city"
# Borders simplified to about 3 m and written to 5 decimals (about 1 m): enough for a
# map printed 16 cm wide, and a small frozen figure.
SIMPLIFY_DEGREES = 0.00003
DIGITS = 5


def decile_colour(decile: int | None) -> str:
    """The stacking page's colours: two deciles to a colour, decile 1 darkest."""
    if not decile:
        return MISSING
    palette = class_colours(5, higher_is_worse=True)[::-1]
    return palette[min((decile - 1) // 2, 4)]


def _rounded(coordinates):
    if isinstance(coordinates, (list, tuple)) and coordinates and isinstance(
            coordinates[0], (int, float)):
        return [round(float(c), DIGITS) for c in coordinates]
    return [_rounded(c) for c in coordinates]


def _simplified(geometry: dict) -> dict:
    simple = mapping(shape(geometry).simplify(SIMPLIFY_DEGREES, preserve_topology=True))
    return {"type": simple["type"], "coordinates": _rounded(simple["coordinates"])}


def _index(ctx: Context):
    """The index of the city's buurten for the report's period (or the newest before)."""
    try:
        return stacking.index_panel(level="buurt", within=ctx.gemeentecode,
                                    period=ctx.period, reference=REFERENCE, method=METHOD)
    except stacking.IndexParameterError as error:
        if error.parameter != "period":
            raise
    result = stacking.index_panel(level="buurt", within=ctx.gemeentecode, period="latest",
                                  reference=REFERENCE, method=METHOD)
    if not up_to(result.period, ctx.period):
        raise stacking.IndexParameterError("period", f"no index period up to {ctx.period}")
    return result


def _map(ctx: Context, rows: list[dict], period: str) -> dict:
    areas = list(area_selectors.area_list(level="buurt", within=ctx.gemeentecode)
                 .values_list("pk", "code", "name"))
    geometries = area_selectors.area_geometries(area_ids=[pk for pk, _c, _n in areas])
    by_code = {r["code"]: r for r in rows}
    shapes = []
    for pk, code, name in sorted(areas, key=lambda a: a[1]):
        if pk not in geometries:
            continue
        decile = (by_code.get(code) or {}).get("decile")
        shapes.append({"code": code, "name": name, "geometry": _simplified(geometries[pk][1]),
                       "fill": decile_colour(decile) if decile else None})
    legend = [[decile_colour(d), _("deciles %(a)s–%(b)s") % {"a": d, "b": d + 1}]
              for d in (1, 3, 5, 7, 9)]
    return {"kind": "map", "areas": shapes, "outlined": sorted(ctx.members),
            "legend": legend, "missing_label": _("not ranked"),
            "outline_label": ctx.area_set.name,
            "title": _("Stacking of problems in %(city)s, %(period)s") % {
                "city": ctx.gemeente_name, "period": period},
            "description": _("Decile 1: where problems stack most. The programme area is "
                             "outlined. The table lists the programme area's neighbourhoods."),
            "alt": _("Map of the neighbourhoods of %(city)s coloured by decile of the "
                     "stacking index, with %(name)s outlined; the table beside it holds "
                     "the figures.") % {"city": ctx.gemeente_name, "name": ctx.area_set.name}}


def _set_scores(ctx: Context, period: str) -> dict | None:
    try:
        found = stacking.area_drivers(code_or_slug=ctx.area_set.slug, period=period,
                                      reference=REFERENCE, method="index100")
    except (stacking.IndexParameterError, ValueError, LookupError):
        return None
    return {"period": found.get("period"), "score": found.get("score"),
            "stack_count": found.get("stack_count"),
            "drivers": [{"domain": d["domain"], "label": theme_name(d["domain"], ctx.lang),
                         "contribution": d.get("index100_contribution")}
                        for d in found.get("drivers", [])]}


def collect(ctx: Context) -> dict:
    if not ctx.gemeentecode:
        return {"available": False,
                "reason": _("The programme area lies in more than one municipality; the "
                            "index compares neighbourhoods within one city.")}
    try:
        result = _index(ctx)
    except (stacking.IndexParameterError, ValueError) as error:
        return {"available": False, "reason": str(error)}
    rows = stacking.index_rows(result, METHOD)
    members = [{"code": r["code"], "name": r["name"], "score": r.get("score"),
                "rank": r.get("rank"), "decile": r.get("decile"),
                "stack_count": r.get("stack_count")}
               for r in rows if r["code"] in set(ctx.members)]
    ranked = [r for r in rows if r.get("rank")]
    ctx.indicators.update(result.vintages)
    return {
        "available": True, "period": result.period, "method": METHOD,
        "reference_label": result.reference_label, "domains": list(result.domains),
        "n_scored": len(rows), "n_ranked": len(ranked), "members": members,
        "members_in_decile_1": sum(1 for r in members if r["decile"] == 1),
        "members_in_deciles_1_2": sum(1 for r in members if r["decile"] in (1, 2)),
        "members_ranked": sum(1 for r in members if r["rank"]),
        "vintages": dict(sorted(result.vintages.items())),
        "older": {c: v for c, v in sorted(result.vintages.items()) if v != result.period},
        "set": _set_scores(ctx, result.period),
        "map": _map(ctx, rows, result.period),
    }
