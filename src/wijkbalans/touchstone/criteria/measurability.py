"""Measurability: outcome indicators with baseline and target, and whether an effect
evaluation will be possible afterwards.

For each outcome indicator of the plan (a result indicator of kind outcome, on an
indicator of the registry): does it have a baseline, and a target in some period? And on
its figures per buurt: the *pre-periods* are the periods before the plan's start year (this
year when it has no start) in which one of the plan's buurten has a figure, counted in
years; the *comparison buurten* are the buurten outside the plan's area and outside the
area of its programme (treated by the same programme: the donor rule
``similar_programme``) with a figure in every pre-period (the rule ``missing_pre``), as
``analysis.effects.donors.donor_pool`` would keep them. The rating:
:func:`wijkbalans.analysis.touchstone.measurability_rating`.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.analysis.targets import period_time
from wijkbalans.areas import codes as area_codes
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.indicators.models import ObservationStatus
from wijkbalans.programmes.models import Activity, ResultIndicator

from ..context import plan_buurten
from .base import Context, CriterionResult, Reason, items, num

KEY = "measurability"


def programme_buurten(context: Context) -> set[str]:
    """The buurten of the plan's top-level programme (two queries)."""
    root = Activity.objects.filter(code=context.root).first()
    if root is None:
        return set()
    return set(plan_buurten(list(root.areas.all()), list(root.area_sets.all())))


def evaluability(code: str, context: Context, left_out: set[str]) -> dict:
    """Pre-periods and comparison buurten of one outcome indicator (one query)."""
    start = context.start_year or context.year
    long = indicator_selectors.observation_long(indicators=[code], level=area_codes.BUURT)
    long = long[(long["status"] == ObservationStatus.VALUE) & long["value"].notna()]
    mine = long[long["area"].isin(context.buurten)]
    pre = rules.pre_periods(mine["period"].astype(str), start, period_time)
    values: dict[str, dict[str, float]] = {}
    for area, period, value in long[long["period"].isin(pre)][
            ["area", "period", "value"]].itertuples(index=False):
        values.setdefault(str(area), {})[str(period)] = float(value)
    donors = rules.donor_count(values, treated=set(context.buurten) | left_out, periods=pre)
    years = sorted({p[:4] for p in pre})
    return {"start_year": start, "pre_periods": pre, "pre_years": len(years),
            "donors": donors}


def assess(plan, context: Context) -> CriterionResult:
    outcomes = list(plan.results.filter(kind=ResultIndicator.Kind.OUTCOME)
                    .prefetch_related("periods").order_by("order", "id"))
    left_out = programme_buurten(context) if outcomes and context.buurten else set()
    facts, rows, seen = [], [], {}
    for result in outcomes:
        targets = {p.period: str(p.target) for p in result.periods.all()
                   if p.target is not None}
        evaluated = None
        if context.buurten:
            if result.indicator_code not in seen:
                seen[result.indicator_code] = evaluability(result.indicator_code, context,
                                                           left_out)
            evaluated = seen[result.indicator_code]
        fact = rules.OutcomeFacts(
            name=result.name, indicator=result.indicator_code,
            has_baseline=result.baseline_value is not None,
            has_target=bool(targets),
            pre_years=evaluated["pre_years"] if evaluated else None,
            donors=evaluated["donors"] if evaluated else None)
        facts.append(fact)
        rows.append({"name": result.name, "indicator": result.indicator_code,
                     "direction": result.direction, "baseline_period": result.baseline_period,
                     "baseline": None if result.baseline_value is None
                     else str(result.baseline_value),
                     "targets": targets, "complete": fact.complete,
                     "evaluable": fact.evaluable, **(evaluated or {})})
    rating = rules.measurability_rating(facts)
    data = {"outcomes": rows, "left_out_as_same_programme": len(left_out - set(context.buurten)),
            "thresholds": {"pre_years": rules.MIN_PRE_YEARS, "donors": rules.MIN_DONORS}}
    params = {"min_years": num(rules.MIN_PRE_YEARS), "min_donors": num(rules.MIN_DONORS)}
    best = next((f for f in facts if f.complete and f.evaluable), None) or \
        next((f for f in facts if f.complete), None) or \
        next((f for f in facts if f.evaluable), None)
    if best is not None and best.pre_years is not None:
        params.update(name=best.name, years=num(best.pre_years), donors=num(best.donors))
    if not facts:
        text = gettext_noop("The plan has no outcome indicator: whether it helped the "
                            "neighbourhood cannot be measured.")
    elif rating == rules.STRONG:
        text = gettext_noop(
            "\"%(name)s\" has a baseline and a target, and an effect evaluation is possible: "
            "%(years)s years of figures before the start and %(donors)s comparison buurten "
            "(at least %(min_years)s and %(min_donors)s needed).")
    elif rating == rules.UNKNOWN:
        text = gettext_noop(
            "The outcome indicators have a baseline and a target, but without an area it "
            "cannot be said whether an effect evaluation will be possible.")
    elif rating == rules.ADEQUATE and best is not None and best.complete:
        text = gettext_noop(
            "\"%(name)s\" has a baseline and a target, but an effect evaluation is not "
            "possible: %(years)s years of figures before the start and %(donors)s "
            "comparison buurten (at least %(min_years)s and %(min_donors)s needed).")
    elif rating == rules.ADEQUATE:
        text = gettext_noop(
            "An effect evaluation on \"%(name)s\" is possible (%(years)s years before the "
            "start, %(donors)s comparison buurten), but the outcome indicators lack a "
            "baseline or a target.")
    else:
        text = gettext_noop(
            "The outcome indicators (%(names)s) lack a baseline or a target, and no effect "
            "evaluation is possible on them.")
        params["names"] = items(f.name for f in facts)
    return CriterionResult(KEY, rating, Reason(text, params), data)
