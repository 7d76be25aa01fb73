"""Reads of early concerns, and who may do what (one predicate per rule).

The rules (docs/concerns.md has them as a table):

- **Submit.** A user with the role professional or partner in an organisation records
  concerns on behalf of that organisation.
- **Own.** A reporter sees the concerns they recorded, free text included.
- **Routed.** A user with the role partner in an organisation sees the concerns routed to
  it, free text included, and records their follow-up.
- **Aggregates.** Programme staff, analysts and administrators see the suppressed
  early-warning tables and the alerts; nobody sees single concerns through them.
- **Free text** is read only through :func:`wijkbalans.concerns.services.concern_text_read`,
  which writes ``concerns.text.read`` to the audit log; lists never load it. Being an
  administrator does not open another organisation's free text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, Case, Count, Prefetch, QuerySet, Value, When

from wijkbalans.accounts.models import Membership, Organisation, Role
from wijkbalans.analysis.suppression import suppress_table
from wijkbalans.areas import codes
from wijkbalans.areas.models import Area, AreaVersion
from wijkbalans.core import clock

from . import periods
from .models import Assignment, Concern, Theme

SUBMIT_ROLES = (Role.PROFESSIONAL, Role.PARTNER)  # in this order of preference
FOLLOW_UP_ROLES = frozenset({Role.PARTNER})
AGGREGATE_ROLES = frozenset({Role.ADMIN, Role.PROGRAMME_STAFF, Role.ANALYST})
ROUTE_EDITOR_ROLES = frozenset({Role.ADMIN, Role.PROGRAMME_STAFF})
# The most periods one early-warning request computes (each is a table to protect).
MAX_PERIODS = 40


def today() -> dt.date:
    """Today in the site's time zone (one place, so that tests can fix the date; the demo
    fixes it with :func:`wijkbalans.core.clock.frozen_at`)."""
    return clock.today()


def min_cell() -> int:
    """k: the smallest count published in an early-warning cell (setting, default 5)."""
    return int(getattr(settings, "CONCERNS_MIN_CELL", 5))


def published_period_kind() -> str:
    """The one period kind in which the early-warning tables are published (setting,
    default ``quarter``): tables of two kinds cover the same concerns and together could
    give a hidden count back (docs/concerns.md)."""
    return str(getattr(settings, "CONCERNS_PUBLISHED_PERIOD", "quarter"))


# -- permissions -------------------------------------------------------------------------

def _memberships(user) -> list[tuple[int, str]]:
    """(organisation id, role) of every membership, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_concerns_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user)
                      .values_list("organisation_id", "role"))
        user._concerns_memberships = cached
    return cached


def submit_role(*, user, organisation: Organisation) -> str | None:
    """The role in which ``user`` records concerns for ``organisation``, or None."""
    held = {role for org, role in _memberships(user) if org == organisation.pk}
    return next((role for role in SUBMIT_ROLES if role in held), None)


def submit_organisations(*, user) -> list[Organisation]:
    """Organisations for which ``user`` may record concerns, by name."""
    ids = {org for org, role in _memberships(user) if role in SUBMIT_ROLES}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def partner_organisations(*, user) -> list[Organisation]:
    """Organisations whose routed concerns ``user`` sees and follows up, by name."""
    ids = {org for org, role in _memberships(user) if role in FOLLOW_UP_ROLES}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def user_may_follow_up(*, user, assignment: Assignment) -> bool:
    return any(org == assignment.organisation_id and role in FOLLOW_UP_ROLES
               for org, role in _memberships(user))


def user_may_read_text(*, user, concern: Concern) -> bool:
    """The reporter, and partners of an organisation the concern was routed to."""
    if not getattr(user, "is_authenticated", False):
        return False
    if concern.reporter_id is not None and concern.reporter_id == user.pk:
        return True
    partner_of = {org for org, role in _memberships(user) if role in FOLLOW_UP_ROLES}
    return bool(partner_of) and Assignment.objects.filter(
        concern=concern, organisation_id__in=partner_of).exists()


def user_may_see_aggregates(*, user) -> bool:
    if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
        return True
    return any(role in AGGREGATE_ROLES for _, role in _memberships(user))


def user_may_edit_routes(*, user) -> bool:
    if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
        return True
    return any(role in ROUTE_EDITOR_ROLES for _, role in _memberships(user))


# -- single concerns ---------------------------------------------------------------------

def _without_text(qs: QuerySet[Concern]) -> QuerySet[Concern]:
    """Concerns with buurt and organisation joined, ``has_text`` annotated and the free
    text itself left in the database."""
    has_text = Case(When(text="", then=Value(False)), default=Value(True),
                    output_field=BooleanField())
    return qs.select_related("buurt", "organisation").defer("text").annotate(
        has_text=has_text)


