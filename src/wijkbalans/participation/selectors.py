"""Reads of resident participation, for the pages and the API. Lists run in a fixed number
of queries, whatever their length.

An ``area`` filter (a CBS code) finds what concerns that area: items about the area
itself, about an area that holds it (its wijk, its municipality), about an area inside it
(a buurt of a wijk), and about an area set with a buurt in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wijkbalans.areas import codes

from . import permissions
from .models import (
    Ballot,
    BudgetProject,
    BudgetRound,
    Comment,
    Consultation,
    Outcome,
    Proposal,
    Support,
)
from .services._common import lives_in
from .tally import Votes, winners

HIDDEN_TEXT = gettext_noop("Hidden by the moderator.")
PROPOSAL_STATUSES = tuple(Proposal.Status.values)


def hidden_text() -> str:
    return _(HIDDEN_TEXT)


def round_phase(budget_round: BudgetRound, at=None) -> str:
    """``draft``, ``upcoming``, ``open`` or ``closed`` (closed once past ``closes``, even
    before somebody closes the round and counts)."""
    if budget_round.status in (BudgetRound.Status.DRAFT, BudgetRound.Status.CLOSED):
        return budget_round.status
    at = at or timezone.now()
    if at < budget_round.opens:
        return "upcoming"
    return "open" if at < budget_round.closes else "closed"


def area_filter(code: str) -> Q:
    """Items (with ``area`` and ``area_set``) that concern the area ``code``."""
    code = codes.normalise(code)
    level = codes.level_of(code)
    around = {code, codes.parent_of(code) or code, codes.gemeente_of(code) or code}
    q = Q(area__code__in=around)
    if level == codes.BUURT:
        q |= Q(area_set__members__code=code)
    elif level == codes.WIJK:
        q |= Q(area__parent__code=code) | Q(area_set__members__parent__code=code)
    elif level == codes.GEMEENTE:
        q |= Q(area__gemeentecode=code) | Q(area_set__members__gemeentecode=code)
    return q


def _filtered(qs: QuerySet, area_code: str | None) -> QuerySet:
    if not area_code:
        return qs
    # A subquery rather than a join: an item in several matching area sets stays one row.
    return qs.filter(pk__in=qs.model.objects.filter(area_filter(area_code)).values("pk"))


# -- residents --------------------------------------------------------------------------

def resident_profile(*, user):
    return permissions.resident_profile_of(user)


def resident_may_vote(*, user, budget_round: BudgetRound) -> bool:
    """The voting rule: a verified resident whose postcode lies (partly) in the area."""
    profile = permissions.resident_profile_of(user)
    return bool(permissions.is_resident(user)
                and lives_in(profile, budget_round.area, budget_round.area_set))


# -- consultations and comments ---------------------------------------------------------

def consultation_list(*, viewer=None, area_code: str | None = None) -> QuerySet:
    qs = Consultation.objects.select_related("area", "area_set", "activity").annotate(
        comment_count=Count("comments", filter=Q(comments__visibility="visible")))
    if not permissions.is_moderator(viewer):
        qs = qs.filter(status=Consultation.Status.PUBLISHED)
    return _filtered(qs, area_code)


def consultation_get(*, pk: int, viewer=None) -> Consultation | None:
    return consultation_list(viewer=viewer).filter(pk=pk).first()


@dataclass(frozen=True)
class CommentView:
    """A comment as ``viewer`` sees it: a hidden comment's text and reason only for its
    author and the moderators; for others, "Hidden by the moderator"."""

    id: int
    text: str
    hidden: bool
    reason: str
    author_label: str
    official: bool
    own: bool
    created_at: object


def _author_label(comment: Comment) -> str:
    if comment.official:
        return _("Municipality")
    profile = getattr(comment.author, "resident_profile", None)
    if profile is not None and profile.buurt is not None:
        return _("Resident of %(buurt)s") % {"buurt": profile.buurt.name}
    return _("Resident")


def comment_views(*, viewer=None, consultation: Consultation | None = None,
                  proposal: Proposal | None = None) -> list[CommentView]:
    qs = Comment.objects.select_related("author__resident_profile__buurt")
    qs = qs.filter(consultation=consultation) if consultation else qs.filter(proposal=proposal)
    viewer_id = getattr(viewer, "pk", None)
    moderator = permissions.is_moderator(viewer)
    views = []
    for c in qs.order_by("created_at", "id"):
        hidden = c.visibility == Comment.Visibility.HIDDEN
        may_read = not hidden or moderator or c.author_id == viewer_id
        views.append(CommentView(
            id=c.pk, text=c.text if may_read else hidden_text(), hidden=hidden,
            reason=c.moderation_reason if hidden and may_read else "",
            author_label=_author_label(c), official=c.official,
            own=viewer_id is not None and c.author_id == viewer_id, created_at=c.created_at))
    return views


def comment_get(*, pk: int) -> Comment | None:
    return Comment.objects.filter(pk=pk).first()


# -- proposals --------------------------------------------------------------------------

def proposal_list(*, viewer=None, area_code: str | None = None,
                  status: str | None = None) -> QuerySet:
    """Proposals with ``support_count``; hidden ones only for their author and the
    moderators."""
    qs = Proposal.objects.select_related("area", "area_set").annotate(
        support_count=Count("supports"))
    if not permissions.is_moderator(viewer):
        mine = Q(author_id=viewer.pk) if getattr(viewer, "pk", None) else Q(pk__in=[])
        qs = qs.filter(Q(visibility=Proposal.Visibility.VISIBLE) | mine)
    if status:
        qs = qs.filter(status=status)
    return _filtered(qs, area_code)


def proposal_get(*, pk: int, viewer=None) -> Proposal | None:
    """One proposal with ``support_count`` and ``supported`` (by the viewer)."""
    proposal = proposal_list(viewer=viewer).filter(pk=pk).first()
    if proposal is not None:
        proposal.supported = bool(getattr(viewer, "pk", None)) and Support.objects.filter(
            proposal=proposal, resident_id=viewer.pk).exists()
    return proposal


# -- budget rounds ----------------------------------------------------------------------

def budget_round_list(*, viewer=None, area_code: str | None = None) -> QuerySet:
    """Published and closed rounds (drafts too for moderators), with ``project_count``."""
    qs = BudgetRound.objects.select_related("area", "area_set").annotate(
        project_count=Count("projects"))
    if not permissions.is_moderator(viewer):
        qs = qs.exclude(status=BudgetRound.Status.DRAFT)
    return _filtered(qs, area_code)


def budget_round_get(*, pk: int, viewer=None) -> BudgetRound | None:
    return budget_round_list(viewer=viewer).select_related(
        "programme", "source").filter(pk=pk).first()


def budget_round_for_ballot(*, pk: int) -> BudgetRound | None:
    """The round with its area, without counts: what casting a ballot needs (the
    service re-reads its state under a lock)."""
    return (BudgetRound.objects.select_related("area", "area_set")
            .exclude(status=BudgetRound.Status.DRAFT).filter(pk=pk).first())


def budget_projects(*, budget_round: BudgetRound) -> list[BudgetProject]:
    return list(budget_round.projects.select_related("activity").order_by("id"))


def ballot_of(*, budget_round: BudgetRound, user) -> Ballot | None:
    """The user's ballot in the round with its chosen projects, or None."""
    if not getattr(user, "pk", None):
        return None
    choices = Prefetch("choices__project", queryset=BudgetProject.objects.order_by("id"))
    return (Ballot.objects.filter(round=budget_round, resident_id=user.pk)
            .prefetch_related(choices).first())


