"""Targets and headline indicators: each target of the area set against its baseline and
its straight path, with the status the monitor shows; the NPLV headline figures against
the base period and the city; and the gap to the city per indicator and domain.

Reads ``stacking.selectors.target_list`` / ``target_progress`` (the monitor's target
charts and tables), ``stacking.headline.headline_values`` (the profile's headline table)
and ``stacking.selectors.place_gaps`` (the API's gaps). Values are written with one
decimal, as the profile writes them.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.catalogue import THEMES
from wijkbalans.stacking import selectors as stacking
from wijkbalans.stacking.errors import ParameterError
from wijkbalans.stacking.headline import HEADLINE, headline_values
from wijkbalans.stacking.models import Target

from .. import charts
from ..periods import sort_key, up_to
from . import Context

DECIMALS = 1  # as the monitor's target and headline tables


def _num(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def theme_name(key: str, lang: str) -> str:
    nl, en = THEMES.get(key, (key, key))
    return en if lang == "en" else nl


def indicator_names(codes, lang: str) -> dict[str, dict]:
    """Code to ``{name, unit, decimals, source, licence}`` (one query)."""
    out = {}
    for ind in indicator_selectors.indicator_list().filter(code__in=list(codes)):
        name = ind.name_en if lang == "en" and ind.name_en else ind.name_nl
        out[ind.code] = {"name": name, "unit": ind.unit, "decimals": ind.decimals,
                         "source": ind.source, "licence": ind.licence}
    return out


def _path_value(progress: dict, period: str):
    for step in progress.get("path", []):
        if step["period"] == period:
            return step.get("value")
    return None


def _goal_text(target: Target, progress: dict, lang: str) -> str:
    from ..formatting import number

    goal = progress["goal"]
    reference = str(Target.ReferenceChoice(target.reference).label)
    if target.kind == Target.Kind.VALUE:
        return _("%(value)s in %(period)s") % {
            "value": number(goal.get("value"), DECIMALS, lang), "period": goal["period"]}
    if target.kind == Target.Kind.REFERENCE:
        return _("the level of %(reference)s in %(period)s") % {
            "reference": reference, "period": goal["period"]}
    return _("%(share)s%% of the gap to %(reference)s closed in %(period)s") % {
        "share": number(100 * (goal.get("closure") or 0), 0, lang), "reference": reference,
        "period": goal["period"]}


def _target(ctx: Context, target: Target, names: dict) -> dict:
    progress = stacking.target_progress(target=target)
    if target.indicator:
        ctx.indicators.add(target.indicator)
        what = names.get(target.indicator, {}).get("name", target.indicator)
    else:
        what = theme_name(target.theme, ctx.lang) + " " + _("(domain score)")
    rows = [{"period": p["period"], "value": _num(p.get("value")),
             "reference": _num(p.get("reference")),
             "path": _num(_path_value(progress, p["period"])),
             "status": p.get("status") or "no data", "progress": _num(p.get("progress")),
             "required": _num(p.get("required"))}
            for p in progress["periods"] if up_to(p["period"], ctx.period)]
    with_data = [r for r in rows if r["status"] != "no data"]
    latest = with_data[-1] if with_data else None
    observed = [r for r in rows if r["value"] is not None]
    referenced = [r for r in rows if r["reference"] is not None]
    reference_label = str(Target.ReferenceChoice(target.reference).label)
    series = [{"label": ctx.area_set.name, "periods": [r["period"] for r in observed],
               "values": [r["value"] for r in observed], "dashed": False},
              {"label": _("path to the target"),
               "periods": [p["period"] for p in progress["path"]],
               "values": [_num(p.get("value")) for p in progress["path"]], "dashed": True}]
    if referenced:
        series.append({"label": reference_label, "periods": [r["period"] for r in referenced],
                       "values": [r["reference"] for r in referenced], "dashed": True})
    drawn = any(v is not None for s in series for v in s["values"])
    return {
        "id": target.pk, "what": what, "key": target.indicator or target.theme,
        "key_kind": "indicator" if target.indicator else "theme", "kind": target.kind,
        "note": target.note, "unit": progress.get("unit") or "",
        "polarity": progress.get("polarity"), "reference_label": reference_label,
        "baseline": {k: (_num(v) if k != "period" else v)
                     for k, v in progress["baseline"].items()},
        "goal": _goal_text(target, progress, ctx.lang),
        "target_period": target.target_period, "rows": rows, "latest": latest,
        "chart": None if not drawn else charts.trend(
            title=f"{what} — {ctx.area_set.name}", unit=progress.get("unit") or "",
            decimals=DECIMALS, series=series,
            alt=_("Line chart of %(name)s with the path to the target; the figures are in "
                  "the table beside it.") % {"name": what},
            description=_("Observed values, the straight path to the target and the "
                          "reference; the table beside the chart holds the figures.")),
    }


def _series(frame, code: str, period: str) -> list[tuple[str, float | None]]:
    rows = frame[frame["headline"] == code]
    pairs = [(str(p), _num(v)) for p, v in zip(rows["period"], rows["value"], strict=True)
             if up_to(str(p), period)]
    return sorted(pairs, key=lambda x: sort_key(x[0]))


def _headline(ctx: Context, base: str | None) -> list[dict]:
    try:
        frame = headline_values(place_codes_or_sets=[ctx.area_set.slug])
        city = (headline_values(place_codes_or_sets=[ctx.gemeentecode])
                if ctx.gemeentecode else None)
    except (ValueError, LookupError):
        return []
    items = []
    for item in HEADLINE:
        own = _series(frame, item.code, ctx.period)
        theirs = dict(_series(city, item.code, ctx.period)) if city is not None else {}
        latest = own[-1] if own else None
        base_value = dict(own).get(base) if base else None
        if own and item.indicator:
            ctx.indicators.add(item.indicator)
        elif own:
            ctx.indicators.update({"lbm_klasse", "woningen"})
        label = item.label_en if ctx.lang == "en" else item.label_nl
        entry = {
            "code": item.code, "label": label, "source": item.source,
            "open_data": item.open_data, "how": item.how_to_import,
            "latest": {"period": latest[0], "value": latest[1]} if latest else None,
            "base": {"period": base, "value": base_value} if base_value is not None else None,
            "city": ({"period": latest[0], "value": theirs.get(latest[0])}
                     if latest and theirs.get(latest[0]) is not None else None),
            "chart": None, "series": [[p, v, theirs.get(p)] for p, v in own],
        }
        with_values = [(p, v) for p, v in own if v is not None]
        if len(with_values) > 1:
            series = [{"label": ctx.area_set.name, "periods": [p for p, _v in with_values],
                       "values": [v for _p, v in with_values], "dashed": False}]
            city_values = [(p, v) for p, v in sorted(theirs.items(),
                                                     key=lambda x: sort_key(x[0]))
                           if v is not None]
            if city_values:
                series.append({"label": ctx.gemeente_name,
                               "periods": [p for p, _v in city_values],
                               "values": [v for _p, v in city_values], "dashed": True})
            entry["chart"] = charts.trend(
                title=f"{label} — {ctx.area_set.name}", unit="%" if "pct" in item.code
                else "", decimals=DECIMALS, series=series,
                alt=_("Line chart of %(name)s for the programme area and the city; the "
                      "figures are in the table.") % {"name": label})
        items.append(entry)
    return items


def resolve_base(ctx: Context) -> str | None:
    """The base period of the gaps and the headline comparison: the setting, else the
    earliest baseline of the area set's targets, else None (then :func:`collect` takes
    the first period in which a headline figure has data)."""
    if ctx.settings.get("base_period"):
        return ctx.settings["base_period"]
    baselines = [t.baseline_period for t in stacking.target_list(area_set=ctx.area_set)]
    return min(baselines, key=sort_key) if baselines else None


def _gaps(ctx: Context, base: str | None, codes: list[str], names: dict) -> list[dict]:
    """Per indicator (and domain) the gap to the city in the base period and in the
    latest period of the report, and the closure between them."""
    if not base:
        return []
    try:
        frame = stacking.place_gaps(area_set_or_code=ctx.area_set, reference="city",
                                    base_period=base, indicators=codes)
    except (ParameterError, ValueError, LookupError):
        return []
    out = []
    for (kind, key), rows in frame.groupby(["kind", "key"], sort=False):
        rows = rows[[up_to(str(p), ctx.period) for p in rows["period"]]]
        rows = rows[rows["gap"].notna()]
        if rows.empty:
            continue
        last = rows.sort_values("period", key=lambda s: s.map(sort_key)).iloc[-1]
        polarity = last["polarity"]
        sign = {"higher_worse": 1, "higher_better": -1}.get(polarity, 0)
        gap_base = _num(last["gap_base"])
        label = (names.get(key, {}).get("name", key) if kind == "indicator"
                 else theme_name(key, ctx.lang))
        out.append({"kind": kind, "key": key, "label": label, "period": str(last["period"]),
                    "base_period": base, "gap": _num(last["gap"]), "gap_base": gap_base,
                    "closure": _num(last["closure"]), "worse_at_base":
                    bool(sign and gap_base is not None and sign * gap_base > 0),
                    "polarity": polarity})
    return out


def collect(ctx: Context) -> dict:
    base = resolve_base(ctx)
    targets_qs = list(stacking.target_list(area_set=ctx.area_set))
    headline_codes = [i.indicator for i in HEADLINE if i.indicator]
    names = indicator_names({*headline_codes, *(t.indicator for t in targets_qs)}, ctx.lang)
    targets = [_target(ctx, t, names) for t in targets_qs]
    headline = _headline(ctx, base)
    if base is None:
        # No setting and no target: the first period in which a headline figure has data.
        firsts = [row[0] for h in headline for row in h.get("series", []) if row[1] is not None]
        if firsts:
            base = min(firsts, key=sort_key)
            headline = _headline(ctx, base)
    ctx.base_period = base
    gap_codes = sorted({*(t.indicator for t in targets_qs if t.indicator),
                        *(h["code"] for h in headline if h["latest"] and h["code"]
                          in headline_codes)})
    return {"base_period": base, "decimals": DECIMALS, "targets": targets,
            "headline": headline, "gaps": _gaps(ctx, base, gap_codes, names)}
