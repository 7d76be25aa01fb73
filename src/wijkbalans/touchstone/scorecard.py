"""The scorecard: every criterion run on one plan, its inputs checked, and its shapes for
machines (a dict for JSON, CSV) and for readers outside the Local Alliance.

A scorecard is computed (:func:`compute_scorecard`) or read back from a stored assessment
(:meth:`Scorecard.from_assessment`); both have the same shape, so pages, API and command
show them alike. It has no total: each criterion keeps its own rating.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wijkbalans.accounts.audit import snapshot
from wijkbalans.analysis import touchstone as rules
from wijkbalans.indicators import selectors as indicator_selectors
from wijkbalans.programmes import permissions as programme_rules
from wijkbalans.programmes.models import Activity, ResultIndicator

from .context import DEFAULT_TARGET_GROUP, build_context
from .criteria import coherence, evidence, measurability, money, need, reach, residents
from .criteria.base import CriterionResult, Reason
from .errors import TouchstoneError

MODULES = (need, evidence, reach, residents, coherence, money, measurability)
NOTE_LIMIT = 4000
INPUT_KEYS = ("target_group_indicator", "reach_result", "notes", "argued_ratings")
ARGUABLE = (rules.STRONG, rules.ADEQUATE, rules.WEAK)


@dataclass
class Scorecard:
    activity_code: str
    activity_title: str
    activity_version: int
    inputs: dict
    results: list[CriterionResult]
    computed_at: dt.datetime
    assessment_id: int | None = None
    label: str = ""
    extra: dict = field(default_factory=dict)

    def get(self, key: str) -> CriterionResult | None:
        return next((r for r in self.results if r.key == key), None)

    @property
    def counts(self) -> dict[str, int]:
        return rules.rating_counts(r.rating for r in self.results)

    @classmethod
    def from_assessment(cls, assessment) -> Scorecard:
        stored = assessment.results or {}
        results = [CriterionResult.from_dict(stored[key]) for key in rules.CRITERIA
                   if key in stored]
        snap = assessment.activity_snapshot or {}
        return cls(activity_code=snap.get("code") or assessment.activity.code,
                   activity_title=snap.get("title") or assessment.activity.title,
                   activity_version=assessment.activity_version,
                   inputs=dict(assessment.inputs or {}), results=results,
                   computed_at=assessment.created_at, assessment_id=assessment.pk,
                   label=assessment.label)


# -- inputs ------------------------------------------------------------------------------

def _text(value, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TouchstoneError(_("Expected text for %(field)s; found %(found)r.")
                              % {"field": name, "found": value}, field=name)
    return value.strip()


def _per_criterion(value, name: str) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise TouchstoneError(_("Expected %(field)s as an object with a text per criterion "
                                "(%(keys)s); found %(found)r.")
                              % {"field": name, "keys": ", ".join(rules.CRITERIA),
                                 "found": value}, field=name)
    out = {}
    for key, text in value.items():
        if key not in rules.CRITERIA:
            raise TouchstoneError(_("%(key)r is not a criterion; expected one of "
                                    "%(keys)s.") % {"key": key,
                                                    "keys": ", ".join(rules.CRITERIA)},
                                  field=f"{name}.{key}")
        text = _text(text, f"{name}.{key}")
        if text:
            out[key] = text
    return out


def clean_inputs(inputs: Mapping | None, activity: Activity) -> dict:
    """The assessor's inputs, checked: ``target_group_indicator`` (a population count of
    the registry, default ``inwoners``), ``reach_result`` (the name of one of the plan's
    output indicators), ``notes`` and ``argued_ratings`` (per criterion; a rating needs a
    note). Raises :class:`TouchstoneError` naming the field; unknown keys are refused."""
    inputs = dict(inputs or {})
    unknown = sorted(set(inputs) - set(INPUT_KEYS))
    if unknown:
        raise TouchstoneError(_("Unknown input %(names)s; expected %(keys)s.")
                              % {"names": ", ".join(unknown), "keys": ", ".join(INPUT_KEYS)},
                              field=unknown[0])
    group = _text(inputs.get("target_group_indicator"), "target_group_indicator") \
        or DEFAULT_TARGET_GROUP
    indicator = indicator_selectors.indicator_get(code=group)
    # The default stands even in a store without it: reach then says there is no figure.
    missing_default = indicator is None and group == DEFAULT_TARGET_GROUP
    if not missing_default and (indicator is None or indicator.aggregation != "sum"):
        raise TouchstoneError(_("Expected a population count of the indicator registry as "
                                "target group, such as inwoners or inwoners_0_14; found "
                                "%(found)r.") % {"found": group},
                              field="target_group_indicator")
    reach_result = _text(inputs.get("reach_result"), "reach_result")
    if reach_result and not ResultIndicator.objects.filter(
            activity=activity, kind=ResultIndicator.Kind.OUTPUT, name=reach_result).exists():
        raise TouchstoneError(_("Expected the name of one of the plan's output indicators; "
                                "found %(found)r.") % {"found": reach_result},
                              field="reach_result")
    notes = _per_criterion(inputs.get("notes"), "notes")
    for key, text in notes.items():
        if len(text) > NOTE_LIMIT:
            raise TouchstoneError(_("At most %(limit)s characters; found %(found)s.")
                                  % {"limit": NOTE_LIMIT, "found": len(text)},
                                  field=f"notes.{key}")
    argued = _per_criterion(inputs.get("argued_ratings"), "argued_ratings")
    for key, rating in argued.items():
        if rating not in ARGUABLE:
            raise TouchstoneError(_("Expected strong, adequate or weak; found %(found)r.")
                                  % {"found": rating}, field=f"argued_ratings.{key}")
        if key not in notes:
            raise TouchstoneError(_("A rating argued in words needs the argument: write it "
                                    "in the note on this criterion."),
                                  field=f"notes.{key}")
    return {"target_group_indicator": group, "reach_result": reach_result, "notes": notes,
            "argued_ratings": argued}


# -- computing ---------------------------------------------------------------------------

def compute_scorecard(*, activity: Activity, inputs: Mapping | None = None,
                      today: dt.date | None = None) -> Scorecard:
    """Run every criterion on ``activity`` with the (checked) ``inputs``. An argued rating
    for a criterion the data could rate is refused (:class:`TouchstoneError`)."""
    inputs = clean_inputs(inputs, activity)
    context = build_context(activity, inputs=inputs, today=today)
    results = []
    for module in MODULES:
        result = module.assess(activity, context)
        argued = inputs["argued_ratings"].get(result.key)
        if argued and result.rating != rules.UNKNOWN:
            raise TouchstoneError(
                _("The data rate this criterion (%(rating)s): an argued rating is only for "
                  "a criterion the data cannot rate.") % {"rating": result.rating_label},
                field=f"argued_ratings.{result.key}")
        results.append(result.with_input(note=inputs["notes"].get(result.key, ""),
                                         argued=argued))
    return Scorecard(activity_code=activity.code, activity_title=activity.title,
                     activity_version=activity.version, inputs=inputs, results=results,
                     computed_at=timezone.now())


def activity_snapshot(activity: Activity) -> dict:
    """The plan as assessed: its fields, areas, area sets, result indicators with their
    targets and actuals, and its own budget lines (amounts as text)."""
    data = snapshot(activity)
    data.update(
        owner=activity.owner.slug if activity.owner_id else None,
        parent=activity.parent.code if activity.parent_id else None,
        areas=sorted(activity.areas.values_list("code", flat=True)),
        area_sets=sorted(activity.area_sets.values_list("slug", flat=True)),
        results=[{"name": r.name, "kind": r.kind, "indicator_code": r.indicator_code,
                  "unit": r.unit, "direction": r.direction,
                  "baseline_period": r.baseline_period,
                  "baseline_value": None if r.baseline_value is None
                  else str(r.baseline_value),
                  "periods": {p.period: {"target": None if p.target is None else str(p.target),
                                         "actual": None if p.actual is None else str(p.actual)}
                              for p in r.periods.all()}}
                 for r in activity.results.prefetch_related("periods").order_by("order", "id")],
        budget_lines=[{"year": year, "source": source, "planned": str(planned)}
                      for year, source, planned in activity.budget_lines.order_by(
                          "year", "source__code").values_list("year", "source__code",
                                                              "planned")])
    return data


# -- what a reader sees ------------------------------------------------------------------

MONEY_HIDDEN = gettext_noop("The amounts behind this rating are for members of the Local "
                            "Alliance.")


def for_reader(card: Scorecard, user) -> Scorecard:
    """The scorecard as ``user`` may see it: members of the Local Alliance see all; others
    (the public, residents) see every rating, but not the money's amounts nor which other
    activities work in the plan's buurten (the register's rule, ``may_read_money``)."""
    if programme_rules.may_read_money(user):
        return card
    shown = []
    for result in card.results:
        if result.key == "money":
            keep = {k: result.data[k] for k in ("from_year", "to_year", "covered_years",
                                                 "partly_covered_years", "unsecured_years",
                                                 "years_without_budget") if k in result.data}
            result = replace(result, reason=Reason(MONEY_HIDDEN), data=keep)
        elif result.key == "coherence":
            cells = [{k: v for k, v in c.items() if k not in ("others", "other_programmes")}
                     for c in result.data.get("cells", [])]
            result = replace(result, data={**result.data, "cells": cells})
        shown.append(result)
    return replace(card, results=shown)


# -- shapes for machines -----------------------------------------------------------------

def result_dict(result: CriterionResult) -> dict:
    return {"key": result.key, "label": result.label, "question": result.question,
            "rating": result.rating, "rating_label": result.rating_label,
            "reason": result.reason.text(), "reason_id": result.reason.msgid,
            "basis": result.basis, "computed_rating": result.computed_rating,
            "note": result.note, "data": result.data}


def scorecard_dict(card: Scorecard) -> dict:
    """The scorecard as plain data for JSON: reasons in the active language."""
    return {"activity": card.activity_code, "title": card.activity_title,
            "activity_version": card.activity_version, "assessment": card.assessment_id,
            "label": card.label, "computed_at": card.computed_at.isoformat(),
            "inputs": card.inputs, "counts": card.counts,
            "criteria": [result_dict(r) for r in card.results], **card.extra}


def scorecard_json(card: Scorecard) -> str:
    return json.dumps(scorecard_dict(card), ensure_ascii=False, indent=2, default=str)


CSV_COLUMNS = ("activity", "activity_version", "assessment", "criterion", "rating", "basis",
               "reason", "note", "data")


def scorecard_csv_rows(card: Scorecard) -> list[list]:
    return [[card.activity_code, card.activity_version, card.assessment_id or "", r.key,
             r.rating, r.basis, r.reason.text(), r.note,
             json.dumps(r.data, ensure_ascii=False, sort_keys=True, default=str)]
            for r in card.results]


def scorecard_csv(card: Scorecard) -> str:
    """One row per criterion: :data:`CSV_COLUMNS`; ``data`` is the figures as JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(scorecard_csv_rows(card))
    return out.getvalue()
