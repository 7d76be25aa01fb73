"""The early-warning picture (/signalen/overzicht/) for the programme bureau: the
suppressed counts per theme × buurt × period as :func:`selectors.early_warning_table`
gives them, the alerts with their rule, a chart of the themes over the periods with the
same figures as a table, and links to the series in the monitor.

Only the published period kind is shown and only complete periods (docs/concerns.md:
tables of two kinds, or of a period still under way, could give a hidden count back).
A hidden count is never in the page, the chart or its data: the table says "hidden".
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wijkbalans.charts.line import Series, trend_svg
from wijkbalans.charts.numbers import format_number
from wijkbalans.indicators import selectors as indicator_selectors

from .. import alerts as alert_rule
from .. import periods, selectors
from ..publish import TOTAL, indicator_code
from . import common
from .forms import OverviewForm

NOT_BUREAU = _lazy("The early-warning picture is for programme staff, analysts and "
                   "administrators.")


def _allowed(request):
    return common.login_or_refuse(
        request, selectors.user_may_see_aggregates(user=request.user), NOT_BUREAU)


def _form(request):
    """The form, always bound: an empty query means the defaults."""
    gemeenten = common.gemeente_choice(request)[1]
    return OverviewForm(request.GET, gemeenten=gemeenten), gemeenten


def _table(form):
    data = form.cleaned_data
    return selectors.early_warning_table(gemeente=data["gemeente"], first=data["first"],
                                         last=data["last"])


def cells(counts) -> list[str | None]:
    """Counts as the reader writes them; None stays None (hidden)."""
    language = common.lang()
    return [None if c is None else format_number(c, 0, language) for c in counts]


def period_rows(table, period) -> list[dict]:
    """One row per buurt whose total is not a published zero, then the gemeente's totals:
    the counts per theme and the total, None where hidden."""
    rows = []
    for j, (code, name) in enumerate(table.buurten + [(table.gemeente, _("Total"))]):
        counts = [line[j] for line in period.counts]
        if j < len(table.buurten) and counts[-1] == 0:
            continue
        rows.append({"code": code, "name": name, "cells": cells(counts),
                     "total_row": j == len(table.buurten)})
    return rows


def theme_series(table) -> list[dict]:
    """The gemeente's count per theme (and in all) for each period, None where hidden."""
    keys = [*table.themes, TOTAL]
    labels = [common.theme_label(t) for t in table.themes] + [_("all themes")]
    return [{"theme": key, "label": label,
             "values": [p.counts[i][-1] for p in table.periods],
             "cells": cells([p.counts[i][-1] for p in table.periods]),
             "newest_first": cells([p.counts[i][-1] for p in reversed(table.periods)])}
            for i, (key, label) in enumerate(zip(keys, labels, strict=True))]


def series_links(table) -> list[dict]:
    """Links to the monitor's pages of the published series that exist."""
    out = []
    for theme in [*table.themes, TOTAL]:
        code = indicator_code(theme)
        if indicator_selectors.indicator_get(code=code) is not None:
            label = common.theme_label(theme) if theme != TOTAL else _("all themes")
            out.append({"code": code, "label": label,
                        "url": reverse("monitor:indicator", args=[code])
                        + f"?niveau=buurt&binnen={table.gemeente}"})
    return out


def overview(request):
    denied = _allowed(request)
    if denied:
        return denied
    form, gemeenten = _form(request)
    context = {"form": form, "gemeenten": gemeenten, "kind": form.kind,
               "latest": form.latest, "k": selectors.min_cell()}
    if not gemeenten:
        return render(request, "concerns/overview.html", context)
    if not form.is_valid():
        return render(request, "concerns/overview.html", context, status=400)
    data = form.cleaned_data
    table = _table(form)
    alerts = selectors.alerts(gemeente=data["gemeente"], week=data["alert_week"])
    names = dict(gemeenten)
    context.update({
        "table": table, "gemeente_name": names.get(data["gemeente"], data["gemeente"]),
        "themes": [common.theme_label(t) for t in table.themes],
        "periods": [{"period": p.period, "rows": period_rows(table, p),
                     "primary": p.primary, "secondary": p.secondary}
                    for p in reversed(table.periods)],
        "series": theme_series(table), "labels": [p.period for p in table.periods],
        "labels_newest_first": [p.period for p in reversed(table.periods)],
        "alerts": [{"alert": a, "theme": common.theme_label(a.theme),
                    "strength": _("very clear (p below 0.001)") if a.p_below < 0.01
                    else _("clear (p below 0.01)")} for a in alerts],
        "alert_window": _alert_window(data["alert_week"]),
        "rule": {"window": alert_rule.WINDOW, "baseline": alert_rule.BASELINE,
                 "alpha": format_number(alert_rule.ALPHA, 2, common.lang()), "k": table.k},
        "links": series_links(table), "query": _chart_query(data),
    })
    return render(request, "concerns/overview.html", context)


def _alert_window(week: str | None) -> tuple[str, str]:
    if week:
        last = periods.week_start(week)
    else:
        today = selectors.today()
        last = today - dt.timedelta(days=today.weekday() + 7)
    first = last - dt.timedelta(weeks=alert_rule.WINDOW - 1)
    return common.week_text(first), common.week_text(last)


def _chart_query(data) -> str:
    return urlencode({"gemeente": data["gemeente"], "van": data["first"],
                      "tot": data["last"]})


def overview_chart(request):
    """The gemeente's count per theme over the periods as SVG; hidden counts are gaps."""
    denied = _allowed(request)
    if denied:
        return denied
    form, gemeenten = _form(request)
    if not gemeenten or not form.is_valid():
        return HttpResponse(_("Expected a municipality and a range of complete periods."),
                            status=400, content_type="text/plain; charset=utf-8")
    table = _table(form)
    # "2025-Q1" as "2025" over "Q1": eight labels fit a phone; the order stays the same.
    labels = [p.period.replace("-", "\n", 1) for p in table.periods]
    series = [Series(label=s["label"], periods=labels,
                     values=[None if v is None else float(v) for v in s["values"]])
              for s in theme_series(table)[:-1]]
    language = common.lang()
    svg = trend_svg(series, title=_("Concerns per theme and period"),
                    unit=_("concerns"),
                    number=lambda v: format_number(v, 0, language),
                    description=_("Number of concerns recorded per theme in each period; "
                                  "a gap is a hidden count. The table on the page holds "
                                  "the same figures."))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
