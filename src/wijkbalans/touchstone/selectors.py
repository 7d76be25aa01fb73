"""Reads of the touchstone: a scorecard computed for a reader, stored assessments and their
decisions, alternatives side by side, and afterwards what was expected next to what
happened. Each reads in a fixed number of queries per assessment.

What a reader sees follows :mod:`.permissions`: members of the Local Alliance everything;
others the assessments of public activities, without the money's amounts
(:func:`~.scorecard.for_reader`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from wijkbalans.analysis import touchstone as rules
from wijkbalans.analysis.rollup import period_key, to_decimal
from wijkbalans.programmes import permissions as programme_rules
from wijkbalans.programmes import selectors as programme_selectors
from wijkbalans.programmes.models import Activity

from . import permissions
from .criteria.base import CRITERION_LABELS, CRITERION_QUESTIONS, CriterionResult
from .criteria.evidence import evaluations_linked
from .errors import TouchstoneRefused
from .models import Assessment, Decision
from .scorecard import Scorecard, compute_scorecard, for_reader, result_dict

# -- computing for a reader ------------------------------------------------------------

def activity_for(*, user, code: str) -> Activity | None:
    """The activity ``code`` when ``user`` may read it, else None."""
    return programme_selectors.activity_get(user=user, code=code)


def scorecard_compute(*, user, activity: Activity, inputs: Mapping | None = None,
                      today: dt.date | None = None) -> Scorecard:
    """The scorecard of ``activity`` now, not stored, as ``user`` may see it. Raises
    :class:`~.errors.TouchstoneRefused` when the user may not read the plan and
    :class:`~.errors.TouchstoneError` for bad ``inputs``."""
    if not permissions.may_compute(user, activity):
        raise TouchstoneRefused(_("You may not read this plan."))
    return for_reader(compute_scorecard(activity=activity, inputs=inputs, today=today), user)


def criteria_info() -> list[dict]:
    """The criteria in scorecard order: key, label and question (translated), for the
    headers of a scorecard or a comparison."""
    return [{"key": key, "label": str(CRITERION_LABELS[key]),
             "question": str(CRITERION_QUESTIONS[key])} for key in rules.CRITERIA]


def plans_to_assess(*, user, root: Activity | None = None) -> list[Activity]:
    """The planned activities ``user`` may assess (under ``root``, or all), in tree order;
    for the list of plans on the bureau's page."""
    return [a for a, _depth in programme_selectors.activity_tree(user=user, root=root)
            if a.status == Activity.Status.PLANNED and permissions.may_assess(user, a)]


# -- stored assessments ----------------------------------------------------------------

def _decisions() -> Prefetch:
    return Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")
                    .order_by("-decided_at", "-id"))


def _readable(user) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("activity", "created_by").prefetch_related(
        _decisions())
    if programme_rules.is_alliance_member(user):
        return qs
    return qs.filter(activity__public=True)


def assessment_list(*, user, activity: Activity | None = None) -> list[Assessment]:
    """The assessments ``user`` may read (of ``activity``, or all), newest first, each
    with its decisions loaded (``decisions.all()``, newest first). Three queries."""
    qs = _readable(user)
    if activity is not None:
        qs = qs.filter(activity=activity)
    return list(qs.order_by("-created_at", "-id"))


def assessment_get(*, user, pk) -> Assessment | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return _readable(user).filter(pk=pk).first()


def latest_decision(*, assessment: Assessment) -> Decision | None:
    """The decision in force: the latest (uses the loaded decisions when there are)."""
    decisions = list(assessment.decisions.all())
    return max(decisions, key=lambda d: (d.decided_at, d.pk), default=None)