def concerns_of_reporter(*, user) -> QuerySet[Concern]:
    """The concerns ``user`` recorded, newest first, with their assignments (free text
    not loaded: read it with ``services.concern_text_read``)."""
    if not getattr(user, "is_authenticated", False):
        return Concern.objects.none()
    routed = Prefetch("assignments", queryset=Assignment.objects.select_related(
        "organisation").order_by("organisation__name"))
    return _without_text(Concern.objects.filter(reporter=user)).prefetch_related(
        routed).order_by("-created_at", "-id")


def concerns_routed_to(*, organisation: Organisation,
                       status: str | None = None) -> QuerySet[Assignment]:
    """What was routed to ``organisation``, newest first (free text not loaded)."""
    has_text = Case(When(concern__text="", then=Value(False)), default=Value(True),
                    output_field=BooleanField())
    qs = (Assignment.objects.filter(organisation=organisation)
          .select_related("concern", "concern__buurt", "concern__organisation")
          .defer("concern__text").annotate(concern_has_text=has_text)
          .order_by("-routed_at", "-id"))
    return qs.filter(status=status) if status else qs


def assignment_get(*, pk: int) -> Assignment | None:
    return (Assignment.objects.select_related("concern", "concern__buurt", "organisation")
            .defer("concern__text").filter(pk=pk).first())


def concern_get(*, pk: int) -> Concern | None:
    return _without_text(Concern.objects.filter(pk=pk)).first()


# -- areas -------------------------------------------------------------------------------

def buurt_by_code(*, code: str) -> Area | None:
    return Area.objects.filter(code=codes.normalise(code), level=codes.BUURT).first()


def buurt_at(*, lon: float, lat: float) -> Area | None:
    """The buurt whose newest drawn border covers the point (WGS84), or None.

    Candidates are the buurten whose centre lies within 0.1 degree (about 7 to 11 km);
    when none of them covers the point, every buurt is tried. The point is not kept.
    """
    import shapely
    from shapely.geometry import shape

    def covering(versions) -> Area | None:
        rows = list(versions.order_by("area__code", "-year")
                    .values_list("area_id", "area__code", "geometry"))
        newest: dict[int, dict] = {}
        for area_id, _, geometry in rows:
            newest.setdefault(area_id, geometry)
        if not newest:
            return None
        ids = list(newest)
        shapes = np.array([shape(newest[i]) for i in ids])
        hits = shapely.STRtree(shapes).query(shapely.points(lon, lat), predicate="covered_by")
        return Area.objects.filter(pk=ids[int(min(hits))]).first() if len(hits) else None

    versions = AreaVersion.objects.filter(area__level=codes.BUURT, geometry__isnull=False)
    near = versions.filter(centroid_lon__range=(lon - 0.1, lon + 0.1),
                           centroid_lat__range=(lat - 0.1, lat + 0.1))
    return covering(near) or covering(versions)


def gemeente_buurten(*, gemeente: str) -> list[tuple[str, str]]:
    """``(code, name)`` of the buurten of a gemeente in its newest classification year,
    by code."""
    qs = Area.objects.filter(level=codes.BUURT, gemeentecode=gemeente)
    newest = max(qs.values_list("latest_year", flat=True), default=None, key=lambda y: y or 0)
    if newest is not None:
        qs = qs.filter(latest_year=newest)
    return list(qs.order_by("code").values_list("code", "name"))


# -- the early-warning table -------------------------------------------------------------

@dataclass(frozen=True)
class PeriodTable:
    """One period: rows are the themes and a last total row, columns the buurten and a
    last total column; ``counts`` holds None where a count is suppressed."""

    period: str
    counts: list[list[int | None]]
    primary: int  # cells hidden because 0 < count < k
    secondary: int  # cells hidden so that the first cannot be derived


@dataclass(frozen=True)
class EarlyWarning:
    gemeente: str
    period_kind: str
    k: int
    themes: list[str]
    buurten: list[tuple[str, str]]  # (code, name)
    periods: list[PeriodTable]


def concern_counts(*, gemeente: str, first_week: dt.date,
                   last_week: dt.date) -> list[tuple[str, str, dt.date, int]]:
    """``(theme, buurtcode, week_start, count)`` for the gemeente's concerns (one query)."""
    return list(Concern.objects.filter(
        buurt__gemeentecode=gemeente, week_start__gte=first_week, week_start__lte=last_week)
        .values_list("theme", "buurt__code", "week_start").annotate(n=Count("id"))
        .order_by())


