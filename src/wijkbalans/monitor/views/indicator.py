"""The indicator page: definition, source, coverage, the ranking and the distribution."""

from __future__ import annotations

import numpy as np
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from wijkbalans.areas.models import Area
from wijkbalans.charts.bars import histogram_svg
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.monitor.formatting import chart_number, indicator_name, value_text

from .common import bad_request, csv_response, csv_value, svg_response

LEVELS = ("gemeente", "wijk", "buurt")
SHOWN = 100


def _ranking(request, code):
    indicator = indicator_selectors.indicator_get(code=code)
    if indicator is None:
        raise Http404(_("No indicator %(code)s") % {"code": code})
    level = request.GET.get("niveau") or "buurt"
    if level not in LEVELS:
        return indicator, None, _("niveau: expected one of %(levels)s, found %(found)r") % {
            "levels": ", ".join(LEVELS), "found": level}
    within = request.GET.get("binnen") or None
    if within and not Area.objects.filter(code=within, level="gemeente").exists():
        return indicator, None, _("binnen: unknown municipality %(found)r") % {"found": within}
    periods = indicator_selectors.indicator_periods(indicator=code, level=level, within=within)
    period = request.GET.get("periode") or (periods[-1] if periods else "")
    if period and period not in periods:
        return indicator, None, _("periode: expected one of %(periods)s, found %(found)r") % {
            "periods": ", ".join(periods), "found": period}
    long = indicator_selectors.observation_long(indicators=[code], level=level, within=within,
                                                periods=[period] if period else [])
    names = dict(Area.objects.filter(code__in=long["area"].tolist()).values_list("code", "name")
                 ) if len(long) else {}
    rows = [(r.area, names.get(r.area, r.area), r.value, r.status)
            for r in long.itertuples(index=False)]
    # Worst first: lowest first where higher is better, highest first otherwise.
    sign = 1.0 if indicator.polarity == "higher_better" else -1.0
    rows.sort(key=lambda r: (r[2] != r[2], sign * r[2] if r[2] == r[2] else 0, r[1]))
    return indicator, {"level": level, "within": within or "", "periods": periods,
                       "period": period, "rows": rows}, None


def indicator_page(request, code: str):
    indicator, ranking, error = _ranking(request, code)
    if error:
        return bad_request(request, error)
    coverage = indicator_selectors.indicator_coverage(indicator=indicator)
    values = np.array([r[2] for r in ranking["rows"] if r[2] == r[2]], dtype=float)
    shown = [(i + 1, c, n, value_text(v, indicator.decimals), s,
              reverse("monitor:profile", args=[c]))
             for i, (c, n, v, s) in enumerate(ranking["rows"][:SHOWN])]
    summary = {}
    if values.size:
        summary = {k: value_text(float(f(values)), indicator.decimals) for k, f in
                   (("min", np.min), ("median", np.median), ("max", np.max), ("mean", np.mean))}
    gemeenten = Area.objects.filter(level="gemeente").order_by("name").values_list("code", "name")
    return render(request, "monitor/indicator.html", {
        "indicator": indicator, "name": indicator_name(indicator), "coverage": coverage,
        "ranking": ranking, "shown": shown, "total": len(ranking["rows"]),
        "summary": summary, "levels": LEVELS, "gemeenten": gemeenten,
        "query": request.GET.urlencode(),
    })


def indicator_csv(request, code: str):
    indicator, ranking, error = _ranking(request, code)
    if error:
        return bad_request(request, error)
    return csv_response(
        f"{code}-{ranking['level']}-{ranking['period']}.csv",
        ["rank", "code", "name", "period", "value", "status"],
        [[i + 1, c, n, ranking["period"], csv_value(v), s]
         for i, (c, n, v, s) in enumerate(ranking["rows"])])


def indicator_histogram(request, code: str):
    indicator, ranking, error = _ranking(request, code)
    if error:
        return bad_request(request, error)
    values = [r[2] for r in ranking["rows"] if r[2] == r[2]]
    svg = histogram_svg(values, title=f"{indicator_name(indicator)}, {ranking['period']}",
                        unit=indicator.unit, number=chart_number(indicator.decimals),
                        count_label=_("number of areas"))
    return svg_response(svg, f"{code}-verdeling.svg" if "download" in request.GET else None)
