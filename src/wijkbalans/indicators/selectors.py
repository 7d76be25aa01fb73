"""Reads from the indicator store: definitions, their coverage, observations, batches.

Every function here reads in a fixed number of SQL statements, whatever the number of
rows: lists are querysets of plain values (``.values()``) with the joins they need, never
objects that load their relations one by one (the N+1 pattern).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
from django.db.models import Count, Max, Q, QuerySet

from wijkbalans.areas.models import AreaSet

from . import catalogue
from .models import ImportBatch, Indicator, Observation, ObservationStatus

# ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``: the period forms the importers write.
PERIOD_PATTERN = re.compile(r"^\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?$")

# The columns of an observation row, in the order the API and CSV export use.
OBSERVATION_FIELDS = (
    "indicator__code", "area__code", "area__name", "area__level", "period", "value",
    "status", "batch_id",
)
OBSERVATION_ORDER = ("indicator__code", "area__code", "period")


def is_period(text: str) -> bool:
    """Whether ``text`` is a period as stored.

    >>> is_period("2024"), is_period("2024-Q3"), is_period("2024-13"), is_period("24")
    (True, True, False, False)
    """
    return bool(PERIOD_PATTERN.match(text))


# -- definitions ------------------------------------------------------------------------

def indicator_list(*, theme: str | None = None, q: str | None = None) -> QuerySet[Indicator]:
    """Definitions by theme and code; ``q`` matches code or either name, case-insensitively."""
    qs = Indicator.objects.all()
    if theme:
        qs = qs.filter(theme=theme)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name_nl__icontains=q) | Q(name_en__icontains=q))
    return qs.order_by("theme", "code")


def indicator_get(*, code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


def indicator_themes() -> list[str]:
    """The theme codes a filter may name: the catalogue's and any stored definition's."""
    stored = Indicator.objects.exclude(theme="").values_list("theme", flat=True).distinct()
    return sorted(set(catalogue.THEMES) | set(stored))


def indicator_codes_unknown(*, codes: Iterable[str]) -> list[str]:
    """The codes among ``codes`` that name no stored indicator, in the order given."""
    codes = list(codes)
    known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    return [c for c in codes if c not in known]


def indicator_coverage(*, indicator: Indicator) -> dict:
    """What the store holds for one indicator, in two grouped queries.

    Returns ``{"periods": [...], "areas_per_level": {level: n}, "by_period":
    [{"period", "areas_per_level", "values"}], "observations": n}`` where ``areas_per_level``
    counts distinct areas with any row, and ``values`` the rows with status ``value``.
    """
    rows = (
        Observation.objects.filter(indicator=indicator)
        .values("period", "area__level")
        .annotate(areas=Count("id"), values=Count("id", filter=Q(status=ObservationStatus.VALUE)))
        .order_by("period", "area__level")
    )
    by_period: dict[str, dict] = {}
    total = 0
    for row in rows:
        # (indicator, area, period) is unique, so rows per period and level = areas.
        entry = by_period.setdefault(row["period"], {"period": row["period"],
                                                     "areas_per_level": {}, "values": 0})
        entry["areas_per_level"][row["area__level"]] = row["areas"]
        entry["values"] += row["values"]
        total += row["areas"]
    per_level = dict(
        Observation.objects.filter(indicator=indicator)
        .values("area__level")
        .annotate(n=Count("area_id", distinct=True))
        .order_by("area__level")
        .values_list("area__level", "n")
    )
    return {"periods": sorted(by_period), "areas_per_level": per_level,
            "by_period": list(by_period.values()), "observations": total}


# -- observations -----------------------------------------------------------------------

def _observation_filter(
    *, indicators: Sequence[str] | None, areas: Sequence[str] | None,
    area_set: AreaSet | None, level: str | None, within: str | None,
    statuses: Sequence[str] | None,
) -> QuerySet[Observation]:
    qs = Observation.objects.all()
    if indicators:
        qs = qs.filter(indicator__code__in=list(indicators))
    if areas:
        qs = qs.filter(area__code__in=list(areas))
    if area_set is not None:
        qs = qs.filter(area__in=area_set.members.all())
    if level:
        qs = qs.filter(area__level=level)
    if within:
        qs = qs.filter(area__gemeentecode=within)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    return qs


def observation_latest_periods(*, queryset: QuerySet[Observation]) -> dict[int, str]:
    """Indicator id to the greatest period among the rows of ``queryset``, in one query.

    Periods of one granularity sort in time order as strings (``2024-Q1`` < ``2024-Q2``).
    """
    return dict(
        queryset.order_by().values("indicator_id").annotate(latest=Max("period"))
        .values_list("indicator_id", "latest")
    )


def observation_list(
    *, indicators: Sequence[str] | None = None, areas: Sequence[str] | None = None,
    area_set: AreaSet | None = None, level: str | None = None, within: str | None = None,
    periods: Sequence[str] | None = None, latest: bool = False,
    statuses: Sequence[str] | None = None,
) -> QuerySet:
    """Observation rows as dicts of :data:`OBSERVATION_FIELDS`, ordered by indicator code,
    area code and period; one query per slice (the joins to indicator and area included).

    Each filter narrows the rows; ``None`` or empty means no restriction. ``latest`` keeps,
    per indicator, the greatest period among the rows the other filters select (one extra
    query); it excludes ``periods``.
    """
    qs = _observation_filter(indicators=indicators, areas=areas, area_set=area_set,
                             level=level, within=within, statuses=statuses)
    if latest:
        newest = observation_latest_periods(queryset=qs)
        if not newest:
            return qs.none().values(*OBSERVATION_FIELDS)
        match = Q()
        for indicator_id, period in newest.items():
            match |= Q(indicator_id=indicator_id, period=period)
        qs = qs.filter(match)
    elif periods:
        qs = qs.filter(period__in=list(periods))
    return qs.order_by(*OBSERVATION_ORDER).values(*OBSERVATION_FIELDS)


def observation_panel(
    *, indicators: Sequence[str], areas: Sequence[str] | None = None,
    area_set: AreaSet | None = None, level: str | None = None, within: str | None = None,
    periods: Sequence[str] | None = None, latest: bool = False,
) -> pd.DataFrame:
    """The values of ``indicators`` as a wide panel for analysis, from one query.

    Returns a DataFrame indexed by ``(area, period)`` (CBS code, period string), sorted, with
    one float column per indicator code in the order given (NaN where the store has no
    value, or a missing or suppressed one), and the columns ``name`` and ``level`` of the
    area. Filters as in :func:`observation_list`.
    """
    rows = observation_list(indicators=indicators, areas=areas, area_set=area_set,
                            level=level, within=within, periods=periods, latest=latest,
                            statuses=[ObservationStatus.VALUE])
    frame = pd.DataFrame.from_records(
        list(rows.values_list("indicator__code", "area__code", "area__name", "area__level",
                              "period", "value")),
        columns=["indicator", "area", "name", "level", "period", "value"],
    )
    frame["value"] = frame["value"].astype("float64")
    # (indicator, area, period) is unique in the store, so the pivot never aggregates.
    wide = frame.pivot(index=["area", "period"], columns="indicator", values="value")
    wide = wide.reindex(columns=list(indicators)).astype("float64").sort_index()
    wide.columns.name = None
    labels = frame.drop_duplicates("area").set_index("area")
    areas_of_rows = wide.index.get_level_values("area")
    wide.insert(0, "level", labels["level"].reindex(areas_of_rows).to_numpy())
    wide.insert(0, "name", labels["name"].reindex(areas_of_rows).to_numpy())
    return wide


# -- provenance -------------------------------------------------------------------------

def import_batch_list() -> QuerySet[ImportBatch]:
    """Batches, newest first, with the importing user joined in the same query."""
    return ImportBatch.objects.select_related("user").order_by("-started_at", "-id")


def import_batch_get(*, pk: int) -> ImportBatch | None:
    return import_batch_list().filter(pk=pk).first()


# -- panels for the monitor ------------------------------------------------------------

LONG_COLUMNS = ["indicator", "area", "period", "value", "status"]


def observation_long(
    *, indicators: Sequence[str] | None = None, area_ids: Iterable[int] | None = None,
    level: str | None = None, within: str | None = None,
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """A long panel (``indicator, area, period, value, status``; area as CBS code) from one
    query, missing and suppressed rows included (value NaN), as the analysis functions take
    it. ``area_ids`` restricts to those areas; the other filters as in
    :func:`observation_list`."""
    qs = Observation.objects.all()
    if indicators is not None:
        qs = qs.filter(indicator__code__in=list(indicators))
    if area_ids is not None:
        qs = qs.filter(area_id__in=list(area_ids))
    if level:
        qs = qs.filter(area__level=level)
    if within:
        qs = qs.filter(area__gemeentecode=within)
    if periods:
        qs = qs.filter(period__in=list(periods))
    frame = pd.DataFrame.from_records(
        list(qs.values_list("indicator__code", "area__code", "period", "value", "status")),
        columns=LONG_COLUMNS,
    )
    frame["value"] = frame["value"].astype("float64")
    return frame


def indicator_periods(
    *, indicator: str, level: str | None = None, within: str | None = None,
    area_ids: Iterable[int] | None = None,
) -> list[str]:
    """The periods in which ``indicator`` has values for the selected areas, oldest first."""
    qs = Observation.objects.filter(indicator__code=indicator, status=ObservationStatus.VALUE)
    if level:
        qs = qs.filter(area__level=level)
    if within:
        qs = qs.filter(area__gemeentecode=within)
    if area_ids is not None:
        qs = qs.filter(area_id__in=list(area_ids))
    return sorted(qs.order_by().values_list("period", flat=True).distinct())


def indicators_with_data(
    *, level: str | None = None, within: str | None = None,
    area_ids: Iterable[int] | None = None,
) -> list[Indicator]:
    """Definitions that have at least one value for the selected areas, by theme and name."""
    qs = Observation.objects.filter(status=ObservationStatus.VALUE)
    if level:
        qs = qs.filter(area__level=level)
    if within:
        qs = qs.filter(area__gemeentecode=within)
    if area_ids is not None:
        qs = qs.filter(area_id__in=list(area_ids))
    ids = qs.order_by().values_list("indicator_id", flat=True).distinct()
    return list(Indicator.objects.filter(pk__in=ids).order_by("theme", "name_nl"))


def indicator_table_frame(*, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Definitions as the analysis functions take them: ``code, theme, polarity,
    aggregation, denominator`` (one query)."""
    qs = Indicator.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return pd.DataFrame.from_records(
        list(qs.values_list("code", "theme", "polarity", "aggregation", "denominator")),
        columns=["code", "theme", "polarity", "aggregation", "denominator"],
    )
