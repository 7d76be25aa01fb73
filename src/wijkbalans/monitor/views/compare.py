"""Compare two to six areas or area sets: one indicator over time, or many at one period."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkbalans.charts.line import Series, trend_svg
from wijkbalans.indicators.models import Indicator
from wijkbalans.monitor.formatting import chart_number, indicator_name, value_text
from wijkbalans.monitor.places import place_values, resolve_places

from .common import bad_request, csv_response, csv_value, svg_response

MIN_PLACES, MAX_PLACES = 2, 6


def _parse(request):
    keys = [k for k in request.GET.getlist("gebied") if k.strip()]
    if not MIN_PLACES <= len(keys) <= MAX_PLACES:
        return None, None, _("gebied: choose between %(min)d and %(max)d areas, found %(n)d") % {
            "min": MIN_PLACES, "max": MAX_PLACES, "n": len(keys)}
    places, unknown = resolve_places(keys)
    if unknown:
        return None, None, _("gebied: unknown area code or area set %(found)s") % {
            "found": ", ".join(unknown)}
    code = request.GET.get("indicator") or ""
    indicator = None
    if code:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            return None, None, _("indicator: unknown indicator %(found)r") % {"found": code}
    return places, indicator, None


def compare(request):
    if not request.GET.getlist("gebied"):
        return render(request, "monitor/compare.html", {"places": [], "start": True})
    places, indicator, error = _parse(request)
    if error:
        return bad_request(request, error)
    values, members = place_values(places, indicators=[indicator.code] if indicator else None)
    values = values[values["status"] == "value"]
    lookup = {(r.place, r.indicator, r.period): r.value for r in values.itertuples(index=False)}
    context = {"places": places, "indicator": indicator, "query": request.GET.urlencode()}
    if indicator is not None:
        periods = sorted(set(values["period"]))
        context["rows"] = [(period, [value_text(lookup.get((p.key, indicator.code, period)),
                                                indicator.decimals) for p in places])
                           for period in periods]
        context["indicator_label"] = indicator_name(indicator)
    else:
        periods = sorted(set(values["period"]))
        period = request.GET.get("periode") or (periods[-1] if periods else "")
        if period and period not in periods:
            return bad_request(request, _("periode: expected one of %(periods)s, found "
                                          "%(found)r") % {"periods": ", ".join(periods),
                                                          "found": period})
        codes = sorted(set(values.loc[values["period"] == period, "indicator"]))
        defs = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        context["period"], context["periods"] = period, periods
        context["matrix"] = [
            (defs[c], indicator_name(defs[c]),
             [value_text(lookup.get((p.key, c, period)), defs[c].decimals) for p in places])
            for c in sorted(codes, key=lambda c: (defs[c].theme, indicator_name(defs[c])))]
    context["partial"] = sorted(set(members["place"])) if not members.empty else []
    return render(request, "monitor/compare.html", context)


def compare_chart(request):
    places, indicator, error = _parse(request)
    if error or indicator is None:
        return bad_request(request, error or _("indicator: choose an indicator"))
    values, _members = place_values(places, indicators=[indicator.code])
    values = values[values["status"] == "value"].sort_values("period")
    series = [Series(label=p.name, periods=values.loc[values["place"] == p.key, "period"]
                     .tolist(), values=values.loc[values["place"] == p.key, "value"].tolist())
              for p in places]
    svg = trend_svg(series, title=indicator_name(indicator), unit=indicator.unit,
                    number=chart_number(indicator.decimals))
    return svg_response(svg, "vergelijking.svg" if "download" in request.GET else None)


def compare_csv(request):
    places, indicator, error = _parse(request)
    if error:
        return bad_request(request, error)
    values, _members = place_values(places, indicators=[indicator.code] if indicator else None)
    values = values.sort_values(["indicator", "period", "place"])
    return csv_response("vergelijking.csv", ["place", "indicator", "period", "value", "status"],
                        [[r.place, r.indicator, r.period, csv_value(r.value), r.status]
                         for r in values.itertuples(index=False)])
