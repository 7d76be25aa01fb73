"""Writes of the evaluations app: define, claim, run, fail, and check a run again.

Every function writes one audit entry per change (``accounts.audit.audit_record``):
``evaluation.create``, ``evaluation.start`` (a worker claimed it), ``evaluation.run`` (done),
``evaluation.fail``, ``evaluation.rerun_check``.

A run never ends in ``running``: every error is stored as ``failed`` with its message;
a worker that died during a run is noticed by :func:`evaluation_fail_stale` when a worker
starts again. Bad input to :func:`evaluation_create` raises :class:`EvaluationError`
naming the field, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.analysis.effects.panel import PanelError
from wijkbalans.areas import codes
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.indicators import selectors as indicator_selectors

from . import selectors
from .compute import METHODS, compute, differences, panel_sha256, software
from .models import Evaluation

logger = logging.getLogger(__name__)

DEFAULT_PLACEBO_REPS = 200
PLACEBO_REPS_RANGE = (20, 5000)
DEFAULT_LEVEL = 0.95
# A run takes seconds; one still "running" after this long lost its worker.
STALE_AFTER = dt.timedelta(hours=1)
GEMEENTECODE = re.compile(r"^GM\d{4}$")
Status = Evaluation.Status


class EvaluationError(ValueError):
    """The evaluation cannot be defined or run as asked; ``field`` names the input."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass
class RerunCheck:
    """What a reproducibility check found."""

    identical: bool
    panel_sha256_matches: bool
    differences: list[str] = field(default_factory=list)
    error: str = ""


# -- define -----------------------------------------------------------------------------