def decision_dict(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {"id": decision.pk, "decision": decision.decision,
            "decision_label": str(decision.get_decision_display()),
            "reason": decision.reason,
            "decided_by": decision.decided_by.get_username() if decision.decided_by else None,
            "decided_at": decision.decided_at.isoformat()}


def assessment_scorecard(*, user, assessment: Assessment) -> Scorecard:
    """The stored scorecard as ``user`` may see it, with its decisions under ``extra``."""
    card = for_reader(Scorecard.from_assessment(assessment), user)
    card.extra = {
        "created_by": assessment.created_by.get_username() if assessment.created_by else None,
        "decision": decision_dict(latest_decision(assessment=assessment)),
        "decisions": [decision_dict(d) for d in assessment.decisions.all()],
        "current_version": assessment.activity.version,
        "outdated": assessment.activity.version != assessment.activity_version,
    }
    return card


def latest_assessments(*, user, activities: Iterable[Activity] | None = None
                       ) -> dict[str, Assessment]:
    """Activity code to its newest assessment that ``user`` may read (for the progress
    report and the register's pages). Three queries."""
    qs = _readable(user)
    if activities is not None:
        qs = qs.filter(activity__in=[a.pk for a in activities])
    out: dict[str, Assessment] = {}
    for assessment in qs.order_by("-created_at", "-id"):
        out.setdefault(assessment.activity.code, assessment)
    return out


# -- alternatives side by side ---------------------------------------------------------

@dataclass
class ComparedPlan:
    assessment_id: int | None
    activity_code: str
    title: str
    label: str
    version: int
    computed_at: dt.datetime
    counts: dict[str, int]
    decision: dict | None = None


@dataclass
class ComparisonRow:
    key: str
    label: str
    question: str
    cells: list[CriterionResult | None] = field(default_factory=list)


@dataclass
class Comparison:
    plans: list[ComparedPlan]
    rows: list[ComparisonRow]

    def as_dict(self) -> dict:
        return {
            "plans": [{"assessment": p.assessment_id, "activity": p.activity_code,
                       "title": p.title, "label": p.label, "activity_version": p.version,
                       "computed_at": p.computed_at.isoformat(), "counts": p.counts,
                       "decision": p.decision} for p in self.plans],
            "criteria": [{"key": r.key, "label": r.label, "question": r.question,
                          "plans": [None if c is None else result_dict(c) for c in r.cells]}
                         for r in self.rows],
        }


def compare(assessments: Sequence[Assessment | Scorecard], *, user=None) -> Comparison:
    """Alternative plans side by side: a row per criterion, a column per plan (in the order
    given), each cell the criterion's result for that plan (None when it has none).
    Stored assessments are shown as ``user`` may see them; computed scorecards as given."""
    cards = []
    for item in assessments:
        if isinstance(item, Assessment):
            card = assessment_scorecard(user=user, assessment=item)
        else:
            card = item
        cards.append(card)
    plans = [ComparedPlan(assessment_id=c.assessment_id, activity_code=c.activity_code,
                          title=c.activity_title, label=c.label, version=c.activity_version,
                          computed_at=c.computed_at, counts=c.counts,
                          decision=c.extra.get("decision")) for c in cards]
    rows = [ComparisonRow(key=key, label=str(CRITERION_LABELS[key]),
                          question=str(CRITERION_QUESTIONS[key]),
                          cells=[c.get(key) for c in cards]) for key in rules.CRITERIA]
    return Comparison(plans=plans, rows=rows)


# -- afterwards --------------------------------------------------------------------------

def _number(value) -> str | None:
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _result_rows(activity: Activity, assessed: dict, progress) -> list[dict]:
    by_name = {r["name"]: r for r in assessed.get("results", [])}
    done = {r.key: r for r in progress.results}
    rows = []
    for result in programme_selectors.activity_results(activity=activity):
        then = by_name.get(result.name, {})
        periods = sorted(result.periods.all(), key=lambda p: period_key(p.period))
        part = done.get(result.name)
        rows.append({
            "name": result.name, "kind": result.kind, "unit": result.unit,
            "indicator_code": result.indicator_code, "direction": result.direction,
            "baseline": _number(result.baseline_value),
            "expected": {p: v.get("target") for p, v in (then.get("periods") or {}).items()
                         if v.get("target") is not None},
            "targets": {p.period: _number(p.target) for p in periods if p.target is not None},
            "actuals": {p.period: _number(p.actual) for p in periods if p.actual is not None},
            "progress": None if part is None or part.value is None
            else str(to_decimal(part.value)),
            "assessed": bool(then),
        })
    return rows


def _evaluation_rows(activity: Activity) -> list[dict]:
    return [{"id": e.pk, "title": e.title, "status": e.status, "outcome": e.outcome,
             "start_period": e.start_period, "method": e.method, "estimate": e.estimate,
             "conclusion": e.conclusion} for e in evaluations_linked(codes=[activity.code])]


def expected_vs_actual(*, activity: Activity, user=None) -> dict:
    """What the newest assessment expected next to what happened: per result indicator
    the targets when assessed, the targets now and the approved actuals, with the roll-up
    progress; the assessment's reach and evidence; and the effect evaluations whose
    ``activity_ref`` is the plan's code. Raises :class:`~.errors.TouchstoneRefused` when
    ``user`` may not read the plan."""
    if not permissions.may_read(user, activity):
        raise TouchstoneRefused(_("You may not read this plan."))
    found = assessment_list(user=user, activity=activity)
    assessment = found[0] if found else None
    card = assessment_scorecard(user=user, assessment=assessment) if assessment else None
    progress = programme_selectors.activity_progress(activity=activity)
    assessed = assessment.activity_snapshot if assessment else {}
    results = _result_rows(activity, assessed, progress)
    expected = {}
    if card is not None:
        for key in ("reach", "evidence", "measurability", "money"):
            result = card.get(key)
            if result is not None:
                expected[key] = {"rating": result.rating, "reason": result.reason.text(),
                                 "data": result.data}
    reach = expected.get("reach", {}).get("data", {})
    actual_reach = None
    if reach.get("output") and reach.get("target_group", {}).get("size"):
        row = next((r for r in results if r["name"] == reach["output"]), None)
        if row and row["actuals"]:
            latest = max(row["actuals"].items(), key=lambda kv: period_key(kv[0]))
            actual_reach = {"period": latest[0], "actual": latest[1],
                            "share": round(float(latest[1])
                                           / reach["target_group"]["size"], 6)}
    return {
        "activity": activity.code, "title": activity.title, "status": activity.status,
        "version": activity.version,
        "assessment": None if card is None else {
            "id": card.assessment_id, "label": card.label,
            "activity_version": card.activity_version,
            "computed_at": card.computed_at.isoformat(),
            "ratings": {r.key: r.rating for r in card.results},
            "decision": card.extra.get("decision"), "outdated": card.extra.get("outdated")},
        "expected": expected,
        "results": results,
        "progress": None if progress.value is None else str(to_decimal(progress.value)),
        "progress_reason": progress.reason or None,
        "reach": {"expected_share": reach.get("share"), "actual": actual_reach},
        "evaluations": _evaluation_rows(activity),
    }
