"""Checking a report's options and gathering its figures (reads only; no Django writes).

:func:`check_request` turns the options of the form, the command or the API into the
area set, period, language and settings of a report, or raises
:class:`~.errors.ReportError` naming the option. :func:`gather` runs every section
(``sections/``) in the report's language and returns the figures a version freezes.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkbalans.areas import selectors as area_selectors
from wijkbalans.areas.models import AreaSet
from wijkbalans.indicators import selectors as indicator_selectors

from .errors import ReportError
from .periods import is_report_period, sort_key, up_to
from .sections import Context, check_json, collect_all

LANGS = ("nl", "en")


@dataclass(frozen=True)
class Request:
    area_set: AreaSet
    period: str
    lang: str
    settings: dict


def _period_range(area_set: AreaSet) -> list[str]:
    """The periods in which the area set's buurten have figures (one query)."""
    rows = indicator_selectors.observation_list(area_set=area_set, statuses=["value"])
    return sorted(set(rows.order_by().values_list("period", flat=True).distinct()),
                  key=sort_key)


def check_request(*, area_set: str, period: str, lang: str = "nl", date=None,
                  base_period: str | None = None) -> Request:
    """The checked options of a report; :class:`ReportError` names the first wrong one."""
    slug = (area_set or "").strip()
    found = area_selectors.area_set_get(slug=slug) if slug else None
    if found is None:
        known = ", ".join(s.slug for s in area_selectors.area_set_list()) or _("none yet")
        raise ReportError(_("No area set %(slug)s; the area sets are: %(known)s.")
                          % {"slug": repr(slug), "known": known}, field="area_set")
    if not found.members.exists():
        raise ReportError(_("The area set %(slug)s has no neighbourhoods.") % {"slug": slug},
                          field="area_set")
    period = (period or "").strip()
    if not is_report_period(period):
        raise ReportError(_("The period is a year such as 2024 or a quarter such as 2024-Q2; "
                            "found %(found)s.") % {"found": repr(period)}, field="period")
    periods = _period_range(found)
    if not any(up_to(p, period) for p in periods):
        span = (_("its figures run from %(first)s to %(last)s")
                % {"first": periods[0], "last": periods[-1]}) if periods else _(
            "it has no figures at all")
        raise ReportError(_("The area set %(slug)s has no figures up to %(period)s: %(span)s.")
                          % {"slug": slug, "period": period, "span": span}, field="period")
    lang = (lang or "nl").strip()
    if lang not in LANGS:
        raise ReportError(_("The language is nl or en; found %(found)s.")
                          % {"found": repr(lang)}, field="lang")
    if date in (None, ""):
        date = timezone.localdate()
    elif isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise ReportError(_("The date is written as YYYY-MM-DD; found %(found)s.")
                              % {"found": repr(date)}, field="date") from None
    settings = {"date": date.isoformat()}
    base_period = (base_period or "").strip()
    if base_period:
        if base_period not in periods:
            raise ReportError(_("The base period must be a period with figures of the area "
                                "set (%(first)s to %(last)s); found %(found)s.")
                              % {"first": periods[0], "last": periods[-1],
                                 "found": repr(base_period)}, field="base_period")
        settings["base_period"] = base_period
    return Request(area_set=found, period=period, lang=lang, settings=settings)


def context(request: Request) -> Context:
    area_set = request.area_set
    members = list(area_selectors.area_set_members(area_set=area_set)
                   .values_list("code", "name", "gemeentecode"))
    gemeenten = sorted({g for _c, _n, g in members if g})
    gemeentecode = gemeenten[0] if len(gemeenten) == 1 else ""
    gemeente = (area_selectors.area_list(level="gemeente").filter(code=gemeentecode)
                .values_list("name", flat=True).first() if gemeentecode else None)
    return Context(area_set=area_set, period=request.period, lang=request.lang,
                   settings=request.settings, members=tuple(c for c, _n, _g in members),
                   gemeentecode=gemeentecode, gemeente_name=gemeente or gemeentecode,
                   figures={"meta": {"gemeentecode": gemeentecode,
                                     "gemeente_name": gemeente or gemeentecode,
                                     "members": [[c, n] for c, n, _g in members]}})


def gather(request: Request, progress: Callable[[str, int], None] | None = None) -> dict:
    """Every section's figures as plain JSON, gathered in the report's language."""
    ctx = context(request)
    with translation.override(request.lang):
        figures = collect_all(ctx, progress)
    figures["meta"]["base_period"] = ctx.base_period
    return check_json(figures)


def software() -> dict:
    """The versions that shape the report's content and its PDF."""
    import django
    import matplotlib
    import numpy
    import pandas
    import pydyf
    import weasyprint

    from wijkbalans import __version__

    return {"wijkbalans": __version__, "django": django.__version__,
            "weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__,
            "matplotlib": matplotlib.__version__, "numpy": numpy.__version__,
            "pandas": pandas.__version__, "python": platform.python_version()}