def _protected(counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(hidden, primary)`` masks of the extended table, cached by the counts themselves
    (the rule is deterministic, so equal counts give equal patterns)."""
    digest = hashlib.sha256(counts.astype(np.int64).tobytes()
                            + repr((counts.shape, k)).encode()).hexdigest()
    key = f"wijkbalans:concerns:suppression:{digest}"
    found = cache.get(key)
    if found is None:
        result = suppress_table(counts, k=k)
        found = (result.hidden, result.primary)
        cache.set(key, found, timeout=7 * 24 * 3600)
    return found


def early_warning_table(*, gemeente: str, period_kind: str | None = None, first: str,
                        last: str, k: int | None = None) -> EarlyWarning:
    """Counts of concerns per theme × buurt for each period from ``first`` to ``last``,
    each period a table with its theme totals, buurt totals and grand total, suppressed
    by :func:`wijkbalans.analysis.suppression.suppress_table` (no cell below ``k``, no
    hidden cell derivable from the rest of its table).

    ``period_kind`` defaults to the published kind; pages and the API show no other (a
    month table next to a quarter table of the same concerns could give a hidden count
    back). Raises :class:`~.periods.PeriodError` for a malformed period or range.
    """
    kind = period_kind or published_period_kind()
    k = min_cell() if k is None else k
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k is a whole number of at least 1; found {k!r}")
    labels = periods.periods_between(periods.check_period(first, kind),
                                     periods.check_period(last, kind), kind)
    if len(labels) > MAX_PERIODS:
        raise periods.PeriodError(f"at most {MAX_PERIODS} periods at a time; {first} to "
                                  f"{last} holds {len(labels)}")
    themes = list(Theme.values)
    buurten = gemeente_buurten(gemeente=gemeente)
    first_week, _ = periods.period_weeks(labels[0], kind)
    _, last_week = periods.period_weeks(labels[-1], kind)
    rows = concern_counts(gemeente=gemeente, first_week=first_week, last_week=last_week)
    known = {code for code, _ in buurten}
    extra = sorted({code for _, code, _, _ in rows} - known)
    if extra:  # a concern in a buurt of an older classification year still counts
        buurten = sorted(buurten + list(Area.objects.filter(code__in=extra)
                                        .values_list("code", "name")))
    column = {code: i for i, (code, _) in enumerate(buurten)}
    row = {theme: i for i, theme in enumerate(themes)}
    position = {label: i for i, label in enumerate(labels)}
    cube = np.zeros((len(labels), len(themes), len(buurten)), dtype=np.int64)
    for theme, code, monday, n in rows:
        cube[position[periods.period_of(monday, kind)], row[theme], column[code]] += n
    tables = []
    for label, counts in zip(labels, cube, strict=True):
        hidden, primary = _protected(counts, k)
        full = np.zeros((len(themes) + 1, len(buurten) + 1), dtype=np.int64)
        full[:-1, :-1] = counts
        full[:-1, -1] = counts.sum(axis=1)
        full[-1, :-1] = counts.sum(axis=0)
        full[-1, -1] = counts.sum()
        published = [[None if hidden[i, j] else int(full[i, j])
                      for j in range(full.shape[1])] for i in range(full.shape[0])]
        tables.append(PeriodTable(period=label, counts=published,
                                  primary=int(primary.sum()),
                                  secondary=int((hidden & ~primary).sum())))
    return EarlyWarning(gemeente=gemeente, period_kind=kind, k=k, themes=themes,
                        buurten=buurten, periods=tables)


def last_complete_period(*, kind: str, on: dt.date | None = None) -> str:
    """The newest period of ``kind`` that ended before the week of ``on`` (default
    today)."""
    on = on or today()
    monday = on - dt.timedelta(days=on.weekday())
    first, _ = periods.period_weeks(periods.period_of(monday, kind), kind)
    return periods.period_of(first - dt.timedelta(days=7), kind)


def first_concern_week(*, gemeente: str) -> dt.date | None:
    return (Concern.objects.filter(buurt__gemeentecode=gemeente).order_by("week_start")
            .values_list("week_start", flat=True).first())


def gemeenten_with_concerns() -> list[str]:
    return sorted(set(Concern.objects.values_list("buurt__gemeentecode", flat=True)))


def alerts(*, gemeente: str, week: str | None = None, k: int | None = None) -> list:
    """The alerts of a gemeente for the four weeks ending with ``week`` (default: the
    last complete week); see :mod:`wijkbalans.concerns.alerts` for the rule. For
    programme staff, analysts and administrators (``user_may_see_aggregates``)."""
    from .alerts import alerts as compute

    return compute(gemeente=gemeente, week=week, k=k)
