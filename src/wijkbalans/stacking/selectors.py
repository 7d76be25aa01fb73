"""Reads of the stacking app: the index of a level, its drivers and robustness, gaps and
the progress of targets. The only door other apps use (with :mod:`.services`).

The index (:func:`index_panel`) reads a fixed number of queries whatever the number of
areas: the periods with values, one panel (the index indicators and ``inwoners`` at their
vintages, see :mod:`.panels`), the indicator table and the area names; the arithmetic is
:func:`wijkbalans.analysis.stacking.stacking_index`. Rank 1 and decile 1 are where
problems stack most, in every method.

References: ``country`` standardises against every area of the level in the store (with
``within``, those areas are listed but scored and ranked nationally); ``city`` against the
areas of the level in ``within`` (ranks within the city); ``base:YYYY`` fixes the
reference statistics at year YYYY (the areas as ``city`` with ``within``, else the
country), so index 100 is the base year's mean and a trend is absolute.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from wijkbalans.analysis import decomposition
from wijkbalans.analysis import robustness as robustness_analysis
from wijkbalans.analysis.stacking import StackingConfig, StackingResult, stacking_index
from wijkbalans.analysis.stacking_methods import (
    ID2019_PRESET,
    deciles_from_ranks,
    rank_worst_first,
)
from wijkbalans.analysis.standardise import DEFAULT_THEMES, Reference
from wijkbalans.analysis.targets import period_time
from wijkbalans.areas import codes as area_codes
from wijkbalans.areas.models import Area
from wijkbalans.indicators import selectors as indicator_selectors

from .errors import ParameterError
from .gaps import place_gaps  # noqa: F401 -- a door of this app
from .panels import (
    POPULATION,
    index_indicator_codes,
    periods_with_values,
    read_vintage_panel,
    sort_periods,
)
from .progress import STATUS_RULE, target_get, target_list, target_progress  # noqa: F401
from .shrinkage import rate_definitions, shrink_vintage_panel
from .units import PlaceError, resolve_place, unit_domain_scores, unit_panel

LEVELS = (area_codes.BUURT, area_codes.WIJK)
METHODS = ("deprivation", "index100", "count")
LATEST = "latest"
_BASE = re.compile(r"^base:(\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?)$")
_GEMEENTECODE = re.compile(r"^GM\d{4}$")


IndexParameterError = ParameterError  # the name the index's callers know


@dataclass(frozen=True)
class IndexResult:
    """The index of one level and period, with what it was computed from.

    ``areas``: the areas listed (those of ``within``, or all); ``vintages``: indicator to
    the stored period that stands for ``period``; ``base_vintages`` likewise for the base.
    """

    stacking: StackingResult
    level: str
    within: str | None
    period: str
    reference: str
    reference_label: str
    method: str
    names: dict[str, str]
    areas: tuple[str, ...]
    vintages: dict[str, str]
    base_vintages: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def domains(self) -> tuple[str, ...]:
        return self.stacking.domains_used


def parse_reference(reference: str, within: str | None) -> tuple[str, str | None]:
    """``(kind, base_period)`` of a reference text; kind is ``country`` or ``city``."""
    text = (reference or "country").strip()
    if text in ("country", "city"):
        if text == "city" and not within:
            raise IndexParameterError("reference", "reference 'city' needs within "
                                      "(a gemeentecode such as GM0014)")
        return text, None
    match = _BASE.match(text)
    if not match:
        raise IndexParameterError("reference", "expected country, city or base:YYYY (a fixed "
                                  f"base year such as base:2019); found {reference!r}")
    return ("city" if within else "country"), match.group(1)


def _check(level: str, within: str | None, method: str, themes) -> tuple[str | None, tuple]:
    if level not in LEVELS:
        raise IndexParameterError("level", f"expected one of {', '.join(LEVELS)}; "
                                  f"found {level!r}")
    if method not in METHODS:
        raise IndexParameterError("method", f"expected one of {', '.join(METHODS)}; "
                                  f"found {method!r}")
    themes = tuple(themes or DEFAULT_THEMES)
    wrong = [t for t in themes if t not in DEFAULT_THEMES]
    if wrong:
        raise IndexParameterError("themes", f"expected themes among {', '.join(DEFAULT_THEMES)};"
                                  f" found {', '.join(map(repr, wrong))}")
    if within:
        within = area_codes.normalise(within)
        if not _GEMEENTECODE.match(within):
            raise IndexParameterError("within", "expected a gemeentecode such as GM0014; "
                                      f"found {within!r}")
        if not Area.objects.filter(gemeentecode=within, level=level).exists():
            raise IndexParameterError("within", f"no {level} lies in {within}")
    return within or None, themes


@dataclass(frozen=True)
class _Prepared:
    panel: pd.DataFrame
    population: pd.DataFrame | None
    table: pd.DataFrame
    config: StackingConfig
    period: str
    base: str | None
    scope: str | None
    reference_label: str
    vintages: dict
    base_vintages: dict
    notes: tuple[str, ...]


def _prepare(*, level, within, period, reference, themes, indicators,
             shrink=False) -> _Prepared:
    kind, base = parse_reference(reference, within)
    scope = within if kind == "city" else None
    codes = list(indicators or index_indicator_codes(themes))
    available = periods_with_values(indicators=[*codes, POPULATION], level=level, within=scope)
    index_periods = sort_periods(p for c in codes for p in available.get(c, []))
    where = f"{level} in {scope}" if scope else f"{level} in the store"
    if not index_periods:
        parameter = "themes" if tuple(themes) != DEFAULT_THEMES else (
            "within" if scope else "level")
        raise IndexParameterError(parameter, "no values of the index indicators "
                                  f"({', '.join(codes)}) for any {where}")
    if period in (None, "", LATEST):
        period = index_periods[-1]
    elif not indicator_selectors.is_period(period) or period not in index_periods:
        raise IndexParameterError("period", f"expected 'latest' or a period with values of the "
                                  f"index indicators for {where}: {', '.join(index_periods)};"
                                  f" found {period!r}")
    if base is not None:
        if period_time(base) > period_time(period):
            raise IndexParameterError("reference", f"the base period {base} comes after the "
                                      f"index period {period}")
        if not any(period_time(p) <= period_time(base) or p.startswith(base)
                   for p in index_periods):
            raise IndexParameterError("reference", f"no values of the index indicators up to "
                                      f"the base period {base}; periods: "
                                      f"{', '.join(index_periods)}")
    rates = rate_definitions(codes) if shrink else {}
    vp = read_vintage_panel(indicators=codes, level=level, within=scope, period=period,
                            base_period=base, available=available,
                            extra=sorted({r.denominator for r in rates.values()}))
    notes = [f"{code}: figures of {v} (the newest up to {period})"
             for code, v in sorted(vp.vintages.items()) if v != period]
    panel = vp.panel
    if shrink:
        panel, shrink_notes = shrink_vintage_panel(vp, rates, period=period, base=base)
        notes += shrink_notes
    if base is not None:
        notes += [f"{code}: no figures up to the base period {base}; not standardised"
                  for code in sorted(vp.vintages) if code not in vp.base_vintages]
    if vp.population is None:
        notes.append("no population (inwoners): no area is flagged as small")
    plural = "wijken" if level == area_codes.WIJK else "buurten"
    label = f"the {plural} of {scope}" if kind == "city" else f"all {plural} in the store"
    if base is not None:
        label += f", fixed at {base}"
    table = indicator_selectors.indicator_table_frame(codes=codes)
    config = StackingConfig(themes=themes, reference=Reference(base_period=base, label=label))
    return _Prepared(panel=panel, population=vp.population, table=table, config=config,
                     period=period, base=base, scope=scope, reference_label=label,
                     vintages=vp.vintages, base_vintages=vp.base_vintages, notes=tuple(notes))


def index_panel(
    *, level: str, within: str | None = None, period: str = LATEST,
    reference: str = "country", method: str = "deprivation",
    themes: Sequence[str] | None = None, indicators: Sequence[str] | None = None,
    shrink: bool = False,
) -> IndexResult:
    """The stacking index of every area of ``level`` (see the module docstring).

    ``themes``: the domains (default the eight of the index); ``indicators``: other codes
    than :func:`~.panels.index_indicator_codes` (their stored theme and polarity count);
    ``shrink``: first shrink the rates towards their gemeente (see :mod:`.shrinkage`).
    Raises :class:`IndexParameterError` naming the parameter that is wrong.
    """
    within, themes = _check(level, within, method, themes)
    prep = _prepare(level=level, within=within, period=period, reference=reference,
                    themes=themes, indicators=indicators, shrink=shrink)
    try:
        result = stacking_index(prep.panel, prep.table, population=prep.population,
                                config=prep.config)
    except ValueError as error:
        raise IndexParameterError("themes", str(error)) from error
    names_qs = Area.objects.filter(level=level)
    if within:
        names_qs = names_qs.filter(gemeentecode=within)
    names = dict(names_qs.values_list("code", "name"))
    scored = set(result.scores["area"].astype(str))
    areas = tuple(sorted(c for c in names if c in scored))
    return IndexResult(
        stacking=result, level=level, within=within, period=prep.period,
        reference=reference or "country", reference_label=prep.reference_label,
        method=method, names=names, areas=areas, vintages=prep.vintages,
        base_vintages=prep.base_vintages, notes=prep.notes + result.notes)


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.floating | float):
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _whole(value):
    value = _clean(value)
    return None if value is None else int(value)


def index_frame(result: IndexResult, method: str | None = None) -> pd.DataFrame:
    """The listed areas of the index period: ``code, name, score, rank, decile,
    stack_count`` and a column per domain, sorted by rank (unranked areas last).

    Domain columns: the domain's index 100 (method ``index100``), its exponential score
    X_d (``deprivation``), or 1 where the area is in the domain's worst decile (``count``).
    For ``count`` the rank is by the stacking count, most domains first, ties at the
    minimum rank, over the ranked areas; deciles as for the other methods.
    """
    method = method or result.method
    res = result.stacking
    scores = res.scores[res.scores["period"].astype(str) == result.period].copy()
    scores["area"] = scores["area"].astype(str)
    if method == "count":
        ok = scores["eligible"].to_numpy() & scores["stack_count"].notna().to_numpy()
        ranks = rank_worst_first(scores["stack_count"].to_numpy(dtype=float)[None, :],
                                 ok[None, :])
        scores["score"], scores["rank"] = scores["stack_count"], ranks[0]
        scores["decile"] = deciles_from_ranks(ranks)[0]
    else:
        scores["score"] = scores[method]
        scores["rank"], scores["decile"] = scores[f"{method}_rank"], scores[f"{method}_decile"]
    column = {"index100": "index100", "deprivation": "exp_score", "count": "worst"}[method]
    domains = res.domains[res.domains["period"].astype(str) == result.period]
    wide = domains.pivot(index="area", columns="domain", values=column)
    wide.index = wide.index.astype(str)
    wide.columns = [str(c) for c in wide.columns]
    if method == "count":
        z = domains.pivot(index="area", columns="domain", values="z_problem")
        z.index, z.columns = z.index.astype(str), [str(c) for c in z.columns]
        wide = wide.astype(float).where(z.notna())
    listed = scores[scores["area"].isin(result.areas)]
    out = pd.DataFrame({
        "code": listed["area"].to_numpy(),
        "name": listed["area"].map(result.names).to_numpy(),
        "score": listed["score"].to_numpy(dtype=float),
        "rank": listed["rank"].to_numpy(dtype=float),
        "decile": listed["decile"].to_numpy(dtype=float),
        "stack_count": listed["stack_count"].to_numpy(dtype=float),
    })
    for domain in result.domains:
        out[domain] = wide[domain].reindex(out["code"]).to_numpy(dtype=float)
    return out.sort_values(["rank", "code"], na_position="last").reset_index(drop=True)


def index_rows(result: IndexResult, method: str | None = None) -> list[dict]:
    """:func:`index_frame` as dicts (NaN as None, rank, decile and count as integers)."""
    frame = index_frame(result, method)
    whole = {"rank", "decile", "stack_count"}
    return [{k: (_whole(v) if k in whole else _clean(v)) for k, v in row.items()}
            for row in frame.to_dict("records")]


def area_drivers(
    *, code_or_slug: str, period: str = LATEST, reference: str = "country",
    method: str = "index100", by: str = "domain", n: int | None = None, shrink: bool = False,
) -> dict:
    """Which domains (``by="domain"``) or indicators (``by="indicator"``, index 100 only)
    drive one area's or area set's score, worst first (:func:`decomposition.drivers`).

    An area is scored in the index of its level (reference ``city``: within its gemeente).
    An area set is scored as one unit against its city's buurten (see
    :func:`~.units.unit_domain_scores`; ``reference`` is then ``city`` or ``base:YYYY``)
    and has no rank. ``method`` ``count`` lists the domains with their problem z and
    whether the area is in the worst decile. ``shrink`` as in :func:`index_panel` (areas
    only: an area set pools its members' counts already).
    """
    if by not in ("domain", "indicator"):
        raise IndexParameterError("by", f"expected domain or indicator; found {by!r}")
    if by == "indicator" and method != "index100":
        raise IndexParameterError("by", "only the index 100 is decomposed by indicator")
    try:
        place = resolve_place(code_or_slug)
    except PlaceError as error:
        raise IndexParameterError("code", str(error)) from error
    if place.kind == "area":
        if place.level not in LEVELS:
            raise IndexParameterError("code", f"the index is computed for {', '.join(LEVELS)};"
                                      f" {place.key} is a {place.level}")
        within = place.gemeenten[0] if not reference.startswith("country") else None
        result = index_panel(level=place.level, within=within, period=period,
                             reference=reference, method=method, shrink=shrink)
        res, unit, period = result.stacking, place.key, result.period
        row = index_frame(replace(result, areas=(place.key,)), method)
        head = row.iloc[0].to_dict() if len(row) else {}
        notes = list(result.notes)
    else:
        res, unit, period, head, notes = _set_drivers(place, period, reference, method)
        if shrink:
            notes.append("shrink: not applied to an area set (its members' counts are pooled)")
    if method == "count":
        rows = res.domains[(res.domains["area"] == unit)
                           & (res.domains["period"].astype(str) == period)]
        drivers = rows.sort_values("z_problem", ascending=False)[["domain", "z_problem", "worst"]]
    else:
        drivers = decomposition.drivers(res, area=unit, period=period, level=by, method=method,
                                        n=n)
    return {
        "code": place.key, "name": place.name, "kind": place.kind, "level": place.level,
        "period": period, "reference": reference, "method": method, "by": by,
        "score": _clean(head.get("score")), "rank": _whole(head.get("rank")),
        "decile": _whole(head.get("decile")), "stack_count": _whole(head.get("stack_count")),
        "drivers": [{k: _clean(v) for k, v in r.items()}
                    for r in drivers.astype({"domain": str}).to_dict("records")],
        "notes": notes,
    }


def _set_drivers(place, period, reference, method):
    if reference not in ("city",) and not reference.startswith("base:"):
        raise IndexParameterError("reference", "an area set is scored against the buurten of "
                                  "its city: expected city or base:YYYY")
    base = reference[5:] if reference.startswith("base:") else None
    up = unit_panel(place, indicators=index_indicator_codes())
    periods = sort_periods(up.values.loc[up.values["unit"] == "@subject", "period"])
    if not periods:
        raise IndexParameterError("code", f"no values for the area set {place.key!r}")
    period = periods[-1] if period in (None, "", LATEST) else period
    if period not in periods:
        raise IndexParameterError("period", f"expected 'latest' or one of {', '.join(periods)};"
                                  f" found {period!r}")
    try:
        res = unit_domain_scores(up, base_period=base, at=period)
    except (PlaceError, ValueError) as error:
        raise IndexParameterError("reference", str(error)) from error
    scores = res.scores[(res.scores["area"] == "@subject")
                        & (res.scores["period"].astype(str) == period)]
    column = {"index100": "index100", "deprivation": "deprivation", "count": "stack_count"}
    score = scores[column[method]].iloc[0] if len(scores) else None
    head = {"score": score, "stack_count": scores["stack_count"].iloc[0] if len(scores) else None}
    return res, "@subject", period, head, [*up.notes, *res.notes]


def _variants(base: StackingConfig, domains: Sequence[str], method: str) -> dict:
    """Equal weights, the ID 2019 weights and each domain left out, for ``method``'s
    weights (the index 100 or the deprivation score)."""
    key = "index_weights" if method == "index100" else "deprivation_weights"
    variants = {"ID 2019 weights": replace(base, **{key: dict(ID2019_PRESET)})}
    for d in domains:
        if len(domains) > 1:
            variants[f"without {d}"] = replace(base, **{key: {x: float(x != d) for x in domains}})
    return variants


def index_robustness(
    *, level: str, within: str | None = None, period: str = LATEST,
    reference: str = "country", method: str = "deprivation",
    themes: Sequence[str] | None = None, shrink: bool = False,
) -> pd.DataFrame:
    """How many areas change decile when the equal domain weights of the index are replaced
    by the English ID 2019 weights, or one domain is left out in turn
    (:func:`wijkbalans.analysis.robustness.robustness`; OECD/JRC 2008, step 7).

    Returns ``variant, period, n_compared, n_changed, share_changed, max_shift,
    rank_correlation`` for the index period, over every ranked area of the reference.
    """
    if method == "count":
        raise IndexParameterError("method", "the stacking count has no weights: expected "
                                  "index100 or deprivation")
    within, themes = _check(level, within, method, themes)
    prep = _prepare(level=level, within=within, period=period, reference=reference,
                    themes=themes, indicators=None, shrink=shrink)
    present = prep.table[prep.table["code"].isin(set(prep.panel["indicator"]))]
    domains = [t for t in themes if t in set(present["theme"])]
    out = robustness_analysis.robustness(
        prep.panel, prep.table, variants=_variants(prep.config, domains, method),
        base=prep.config, population=prep.population, method=method)
    return out[out["period"].astype(str) == prep.period].reset_index(drop=True)
