"""Colours for classes. Sequential palettes run from light (few problems) to dark (many),
oriented by the indicator's polarity; the Leefbaarometer's nine classes keep their
diverging order (1 zeer onvoldoende ... 9 uitstekend). Colours chosen to stay apart for
colour-blind readers (blue-orange rather than red-green)."""

from __future__ import annotations

# Light to dark; "dark" means "worse" once oriented.
SEQUENTIAL = ["#fff1dc", "#fdcc8a", "#fc8d59", "#d7301f", "#7f0000"]
SEQUENTIAL_7 = ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]
# Nine classes, worst (1) to best (9): orange-brown to blue.
DIVERGING_9 = ["#7f3b08", "#b35806", "#e08214", "#fdb863", "#f7f7f7", "#b2abd2", "#8073ac",
               "#542788", "#2d004b"]
MISSING = "#bdbdbd"


def class_colours(count: int, *, higher_is_worse: bool, diverging: bool = False) -> list[str]:
    """``count`` colours for classes ordered from the lowest to the highest value."""
    if diverging and count == 9:
        colours = list(DIVERGING_9)
        return colours if not higher_is_worse else colours[::-1]
    base = SEQUENTIAL if count <= 5 else SEQUENTIAL_7
    if count < len(base):
        step = (len(base) - 1) / max(count - 1, 1)
        base = [base[round(i * step)] for i in range(count)]
    base = base[:count]
    return base if higher_is_worse else base[::-1]


def text_colour(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (WCAG luminance)."""
    rgb = [int(fill[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if luminance > 0.179 else "#ffffff"
