"""The early-warning counts as an indicator series in the monitor.

``wijkbalans concerns publish`` writes, for every gemeente with concerns and every
complete period of the published kind (setting ``CONCERNS_PUBLISHED_PERIOD``, default
quarter) from its first concern on, the suppressed table of
:func:`~wijkbalans.concerns.selectors.early_warning_table` as observations:

- ``signalen_<theme>`` per buurt (the cells) and for the gemeente (the theme's total);
- ``signalen_totaal`` per buurt (the buurt's total) and for the gemeente (the grand total).

A suppressed cell is an observation with status ``suppressed`` and no value: the hidden
count never reaches the store. The load goes through the indicator store's own loader
(:func:`wijkbalans.indicators.services.load_parsed`) as one system import batch of kind
``concerns``; a run that changes nothing writes nothing. Weeks are not published (the
store holds years, quarters and months), and only the published kind is, so that the
monitor and the API show the same tables.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from wijkbalans.indicators.importers.base import IndicatorSpec, Parsed, observations_frame
from wijkbalans.indicators.models import Observation
from wijkbalans.indicators.services import ImportResult, load_parsed

from . import periods, selectors

TOTAL = "totaal"
NAMES = {
    "undermining": ("ondermijning", "undermining crime", "safety"),
    "poverty_debts": ("armoede en schulden", "poverty and debts", "poverty"),
    "psychological": ("psychische kwetsbaarheid", "psychological vulnerability", "health"),
    "loneliness": ("eenzaamheid", "loneliness", "social"),
    "housing": ("woonkwaliteit", "housing quality", "housing"),
    "youth_at_risk": ("jongeren in risicosituaties", "youth at risk", "social"),
    "other": ("overig", "other", "other"),
    TOTAL: ("totaal", "total", "other"),
}
SOURCE = "wijkbalans: signalen van professionals"
STORE_KINDS = ("month", "quarter", "year")


class PublishError(ValueError):
    """The series cannot be published as asked; nothing was written."""


def indicator_code(theme: str) -> str:
    return f"signalen_{theme}"


def indicator_specs(k: int) -> list[IndicatorSpec]:
    rule = (f"Aantal signalen van professionals per periode. Tellingen onder {k} en tellingen "
            "waaruit die zijn af te leiden, zijn onderdrukt (docs/concerns.md).")
    return [IndicatorSpec(code=indicator_code(theme), name_nl=f"Signalen: {nl}",
                          name_en=f"Concerns: {en}", theme=domain, unit="aantal",
                          polarity="neutral", source=SOURCE, description=rule,
                          aggregation="sum")
            for theme, (nl, en, domain) in NAMES.items()]


def _kind_of(period: str) -> str | None:
    for kind in STORE_KINDS:
        if periods.FORMS[kind][0].match(period):
            return kind
    return None


def observations(*, gemeente: str, kind: str, k: int) -> list[tuple]:
    """``(indicator, area, period, value, status)`` rows for every complete period."""
    first_week = selectors.first_concern_week(gemeente=gemeente)
    if first_week is None:
        return []
    first = periods.period_of(first_week, kind)
    last = selectors.last_complete_period(kind=kind)
    if first > last:
        return []
    labels = periods.periods_between(first, last, kind)
    rows = []
    for start in range(0, len(labels), selectors.MAX_PERIODS):
        chunk = labels[start:start + selectors.MAX_PERIODS]
        table = selectors.early_warning_table(gemeente=gemeente, period_kind=kind,
                                              first=chunk[0], last=chunk[-1], k=k)
        codes = [code for code, _ in table.buurten] + [gemeente]
        indicators = [indicator_code(t) for t in table.themes] + [indicator_code(TOTAL)]
        for period in table.periods:
            for indicator, line in zip(indicators, period.counts, strict=True):
                for area, count in zip(codes, line, strict=True):
                    rows.append((indicator, area, period.period,
                                 None if count is None else float(count),
                                 "suppressed" if count is None else "value"))
    return rows


def concerns_publish(*, gemeenten: list[str] | None = None, acting_user=None) -> ImportResult:
    """Publish (or refresh) the series; returns the loader's result (``batch_id`` None
    when nothing changed). Raises :class:`PublishError` when the published kind is not
    one the store holds or differs from what was published before."""
    kind = selectors.published_period_kind()
    if kind not in STORE_KINDS:
        raise PublishError(f"the monitor stores months, quarters or years; the published "
                           f"period kind is {kind!r} (setting CONCERNS_PUBLISHED_PERIOD)")
    earlier = (Observation.objects.filter(indicator__code=indicator_code(TOTAL))
               .values_list("period", flat=True).first())
    if earlier and _kind_of(earlier) != kind:
        raise PublishError(f"the series holds {_kind_of(earlier)} periods already; "
                           f"publishing {kind} periods next to them would mix two kinds")
    k = selectors.min_cell()
    wanted = gemeenten or selectors.gemeenten_with_concerns()
    rows = [row for gemeente in wanted for row in observations(gemeente=gemeente, kind=kind,
                                                               k=k)]
    if not rows:  # nothing complete to publish: not even the definitions are written
        return ImportResult(kind="concerns", file="signalen")
    frame = pd.DataFrame(rows, columns=["indicator", "area", "period", "value", "status"])
    digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    parsed = Parsed(
        observations=observations_frame({
            "indicator": frame["indicator"].tolist(), "area": frame["area"].tolist(),
            "period": frame["period"].tolist(), "value": frame["value"].tolist(),
            "status": frame["status"].tolist(), "row": [None] * len(frame),
            "column": ["count"] * len(frame)}),
        indicators=indicator_specs(k),
        notes=[f"{len(wanted)} gemeente(n), {kind} periods, k = {k}"])
    return load_parsed(parsed=parsed, kind="concerns", file_name="signalen",
                       file_sha256=digest, options={"period": kind, "k": k},
                       acting_user=acting_user)
