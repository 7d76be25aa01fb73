"""Writes of the stacking app: saving and deleting targets, each in one transaction with
one audit entry (before and after).

A target is on exactly one indicator or one theme (a domain of the index) of an area
set; its kind says what is to be reached in the target period:

* ``value``: ``target_value``, in the indicator's unit (index points for a theme);
* ``closure``: the share ``closure_share`` (0 < share <= 1) of the baseline gap to the
  reference (``city``, ``rest_of_city`` or ``country``), e.g. 0.5 for "half the gap to
  the city average by 2032";
* ``reference``: the reference itself (the whole gap), e.g. "the city average within 20
  years": target period = baseline + 20.
"""

from __future__ import annotations

import math

from django.db import transaction

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.analysis.standardise import DEFAULT_THEMES
from wijkbalans.analysis.targets import period_time
from wijkbalans.areas.models import AreaSet
from wijkbalans.indicators import catalogue
from wijkbalans.indicators.models import Indicator
from wijkbalans.indicators.selectors import is_period

from .models import Target

KINDS = tuple(Target.Kind.values)
REFERENCES = tuple(Target.ReferenceChoice.values)
MAX_NOTE = 2000


class TargetError(ValueError):
    """A target cannot be saved as asked; the message says why and ``field`` names the
    field at fault (the API answers 400 under that name)."""

    def __init__(self, message: str, field: str = "target"):
        super().__init__(message)
        self.field = field


def _definition(code: str) -> tuple[str, str] | None:
    """``(aggregation, polarity)`` of a stored or catalogue indicator, or None."""
    row = Indicator.objects.filter(code=code).values_list("aggregation", "polarity").first()
    if row is None and code in catalogue.BY_CODE:
        spec = catalogue.BY_CODE[code]
        row = (spec.aggregation, spec.polarity)
    return row


def _number(name: str, value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not math.isfinite(number) or isinstance(value, bool):
        raise TargetError(f"the {name} is a number; found {value!r}",
                          name.replace(" ", "_"))
    return number


def _validated(*, area_set, indicator, theme, kind, baseline_period, target_period,
               target_value, closure_share, reference, note) -> dict:
    if not isinstance(area_set, AreaSet) or area_set.pk is None:
        raise TargetError("a target belongs to a saved area set", "area_set")
    indicator, theme = (indicator or "").strip(), (theme or "").strip()
    if bool(indicator) == bool(theme):
        raise TargetError("a target is on exactly one indicator or one theme; "
                          f"found indicator {indicator!r} and theme {theme!r}", "indicator")
    if indicator:
        definition = _definition(indicator)
        if definition is None:
            raise TargetError(f"unknown indicator {indicator!r}", "indicator")
        members = area_set.members.count()
        if definition[0] == Indicator.Aggregation.NONE and members > 1:
            raise TargetError(f"indicator {indicator!r} is a score that cannot be combined "
                              f"over areas; the area set {area_set.slug!r} has {members} buurten",
                              "indicator")
    if theme and theme not in DEFAULT_THEMES:
        raise TargetError(f"unknown theme {theme!r}; expected one of "
                          f"{', '.join(DEFAULT_THEMES)}", "theme")
    if kind not in KINDS:
        raise TargetError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}", "kind")
    if reference not in REFERENCES:
        raise TargetError(f"unknown reference {reference!r}; expected one of "
                          f"{', '.join(REFERENCES)}", "reference")
    for name, value in (("baseline_period", baseline_period),
                        ("target_period", target_period)):
        if not isinstance(value, str) or not is_period(value):
            raise TargetError(f"the {name.replace('_', ' ')} is YYYY, YYYY-Qn or YYYY-MM; "
                              f"found {value!r}", name)
    if period_time(target_period) <= period_time(baseline_period):
        raise TargetError(f"the target period {target_period} must come after the baseline "
                          f"period {baseline_period}", "target_period")
    target_value = _number("target value", target_value)
    closure_share = _number("closure share", closure_share)
    if kind == Target.Kind.VALUE:
        if target_value is None:
            raise TargetError("a target of kind 'value' needs a target value (a number)",
                              "target_value")
        if closure_share is not None:
            raise TargetError("a target of kind 'value' has no closure share", "closure_share")
    else:
        if target_value is not None:
            raise TargetError(f"a target of kind {kind!r} has no target value; it is "
                              "measured against the reference", "target_value")
        if kind == Target.Kind.REFERENCE:
            if closure_share not in (None, 1.0):
                raise TargetError("a target of kind 'reference' closes the whole gap; leave "
                                  "the closure share out (or give 1)", "closure_share")
            closure_share = 1.0
        else:
            if closure_share is None or not 0 < closure_share <= 1:
                raise TargetError("a target of kind 'closure' needs a closure share in (0, 1] "
                                  f"(0.5 for half the gap); found {closure_share!r}",
                                  "closure_share")
    note = note or ""
    if len(note) > MAX_NOTE:
        raise TargetError(f"the note has at most {MAX_NOTE} characters; found {len(note)}",
                          "note")
    return {"area_set": area_set, "indicator": indicator, "theme": theme, "kind": kind,
            "baseline_period": baseline_period, "target_period": target_period,
            "target_value": target_value, "closure_share": closure_share,
            "reference": reference, "note": note}


_AUDIT_EXCLUDE = ("created_at", "updated_at")


@transaction.atomic
def target_save(
    *, area_set: AreaSet, indicator: str | None = None, theme: str | None = None, kind: str,
    baseline_period: str, target_period: str, target_value: float | None = None,
    closure_share: float | None = None, reference: str = "city", note: str = "",
    acting_user, target: Target | None = None,
) -> Target:
    """Create a target, or replace every field of ``target``; one audit entry
    (``target.save``) with the fields before and after. Saving what is stored already
    writes nothing. Raises :class:`TargetError` with a message naming what is wrong."""
    fields = _validated(area_set=area_set, indicator=indicator, theme=theme, kind=kind,
                        baseline_period=baseline_period, target_period=target_period,
                        target_value=target_value, closure_share=closure_share,
                        reference=reference, note=note)
    before = None
    if target is not None:
        target = Target.objects.select_for_update().get(pk=target.pk)
        before = snapshot(target, exclude=_AUDIT_EXCLUDE)
        for name, value in fields.items():
            setattr(target, name, value)
        if snapshot(target, exclude=_AUDIT_EXCLUDE) == before:
            return target
        target.save()
    else:
        target = Target.objects.create(**fields)
    audit_record(acting_user=acting_user, action="target.save", obj=target, before=before,
                 after=snapshot(target, exclude=_AUDIT_EXCLUDE))
    return target


@transaction.atomic
def target_delete(*, target: Target, acting_user) -> None:
    """Delete a target; one audit entry (``target.delete``) with its fields before (as
    stored, read again under a row lock: the caller's copy may be stale)."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    before = snapshot(target, exclude=_AUDIT_EXCLUDE)
    pk, label = target.pk, str(target)
    target.delete()
    audit_record(acting_user=acting_user, action="target.delete",
                 object_type="stacking.target", object_id=str(pk), object_repr=label,
                 before=before)
