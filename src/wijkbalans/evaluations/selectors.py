"""Reads of the evaluations app, each in a fixed number of queries.

:func:`evaluation_panel` is the bridge from the store to the analysis: it reads the
outcome of every area at the donor level in **one** query
(:func:`wijkbalans.indicators.selectors.observation_long`) and pivots it to the stored
panel form of :mod:`.compute`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.db.models import QuerySet

from wijkbalans.accounts.selectors import user_has_role
from wijkbalans.analysis.effects.panel import wide_panel
from wijkbalans.areas import selectors as area_selectors
from wijkbalans.indicators import selectors as indicator_selectors

from .compute import panel_from_wide
from .models import Evaluation

# Who may define evaluations and check them again.
EDITOR_ROLES = frozenset({"admin", "programme_staff", "analyst"})

def evaluation_list() -> QuerySet[Evaluation]:
    """Evaluations, newest first, with the area set and creator joined (one query), without
    their panel and result."""
    return (Evaluation.objects.select_related("area_set", "created_by")
            .defer("panel", "result").order_by("-created_at", "-id"))


def evaluation_get(*, pk: int) -> Evaluation | None:
    return (Evaluation.objects.select_related("area_set", "created_by")
            .filter(pk=pk).first())


def evaluation_next_queued_id() -> int | None:
    """The oldest queued evaluation, the one a worker takes first."""
    return (Evaluation.objects.filter(status=Evaluation.Status.QUEUED)
            .order_by("created_at", "id").values_list("id", flat=True).first())


def area_set_member_codes(*, slugs: Iterable[str]) -> list[str]:
    """The buurtcodes in any of the area sets ``slugs`` (one query), sorted."""
    slugs = list(slugs)
    if not slugs:
        return []
    codes = (area_selectors.area_list().filter(area_sets__slug__in=slugs)
             .values_list("code", flat=True).distinct())
    return sorted(codes)


def area_names(*, codes: Iterable[str]) -> dict[str, str]:
    """Code to name for ``codes`` (one query)."""
    return dict(area_selectors.area_list().filter(code__in=list(codes))
                .values_list("code", "name"))


def evaluation_panel(*, outcome: str, level: str, first_period: str | None = None,
                     last_period: str | None = None,
                     municipalities: Iterable[str] = (), keep: Iterable[str] = ()) -> dict:
    """The outcome of every area at ``level`` as a stored panel (see :mod:`.compute`).

    One query. Periods outside ``first_period``..``last_period`` are left out (periods of
    one kind sort in time order as text). ``municipalities`` (gemeentecodes), when given,
    keeps only areas in them, plus the areas in ``keep`` (the treated areas). Missing and
    suppressed figures are null.
    """
    frame = indicator_selectors.observation_long(indicators=[outcome], level=level)
    if first_period:
        frame = frame[frame["period"] >= first_period]
    if last_period:
        frame = frame[frame["period"] <= last_period]
    municipalities = {m.strip().upper() for m in municipalities if m.strip()}
    if municipalities:
        # A CBS code holds its municipality: BU0014xxxx and WK0014xx lie in GM0014.
        inside = ("GM" + frame["area"].str.slice(2, 6)).isin(municipalities)
        frame = frame[inside | frame["area"].isin(list(keep))]
    panel = wide_panel(frame, unit="area", time="period", outcome="value")
    return panel_from_wide(replace(panel, outcome=outcome), level=level)


def indicator_names(*, code: str) -> tuple[str, str, int, str] | None:
    """``(name_nl, name_en, decimals, unit)`` of a stored indicator, or None."""
    indicator = indicator_selectors.indicator_get(code=code)
    if indicator is None:
        return None
    return (indicator.name_nl, indicator.name_en or indicator.name_nl, indicator.decimals,
            indicator.unit)


def evaluation_user_may_define(*, user) -> bool:
    """Whether ``user`` may define (and check) evaluations: admin, programme staff or
    analyst."""
    return bool(getattr(user, "is_authenticated", False)
                and user_has_role(user=user, roles=EDITOR_ROLES))
