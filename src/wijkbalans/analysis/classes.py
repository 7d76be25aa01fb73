"""Classes for choropleth maps: quantiles by default, or a source's own classes.

Quantile breaks put (about) the same number of areas in each class, the default of most
neighbourhood monitors. Ties may make fewer classes than asked; breaks are never repeated.
Missing values are never classed (class ``None``), never treated as zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Classes:
    """Upper-inclusive breaks: class i holds values in (breaks[i-1], breaks[i]]."""

    breaks: tuple[float, ...]
    labels: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.breaks)

    def assign(self, values) -> list[int | None]:
        """The class (0-based) of every value; None for a missing value.

        >>> Classes(breaks=(1.0, 2.0, 3.0)).assign([0.5, 1.0, 2.5, float("nan"), 9])
        [0, 0, 2, None, 2]
        """
        arr = np.asarray(values, dtype=float)
        idx = np.searchsorted(np.asarray(self.breaks), arr, side="left")
        idx = np.minimum(idx, len(self.breaks) - 1)
        return [None if np.isnan(v) else int(i) for v, i in zip(arr, idx, strict=True)]


def quantile_classes(values, k: int = 5) -> Classes:
    """Breaks at the k-quantiles of the non-missing values.

    >>> quantile_classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=5).breaks
    (2.0, 4.0, 6.0, 8.0, 10.0)
    """
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return Classes(breaks=())
    # Rounded: linspace gives 0.6000000000000001 for 3/5, which inverted_cdf would take
    # past the 6th of 10 values to the 7th.
    probabilities = np.round(np.linspace(0, 1, k + 1)[1:], 12)
    qs = np.quantile(arr, probabilities, method="inverted_cdf")
    breaks = tuple(float(b) for b in np.unique(qs))
    return Classes(breaks=breaks)


def fixed_classes(upper_bounds, labels=()) -> Classes:
    """A source's own classes, e.g. the Leefbaarometer's nine (1 to 9)."""
    return Classes(breaks=tuple(float(b) for b in upper_bounds), labels=tuple(labels))
