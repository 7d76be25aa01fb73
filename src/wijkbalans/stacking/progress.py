"""Stored targets and their progress: the straight path and a status per period.

The status rule is :func:`wijkbalans.analysis.targets.target_status` (docs/methods/
stacking.md, "Targets and the status rule"); :data:`STATUS_RULE` says it in words for the
pages and the API. Values come from the store through :mod:`.units`: an indicator target
follows the area set's aggregate of its buurten; a theme target follows the set's index-100
domain score against its city's buurten, standardised in the **baseline period** (so the
score moves only when the set's own values move), and its reference is the reference
unit's domain score computed the same way.
"""

from __future__ import annotations

import math

import pandas as pd
from django.db.models import QuerySet

from wijkbalans.analysis import targets as targets_analysis
from wijkbalans.analysis.targets import TOLERANCE, period_time
from wijkbalans.areas.models import AreaSet
from wijkbalans.indicators.models import Indicator

from .models import Target
from .panels import index_indicator_codes, sort_periods
from .units import (
    REFERENCE_LABELS,
    REFERENCE_UNITS,
    SUBJECT,
    PlaceError,
    resolve_place,
    unit_domain_scores,
    unit_panel,
)

STATUS_RULE = (
    "The path runs straight from the baseline value (or the baseline gap to the reference) "
    "in the baseline period to the target in the target period. Required progress "
    "p* = (t - t0) / (T - t0), between 0 and 1. Progress p = (value - baseline value) / "
    "(target value - baseline value) for a value target; for a gap target "
    "p = closure / share, with closure = 1 - gap / baseline gap. Ahead when "
    f"p > p* + {TOLERANCE}, behind when p < p* - {TOLERANCE}, on track otherwise (the "
    "band's edges included); no data when the period has no value or no reference value, "
    "or the baseline has none. When there is nothing to move (the target equals the "
    "baseline, or there is no gap in the baseline), the target means holding the line: on "
    "track while not on the worse side of the target, else behind."
)


def target_list(*, area_set: AreaSet | None = None) -> QuerySet[Target]:
    """Targets (of one area set), with the set joined in the same query."""
    qs = Target.objects.select_related("area_set")
    if area_set is not None:
        qs = qs.filter(area_set=area_set)
    return qs.order_by("area_set__name", "indicator", "theme", "target_period", "id")


def target_get(*, pk: int) -> Target | None:
    return target_list().filter(pk=pk).first()


def target_as_dict(target: Target) -> dict:
    """The stored fields of a target, as the API and the commands show them."""
    return {
        "id": target.pk, "area_set": target.area_set.slug,
        "indicator": target.indicator or None, "theme": target.theme or None,
        "kind": target.kind, "baseline_period": target.baseline_period,
        "target_period": target.target_period, "target_value": target.target_value,
        "closure_share": target.closure_share, "reference": target.reference,
        "note": target.note, "created_at": target.created_at.isoformat(),
        "updated_at": target.updated_at.isoformat(),
    }


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _analysis_target(target: Target, polarity: str) -> targets_analysis.Target:
    key = target.indicator or target.theme
    common = {"baseline": target.baseline_period, "target_period": target.target_period,
              "polarity": polarity}
    if target.kind == Target.Kind.VALUE:
        return targets_analysis.value_target(target.area_set.slug, key,
                                             value=target.target_value, **common)
    share = 1.0 if target.kind == Target.Kind.REFERENCE else target.closure_share
    return targets_analysis.closure_target(target.area_set.slug, key, share=share, **common)


def _series(target: Target, place) -> tuple[dict[str, pd.Series], str, str, list[str]]:
    """Per unit (subject and the three references) the values by period, the polarity,
    the unit of measurement and notes."""
    notes: list[str] = []
    units = {"subject": SUBJECT, **REFERENCE_UNITS}
    if target.indicator:
        up = unit_panel(place, indicators=[target.indicator])
        notes.extend(up.notes)
        table = up.table.set_index("code")
        polarity = table.at[target.indicator, "polarity"] if target.indicator in table.index \
            else "neutral"
        measure = Indicator.objects.filter(code=target.indicator).values_list(
            "unit", flat=True).first() or ""
        rows = up.values[up.values["indicator"] == target.indicator]
        series = {name: rows[rows["unit"] == unit].set_index("period")["value"]
                  for name, unit in units.items()}
        return series, polarity, measure, notes
    up = unit_panel(place, indicators=index_indicator_codes([target.theme]))
    notes.extend(up.notes)
    try:
        res = unit_domain_scores(up, base_period=target.baseline_period, themes=(target.theme,))
    except (PlaceError, ValueError) as error:
        notes.append(f"no domain scores: {error}")
        return {name: pd.Series(dtype=float) for name in units}, "higher_better", "index", notes
    dom = res.domains[res.domains["domain"].astype(str) == target.theme].astype(
        {"area": str, "period": str})
    series = {name: dom[dom["area"] == unit].set_index("period")["index100"].dropna()
              for name, unit in units.items()}
    return series, "higher_better", "index", notes


