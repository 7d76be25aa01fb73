"""The effect evaluations of the area set that have finished: the estimate with its
interval, the verdict and its caveats, in the words of the evaluation's own page
(``evaluations.presentation``). Evaluations still queued or failed are counted, not shown.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wijkbalans.evaluations import presentation as show
from wijkbalans.evaluations import selectors as evaluations
from wijkbalans.evaluations.models import Evaluation

from . import Context


def collect(ctx: Context) -> dict:
    listed = evaluations.evaluation_list().filter(area_set=ctx.area_set)
    done = listed.filter(status=Evaluation.Status.DONE).defer(None).defer("panel")
    items = []
    for evaluation in done.order_by("created_at", "id"):
        names = evaluations.indicator_names(code=evaluation.outcome)
        decimals = names[2] if names else 1
        outcome = (names[1] if ctx.lang == "en" else names[0]) if names else evaluation.outcome
        ctx.indicators.add(evaluation.outcome)
        result = evaluation.result or {}
        verdict = show.verdict(result)
        items.append({
            "id": evaluation.pk, "title": evaluation.title, "outcome": outcome,
            "unit": names[3] if names else "", "start": evaluation.start_period,
            "method": str(Evaluation.Method(evaluation.method).label),
            "activity": evaluation.activity_ref,
            "finished": evaluation.finished_at.date() if evaluation.finished_at else None,
            "summary": [[label, text] for label, text in show.summary(result, decimals)],
            "verdict": {"code": verdict["code"], "label": verdict["label"],
                        "text": verdict["text"],
                        "issues": [{"text": i["text"], "blocking": i["blocking"]}
                                   for i in verdict["issues"]]},
            "panel_sha256": evaluation.panel_sha256,
        })
    pending = listed.exclude(status=Evaluation.Status.DONE)
    return {"evaluations": items,
            "pending": pending.filter(status__in=[Evaluation.Status.QUEUED,
                                                  Evaluation.Status.RUNNING]).count(),
            "failed": pending.filter(status=Evaluation.Status.FAILED).count(),
            "note": _("Only finished evaluations are reported; an evaluation compares the "
                      "programme area with comparable areas without the programme.")}
