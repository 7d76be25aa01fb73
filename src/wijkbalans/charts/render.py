"""matplotlib set up for deterministic, accessible SVG."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Colour-blind-safe palette (Okabe & Ito 2008) for series; dark enough on white for
# WCAG 2.1 non-text contrast (3:1) except the light yellow, which is not used for lines.
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
INK = "#1a1a1a"
GRID = "#d0d0d0"

matplotlib.rcParams.update({
    "svg.hashsalt": "wijkbalans",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#666666",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
})


def to_svg(fig, *, title: str, description: str = "") -> str:
    """The figure as an SVG document with a <title> and <desc> for screen readers."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None},
                bbox_inches="tight")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    head_end = svg.index(">") + 1
    accessible = (f'<title>{_escape(title)}</title>'
                  + (f'<desc>{_escape(description)}</desc>' if description else ""))
    svg = svg[:head_end].replace("<svg", '<svg role="img"', 1) + accessible + svg[head_end:]
    return svg


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def period_axes(ax, periods, number, unit: str = "", most_labels: int = 8) -> None:
    """Periods on the x axis (at most ``most_labels`` labelled), five y ticks written with
    ``number`` (Dutch or English digits), a light grid, and the unit as y label."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_xticks(range(len(periods)))
    step = max(1, math.ceil(len(periods) / most_labels))  # 12 of 8: every other one
    ax.set_xticklabels([p if i % step == 0 else "" for i, p in enumerate(periods)])
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    if unit:
        ax.set_ylabel(unit)


def figure(width_in: float = 5.2, height_in: float = 2.6):
    return plt.subplots(figsize=(width_in, height_in))
