"""Trend lines: one indicator over the periods, for an area and its references."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .render import SERIES, figure, period_axes, to_svg


@dataclass(frozen=True)
class Series:
    label: str
    periods: Sequence[str]
    values: Sequence[float | None]
    dashed: bool = False


def trend_svg(
    series: Sequence[Series], *, title: str, unit: str = "",
    number: Callable[[float], str] = lambda v: f"{v:g}", description: str = "",
    most_labels: int = 8,
) -> str:
    """A line chart of several series over a shared, ordered set of periods, at most
    ``most_labels`` of them labelled (the printed report, half a page wide, takes 7)."""
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
    period_axes(ax, periods, number, unit, most_labels)
    if len(series) > 1 and any(line.get_label() for line in ax.get_lines()):
        ax.legend(frameon=False, fontsize=8, loc="best")
    return to_svg(fig, title=title, description=description)
