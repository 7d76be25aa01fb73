"""Coherence: overlap or gap with what other programmes already do in the same area and
theme.

Read from the coherence view (``programmes.coherence.coherence_matrix``) of each of the
plan's municipalities for the year the plan starts, as the programme bureau sees it
(every activity, with money). The plan's cells are its buurten × its themes that are
index domains. In each cell, *others* are the activities outside the plan's own line of
the register (the plan, its parts and the activities above it); *other programmes* are
their top-level programmes except the plan's own. A cell is a gap when it is in the
worst fifth of the city on the theme and no other activity works there, or the coherence
view flags it as high need, low effort (money per inhabitant below the theme's median).
The rating: :func:`wijkbalans.analysis.touchstone.coherence_rating`.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.programmes import coherence as coherence_view
from wijkbalans.programmes.errors import ProgrammeError

from .base import Context, CriterionResult, Reason, num, pct, themes, unknown

KEY = "coherence"


class BureauReader:
    """Reads the coherence view as the programme bureau does: every activity and the
    money. Used only to compute, never to authorise: what a reader sees of the result is
    decided by :mod:`wijkbalans.touchstone.selectors`."""

    is_authenticated = True
    is_superuser = True
    pk = None


def plan_cells(plan, context: Context) -> tuple[list[rules.CellFacts], dict]:
    aimed = [t for t in dict.fromkeys(plan.themes or []) if t in coherence_view.DOMAINS]
    facts, rows, sources = [], [], []
    wanted = set(context.buurten)
    for gemeente in context.gemeenten:
        matrix = coherence_view.coherence_matrix(gemeente=gemeente, year=context.year,
                                                 user=BureauReader())
        known = matrix.source != coherence_view.SOURCE_NONE
        sources.append({"gemeente": gemeente, "source": matrix.source,
                        "period": matrix.period})
        for row in matrix.rows:
            if row.code not in wanted:
                continue
            for cell in row.cells:
                if cell.theme not in aimed:
                    continue
                others = [a for a in cell.activities if a.code not in context.lineage]
                programmes = sorted({a.programme for a in others} - {context.root})
                fact = rules.CellFacts(buurt=row.code, theme=cell.theme,
                                       worst=cell.worst if known else None,
                                       others=len(others), other_programmes=len(programmes),
                                       flagged=cell.high_need_low_effort)
                facts.append(fact)
                rows.append({"buurt": row.code, "name": row.name, "theme": cell.theme,
                             "severity": None if cell.severity is None
                             else round(cell.severity, 4),
                             "worst_fifth": fact.worst, "others": [a.code for a in others],
                             "other_programmes": programmes, "gap": fact.gap,
                             "duplicate": fact.duplicate})
    return facts, {"year": context.year, "themes": aimed, "severity": sources,
                   "cells": rows}


def assess(plan, context: Context) -> CriterionResult:
    if not context.buurten:
        return unknown(KEY, gettext_noop("The plan names no area, nor does any part of the "
                                         "register above it."))
    try:
        facts, data = plan_cells(plan, context)
    except ProgrammeError as error:
        return unknown(KEY, gettext_noop("The coherence view could not be read: "
                                         "%(error)s"), {"error": error.message})
    finding = rules.coherence_rating(facts)
    data.update(gaps=[list(g) for g in finding.gaps],
                duplicates=[list(d) for d in finding.duplicates],
                duplicate_share=finding.duplicate_share,
                thresholds={"programmes": rules.DUPLICATE_PROGRAMMES,
                            "share": rules.DUPLICATE_SHARE})
    if not facts:
        return unknown(KEY, gettext_noop("None of the plan's themes is a domain of the "
                                         "coherence view (%(domains)s)."),
                       {"domains": themes(coherence_view.DOMAINS)}, **data)
    params = {"cells": num(finding.cells), "gaps": num(len(finding.gaps)),
              "duplicates": num(len(finding.duplicates)),
              "share": pct(finding.duplicate_share, 0), "year": str(context.year),
              "programmes": num(rules.DUPLICATE_PROGRAMMES)}
    if finding.rating == rules.STRONG:
        text = gettext_noop(
            "It fills a gap: %(gaps)s of its %(cells)s buurt-theme cells are high need and "
            "low effort in %(year)s; in %(duplicates)s of them (%(share)s) at least "
            "%(programmes)s other programmes work already.")
    elif finding.rating == rules.WEAK:
        text = gettext_noop(
            "It repeats what others do: in %(duplicates)s of its %(cells)s buurt-theme "
            "cells (%(share)s) at least %(programmes)s other programmes work already in "
            "%(year)s, and none is a high-need, low-effort gap.")
    elif finding.rating == rules.UNKNOWN:
        text = gettext_noop(
            "The severity of the problems in its buurten is not known, so no gap can be "
            "found; in %(duplicates)s of its %(cells)s cells at least %(programmes)s other "
            "programmes work already.")
    else:
        text = gettext_noop(
            "Neither a clear gap nor a duplicate in %(year)s: %(gaps)s of its %(cells)s "
            "buurt-theme cells are high need and low effort, and in %(duplicates)s of them "
            "(%(share)s) at least %(programmes)s other programmes work already.")
    return CriterionResult(KEY, finding.rating, Reason(text, params), data)
