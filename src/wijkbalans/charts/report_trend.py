"""Trend lines for the printed report: :func:`wijkbalans.charts.line.trend_svg` with at most
seven period labels on the x axis, so that a dozen years stay readable in a chart printed
half a page wide. No Django here."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .line import Series
from .render import SERIES, figure, period_axes, to_svg

MOST_LABELS = 7


def report_trend_svg(
    series: Sequence[Series], *, title: str, unit: str = "",
    number: Callable[[float], str] = lambda v: f"{v:g}", description: str = "",
    most_labels: int = MOST_LABELS,
) -> str:
    """A line chart of several series over a shared, ordered set of periods (as
    ``trend_svg``: the first series solid and thicker, dashed series dashed, markers when
    a series has fewer than four points), labelling every n-th period only."""
    periods = sorted({p for s in series for p in s.periods})
    index = {p: i for i, p in enumerate(periods)}
    fig, ax = figure()
    for i, s in enumerate(series):
        points = [(index[p], v) for p, v in zip(s.periods, s.values, strict=True)
                  if v is not None and v == v]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, color=SERIES[i % len(SERIES)], linewidth=2 if i == 0 else 1.4,
                linestyle="--" if s.dashed else "-", marker="o" if len(xs) < 4 else None,
                markersize=3, label=s.label)
    period_axes(ax, periods, number, unit)
    step = max(1, math.ceil(len(periods) / most_labels))
    ax.set_xticklabels([p if i % step == 0 else "" for i, p in enumerate(periods)])
    if len(series) > 1 and any(line.get_label() for line in ax.get_lines()):
        ax.legend(frameon=False, fontsize=8, loc="best")
    return to_svg(fig, title=title, description=description)
