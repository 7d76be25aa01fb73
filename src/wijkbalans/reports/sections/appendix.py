"""Sources, periods, licences and the import batches behind the report.

The indicators are those the other sections showed (``ctx.indicators``); their periods
are those with a figure of the area set's buurten up to the report's period; the import
batches are those that loaded any figure of those indicators for the municipality's
areas (its buurten, wijken and the municipality itself), which is where every figure of
the report comes from. Read through ``indicators.selectors``.
"""

from __future__ import annotations

from collections import defaultdict

from wijkbalans.indicators import selectors as indicator_selectors

from ..periods import sort_key, up_to
from . import Context


def collect(ctx: Context) -> dict:
    codes = sorted(ctx.indicators)
    definitions = {i.code: i for i in indicator_selectors.indicator_list().filter(
        code__in=codes)}
    if ctx.gemeentecode:
        rows = indicator_selectors.observation_list(indicators=codes, within=ctx.gemeentecode)
    else:
        rows = indicator_selectors.observation_list(indicators=codes, areas=list(ctx.members))
    periods: dict[str, set[str]] = defaultdict(set)
    batch_ids: set[int] = set()
    members = set(ctx.members)
    for code, area, period, batch in rows.values_list("indicator__code", "area__code",
                                                      "period", "batch_id"):
        if not up_to(period, ctx.period):
            continue
        batch_ids.add(batch)
        if area in members:
            periods[code].add(period)
    indicators = []
    for code in codes:
        ind = definitions.get(code)
        if ind is None:
            continue
        shown = sorted(periods.get(code, ()), key=sort_key)
        indicators.append({
            "code": code, "name": ind.name_en if ctx.lang == "en" and ind.name_en
            else ind.name_nl, "unit": ind.unit, "source": ind.source, "licence": ind.licence,
            "first": shown[0] if shown else None, "last": shown[-1] if shown else None,
            "count": len(shown)})
    batches = [{"id": b.pk, "kind": b.kind, "file_name": b.file_name,
                "file_sha256": b.file_sha256, "started_at": b.started_at.date(),
                "created": b.created, "updated": b.updated, "unchanged": b.unchanged}
               for b in indicator_selectors.import_batch_list().filter(pk__in=batch_ids)
               .order_by("started_at", "id")]
    sources = sorted({(i["source"], i["licence"]) for i in indicators if i["source"]})
    return {"indicators": indicators, "batches": batches,
            "sources": [{"source": s, "licence": licence} for s, licence in sources]}
