"""The distribution of an indicator over areas, as a histogram."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .render import GRID, SERIES, figure, to_svg


def histogram_svg(values: Sequence[float], *, title: str, unit: str = "",
                  number: Callable[[float], str] = lambda v: f"{v:g}",
                  count_label: str = "", bins: int = 20) -> str:
    fig, ax = figure()
    data = np.asarray([v for v in values if v == v], dtype=float)
    if data.size:
        ax.hist(data, bins=min(bins, max(5, int(np.sqrt(data.size)))), color=SERIES[0],
                edgecolor="#ffffff", linewidth=0.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    if unit:
        ax.set_xlabel(unit)
    if count_label:
        ax.set_ylabel(count_label)
    return to_svg(fig, title=title)
