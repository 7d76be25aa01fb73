"""Need: does the plan aim at the domains where its area's problems stack most, and at its
gap with the city?

The area (the plan's one area or area set, else its buurten together) is scored as one
unit on the index-100 domain scores of the stacking index against its city's buurten,
in the latest period with figures, each indicator at its vintage: the rule of
``stacking.selectors.area_drivers`` for an area set (``stacking.units.unit_domain_scores``).
The city (the municipality's own figures, else its buurten aggregated) is scored on the
same scale, so ``area - city`` is the gap in index points. The rating:
:func:`wijkbalans.analysis.touchstone.need_rating`. The data also list the area set's
targets on the plan's themes with their status (``stacking.selectors.target_progress``).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.areas import codes as area_codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.core.selectors import data_version
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.stacking import selectors as stacking
from wijkbalans.stacking.panels import index_indicator_codes, sort_periods
from wijkbalans.stacking.units import (
    CITY,
    SUBJECT,
    Place,
    PlaceError,
    resolve_place,
    unit_domain_scores,
    unit_panel,
)

from .base import Context, CriterionResult, Reason, num, themes, unknown

KEY = "need"
CACHE_SECONDS = 600


def _place(plan, context: Context) -> Place:
    if context.place is not None:
        return resolve_place(context.place)
    return Place(key=f"plan:{plan.code}", kind="area_set", name=plan.title,
                 level="area_set", gemeenten=context.gemeenten, members=context.buurten)


def _compute(place: Place) -> dict | None:
    up = unit_panel(place, indicators=index_indicator_codes())
    periods = sort_periods(up.values.loc[up.values["unit"] == SUBJECT, "period"])
    if not periods:
        return None
    period = periods[-1]
    result = unit_domain_scores(up, base_period=None, at=period)
    domains = result.domains[result.domains["period"].astype(str) == period]
    scores: dict[str, dict[str, float | None]] = {SUBJECT: {}, CITY: {}}
    for area, domain, value in domains[["area", "domain", "index100"]].itertuples(index=False):
        if area in scores:
            scores[area][str(domain)] = None if value != value else round(float(value), 4)
    return {"period": period, "area": scores[SUBJECT], "city": scores[CITY],
            "notes": list(result.notes)[:10]}


def domain_scores(plan, context: Context) -> dict | None:
    """``{period, area: {domain: index100}, city: {...}, notes}`` of the plan's place,
    kept per data version; None without figures."""
    if "need" in context.cache:
        return context.cache["need"]
    place = _place(plan, context)
    digest = hashlib.sha256(",".join(place.members).encode()).hexdigest()[:16]
    key = f"wijkbalans:touchstone:need:{place.key}:{digest}:{data_version()}"
    found = cache.get(key)
    if found is None:
        found = {"value": _compute(place)}
        cache.set(key, found, CACHE_SECONDS)
    context.cache["need"] = found["value"]
    return found["value"]


def area_targets(context: Context, aimed) -> list[dict]:
    """The targets of the plan's area set on the plan's themes (a target on an indicator
    counts under the indicator's theme), with their latest status (``on track``,
    ``behind``...): what the council decided for the area on what the plan aims at."""
    if context.place is None or area_codes.level_of(context.place) is not None:
        return []
    area_set = area_selectors.area_set_get(slug=context.place)
    out = []
    for target in stacking.target_list(area_set=area_set) if area_set else []:
        theme = target.theme or getattr(
            indicator_selectors.indicator_get(code=target.indicator), "theme", "")
        if theme not in aimed:
            continue
        try:
            latest = stacking.target_progress(target=target).get("latest") or {}
        except (ValueError, LookupError):
            latest = {}
        out.append({"id": target.pk, "key": target.indicator or target.theme,
                    "theme": theme, "kind": target.kind,
                    "target_period": target.target_period, "note": target.note,
                    "status": latest.get("status"), "period": latest.get("period")})
    return out


def assess(plan, context: Context) -> CriterionResult:
    aimed = list(dict.fromkeys(plan.themes or []))
    if not context.buurten:
        return unknown(KEY, gettext_noop("The plan names no area, nor does any part of the "
                                         "register above it."))
    if not aimed:
        return unknown(KEY, gettext_noop("The plan names no theme."))
    try:
        scores = domain_scores(plan, context)
    except (PlaceError, ValueError) as error:
        return unknown(KEY, gettext_noop("The domain scores of the area could not be "
                                         "computed: %(error)s"), {"error": str(error)})
    if scores is None:
        return unknown(KEY, gettext_noop("There are no figures of the stacking index for "
                                         "the area."))
    finding = rules.need_rating(scores["area"], scores["city"], aimed)
    gaps = {t: round(scores["area"][t] - scores["city"][t], 4) for t in finding.scored}
    data = {"period": scores["period"], "place": context.place or context.buurten,
            "areas_from": context.areas_from, "themes": aimed,
            "area_scores": scores["area"], "city_scores": scores["city"],
            "gaps": gaps, "worst_domains": list(finding.worst),
            "themes_below_city": list(finding.worse), "hits": list(finding.hits),
            "themes_without_score": list(finding.unscored), "at_city": rules.AT_CITY,
            "targets": area_targets(context, aimed), "notes": scores["notes"]}
    if finding.rating == rules.UNKNOWN:
        reason = Reason(gettext_noop("None of the plan's themes (%(themes)s) is a domain "
                                     "of the stacking index with figures for the area."),
                        {"themes": themes(aimed)})
    elif finding.rating == rules.STRONG:
        hit = finding.hits[0]
        reason = Reason(gettext_noop(
            "The plan aims at %(theme)s, one of the area's two worst domains (%(worst)s): "
            "%(score)s against %(city)s for the city in %(period)s, %(gap)s index points "
            "below it."),
            {"theme": {"theme": hit}, "worst": themes(finding.worst),
             "score": num(scores["area"][hit], 1), "city": num(scores["city"][hit], 1),
             "period": scores["period"], "gap": num(-gaps[hit], 1)})
    elif finding.rating == rules.ADEQUATE:
        reason = Reason(gettext_noop(
            "The area is below the city on %(below)s, but the plan's themes are not among "
            "its two worst domains (%(worst)s)."),
            {"below": themes(finding.worse), "worst": themes(finding.worst)})
    else:
        reason = Reason(gettext_noop(
            "On %(themes)s the area is at or above the city average (within %(margin)s "
            "index points or better), in %(period)s; its worst domains are %(worst)s."),
            {"themes": themes(finding.scored), "margin": num(rules.AT_CITY, 0),
             "period": scores["period"], "worst": themes(finding.worst)})
    return CriterionResult(KEY, finding.rating, reason, data)
