"""The arithmetic of the coherence view (see docs/programmes.md, "Coherence"): how an
activity's money is split over the buurten and themes it covers, and which buurten are
among the worst of a municipality on a domain. Pure: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

WORST_SHARE = 0.2  # the worst quintile
CENT = Decimal("0.01")


def split_money(planned: Decimal, weights: Mapping[str, float | None],
                n_themes: int) -> dict[str, Decimal]:
    """An activity's planned money per covered buurt and theme: in proportion to the
    weights (inhabitants) when every buurt has one above zero, else equally; then
    divided equally over its ``n_themes`` themes. Exact decimals, not rounded.

    >>> shares = split_money(Decimal("90000"), {"a": 100, "b": 200, "c": 600}, 2)
    >>> [str(shares[k].quantize(CENT)) for k in "abc"]
    ['5000.00', '10000.00', '30000.00']
    >>> str(split_money(Decimal("900"), {"a": 100, "b": None, "c": 600}, 1)["b"])
    '300'
    """
    if not weights or n_themes < 1:
        return {}
    known = {k: w for k, w in weights.items() if w is not None and not math.isnan(w) and w > 0}
    if len(known) == len(weights):
        exact = {k: Decimal(str(w)) for k, w in known.items()}
    else:
        exact = dict.fromkeys(weights, Decimal(1))
    total = sum(exact.values())
    return {k: planned * w / total / n_themes for k, w in exact.items()}


def worst_share_members(values: Mapping[str, float | None],
                        share: float = WORST_SHARE) -> set[str]:
    """The keys whose value (higher is worse) is among the worst ``share``: with the N
    known values sorted worst first, the cut-off is the k-th, k = ceil(share * N); ties at
    the cut-off count in (the rule of the stacking count, docs/methods/stacking.md).

    >>> sorted(worst_share_members({"a": 2.0, "b": 1.0, "c": 0.0, "d": -1.0, "e": None}))
    ['a']
    >>> sorted(worst_share_members({"a": 1.0, "b": 1.0, "c": 0.0}))
    ['a', 'b']
    """
    known = sorted((v for v in values.values() if v is not None), reverse=True)
    if not known:
        return set()
    cutoff = known[math.ceil(share * len(known)) - 1]
    return {k for k, v in values.items() if v is not None and v >= cutoff}