def _codes(name: str, values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace(";", ",").replace("\n", ",").split(",")
    if not all(isinstance(v, str) for v in values):
        raise EvaluationError(name, "expected a list of codes")
    return list(dict.fromkeys(codes.normalise(v) for v in values if v.strip()))


def _whole(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise EvaluationError(name, f"expected a whole number, found {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise EvaluationError(name, f"expected a whole number, found {value!r}") from None
    if number != value and str(number) != str(value).strip():
        raise EvaluationError(name, f"expected a whole number, found {value!r}")
    if not low <= number <= high:
        raise EvaluationError(name, f"expected a number from {low} to {high}, found {number}")
    return number


def _treated(area_set: str | None, treated_codes, level: str):
    """``(AreaSet or None, treated codes)``, checked against the registry."""
    given = _codes("treated_codes", treated_codes)
    if bool(area_set) == bool(given):
        raise EvaluationError("area_set", "give an area set or treated area codes (one of "
                                          "the two)")
    if area_set:
        found = area_selectors.area_set_get(slug=area_set)
        if found is None:
            raise EvaluationError("area_set", f"no area set {area_set!r}")
        members = sorted(a.code for a in found.members.all())
        if not members:
            raise EvaluationError("area_set", f"area set {area_set!r} has no areas")
        return found, members
    known = set(area_selectors.area_list(level=level).filter(code__in=given)
                .values_list("code", flat=True))
    unknown = [c for c in given if c not in known]
    if unknown:
        raise EvaluationError("treated_codes", f"not a known {level}: {', '.join(unknown)}")
    return None, sorted(given)


def _periods(outcome: str, level: str, method: str, start: str, first, last) -> None:
    for name, value in (("start_period", start), ("first_period", first),
                        ("last_period", last)):
        if value and not indicator_selectors.is_period(value):
            raise EvaluationError(name, f"expected YYYY, YYYY-Qn or YYYY-MM, found {value!r}")
    if not start:
        raise EvaluationError("start_period", "the start period is required")
    periods = indicator_selectors.indicator_periods(indicator=outcome, level=level)
    periods = [p for p in periods if (not first or p >= first) and (not last or p <= last)]
    if start not in periods:
        span = f"{periods[0]} to {periods[-1]}" if periods else "no period"
        raise EvaluationError("start_period", f"{start} is not a period with figures for "
                                              f"{outcome!r} (the data hold {span})")
    before = periods.index(start)
    needed = 2 if method == "sdid" else 1
    if before < needed:
        raise EvaluationError("start_period", f"{needed} period(s) with figures before "
                                              f"{start} needed, found {before}")


def evaluation_create(
    *, outcome: str, start_period: str, method: str = "sdid", area_set: str | None = None,
    treated_codes: Sequence[str] | str | None = None, title: str = "", activity_ref: str = "",
    donor_exclude: Sequence[str] | str = (), donor_exclude_own_municipality: bool = False,
    donor_exclude_area_sets: Sequence[str] = (), donor_municipalities: Sequence[str] | str = (),
    placebo_reps: int = DEFAULT_PLACEBO_REPS, seed: int = 0, first_period: str | None = None,
    last_period: str | None = None, acting_user,
) -> Evaluation:
    """Define an evaluation and queue it; :class:`EvaluationError` names the bad field.

    ``area_set`` is a slug (the treated areas are its members when the evaluation is
    defined) or ``treated_codes`` lists buurtcodes. ``donor_exclude_area_sets`` are slugs of
    area sets treated by a similar programme; their members are left out of the comparison,
    as are ``donor_exclude``. ``donor_municipalities`` (gemeentecodes) restricts the
    comparison areas to those municipalities. The start must be a period with figures and
    have figures before it (two periods for SDID).
    """
    method = (method or "").strip()
    if method not in METHODS:
        raise EvaluationError("method", f"unknown method {method!r}; expected one of "
                                        f"{', '.join(METHODS)}")
    level = Evaluation.DonorLevel.BUURT
    outcome = (outcome or "").strip()
    names = selectors.indicator_names(code=outcome) if outcome else None
    if names is None:
        raise EvaluationError("outcome", f"unknown indicator {outcome!r}")
    found_set, treated = _treated((area_set or "").strip() or None, treated_codes, level)
    start_period = (start_period or "").strip()
    first_period = (first_period or "").strip() or None
    last_period = (last_period or "").strip() or None
    _periods(outcome, level, method, start_period, first_period, last_period)
    exclude = _codes("donor_exclude", donor_exclude)
    if exclude:
        known = set(area_selectors.area_code_map(codes=set(exclude)))
        unknown = [c for c in exclude if c not in known]
        if unknown:
            raise EvaluationError("donor_exclude", f"unknown area code(s): {', '.join(unknown)}")
    similar_sets = list(dict.fromkeys(s.strip() for s in donor_exclude_area_sets if s.strip()))
    if similar_sets:
        known_sets = {s.slug for s in area_selectors.area_set_list().filter(
            slug__in=similar_sets)}
        unknown = [s for s in similar_sets if s not in known_sets]
        if unknown:
            raise EvaluationError("donor_exclude_area_sets",
                                  f"no area set(s) {', '.join(unknown)}")
    municipalities = _codes("donor_municipalities", donor_municipalities)
    bad = [m for m in municipalities if not GEMEENTECODE.match(m)]
    if bad:
        raise EvaluationError("donor_municipalities",
                              f"expected gemeentecodes (GM + 4 digits), found {', '.join(bad)}")
    reps = _whole("placebo_reps", placebo_reps, *PLACEBO_REPS_RANGE)
    seed = _whole("seed", seed, 0, 2**32 - 1)
    treated_label = found_set.name if found_set else ", ".join(treated[:3])
    title = (title or "").strip() or f"{names[0]} — {treated_label} — {start_period}"
    if len(title) > 200:
        raise EvaluationError("title", f"at most 200 characters, found {len(title)}")
    activity_ref = (activity_ref or "").strip()
    if len(activity_ref) > 200:
        raise EvaluationError("activity_ref", f"at most 200 characters, found {len(activity_ref)}")
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            title=title[:200], activity_ref=activity_ref, area_set=found_set,
            treated_codes=treated, outcome=outcome, start_period=start_period, method=method,
            donor_level=level, donor_exclude=exclude,
            donor_exclude_own_municipality=bool(donor_exclude_own_municipality),
            donor_exclude_area_sets=similar_sets,
            settings={"placebo_reps": reps, "seed": seed, "level": DEFAULT_LEVEL,
                      "first_period": first_period, "last_period": last_period,
                      "donor_municipalities": municipalities},
            status=Status.QUEUED,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        audit_record(acting_user=acting_user, action="evaluation.create", obj=evaluation,
                     after=snapshot(evaluation, exclude=("panel", "result")))
    return evaluation


# -- claim and run ----------------------------------------------------------------------

def _claimed(pk: int, now) -> Evaluation:
    audit_record(acting_user=None, action="evaluation.start", object_type="evaluations.evaluation",
                 object_id=str(pk), before={"status": Status.QUEUED},
                 after={"status": Status.RUNNING, "started_at": now})
    return Evaluation.objects.get(pk=pk)


def evaluation_claim(*, pk: int | None = None) -> Evaluation | None:
    """Mark one queued evaluation (``pk``, or the oldest) ``running`` and return it; None
    when there is none, or another worker took it first.

    PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``, so workers never wait for each other.
    SQLite (one writer at a time): a conditional ``UPDATE ... WHERE status = 'queued'``;
    the worker whose update changed a row owns the evaluation.
    """
    now = timezone.now()
    if pk is None and connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            row = (Evaluation.objects.select_for_update(skip_locked=True)
                   .filter(status=Status.QUEUED).order_by("created_at", "id")
                   .values_list("id", flat=True).first())
            if row is None:
                return None
            Evaluation.objects.filter(pk=row).update(status=Status.RUNNING, started_at=now)
            return _claimed(row, now)
    for _attempt in range(20):
        target = pk if pk is not None else selectors.evaluation_next_queued_id()
        if target is None:
            return None
        with transaction.atomic():
            won = Evaluation.objects.filter(pk=target, status=Status.QUEUED).update(
                status=Status.RUNNING, started_at=now)
            if won:
                return _claimed(target, now)
        if pk is not None:
            return None
    return None


def _spec(evaluation: Evaluation) -> dict:
    """The resolved run specification (see ``compute.py``): the settings plus what the
    definition named by reference (indicator names, members of the excluded area sets)."""
    names = selectors.indicator_names(code=evaluation.outcome)
    if names is None:
        raise EvaluationError("outcome", f"indicator {evaluation.outcome!r} no longer exists")
    s = evaluation.settings or {}
    return {
        "method": evaluation.method, "outcome": evaluation.outcome,
        "outcome_name_nl": names[0], "outcome_name_en": names[1],
        "treated": list(evaluation.treated_codes), "start": evaluation.start_period,
        "similar": selectors.area_set_member_codes(slugs=evaluation.donor_exclude_area_sets),
        "exclude": list(evaluation.donor_exclude),
        "exclude_own_municipality": evaluation.donor_exclude_own_municipality,
        "placebo_reps": int(s.get("placebo_reps", DEFAULT_PLACEBO_REPS)),
        "seed": int(s.get("seed", 0)), "level": float(s.get("level", DEFAULT_LEVEL)),
    }


def _fail(evaluation: Evaluation, message: str, panel: dict | None) -> Evaluation:
    now = timezone.now()
    fields = {"status": Status.FAILED, "error": message[:5000], "finished_at": now,
              "panel": panel, "panel_sha256": panel_sha256(panel) if panel else "",
              "result": None, "estimate": None, "conclusion": ""}
    with transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(**fields)
        audit_record(acting_user=None, action="evaluation.fail", obj=evaluation,
                     before={"status": evaluation.status},
                     after={"status": Status.FAILED, "error": fields["error"]})
    evaluation.refresh_from_db()
    return evaluation


def evaluation_run(*, evaluation: Evaluation) -> Evaluation:
    """Run a queued (or claimed) evaluation and store the panel, result and verdict.

    Reads the outcome of every area at the donor level in one query, applies the donor
    rules, runs the estimator (``compute.py``) and stores ``done``; on any error stores
    ``failed`` with the message. Returns the evaluation as stored.
    """
    if evaluation.status == Status.QUEUED:
        claimed = evaluation_claim(pk=evaluation.pk)
        if claimed is None:
            raise EvaluationError("status", "another worker has taken this evaluation")
        evaluation = claimed
    elif evaluation.status != Status.RUNNING:
        raise EvaluationError("status", f"the evaluation is {evaluation.status}; only a "
                                        "queued evaluation can run")
    panel = None
    try:
        spec = _spec(evaluation)
        s = evaluation.settings or {}
        panel = selectors.evaluation_panel(
            outcome=evaluation.outcome, level=evaluation.donor_level,
            first_period=s.get("first_period"), last_period=s.get("last_period"),
            municipalities=s.get("donor_municipalities") or (), keep=evaluation.treated_codes)
        result, timings = compute(panel, spec)
    except (PanelError, EvaluationError, ValueError) as exc:
        return _fail(evaluation, getattr(exc, "message", None) or str(exc), panel)
    except Exception as exc:  # a run must never stay "running", whatever went wrong
        logger.exception("evaluation %s failed", evaluation.pk)
        return _fail(evaluation, f"unexpected error: {type(exc).__name__}: {exc}", panel)
    result["timings"] = timings
    try:
        with transaction.atomic():
            Evaluation.objects.filter(pk=evaluation.pk).update(
                status=Status.DONE, error="", finished_at=timezone.now(), panel=panel,
                panel_sha256=panel_sha256(panel), result=result, software=software(),
                estimate=result["estimate"], conclusion=result["verdict"]["conclusion"])
            audit_record(acting_user=None, action="evaluation.run", obj=evaluation,
                         before={"status": Status.RUNNING},
                         after={"status": Status.DONE, "panel_sha256": panel_sha256(panel),
                                "estimate": result["estimate"], "se": result.get("se"),
                                "p_value": result.get("p_value"),
                                "conclusion": result["verdict"]["conclusion"]})
    except Exception as exc:
        logger.exception("evaluation %s: the result could not be stored", evaluation.pk)
        return _fail(evaluation, f"the result could not be stored: {exc}", None)
    evaluation.refresh_from_db()
    return evaluation


def evaluation_fail_stale(*, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Mark evaluations that have been ``running`` for longer than ``older_than`` as
    failed (their worker stopped); returns how many."""
    cutoff = timezone.now() - older_than
    stale = list(Evaluation.objects.filter(status=Status.RUNNING, started_at__lt=cutoff)
                 .only("id", "title", "status"))
    for evaluation in stale:
        _fail(evaluation, "the run stopped before it finished (the worker was stopped or "
                          "the machine restarted); define the evaluation again", None)
    return len(stale)


# -- reproduce --------------------------------------------------------------------------

def evaluation_rerun_check(*, evaluation: Evaluation, acting_user=None) -> RerunCheck:
    """Compute the evaluation again from its stored panel and specification and compare
    with the stored result (timings aside); also check the panel against its hash.
    Writes one audit entry with the outcome and the software versions then and now."""
    if evaluation.status != Status.DONE or not evaluation.panel or not evaluation.result:
        raise EvaluationError("status", f"the evaluation is {evaluation.status}; only a "
                                        "finished evaluation can be checked")
    hash_ok = panel_sha256(evaluation.panel) == evaluation.panel_sha256
    stored = {k: v for k, v in evaluation.result.items() if k != "timings"}
    try:
        fresh, _timings = compute(evaluation.panel, stored["spec"])
        check = RerunCheck(identical=False, panel_sha256_matches=hash_ok,
                           differences=differences(stored, fresh))
        check.identical = hash_ok and not check.differences
    except (PanelError, ValueError, KeyError) as exc:
        check = RerunCheck(identical=False, panel_sha256_matches=hash_ok, error=str(exc))
    audit_record(acting_user=acting_user, action="evaluation.rerun_check", obj=evaluation,
                 after={"identical": check.identical, "panel_sha256_matches": hash_ok,
                        "differences": check.differences, "error": check.error,
                        "software_then": evaluation.software, "software_now": software()})
    return check
