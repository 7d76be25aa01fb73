"""A choropleth as SVG, for downloads and the printed report (the page uses Leaflet)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, Polygon

from .palettes import MISSING
from .render import figure, to_svg


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    geometry: dict  # GeoJSON (Multi)Polygon in WGS84
    fill: str | None  # None: no value


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


def choropleth_svg(
    areas: Sequence[MapArea], *, title: str, legend: Sequence[tuple[str, str]],
    missing_label: str, description: str = "",
) -> str:
    """Polygons filled by class, with a legend of (colour, label) and one for no value.

    Longitude is scaled by cos(mean latitude), a local equirectangular projection that is
    true to shape at the scale of a city.
    """
    lats = [pt[1] for a in areas for ring in _rings(a.geometry) for pt in ring]
    scale = math.cos(math.radians(sum(lats) / len(lats))) if lats else 1.0
    patches, colours = [], []
    for area in areas:
        for ring in _rings(area.geometry):
            patches.append(Polygon([(x * scale, y) for x, y in ring], closed=True))
            colours.append(area.fill or MISSING)
    fig, ax = figure(6.0, 6.0)
    collection = PatchCollection(patches, facecolors=colours, edgecolors="#ffffff",
                                 linewidths=0.4)
    ax.add_collection(collection)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    handles = [Patch(facecolor=c, edgecolor="#666666", label=label) for c, label in legend]
    handles.append(Patch(facecolor=MISSING, edgecolor="#666666", label=missing_label))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8)
    return to_svg(fig, title=title, description=description)
