"""The NPLV headline set as a ready configuration, and its values for places.

The Nationaal Programma Leefbaarheid en Veiligheid follows its twenty areas with a short
set of headline figures. :data:`HEADLINE` lists them with the catalogue indicator (or the
derived rule) that stands for each, its source, whether it is in the open data that
wijkbalans imports (the CBS Kerncijfers wijken en buurten, the RIVM health monitor, the
Leefbaarometer) and how to take it in where it is not.

The one derived figure, ``nplv_lbm_zwak_pct``, is the share of dwellings (where known,
else residents) in buurten that the Leefbaarometer rates "zwak" or worse: class 1 zeer
onvoldoende, 2 ruim onvoldoende, 3 onvoldoende or 4 zwak (:data:`ZWAK_MAX`). See
:func:`lbm_zwak_share` for the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkbalans.areas.models import AreaSet
from wijkbalans.indicators import catalogue

from .units import SUBJECT, resolve_place, unit_panel

LBM_ZWAK = "nplv_lbm_zwak_pct"
ZWAK_MAX = 4  # Leefbaarometer classes 1-4: zeer onvoldoende .. zwak
MIN_COVERAGE = 0.5  # as aggregate_areas: below half of the weight covered, no value


@dataclass(frozen=True)
class HeadlineItem:
    """One headline figure: ``indicator`` is a catalogue code, or None for a derived rule."""

    code: str
    label_nl: str
    label_en: str
    indicator: str | None
    rule: str
    source: str
    open_data: bool
    how_to_import: str


_TABLE = ("not in the open tables wijkbalans imports; take it by import: `wijkbalans import "
          "table FILE` with a column named `{code}` (the catalogue code, so the catalogue's "
          "definition applies) and a period column, from {origin}")

HEADLINE: tuple[HeadlineItem, ...] = (
    HeadlineItem(
        LBM_ZWAK, "Woningen in buurten met leefbaarheid 'zwak' of slechter",
        "Dwellings in buurten the Leefbaarometer rates 'zwak' or worse", None,
        "share of dwellings (else residents) of the place's buurten in buurten with "
        f"Leefbaarometer class <= {ZWAK_MAX}", catalogue.LBM, True,
        "`wijkbalans import leefbaarometer buurten/ --directory` for the classes and "
        "`wijkbalans import kwb` for dwellings (woningen) or residents (inwoners)"),
    HeadlineItem(
        "werkzaam_pct", "Werkzame inwoners (15-75 jaar)", "Residents in work (15-75)",
        "werkzaam_pct", "stored value; area sets: mean weighted by residents",
        catalogue.CBS, True,
        "`wijkbalans import kwb` of the full KWB table (column Nettoarbeidsparticipatie)"),
    HeadlineItem(
        "laag_inkomen_hh_pct", "Huishoudens met een laag inkomen",
        "Households with a low income", "laag_inkomen_hh_pct",
        "stored value; area sets: mean weighted by households", catalogue.CBS, True,
        "`wijkbalans import kwb` of the full KWB table (column "
        "HuishoudensMetEenLaagInkomen)"),
    HeadlineItem(
        "kinderen_armoede_pct", "Kinderen in huishoudens met een laag inkomen",
        "Children in low-income households", "kinderen_armoede_pct",
        "stored value; area sets: mean weighted by residents aged 0-14", catalogue.CBS, False,
        _TABLE.format(code="kinderen_armoede_pct",
                      origin="a CBS custom table or the municipality's income statistics")),
    HeadlineItem(
        "jonge_verdachten_per_1000", "Jeugdige verdachten per 1.000 jongeren",
        "Young suspects per 1,000 young people", "jonge_verdachten_per_1000",
        "stored value; area sets: mean weighted by residents aged 15-24",
        "Politie / CBS", False,
        _TABLE.format(code="jonge_verdachten_per_1000",
                      origin="the police or a CBS custom table")),
    HeadlineItem(
        "onderwijsachterstand_pct", "Risico op onderwijsachterstand",
        "Risk of educational disadvantage", "onderwijsachterstand_pct",
        "stored value; area sets: mean weighted by residents aged 0-14", catalogue.CBS, False,
        _TABLE.format(code="onderwijsachterstand_pct",
                      origin="the CBS onderwijsachterstandenindicator")),
    HeadlineItem(
        "ervaren_gezondheid_pct", "Ervaren gezondheid goed of zeer goed (18+)",
        "Self-rated health good or very good (18+)", "ervaren_gezondheid_pct",
        "stored value; area sets: mean weighted by residents", catalogue.RIVM, True,
        "`wijkbalans import rivm RIVM_gezondheid2020_18plus.xlsx` (the survey runs every "
        "four years: 2012, 2016, 2020)"),
)
BY_CODE = {item.code: item for item in HEADLINE}
COLUMNS = ["place", "place_name", "headline", "indicator", "period", "value", "how",
           "weight", "coverage", "n_buurten"]


def lbm_zwak_share(buurten: pd.DataFrame, members: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """The share (%) of dwellings or residents in buurten rated zwak or worse, per place.

    ``buurten``: long panel (``area, period, indicator, value``) with ``lbm_klasse`` and
    ``woningen`` and/or ``inwoners``. Rule, per place and period: the weight is
    ``woningen`` if any scored member buurt has a dwelling count in that period, else
    ``inwoners`` (the same weight for every buurt of the place, never a mix); over the
    members with a class and a weight, ``100 * sum(w [klasse <= 4]) / sum(w)``.
    ``coverage`` = that weight / the weight of all members with one; below
    :data:`MIN_COVERAGE` the value is NaN. Returns ``place, period, value, weight,
    coverage, n_buurten`` (buurten with a class).

    >>> panel = pd.DataFrame({"area": ["a", "b", "a", "b"], "period": "2024",
    ...     "indicator": ["lbm_klasse", "lbm_klasse", "woningen", "woningen"],
    ...     "value": [3.0, 6.0, 100.0, 300.0]})
    >>> lbm_zwak_share(panel, {"S": ["a", "b"]})[["value", "weight"]].to_numpy().tolist()
    [[25.0, 'woningen']]
    """
    wide = buurten[buurten["indicator"].isin(["lbm_klasse", "woningen", "inwoners"])].pivot_table(
        index=["area", "period"], columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=["lbm_klasse", "woningen", "inwoners"])
    rows = []
    for place, codes in members.items():
        sub = wide[wide.index.get_level_values("area").isin(list(codes))]
        for period, g in sub.groupby(level="period", sort=True):
            scored = g[g["lbm_klasse"].notna()]
            if scored.empty:
                continue
            weight = "woningen" if scored["woningen"].notna().any() else "inwoners"
            used = scored[scored[weight].notna()]
            total = float(g[weight].sum(skipna=True))
            w = used[weight].to_numpy(dtype=float)
            coverage = float(w.sum() / total) if total > 0 else np.nan
            value = (100.0 * float(w[used["lbm_klasse"].to_numpy() <= ZWAK_MAX].sum()) / w.sum()
                     if w.sum() > 0 and coverage >= MIN_COVERAGE else np.nan)
            rows.append({"place": place, "period": str(period), "value": value,
                         "weight": weight, "coverage": coverage, "n_buurten": len(scored)})
    return pd.DataFrame(rows, columns=["place", "period", "value", "weight", "coverage",
                                       "n_buurten"])


def headline_values(
    *, place_codes_or_sets: Sequence[str | AreaSet], periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The headline set for each place (CBS code or area-set slug) and period.

    Returns :data:`COLUMNS`, one row per place, headline figure and period with a value
    (``how``: ``stored``, ``aggregated`` or ``derived``); figures that the store lacks have
    no rows. A fixed number of queries per place.
    """
    codes = [item.indicator for item in HEADLINE if item.indicator]
    frames = []
    for key in place_codes_or_sets:
        place = resolve_place(key)
        up = unit_panel(place, indicators=[*codes, "lbm_klasse", "woningen"], periods=periods)
        subject = up.values[(up.values["unit"] == SUBJECT) & up.values["indicator"].isin(codes)]
        stored = pd.DataFrame({
            "headline": subject["indicator"], "indicator": subject["indicator"],
            "period": subject["period"], "value": subject["value"], "how": subject["how"]})
        members = list(place.members) or list(up.city_buurten)
        zwak = lbm_zwak_share(up.buurten, {place.key: members})
        derived = zwak.drop(columns="place").assign(headline=LBM_ZWAK, indicator="lbm_klasse",
                                                    how="derived")
        both = pd.concat([f for f in (stored, derived) if not f.empty], ignore_index=True) \
            if not (stored.empty and derived.empty) else pd.DataFrame(columns=COLUMNS)
        frames.append(both.assign(place=place.key, place_name=place.name))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    out = out.reindex(columns=COLUMNS)
    order = {item.code: i for i, item in enumerate(HEADLINE)}
    out = out.assign(_o=out["headline"].map(order)).sort_values(["place", "_o", "period"])
    return out.drop(columns="_o").reset_index(drop=True)
