"""The map and ranked table of the monitor's start page: one indicator, one period, the
buurten or wijken of a municipality or a programme area, classed and coloured."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkbalans.analysis.classes import Classes, fixed_classes, quantile_classes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.charts.palettes import MISSING, class_colours
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.models import Indicator

from .formatting import indicator_name, value_text

LEVELS = ("buurt", "wijk")
# Indicators whose source publishes its own classes: (upper bounds, labels).
SOURCE_CLASSES = {
    "lbm_klasse": (range(1, 10), ["1 zeer onvoldoende", "2 ruim onvoldoende", "3 onvoldoende",
                                  "4 zwak", "5 voldoende", "6 ruim voldoende", "7 goed",
                                  "8 zeer goed", "9 uitstekend"]),
}


class ScopeError(ValueError):
    """A request parameter names something that does not exist, or has the wrong form."""


@dataclass
class Scope:
    within: str  # gemeentecode or area-set slug
    within_name: str
    level: str
    indicator: Indicator | None
    period: str
    periods: list[str]
    indicators: list[Indicator]
    area_ids: list[int]
    highlight_codes: set[str] = field(default_factory=set)
    is_set: bool = False


@dataclass
class Row:
    code: str
    name: str
    value: float | None
    status: str
    klass: int | None
    fill: str
    rank: int | None = None
    text: str = ""
    url: str = ""
    in_programme: bool = False


def scope_choices() -> list[tuple[str, str]]:
    """Municipalities with buurt borders, and the area sets (two queries)."""
    gemeenten = (AreaVersion.objects.filter(area__level="buurt", geometry__isnull=False)
                 .values_list("area__gemeentecode", flat=True).distinct())
    names = dict(Area.objects.filter(code__in=list(gemeenten)).values_list("code", "name"))
    choices = [(code, names.get(code, code)) for code in sorted(names, key=names.get)]
    choices += [(s.slug, s.name) for s in area_selectors.area_set_list()]
    return choices


def default_within() -> str | None:
    first_set = (area_selectors.area_set_list().annotate(n=Count("members"))
                 .filter(n__gt=0).first())
    if first_set is not None:
        member = area_selectors.area_set_members(area_set=first_set).first()
        if member is not None and member.gemeentecode:
            return member.gemeentecode
    choices = scope_choices()
    return choices[0][0] if choices else None


def build_scope(params) -> Scope | None:
    """The scope a request asks for, defaults filled in; None when nothing is mapped yet."""
    within = params.get("binnen") or default_within()
    if within is None:
        return None
    level = params.get("niveau") or "buurt"
    if level not in LEVELS:
        raise ScopeError(_("niveau: expected one of %(levels)s, found %(found)r")
                         % {"levels": ", ".join(LEVELS), "found": level})
    area_set = area_selectors.area_set_get(slug=within)
    highlight: set[str] = set()
    if area_set is not None:
        members = area_selectors.area_set_members(area_set=area_set)
        highlight = set(members.values_list("code", flat=True))
        within_name = area_set.name
        if level == "buurt":
            area_ids = list(members.values_list("pk", flat=True))
        else:
            area_ids = list(Area.objects.filter(
                children__in=members.values("pk")).distinct().values_list("pk", flat=True))
    else:
        gemeente = Area.objects.filter(code=within, level="gemeente").first()
        if gemeente is None:
            raise ScopeError(_("binnen: expected a municipality code or an area set, found "
                               "%(found)r") % {"found": within})
        within_name = gemeente.name
        area_ids = list(Area.objects.filter(gemeentecode=within, level=level)
                        .values_list("pk", flat=True))
        highlight = set(Area.objects.filter(area_sets__isnull=False, gemeentecode=within)
                        .values_list("code", flat=True))
    indicators = indicator_selectors.indicators_with_data(area_ids=area_ids)
    by_code = {i.code: i for i in indicators}
    code = params.get("indicator") or _default_indicator(by_code)
    if code and code not in by_code:
        raise ScopeError(_("indicator: expected an indicator with figures here, found "
                           "%(found)r") % {"found": code})
    indicator = by_code.get(code) if code else None
    periods = (indicator_selectors.indicator_periods(indicator=indicator.code,
                                                     area_ids=area_ids) if indicator else [])
    period = params.get("periode") or (periods[-1] if periods else "")
    if period and period not in periods:
        raise ScopeError(_("periode: expected one of %(periods)s, found %(found)r")
                         % {"periods": ", ".join(periods), "found": period})
    return Scope(within=within, within_name=within_name, level=level, indicator=indicator,
                 period=period, periods=periods, indicators=indicators, area_ids=area_ids,
                 highlight_codes=highlight, is_set=area_set is not None)


def _default_indicator(by_code: dict[str, Indicator]) -> str | None:
    for preferred in ("lbm_klasse", "werkzaam_pct", "bijstand_per_1000", "inwoners"):
        if preferred in by_code:
            return preferred
    return next(iter(by_code), None)


def classes_for(indicator: Indicator, values: list[float]) -> tuple[Classes, list[str]]:
    if indicator.code in SOURCE_CLASSES:
        bounds, labels = SOURCE_CLASSES[indicator.code]
        classes = fixed_classes(bounds, labels)
        colours = class_colours(len(classes.breaks), higher_is_worse=False, diverging=True)
        return classes, colours
    classes = quantile_classes(values, k=5)
    worse_high = indicator.polarity != "higher_better"
    return classes, class_colours(max(classes.count, 1), higher_is_worse=worse_high)


def map_rows(scope: Scope) -> tuple[list[Row], list[tuple[str, str]]]:
    """The areas of the scope with value, class and colour, worst first; and the legend."""
    indicator = scope.indicator
    areas = list(Area.objects.filter(pk__in=scope.area_ids).values_list("pk", "code", "name"))
    if indicator is None:
        return [], []
    long = indicator_selectors.observation_long(indicators=[indicator.code],
                                                area_ids=scope.area_ids, periods=[scope.period])
    by_code = {r.area: (r.value, r.status) for r in long.itertuples(index=False)}
    values = [v for v, s in by_code.values() if s == "value" and not math.isnan(v)]
    classes, colours = classes_for(indicator, values)
    rows = []
    for _pk, code, name in areas:
        value, status = by_code.get(code, (None, "absent"))
        if value is not None and math.isnan(value):
            value = None
        klass = classes.assign([value])[0] if value is not None and classes.count else None
        rows.append(Row(code=code, name=name, value=value, status=status, klass=klass,
                        fill=colours[klass] if klass is not None else MISSING,
                        text=value_text(value, indicator.decimals),
                        url=reverse("monitor:profile", args=[code]),
                        in_programme=code in scope.highlight_codes))
    sign = -1 if indicator.polarity == "higher_better" else 1
    ranked = sorted((r for r in rows if r.value is not None), key=lambda r: -sign * r.value)
    rank = 0
    previous = None
    for position, row in enumerate(ranked, start=1):
        if row.value != previous:
            rank, previous = position, row.value
        row.rank = rank
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return rows, legend(indicator, classes, colours)


def legend(indicator: Indicator, classes: Classes, colours: list[str]) -> list[tuple[str, str]]:
    if classes.labels:
        return list(zip(colours, classes.labels, strict=False))
    items, low = [], None
    for colour, high in zip(colours, classes.breaks, strict=False):
        text = (f"≤ {value_text(high, indicator.decimals)}" if low is None else
                f"{value_text(low, indicator.decimals)} – {value_text(high, indicator.decimals)}")
        items.append((colour, text))
        low = high
    return items


def feature_collection(scope: Scope, rows: list[Row]) -> dict:
    geometries = area_selectors.area_geometries(
        area_ids=list(Area.objects.filter(code__in=[r.code for r in rows])
                      .values_list("pk", flat=True)))
    ids = dict(Area.objects.filter(code__in=[r.code for r in rows]).values_list("code", "pk"))
    features = []
    name = indicator_name(scope.indicator) if scope.indicator else ""
    for row in rows:
        found = geometries.get(ids.get(row.code))
        if not found:
            continue
        features.append({
            "type": "Feature", "id": row.code, "geometry": found[1],
            "properties": {"code": row.code, "name": row.name, "value": row.value,
                           "status": row.status, "class": row.klass, "fill": row.fill,
                           "label": f"{row.name}: {name} {row.text}", "url": row.url,
                           "programme": row.in_programme},
        })
    return {"type": "FeatureCollection", "features": features}