@dataclass(frozen=True)
class TallyRow:
    project: BudgetProject
    votes: int
    selected: bool


@dataclass(frozen=True)
class Tally:
    rows: list[TallyRow]          # in ranking order: most votes, then lower cost, then id
    ballots: int
    budget: Decimal
    allocated: Decimal            # the cost of the selected projects

    @property
    def winners(self) -> list[BudgetProject]:
        return [r.project for r in self.rows if r.selected]


def budget_round_tally(*, budget_round: BudgetRound) -> Tally:
    """Votes per project (one aggregate query), ballots (one count) and the winners by the
    greedy rule (:mod:`.tally`)."""
    projects = list(BudgetProject.objects.filter(round=budget_round)
                    .annotate(vote_count=Count("choices")).order_by("id"))
    ballots = Ballot.objects.filter(round=budget_round).count()
    votes = [Votes(p.pk, p.cost, p.vote_count) for p in projects]
    chosen = set(winners(votes, budget=budget_round.total_budget,
                         max_projects=budget_round.max_projects))
    by_id = {p.pk: p for p in projects}
    rows = [TallyRow(by_id[v.id], v.votes, v.id in chosen)
            for v in sorted(votes, key=lambda v: (-v.votes, v.cost, v.id))]
    allocated = sum((by_id[i].cost for i in chosen), Decimal("0"))
    return Tally(rows=rows, ballots=ballots, budget=budget_round.total_budget,
                 allocated=allocated)


def results_visible(*, budget_round: BudgetRound, viewer=None) -> bool:
    """Votes are published when the round closes; those who run it see them live."""
    return (budget_round.status == BudgetRound.Status.CLOSED
            or permissions.may_run_round(viewer, budget_round.programme))


# -- outcomes and moderation ------------------------------------------------------------

def outcome_timeline(*, area_code: str | None = None) -> QuerySet:
    """Outcomes newest first, with their subject and activity (one query)."""
    qs = Outcome.objects.select_related("consultation", "proposal", "project",
                                        "project__round", "activity", "area", "area_set")
    return _filtered(qs, area_code)


def outcomes_of(*, consultation=None, proposal=None, project=None) -> QuerySet:
    qs = Outcome.objects.select_related("activity")
    if consultation is not None:
        return qs.filter(consultation=consultation)
    if proposal is not None:
        return qs.filter(proposal=proposal)
    return qs.filter(project=project)


def moderation_queue(*, limit: int = 200) -> list[Comment | Proposal]:
    """Items nobody reviewed yet and items flagged since their review: most flags first,
    then oldest first (two queries)."""
    waiting = Q(reviewed_at__isnull=True) | Q(flagged_at__gt=F("reviewed_at"))
    comments = list(Comment.objects.filter(waiting).select_related(
        "consultation", "proposal").order_by("-flag_count", "created_at")[:limit])
    proposals = list(Proposal.objects.filter(waiting).order_by(
        "-flag_count", "created_at")[:limit])
    items = sorted(comments + proposals, key=lambda i: (-i.flag_count, i.created_at))
    return items[:limit]
