"""Template filters of the report: numbers, amounts, shares and dates in the language the
report is rendered in (``reports.formatting``), statuses in words, charts as SVG images."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import charts, formatting

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


@register.filter
def num(value, decimals=1):
    return formatting.number(value, int(decimals), _lang())


@register.filter
def distance(value, decimals=1):
    """A gap written as a distance, without its sign."""
    return formatting.number(abs(value) if value is not None else None, int(decimals),
                             _lang())


@register.filter
def euro(value):
    return formatting.euro(value, _lang())


@register.filter
def qty(value):
    return formatting.quantity(value, _lang())


@register.filter
def pct(value):
    return formatting.percent(value, _lang())


@register.filter
def share(value, decimals=0):
    """A fraction (0.25) as a percentage with ``decimals`` (``25%``)."""
    if value is None:
        return formatting.DASH
    return f"{formatting.number(100 * value, int(decimals), _lang())}%"


@register.filter
def day(value):
    return formatting.date_text(value, _lang())


@register.filter
def status(code):
    return {"ahead": _("ahead"), "on track": _("on track"), "behind": _("behind"),
            "no data": _("no data")}.get(code, code)


@register.filter
def closure_word(gap):
    """closing, widening or about the same, by the summary's rule (a tenth of the gap)."""
    from ..sections.summary import CLOSING

    if gap.get("closure") is None or not gap.get("worse_at_base"):
        return _("no gap at the base") if not gap.get("worse_at_base") else "–"
    if gap["closure"] >= CLOSING:
        return _("narrowing")
    if gap["closure"] <= -CLOSING:
        return _("widening")
    return _("about the same")


@register.filter
def chart(spec):
    """A frozen chart spec as a ``data:`` URI of its SVG."""
    return charts.data_uri(charts.render_svg(spec, _lang()))


@register.filter
def indent(depth):
    return f"{0.9 * int(depth or 0):.1f}em"
