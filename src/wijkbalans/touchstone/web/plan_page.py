"""What a plan's page shows, for one reader: the live scorecard with the figures behind each
rating, the stored assessments with their version and decision, the forms that store an
assessment and record a decision (each with the permission that allows it), and
afterwards: what the newest assessment expected next to what happened."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wijkbalans.analysis import rollup
from wijkbalans.analysis import touchstone as rules
from wijkbalans.analysis.rollup import period_key

from .. import permissions, selectors
from ..criteria.base import CRITERION_LABELS
from ..scorecard import Scorecard
from .common import badge, day, number, percent, quantity, ratings_summary
from .figures import conclusion_label, figures_for
from .forms import AssessmentForm, DecisionForm


def criterion_rows(card: Scorecard) -> list[dict]:
    """A scorecard's criteria as the page shows them: label, question, badge, reason,
    the assessor's note and the figures behind the rating."""
    return [{"key": r.key, "label": r.label, "question": r.question, "badge": badge(r.rating),
             "reason": r.reason.text(), "note": r.note, "argued": r.basis == "argued",
             "figures": figures_for(r)} for r in card.results]


def counts_text(card: Scorecard) -> str:
    counts = card.counts
    return _("%(strong)s strong, %(adequate)s adequate, %(weak)s weak, %(unknown)s "
             "unknown") % {k: counts.get(k, 0) for k in rules.RATINGS}


def stored_rows(*, user, assessments) -> list[dict]:
    """The plan's stored assessments, newest first, with their ratings and decisions."""
    rows = []
    for assessment in assessments:
        card = selectors.assessment_scorecard(user=user, assessment=assessment)
        decision = card.extra.get("decision")
        rows.append({
            "assessment": assessment, "card": card, "day": day(assessment.created_at),
            "by": card.extra.get("created_by") or "–",
            "outdated": card.extra.get("outdated"),
            "current_version": card.extra.get("current_version"),
            "ratings": ratings_summary(card.results), "counts": counts_text(card),
            "reasons": [{"label": r.label, "badge": badge(r.rating), "reason": r.reason.text(),
                         "note": r.note, "argued": r.basis == "argued"}
                        for r in card.results],
            "decision": decision,
            "decided_day": day(selectors.latest_decision(assessment=assessment).decided_at)
            if decision else "",
            "earlier_decisions": len(card.extra.get("decisions") or ()) - 1 if decision
            else 0,
        })
    return rows


def afterwards(data: dict) -> dict:
    """:func:`~wijkbalans.touchstone.selectors.expected_vs_actual` as the page shows it:
    per result indicator a table of periods with the target when assessed, the target now
    and the approved actual."""
    results = []
    for row in data["results"]:
        periods = sorted({*row["expected"], *row["targets"], *row["actuals"]},
                         key=period_key)
        results.append({
            "name": row["name"], "kind": row["kind"], "unit": row["unit"],
            "baseline": quantity(row["baseline"]), "assessed": row["assessed"],
            "progress": percent(row["progress"], 0) if row["progress"] is not None else "–",
            "periods": [{"period": p, "expected": quantity(row["expected"].get(p)),
                         "target": quantity(row["targets"].get(p)),
                         "actual": quantity(row["actuals"].get(p))} for p in periods]})
    expected = [{"key": key, "label": str(CRITERION_LABELS[key]),
                 "badge": badge(data["expected"][key]["rating"]),
                 "reason": data["expected"][key]["reason"]}
                for key in rules.CRITERIA if key in data["expected"]]
    reach = data["reach"]
    actual = reach.get("actual")
    return {
        "assessment": data["assessment"], "expected": expected, "results": results,
        "progress": percent(data["progress"], 0) if data["progress"] is not None else None,
        "progress_reason": PROGRESS_REASONS.get(data["progress_reason"],
                                                lambda: data["progress_reason"])(),
        "reach": {"expected": percent(reach["expected_share"])
                  if reach.get("expected_share") is not None else None,
                  "actual": None if actual is None else {
                      "period": actual["period"], "value": quantity(actual["actual"]),
                      "share": percent(actual["share"])}},
        "evaluations": [{**e, "conclusion_label": conclusion_label(e["conclusion"])
                         if e["conclusion"] else "", "estimate_text": number(e["estimate"], 2),
                         "status_label": status_label(e["status"])}
                        for e in data["evaluations"]],
    }


# The register's words for why progress is not known (the same message ids).
PROGRESS_REASONS = {
    rollup.NO_BASELINE: lambda: _("no baseline"),
    rollup.NO_TARGET: lambda: _("no target"),
    rollup.NO_ACTUAL: lambda: _("no approved actual yet"),
    rollup.NOT_AN_IMPROVEMENT: lambda: _("the target is no improvement on the baseline"),
    rollup.NOTHING_KNOWN: lambda: _("nothing to measure yet"),
    rollup.ZERO_WEIGHT: lambda: _("every part has weight 0"),
}


def status_label(code: str) -> str:
    return {"queued": _("queued"), "running": _("running"), "done": _("done"),
            "failed": _("failed")}.get(code, code)


def build(*, user, activity, card: Scorecard | None, inputs: dict,
          assess_form: AssessmentForm | None = None,
          decision_form: DecisionForm | None = None) -> dict:
    may = {"assess": permissions.may_assess(user, activity),
           "decide": permissions.may_decide(user, activity)}
    assessments = selectors.assessment_list(user=user, activity=activity)
    current = [a for a in assessments if a.activity_version == activity.version]
    if may["assess"] and assess_form is None:
        assess_form = AssessmentForm(initial={
            "target_group_indicator": inputs["target_group_indicator"],
            "reach_result": inputs["reach_result"], "expected_version": activity.version})
    if may["decide"] and current and decision_form is None:
        decision_form = DecisionForm(assessments=current)
    unknown = {r.key for r in card.results if r.rating == rules.UNKNOWN} if card else set()
    return {
        "activity": activity, "may": may, "card": card, "inputs": inputs,
        "criteria": criterion_rows(card) if card else [],
        "counts": counts_text(card) if card else "",
        # Only a scorecard that is shown can be stored.
        "assess_form": assess_form if may["assess"] and card else None,
        "assess_fields": assess_form.criterion_fields(unknown) if may["assess"] and card
        else [],
        "decision_form": decision_form if may["decide"] and current else None,
        "stored": stored_rows(user=user, assessments=assessments),
        "outdated_only": bool(assessments) and not current,
        "afterwards": afterwards(selectors.expected_vs_actual(activity=activity, user=user)),
    }
