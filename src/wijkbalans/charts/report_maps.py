"""A print map with some areas outlined: the programme area drawn over a choropleth of
its city, for the progress report. No Django here.

The fill says the class (as :func:`wijkbalans.charts.maps.choropleth_svg`), a thick dark
outline says "in the programme area", so the map reads in grey and for colour-blind
readers too; the legend names both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.collections import PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from .maps import MapArea, _rings
from .palettes import MISSING
from .render import INK, figure, to_svg

__all__ = ["MapArea", "outlined_map_svg"]


def outlined_map_svg(
    areas: Sequence[MapArea], *, outlined: set[str], title: str,
    legend: Sequence[tuple[str, str]], missing_label: str, outline_label: str = "",
    description: str = "", width_in: float = 6.2, height_in: float = 5.0,
) -> str:
    """Polygons filled by class, the ``outlined`` codes drawn again with a thick outline
    on top; a legend of (colour, label), one for no value and one for the outline.

    Longitude is scaled by cos(mean latitude), as in ``choropleth_svg``.
    """
    lats = [pt[1] for a in areas for ring in _rings(a.geometry) for pt in ring]
    scale = math.cos(math.radians(sum(lats) / len(lats))) if lats else 1.0
    fills, colours, outlines = [], [], []
    for area in areas:
        for ring in _rings(area.geometry):
            points = [(x * scale, y) for x, y in ring]
            fills.append(Polygon(points, closed=True))
            colours.append(area.fill or MISSING)
            if area.code in outlined:
                outlines.append(Polygon(points, closed=True))
    fig, ax = figure(width_in, height_in)
    ax.add_collection(PatchCollection(fills, facecolors=colours, edgecolors="#ffffff",
                                      linewidths=0.4))
    if outlines:
        ax.add_collection(PatchCollection(outlines, facecolors="none", edgecolors=INK,
                                          linewidths=1.6))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    handles = [Patch(facecolor=c, edgecolor="#666666", label=label) for c, label in legend]
    handles.append(Patch(facecolor=MISSING, edgecolor="#666666", label=missing_label))
    if outline_label:
        handles.append(Line2D([0], [0], color=INK, linewidth=1.6, label=outline_label))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8)
    return to_svg(fig, title=title, description=description)
