"""Casting a ballot in a budget round: once per resident, within the budget, only by the
area's residents, only while voting is open.

Built for many ballots at once (docs/participation.md, "Ballots under load"): a ballot is
a handful of queries and takes no lock that makes ballots wait for each other.

- *Once*: the database's unique constraint on (round, resident) decides. Two ballots of
  one resident at the same moment: the second insert waits for the first transaction and
  then fails; the IntegrityError becomes :class:`AlreadyDone`. No read-then-write race.
- *While open*: the round's row is read ``FOR SHARE`` (PostgreSQL). Shared locks do not
  conflict with each other, so ballots run side by side; closing the round takes ``FOR
  UPDATE``, which waits for ballots in flight (they are counted) and makes every later
  ballot read the round as closed (it is refused). On SQLite, writing transactions run
  one at a time anyway.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record

from .. import ratelimit
from ..errors import AlreadyDone, ParticipationError
from ..formatting import format_eur_active
from ..models import Ballot, BallotChoice, BudgetProject, BudgetRound
from . import _common as common

MAX_CHOICES = 200


def _project_ids(values) -> list[int]:
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        raise ParticipationError(_("Expected a list of project numbers."), field="projects")
    ids = []
    for value in values:
        if isinstance(value, bool) or not str(value).strip().isdigit():
            raise ParticipationError(_("Expected a list of project numbers; found %(value)r.")
                                     % {"value": value}, field="projects")
        ids.append(int(value))
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ParticipationError(_("Choose at least one project."), field="projects")
    if len(ids) > MAX_CHOICES:
        raise ParticipationError(_("Choose at most %(max)d projects.") % {"max": MAX_CHOICES},
                                 field="projects")
    return ids


def _round_for_ballot(pk: int) -> BudgetRound | None:
    """The round's state, read under a shared row lock on PostgreSQL."""
    table = connection.ops.quote_name(BudgetRound._meta.db_table)
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    rows = list(BudgetRound.objects.raw(
        f"SELECT id, status, opens, closes, total_budget, max_projects FROM {table} "  # noqa: S608
        f"WHERE id = %s{lock}", [pk]))
    return rows[0] if rows else None


def _check_open(state: BudgetRound | None) -> None:
    if state is None or state.status == BudgetRound.Status.DRAFT:
        raise ParticipationError(_("There is no such budget round."), field="round")
    stamp = common.now()
    if state.status == BudgetRound.Status.CLOSED or stamp >= state.closes:
        raise ParticipationError(_("Voting in this round has closed."), field="round")
    if stamp < state.opens:
        raise ParticipationError(_("Voting in this round has not started yet."),
                                 field="round")


def _check_choice(state: BudgetRound, ids: list[int], costs: dict) -> None:
    missing = [str(i) for i in ids if i not in costs]
    if missing:
        raise ParticipationError(_("These projects are not on this ballot: %(ids)s.")
                                 % {"ids": ", ".join(missing)}, field="projects")
    if state.max_projects is not None and len(ids) > state.max_projects:
        raise ParticipationError(_("Choose at most %(max)d projects; you chose %(count)d.")
                                 % {"max": state.max_projects, "count": len(ids)},
                                 field="projects")
    total = sum(costs.values())
    # The amounts in the notation of the message's language (the page and the API agree).
    if total > state.total_budget:
        raise ParticipationError(
            _("The projects you chose cost %(total)s together; the budget is %(budget)s. "
              "Choose projects that fit within the budget.")
            % {"total": format_eur_active(total),
               "budget": format_eur_active(state.total_budget)},
            field="projects")


def ballot_cast(*, acting_user, budget_round: BudgetRound, project_ids,
                ip: str | None = None) -> Ballot:
    """Cast the resident's ballot for ``project_ids`` (ids of projects of the round).
    The returned ballot carries ``project_ids`` and ``total`` (the cost of the choice)."""
    profile = common.require_resident(acting_user)
    ids = _project_ids(project_ids)
    common.require_lives_in(profile, budget_round)
    ratelimit.hit("ballot", user_id=acting_user.pk, ip=ip)
    try:
        with transaction.atomic():
            state = _round_for_ballot(budget_round.pk)
            _check_open(state)
            costs = dict(BudgetProject.objects.filter(round_id=state.pk, pk__in=ids)
                         .values_list("pk", "cost"))
            _check_choice(state, ids, costs)
            ballot = Ballot.objects.create(round_id=state.pk, resident=acting_user)
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=ballot, project_id=i) for i in ids])
            # What was chosen stays in the ballot table, read only by the tally; the
            # audit log records that the resident voted, not for what.
            audit_record(acting_user=acting_user, action="participation.ballot.cast",
                         obj=ballot, object_repr=f"ballot in round {state.pk}",
                         after={"id": ballot.pk, "round": state.pk, "resident": acting_user.pk,
                                "choices": len(ids)})
    except IntegrityError:
        raise AlreadyDone(_("You have already voted in this round. Every resident votes "
                            "once."), field="round") from None
    ballot.project_ids, ballot.total = ids, sum(costs.values())
    return ballot
