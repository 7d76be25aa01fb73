"""Residents: support and input from consultations, proposals and budget rounds.

In the area: the published consultations, visible proposals and budget rounds (not
drafts) that concern one of the plan's buurten (about the buurt, its wijk, its
municipality, or an area set holding it: the rule of ``participation.selectors``).
Linked to the plan: consultations on it (``Consultation.activity``), proposals that
became it (an outcome naming the plan, or a budget project from the proposal that became
it), budget projects that became it, and outcomes ("you said, we did") naming it.
A proposal is supported when its supports reach its own threshold; a budget project is
chosen when the counted round selected it. The rating:
:func:`wijkbalans.analysis.touchstone.residents_rating`.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_noop

from wijkbalans.analysis import touchstone as rules
from wijkbalans.areas import codes as area_codes

from .base import Context, CriterionResult, Reason, num, unknown

KEY = "residents"
APP = "wijkbalans.participation"


def _in_area(buurten) -> Q:
    """Items about one of ``buurten``, their wijk or municipality, or an area set holding
    one of them (``participation.selectors.area_filter`` for a set of buurten)."""
    around = set(buurten)
    around |= {area_codes.parent_of(b) for b in buurten} - {None}
    around |= {area_codes.gemeente_of(b) for b in buurten} - {None}
    return Q(area__code__in=sorted(around)) | Q(area_set__members__code__in=list(buurten))


def participation_facts(plan, context: Context) -> tuple[rules.ResidentFacts, dict]:
    """The counts of :class:`~wijkbalans.analysis.touchstone.ResidentFacts` and the items
    behind them (eight queries)."""
    from wijkbalans.participation import selectors as p
    from wijkbalans.participation.models import (
        BudgetProject,
        BudgetRound,
        Consultation,
        Proposal,
    )

    where = _in_area(context.buurten) if context.buurten else Q(pk__in=[])
    consultations = p.consultation_list(viewer=None)
    proposals = p.proposal_list(viewer=None)
    rounds = p.budget_round_list(viewer=None)
    in_area = {
        "consultations": consultations.filter(
            pk__in=Consultation.objects.filter(where).values("pk")).count(),
        "proposals": proposals.filter(pk__in=Proposal.objects.filter(where).values("pk"))
        .count(),
        "budget_rounds": rounds.filter(pk__in=BudgetRound.objects.filter(where).values("pk"))
        .count(),
    }
    consulted = [{"id": c.pk, "title": c.title, "comments": c.comment_count}
                 for c in consultations.filter(activity=plan).order_by("opens", "id")]
    linked = Proposal.objects.filter(Q(outcomes__activity=plan)
                                     | Q(budget_projects__activity=plan)).values("pk")
    proposed = [{"id": x.pk, "title": x.title, "supports": x.support_count,
                 "threshold": x.support_threshold, "status": x.status,
                 "reached": x.support_count >= x.support_threshold}
                for x in proposals.filter(pk__in=linked).order_by("created_at", "id")]
    projects = []
    for project in (BudgetProject.objects.filter(activity=plan).select_related("round")
                    .order_by("id")):
        counted = project.round.status == BudgetRound.Status.CLOSED
        projects.append({"id": project.pk, "title": project.title,
                         "round": project.round.title, "counted": counted,
                         "votes": project.votes, "selected": counted and project.selected,
                         "ballots": project.round.ballots.count() if counted else None})
    outcomes = p.outcome_timeline().filter(activity=plan).count()
    facts = rules.ResidentFacts(
        in_area=sum(in_area.values()),
        supported=sum(1 for x in proposed if x["reached"]),
        selected=sum(1 for x in projects if x["selected"]),
        not_selected=sum(1 for x in projects if x["counted"] and not x["selected"]),
        consulted=len(consulted),
        below_threshold=sum(1 for x in proposed if not x["reached"]),
        outcomes=outcomes)
    return facts, {"in_area": in_area, "consultations": consulted, "proposals": proposed,
                   "budget_projects": projects, "outcomes": outcomes}


def assess(plan, context: Context) -> CriterionResult:
    if not apps.is_installed(APP):
        return unknown(KEY, gettext_noop("No participation data."))
    facts, data = participation_facts(plan, context)
    rating = rules.residents_rating(facts)
    area = data["in_area"]
    counts = {"consultations": num(area["consultations"]), "proposals": num(area["proposals"]),
              "rounds": num(area["budget_rounds"])}
    if rating == rules.UNKNOWN:
        return unknown(KEY, gettext_noop("No participation data: no consultation, proposal "
                                         "or budget round concerns the plan's area."), **data)
    if facts.supported:
        best = max((x for x in data["proposals"] if x["reached"]),
                   key=lambda x: x["supports"])
        reason = Reason(gettext_noop(
            "Residents asked for it: the proposal \"%(title)s\" has %(supports)s supports "
            "(%(threshold)s needed) and led to this plan."),
            {"title": best["title"], "supports": num(best["supports"]),
             "threshold": num(best["threshold"])})
    elif facts.selected:
        best = next(x for x in data["budget_projects"] if x["selected"])
        reason = Reason(gettext_noop(
            "Residents chose it: the project \"%(title)s\" was selected in the budget round "
            "\"%(round)s\" with %(votes)s votes."),
            {"title": best["title"], "round": best["round"], "votes": num(best["votes"])})
    elif facts.not_selected:
        worst = next(x for x in data["budget_projects"]
                     if x["counted"] and not x["selected"])
        reason = Reason(gettext_noop(
            "Residents chose other projects: \"%(title)s\" was not selected in the budget "
            "round \"%(round)s\" (%(votes)s votes of %(ballots)s ballots)."),
            {"title": worst["title"], "round": worst["round"], "votes": num(worst["votes"]),
             "ballots": num(worst["ballots"])})
    elif rating == rules.ADEQUATE:
        comments = sum(x["comments"] for x in data["consultations"])
        reason = Reason(gettext_noop(
            "Residents were involved: %(consulted)s consultation(s) on the plan with "
            "%(comments)s comments, %(proposals)s proposal(s) below their support "
            "threshold, %(outcomes)s outcome(s) naming the plan."),
            {"consulted": num(facts.consulted), "comments": num(comments),
             "proposals": num(facts.below_threshold), "outcomes": num(facts.outcomes)})
    else:
        reason = Reason(gettext_noop(
            "Residents have not been asked about this plan: %(consultations)s "
            "consultation(s), %(proposals)s proposal(s) and %(rounds)s budget round(s) in "
            "the area, none of them about it."), counts)
    return CriterionResult(KEY, rating, reason, data)
