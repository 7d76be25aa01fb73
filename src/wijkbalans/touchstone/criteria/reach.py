"""Reach: the share of the target group in the area that the plan reaches.

The target group is a population count in the indicator registry, chosen by the assessor
(``target_group_indicator``: ``inwoners`` by default, or an age band such as
``inwoners_0_14``); its size is the sum over the plan's buurten in the newest period in
which any of them has a figure. The plan's reach is the latest target (the target of the
latest period that has one) of its output indicator: the one the assessor names
(``reach_result``), else the first output indicator in order that has a target. The
rating: :func:`wijkbalans.analysis.touchstone.reach_rating`.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.analysis.rollup import latest, period_key
from wijkbalans.analysis.targets import period_time
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.models import ObservationStatus
from wijkbalans.programmes.models import ResultIndicator

from .base import Context, CriterionResult, Reason, num, pct, unknown

KEY = "reach"


def group_size(context: Context) -> dict:
    """``{indicator, period, size, buurten, with_figure}`` of the target group in the
    plan's buurten (one query); size None without figures."""
    code = context.target_group_indicator
    out = {"indicator": code, "period": None, "size": None,
           "buurten": len(context.buurten), "with_figure": 0}
    if not context.buurten:
        return out
    long = indicator_selectors.observation_long(indicators=[code],
                                                area_ids=list(context.buurt_ids.values()))
    long = long[(long["status"] == ObservationStatus.VALUE) & long["value"].notna()]
    if long.empty:
        return out
    period = max(long["period"].unique(), key=period_time)
    rows = long[long["period"] == period]
    out.update(period=str(period), size=float(rows["value"].sum()),
               with_figure=int(rows["area"].nunique()))
    return out


def output_targets(plan) -> list[dict]:
    """The plan's output indicators with their latest target, in order (one query)."""
    out = []
    for result in plan.results.filter(kind=ResultIndicator.Kind.OUTPUT).prefetch_related(
            "periods").order_by("order", "id"):
        targets = {p.period: p.target for p in result.periods.all()}
        target = latest(targets)
        period = max((p for p, v in targets.items() if v is not None), key=period_key,
                     default=None)
        out.append({"name": result.name, "unit": result.unit,
                    "target": None if target is None else float(target),
                    "period": period})
    return out


def assess(plan, context: Context) -> CriterionResult:
    outputs = output_targets(plan)
    with_target = [o for o in outputs if o["target"] is not None]
    chosen = None
    if context.reach_result:
        chosen = next((o for o in outputs if o["name"] == context.reach_result), None)
    elif with_target:
        chosen = with_target[0]
    group = group_size(context)
    data = {"target_group": group, "outputs": outputs,
            "output": chosen["name"] if chosen else None,
            "thresholds": {"strong": rules.REACH_STRONG, "adequate": rules.REACH_ADEQUATE}}
    if chosen is None or chosen["target"] is None:
        return unknown(KEY, gettext_noop("The plan has no output indicator with a target, "
                                         "so its reach cannot be computed."), **data)
    if group["size"] is None or group["size"] <= 0:
        return unknown(KEY, gettext_noop("There is no figure of the target group "
                                         "(%(indicator)s) for the plan's buurten."),
                       {"indicator": group["indicator"]}, **data)
    rating, share = rules.reach_rating(chosen["target"], group["size"])
    data["share"] = round(share, 6)
    params = {"target": num(chosen["target"]), "unit": chosen["unit"] or "",
              "output": chosen["name"], "period": chosen["period"],
              "size": num(group["size"]), "indicator": group["indicator"],
              "group_period": group["period"], "share": pct(share),
              "strong": pct(rules.REACH_STRONG, 0), "adequate": pct(rules.REACH_ADEQUATE, 0)}
    text = gettext_noop(
        "Target %(target)s %(unit)s (%(output)s, %(period)s) against a target group of "
        "%(size)s (%(indicator)s, %(group_period)s): %(share)s reached. Strong from "
        "%(strong)s, adequate from %(adequate)s.")
    if share > 1:
        text = gettext_noop(
            "Target %(target)s %(unit)s (%(output)s, %(period)s) is more than the whole "
            "target group of %(size)s (%(indicator)s, %(group_period)s): %(share)s. Check "
            "that the output counts people of this group once.")
    if group["with_figure"] < group["buurten"]:
        data["note"] = (f"{group['buurten'] - group['with_figure']} of {group['buurten']} "
                        f"buurten have no figure for {group['period']}")
    return CriterionResult(KEY, rating, Reason(text, params), data)
