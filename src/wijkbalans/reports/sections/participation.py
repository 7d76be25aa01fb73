"""Resident participation in aggregate: consultations, proposals, neighbourhood budget
rounds and "you said, we did" in the area set during the report's period, as the public
pages show them (``participation.selectors`` with no viewer: published consultations,
visible proposals, rounds that are not drafts).

What concerns the area set is what those pages list for any of its buurten (the
selectors' ``area_filter``: items about a buurt, its wijk, its municipality, or an area
set holding it). An item counts in the period by its date: a consultation when it
opened, a proposal when it was made, a budget round when voting closed, an outcome when
it was published. When nothing was recorded, the section says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import reduce
from operator import or_

from django.utils import timezone

from . import Context


def _span(period: str) -> tuple[dt.datetime, dt.datetime]:
    """The period as [start, end) in the site's time zone."""
    year = int(period[:4])
    if "-Q" in period:
        quarter = int(period[-1])
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time(), zone), dt.datetime.combine(end, dt.time(),
                                                                             zone))


def collect(ctx: Context) -> dict:
    try:
        from wijkbalans.participation import selectors as participation
        from wijkbalans.participation.models import Outcome, Proposal
    except ImportError:
        return {"available": False, "rows": []}
    if not hasattr(participation, "area_filter"):
        return {"available": False, "rows": []}
    where = reduce(or_, (participation.area_filter(code) for code in ctx.members))
    start, end = _span(ctx.period)

    def here(qs):
        # A subquery rather than a join: an item in several matching areas stays one row.
        return qs.filter(pk__in=qs.model.objects.filter(where).values("pk"))

    consultations = list(here(participation.consultation_list(viewer=None))
                         .filter(opens__gte=start, opens__lt=end))
    proposals = list(here(participation.proposal_list(viewer=None))
                     .filter(created_at__gte=start, created_at__lt=end))
    outcomes = list(here(participation.outcome_timeline())
                    .filter(published_at__gte=start, published_at__lt=end))
    rounds = []
    for budget_round in here(participation.budget_round_list(viewer=None)).filter(
            status="closed", closes__gte=start, closes__lt=end).order_by("closes", "id"):
        tally = participation.budget_round_tally(budget_round=budget_round)
        rounds.append({"title": budget_round.title, "budget": tally.budget,
                       "ballots": tally.ballots, "allocated": tally.allocated,
                       "projects": len(tally.rows), "selected": len(tally.winners)})
    rows = [
        {"key": "consultations", "count": len(consultations),
         "detail": sum(c.comment_count for c in consultations)},
        {"key": "proposals", "count": len(proposals),
         "detail": sum(p.support_count for p in proposals),
         "adopted": sum(1 for p in proposals if p.status == Proposal.Status.ADOPTED)},
        {"key": "rounds", "count": len(rounds),
         "detail": sum(r["ballots"] for r in rounds)},
        {"key": "outcomes", "count": len(outcomes),
         "detail": sum(1 for o in outcomes if o.activity_id),
         "adopted": sum(1 for o in outcomes if o.status in (Outcome.Status.ADOPTED,
                                                            Outcome.Status.PARTLY))},
    ]
    recorded = any(r["count"] for r in rows)
    return {"available": True, "rows": rows if recorded else [], "rounds": rounds,
            "allocated": sum((r["allocated"] for r in rounds), Decimal("0")),
            "start": start.date(), "end": (end - dt.timedelta(days=1)).date()}
