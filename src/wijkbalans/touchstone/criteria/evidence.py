"""Evidence: the intervention's evidence level, and the effect wijkbalans measured where it
was evaluated before.

Earlier evaluations of the same intervention are the finished effect evaluations whose
``activity_ref`` is the plan's code, or the code of another activity in the register with
the same title (the same intervention in another area or round). The desired direction
of their outcome is the direction of the plan's own result indicator on it, else of the
activity evaluated, else the indicator's polarity. The rating:
:func:`wijkbalans.analysis.touchstone.evidence_rating`.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.evaluations import selectors as evaluation_selectors
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.programmes.models import Activity, ResultIndicator

from .base import Context, CriterionResult, Reason, items, num

KEY = "evidence"
POLARITY_SIGN = {"higher_better": 1, "higher_worse": -1}
DIRECTION_SIGN = {"up": 1, "down": -1}


def same_intervention_codes(plan) -> list[str]:
    """The plan's code and the codes of the activities with the same title (trimmed, any
    case), the plan first (one query)."""
    title = " ".join((plan.title or "").split())
    others = Activity.objects.filter(title__iexact=title).exclude(pk=plan.pk) \
        .values_list("code", flat=True) if title else []
    return [plan.code, *sorted(others)]


def _desired(outcome: str, activity_ref: str, own: dict[str, str],
             theirs: dict[tuple[str, str], str], polarity: dict[str, str]) -> int:
    if outcome in own:
        return DIRECTION_SIGN.get(own[outcome], 0)
    if (activity_ref, outcome) in theirs:
        return DIRECTION_SIGN.get(theirs[(activity_ref, outcome)], 0)
    return POLARITY_SIGN.get(polarity.get(outcome, ""), 0)


def earlier_evaluations(plan) -> tuple[list[dict], list[rules.Effect], int]:
    """The finished evaluations of the same intervention as dicts and as
    :class:`~wijkbalans.analysis.touchstone.Effect`, and how many are not finished yet."""
    codes = same_intervention_codes(plan)
    found = list(evaluation_selectors.evaluation_list().filter(activity_ref__in=codes)
                 .order_by("created_at", "id"))
    done = [e for e in found if e.status == "done"]
    outcomes = {e.outcome for e in done}
    own = dict(ResultIndicator.objects.filter(activity=plan, indicator_code__in=outcomes)
               .values_list("indicator_code", "direction"))
    theirs = {(code, outcome): direction for code, outcome, direction in
              ResultIndicator.objects.filter(activity__code__in=codes,
                                             indicator_code__in=outcomes)
              .values_list("activity__code", "indicator_code", "direction")}
    polarity = {code: getattr(indicator_selectors.indicator_get(code=code), "polarity", "")
                for code in sorted(outcomes)}
    rows, effects = [], []
    for e in done:
        desired = _desired(e.outcome, e.activity_ref, own, theirs, polarity)
        effect = rules.Effect(str(e.pk), e.conclusion or "", e.estimate, desired)
        effects.append(effect)
        rows.append({"id": e.pk, "title": e.title, "activity_ref": e.activity_ref,
                     "outcome": e.outcome, "start_period": e.start_period,
                     "method": e.method, "estimate": e.estimate,
                     "conclusion": e.conclusion, "desired_direction": desired,
                     "direction": effect.direction})
    return rows, effects, len(found) - len(done)


def assess(plan, context: Context) -> CriterionResult:
    level = plan.evidence_level if plan.evidence_level in rules.EVIDENCE_BASE else "not_rated"
    rows, effects, pending = earlier_evaluations(plan)
    finding = rules.evidence_rating(level, effects)
    data = {"evidence_level": level, "databank": plan.evidence_databank,
            "databank_entry": plan.evidence_url, "level_rating": finding.base,
            "basis": finding.basis, "evaluations": rows, "pending_evaluations": pending,
            "favourable": list(finding.favourable), "harmful": list(finding.harmful),
            "no_effect": list(finding.no_effect), "unreliable": list(finding.unreliable),
            "activity_refs": same_intervention_codes(plan) if rows or pending else
            [plan.code]}
    level_text = {"evidence": level}
    if finding.favourable:
        first = next(r for r in rows if str(r["id"]) in finding.favourable)
        reason = Reason(gettext_noop(
            "Evidence level: %(level)s. Upgraded: evaluation %(id)s (%(title)s) showed an "
            "effect in the desired direction (%(estimate)s)."),
            {"level": level_text, "id": str(first["id"]), "title": first["title"],
             "estimate": num(first["estimate"], 2)})
    elif finding.harmful:
        reason = Reason(gettext_noop(
            "Evidence level: %(level)s. Downgraded one step: evaluation(s) %(ids)s showed "
            "an effect in the wrong direction."),
            {"level": level_text, "ids": items(finding.harmful)})
    elif finding.no_effect:
        reason = Reason(gettext_noop(
            "Evidence level: %(level)s. Note: evaluation(s) %(ids)s of this intervention "
            "showed no effect; that does not change the rating, but asks why it would work "
            "here."), {"level": level_text, "ids": items(finding.no_effect)})
    else:
        reason = Reason(gettext_noop(
            "Evidence level: %(level)s; wijkbalans has no finished evaluation of this "
            "intervention that shows an effect."), {"level": level_text})
    return CriterionResult(KEY, finding.rating, reason, data)


def evaluations_linked(*, codes) -> list:
    """Effect evaluations whose ``activity_ref`` is one of ``codes``, oldest first."""
    return list(evaluation_selectors.evaluation_list().filter(activity_ref__in=list(codes))
                .order_by("created_at", "id"))
