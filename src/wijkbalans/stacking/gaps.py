"""Gaps of a place to a reference, per indicator and per domain, and closure since a base.

Convention (that of :func:`wijkbalans.analysis.gaps.gaps`): ``gap = value - reference``
in the indicator's own unit, so a **positive gap means higher than the reference**, not
necessarily worse; ``gap_problem = s * gap`` with s = +1 (higher is worse) or -1 (higher
is better) is **positive when the place is worse off**. ``closure = 1 - gap / gap_base``:
0 as in the base period, 1 closed, above 1 overtaken, below 0 widened; NaN with a reason
when the base gap is 0 or a value is missing (never 0).

Domain rows compare index-100 domain scores (higher is better) of the place and the
reference, both standardised against the city's buurten in the base period
(:func:`~.units.unit_domain_scores`), so their gap is in index points.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wijkbalans.analysis import gaps as gaps_analysis
from wijkbalans.analysis.standardise import DEFAULT_THEMES
from wijkbalans.analysis.targets import period_time
from wijkbalans.areas.models import AreaSet

from .errors import ParameterError
from .panels import index_indicator_codes
from .units import (
    REFERENCE_UNITS,
    SUBJECT,
    PlaceError,
    resolve_place,
    unit_domain_scores,
    unit_panel,
)

COLUMNS = ["kind", "key", "period", "value", "reference", "gap", "gap_base", "closure",
           "reason", "gap_problem", "polarity"]


def gap_indicator_codes() -> list[str]:
    """The default indicators of a gap table: those of the index and the Leefbaarometer
    total ``lbm_afw``."""
    return [*index_indicator_codes(), "lbm_afw"]


def place_gaps(
    *, area_set_or_code: AreaSet | str, reference: str = "city", base_period: str,
    indicators: Sequence[str] | None = None, themes: Sequence[str] | None = None,
    domains: bool = True,
) -> pd.DataFrame:
    """Gap and closure per indicator (and domain) and period, from ``base_period`` on.

    ``reference``: ``city``, ``rest_of_city`` or ``country`` (see :mod:`.units`). Returns
    :data:`COLUMNS`; ``kind`` is ``indicator`` or ``domain``. ``frame.attrs["notes"]`` says
    what could not be computed. Raises :class:`ParameterError` naming a wrong parameter.
    """
    if reference not in REFERENCE_UNITS:
        raise ParameterError("reference", f"expected one of {', '.join(REFERENCE_UNITS)}; "
                             f"found {reference!r}")
    try:
        place = resolve_place(area_set_or_code)
    except PlaceError as error:
        raise ParameterError("area", str(error)) from error
    codes = list(indicators or gap_indicator_codes())
    up = unit_panel(place, indicators=codes)
    subject = up.values[up.values["unit"] == SUBJECT]
    periods = sorted(set(subject["period"]))
    if base_period not in periods:
        raise ParameterError("base", f"expected a period in which {place.key} has values: "
                             f"{', '.join(periods) or 'none'}; found {base_period!r}")
    ref_unit = REFERENCE_UNITS[reference]
    polarities = dict(zip(up.table["code"], up.table["polarity"], strict=True))
    notes: list[str] = list(up.notes)
    frames = []
    ref = up.values[(up.values["unit"] == ref_unit) & up.values["indicator"].isin(codes)]
    values = subject[subject["indicator"].isin(codes)]
    if not values.empty:
        g = gaps_analysis.gaps(values.rename(columns={"unit": "area"}), ref,
                               base_period=base_period, polarities=polarities)
        frames.append(g.rename(columns={"indicator": "key"}).assign(
            kind="indicator", polarity=g["indicator"].map(polarities).to_numpy()))
    if domains:
        try:
            frames.append(_domain_gaps(up, ref_unit, base_period, themes))
        except (PlaceError, ValueError) as error:
            notes.append(f"no domain gaps: {error}")
    frame = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(
        not f.empty for f in frames) else pd.DataFrame(columns=COLUMNS)
    start = period_time(base_period)
    frame = frame[[period_time(p) >= start for p in frame["period"].astype(str)]]
    frame = frame[COLUMNS].sort_values(["kind", "key", "period"], ascending=[False, True, True])
    frame = frame.reset_index(drop=True)
    frame.attrs["notes"] = notes
    frame.attrs["place"] = {"key": place.key, "name": place.name, "kind": place.kind}
    return frame


def _domain_gaps(up, ref_unit: str, base_period: str, themes) -> pd.DataFrame:
    themes = tuple(themes or DEFAULT_THEMES)
    res = unit_domain_scores(up, base_period=base_period, themes=themes)
    dom = res.domains[["area", "period", "domain", "index100"]].astype(
        {"area": str, "period": str, "domain": str}).rename(columns={"index100": "value"})
    values = dom[dom["area"] == SUBJECT]
    ref = dom[dom["area"] == ref_unit][["period", "domain", "value"]]
    g = gaps_analysis.gaps(values, ref, base_period=base_period, on=("domain",),
                           polarities=dict.fromkeys(res.domains_used, "higher_better"))
    return g.rename(columns={"domain": "key"}).assign(kind="domain", polarity="higher_better")