def _path_periods(target: Target, observed: list[str]) -> list[str]:
    t0, t1 = target.baseline_period, target.target_period
    if len(t0) == 4 and len(t1) == 4:  # whole years: one point a year
        return [str(y) for y in range(int(t0), int(t1) + 1)]
    inside = [p for p in observed if period_time(t0) <= period_time(p) <= period_time(t1)]
    return sort_periods([t0, *inside, t1])


def target_progress(*, target: Target, tolerance: float = TOLERANCE) -> dict:
    """Baseline, references, the straight path and the status per period of one target.

    Returns a dict (JSON-ready, missing numbers as None): ``target`` (stored fields),
    ``place``, ``polarity``, ``unit``, ``reference_label``, ``baseline`` (period, value,
    reference, gap), ``goal`` (period, value or closure and gap), ``path`` (per period from
    baseline to target: required progress and the path value, or gap and closure),
    ``periods`` (observed periods from the baseline on and the target period: value,
    reference, gap, closure, progress, required, path, status, reason), ``references``
    (city, rest_of_city, country: value per period), ``latest`` (the newest period with
    data), ``tolerance``, ``rule`` and ``notes``.
    """
    place = resolve_place(target.area_set)
    series, polarity, measure, notes = _series(target, place)
    subject, ref = series["subject"], series[target.reference]
    t = _analysis_target(target, polarity)
    observed_periods = sort_periods([*subject.index, *ref.index])
    observed = pd.DataFrame({"period": observed_periods,
                             "value": subject.reindex(observed_periods).to_numpy(dtype=float),
                             "reference": ref.reindex(observed_periods).to_numpy(dtype=float)})
    t0 = period_time(target.baseline_period)
    periods = sort_periods([p for p in observed_periods if period_time(p) >= t0]
                           + [target.target_period])
    status = targets_analysis.target_status(t, observed, tolerance=tolerance, periods=periods)
    v0 = _num(subject.get(target.baseline_period))
    r0 = _num(ref.get(target.baseline_period))
    g0 = None if v0 is None or r0 is None else v0 - r0
    path_periods = _path_periods(target, observed_periods)
    closure_kind = t.kind == "closure"
    path = targets_analysis.target_path(t, path_periods, baseline_value=v0 if v0 is not None
                                        else float("nan"), baseline_gap=g0)
    path_rows = []
    for row in path.to_dict("records"):
        item = {"period": row["period"], "required": _num(row["required"])}
        if closure_kind:
            r_t = _num(ref.get(row["period"]))
            item.update(closure=_num(row["path_closure"]), gap=_num(row["path_gap"]),
                        value=None if r_t is None or _num(row["path_gap"]) is None
                        else r_t + row["path_gap"])
        else:
            item["value"] = _num(row["path_value"])
        path_rows.append(item)
    rows = []
    for row in status.to_dict("records"):
        value, reference = _num(row["value"]), _num(row["reference"])
        gap = None if value is None or reference is None else value - reference
        closure = None if gap is None or not g0 else 1.0 - gap / g0
        rows.append({"period": row["period"], "value": value, "reference": reference,
                     "gap": gap, "closure": closure, "progress": _num(row["progress"]),
                     "required": _num(row["required"]), "path": _num(row["path"]),
                     "status": row["status"], "reason": row["reason"]})
    with_data = [r for r in rows if r["status"] != targets_analysis.NO_DATA]
    goal = {"period": target.target_period}
    if closure_kind:
        goal.update(closure=t.amount, gap=None if g0 is None else g0 * (1 - t.amount))
    else:
        goal["value"] = t.amount
    return {
        "target": target_as_dict(target),
        "place": {"key": place.key, "name": place.name, "members": list(place.members)},
        "key": target.indicator or target.theme,
        "key_kind": "indicator" if target.indicator else "theme",
        "polarity": polarity, "unit": measure,
        "reference_label": REFERENCE_LABELS[target.reference],
        "baseline": {"period": target.baseline_period, "value": v0, "reference": r0, "gap": g0},
        "goal": goal, "path": path_rows, "periods": rows,
        "references": {name: {p: _num(v) for p, v in series[name].items()}
                       for name in REFERENCE_UNITS},
        "latest": with_data[-1] if with_data else None,
        "tolerance": tolerance, "rule": STATUS_RULE, "notes": notes,
    }
