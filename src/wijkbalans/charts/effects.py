"""Charts of an effect evaluation: the treated areas against their counterfactual, the gap
over time, and the placebo distribution.

Lines are told apart by more than colour (solid with markers against dashed), and the
start of the programme and the real estimate are drawn as labelled lines, so that the
charts read in grey too. Labels come in translated; no Django here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .render import GRID, INK, SERIES, figure, period_axes, to_svg

Number = Callable[[float], str]


def _plain(v: float) -> str:
    return f"{v:g}"


def _start_line(ax, start_index: int, label: str) -> None:
    """A dotted vertical line between the last period before and the first with the
    programme, labelled at the top."""
    x = start_index - 0.5
    ax.axvline(x, color=INK, linestyle=":", linewidth=1)
    ax.annotate(label, xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                textcoords="offset points", ha="left", va="top", fontsize=8, color=INK)


def _values(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def paths_svg(periods: Sequence[str], treated: Sequence[float | None],
              counterfactual: Sequence[float | None], *, start_index: int, title: str,
              treated_label: str, counterfactual_label: str, start_label: str,
              unit: str = "", number: Number = _plain, description: str = "") -> str:
    """The treated areas' path (solid, with markers) and the counterfactual (dashed)."""
    fig, ax = figure()
    xs = np.arange(len(periods))
    ax.plot(xs, _values(treated), color=SERIES[0], linewidth=2, marker="o", markersize=3,
            label=treated_label)
    ax.plot(xs, _values(counterfactual), color=SERIES[1], linewidth=1.6, linestyle="--",
            label=counterfactual_label)
    _start_line(ax, start_index, start_label)
    period_axes(ax, periods, number, unit)
    ax.legend(frameon=False, fontsize=8, loc="best")
    return to_svg(fig, title=title, description=description)


def gap_svg(periods: Sequence[str], gap: Sequence[float | None], *, start_index: int,
            title: str, gap_label: str, start_label: str, unit: str = "",
            number: Number = _plain, description: str = "") -> str:
    """Treated minus counterfactual per period, with the zero line."""
    fig, ax = figure()
    xs = np.arange(len(periods))
    ax.axhline(0, color=INK, linewidth=0.8)
    ax.plot(xs, _values(gap), color=SERIES[0], linewidth=2, marker="o", markersize=3,
            label=gap_label)
    _start_line(ax, start_index, start_label)
    period_axes(ax, periods, number, unit)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return to_svg(fig, title=title, description=description)


def placebo_bins(values: Sequence[float], actual: float | None, bins: int = 20) -> np.ndarray:
    """Edges of equal-width bins over the placebo values and the real value, shared by the
    chart and its table."""
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if actual is not None and np.isfinite(actual):
        data = np.append(data, actual)
    if data.size == 0:
        return np.array([0.0, 1.0])
    count = min(bins, max(5, int(np.sqrt(data.size))))
    low, high = float(data.min()), float(data.max())
    if high <= low:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, count + 1)


def placebo_svg(values: Sequence[float], actual: float | None, *, edges: np.ndarray,
                title: str, value_label: str, count_label: str, actual_label: str,
                number: Number = _plain, description: str = "") -> str:
    """A histogram of the placebo estimates, with the real estimate as a labelled line."""
    fig, ax = figure()
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if data.size:
        ax.hist(data, bins=edges, color=SERIES[5], edgecolor="#ffffff", linewidth=0.5)
    if actual is not None and np.isfinite(actual):
        ax.axvline(actual, color=INK, linewidth=2)
        ax.annotate(actual_label, xy=(actual, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(-3, -2), textcoords="offset points", ha="right", va="top",
                    fontsize=8, color=INK)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_xlabel(value_label)
    ax.set_ylabel(count_label)
    return to_svg(fig, title=title, description=description)
