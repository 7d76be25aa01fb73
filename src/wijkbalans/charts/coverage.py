"""The financial coverage of the programme register over the years: secured funds as bars
stacked by source, the planned need as a line over them, so that a year whose bar stays
below the line has a gap.

Need is drawn as a black line with square markers and the sources as bars with a hatch
each besides their colour, so that the chart reads in grey too. Amounts come in as exact
decimals and are drawn as floats (a chart needs no cents); the exact figures are in the
table next to the chart. Labels come in translated; no Django here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .render import GRID, INK, SERIES, figure, to_svg

HATCHES = ["", "//", "..", "\\\\", "xx", "--", "oo"]


def coverage_svg(years: Sequence[int], need: Sequence[Decimal],
                 secured: Sequence[tuple[str, Sequence[Decimal]]], *, title: str,
                 need_label: str, number: Callable[[float], str] = lambda v: f"{v:g}",
                 unit: str = "", description: str = "") -> str:
    """Bars of what each source secured per year, stacked, and the need as a line.

    ``secured`` holds (source label, amount per year) in the order of the stack, bottom
    first; each sequence runs over ``years``.
    """
    fig, ax = figure(6.4, 3.2)
    xs = np.arange(len(years))
    bottom = np.zeros(len(years))
    for i, (label, amounts) in enumerate(secured):
        values = np.array([float(a) for a in amounts], dtype=float)
        ax.bar(xs, values, bottom=bottom, width=0.7, color=SERIES[i % len(SERIES)],
               hatch=HATCHES[(i // len(SERIES) + i) % len(HATCHES)], edgecolor="#ffffff",
               linewidth=0.5, label=label)
        bottom = bottom + values
    ax.plot(xs, [float(v) for v in need], color=INK, linewidth=1.8, marker="s",
            markersize=3.5, label=need_label, zorder=5)
    step = max(1, len(years) // 10)
    ax.set_xticks(xs)
    ax.set_xticklabels([str(y) if i % step == 0 else "" for i, y in enumerate(years)])
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    if unit:
        ax.set_ylabel(unit)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return to_svg(fig, title=title, description=description)
