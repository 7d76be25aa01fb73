"""The report's charts: their data is frozen with the figures (a *spec*: plain JSON), and
:func:`render_svg` draws it with the app's chart functions (``wijkbalans.charts``), so a
stored version draws the same vectors again. Labels in a spec are already in the
report's language; numbers on the axes are written in it by :func:`render_svg`.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from wijkbalans.charts.coverage import coverage_svg
from wijkbalans.charts.line import Series, trend_svg
from wijkbalans.charts.numbers import format_number
from wijkbalans.charts.report_maps import MapArea, outlined_map_svg

# Period labels on a trend chart printed half a page wide: a dozen years stay readable.
REPORT_LABELS = 7


def trend(*, title: str, unit: str, decimals: int, series: list[dict], alt: str,
          description: str = "") -> dict:
    """A line chart: ``series`` are ``{label, periods, values, dashed}``."""
    return {"kind": "trend", "title": title, "unit": unit, "decimals": decimals,
            "series": series, "alt": alt, "description": description}


def million(value: float, lang: str, mln: str) -> str:
    """Axis labels of amounts: ``€ 1,5 mln`` or ``€ 250.000``."""
    if abs(value) >= 1_000_000:
        return f"€ {format_number(value / 1_000_000, 1, lang)} {mln}"
    return f"€ {format_number(value, 0, lang)}"


def render_svg(spec: dict, lang: str) -> str:
    """The SVG text of a frozen chart spec."""
    kind = spec["kind"]
    if kind == "trend":
        decimals = spec.get("decimals", 1)
        return trend_svg(
            [Series(label=s["label"], periods=s["periods"], values=s["values"],
                    dashed=s.get("dashed", False)) for s in spec["series"]],
            title=spec["title"], unit=spec.get("unit", ""),
            number=lambda v: format_number(v, decimals, lang),
            description=spec.get("description", ""), most_labels=REPORT_LABELS)
    if kind == "map":
        return outlined_map_svg(
            [MapArea(code=a["code"], name=a["name"], geometry=a["geometry"], fill=a["fill"])
             for a in spec["areas"]],
            outlined=set(spec.get("outlined", ())), title=spec["title"],
            legend=[tuple(x) for x in spec["legend"]], missing_label=spec["missing_label"],
            outline_label=spec.get("outline_label", ""),
            description=spec.get("description", ""))
    if kind == "coverage":
        return coverage_svg(
            spec["years"], [Decimal(v) for v in spec["need"]],
            [(label, [Decimal(v) for v in amounts]) for label, amounts in spec["secured"]],
            title=spec["title"], need_label=spec["need_label"],
            number=lambda v: million(v, lang, spec.get("mln", "mln")),
            description=spec.get("description", ""))
    raise ValueError(f"unknown chart kind {kind!r}")


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>`` (WeasyPrint draws it as vectors)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode()
