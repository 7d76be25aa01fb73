"""Neighbourhood budget rounds: setting one up, its projects, publishing and closing.

The programme staff of the organisation that owns the round's programme run the round
(``permissions.may_run_round``). While a round is a draft its budget, dates and projects
may change; once published, residents vote from ``opens`` until ``closes``
(``ballots.ballot_cast``), and nothing on the ballot changes any more.

Closing (:func:`budget_round_close`, after ``closes``) counts the votes in one aggregate
query, selects the winners by the greedy rule of :mod:`..tally`, and for each winner
creates an intervention in the programme register under the round's programme (owner:
the programme's owner; areas: the round's area or area set), a budget line of its cost
on the round's funding source in the round's year, and an outcome linking the project
(and the proposal it came from) to the activity. Every other project gets an outcome "not
adopted" saying why. All of it happens in one transaction, or none of it.

The budget line: the closing user is programme staff, usually without the finance role
that ``programmes.services.money.budget_line_create`` asks. The budget was decided when
the round was set up with its funding source, and the residents' choice within it is
binding; so when the closing user is not a finance officer of the owner, the line is
written by the system on their behalf, audited with actor "system" and the closing
user's id in ``after.on_behalf_of``. A user who is (or an administrator) goes through
``budget_line_create`` itself.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.charts.numbers import format_date
from wijkbalans.programmes import permissions as programme_rules
from wijkbalans.programmes.errors import ProgrammeError
from wijkbalans.programmes.models import Activity, BudgetLine, FundingSource
from wijkbalans.programmes.services.money import budget_line_create
from wijkbalans.programmes.services.register import activity_create

from .. import permissions
from ..errors import ParticipationError, PermissionRefused
from ..formatting import format_eur, format_eur_active
from ..models import BudgetProject, BudgetRound, Proposal
from . import _common as common
from .outcomes import outcome_write

ROUND_FIELDS = ("title", "description", "total_budget", "max_projects", "opens", "closes",
                "year", "source")
PROJECT_FIELDS = ("title", "description", "cost")


def _require_runner(acting_user, programme) -> None:
    if not permissions.may_run_round(acting_user, programme):
        raise PermissionRefused(_("Only programme staff of %(owner)s, which owns the "
                                  "programme, may run this budget round.")
                                % {"owner": programme.owner})


def _require_draft(budget_round: BudgetRound) -> None:
    if budget_round.status != BudgetRound.Status.DRAFT:
        raise ParticipationError(_("This budget round is published; its budget, dates and "
                                   "projects can no longer change."), field="status")


def _year(value, source: FundingSource) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = None
    if year is None or isinstance(value, bool) or not 1990 <= year <= 2100:
        raise ParticipationError(_("Expected a year such as 2026."), field="year")
    if year < source.start_year or (source.end_year is not None and year > source.end_year):
        raise ParticipationError(_("The funding source %(source)s does not run in "
                                   "%(year)d.") % {"source": source.name, "year": year},
                                 field="year")
    return year


def _max_projects(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).strip().isdigit() or int(value) < 1:
        raise ParticipationError(_("Expected a whole number from 1, or nothing."),
                                 field="max_projects")
    return int(value)


def _audit(action: str, obj, acting_user, before=None) -> None:
    audit_record(acting_user=acting_user, action=f"participation.{action}", obj=obj,
                 before=before, after=snapshot(obj))


@transaction.atomic
def budget_round_create(*, acting_user, title: str, total_budget, opens, closes, year,
                        programme: Activity, source: FundingSource, area_code: str = "",
                        area_set_slug: str = "", description: str = "",
                        max_projects=None) -> BudgetRound:
    _require_runner(acting_user, programme)
    area, area_set = common.place(area_code, area_set_slug)
    opens, closes = common.period(opens, closes)
    budget_round = BudgetRound.objects.create(
        area=area, area_set=area_set, title=common.text(title, field="title", max_length=200),
        description=common.text(description, field="description", max_length=5000,
                                min_length=0),
        total_budget=common.euros(total_budget, field="total_budget"),
        max_projects=_max_projects(max_projects), opens=opens, closes=closes,
        year=_year(year, source), programme=programme, source=source,
        created_by=acting_user)
    _audit("budget_round.create", budget_round, acting_user)
    return budget_round


@transaction.atomic
def budget_round_update(*, acting_user, budget_round: BudgetRound,
                        **changes) -> BudgetRound:
    """Change a draft round: any of title, description, total_budget, max_projects,
    opens, closes, year, source."""
    _require_runner(acting_user, budget_round.programme)
    unknown = sorted(set(changes) - set(ROUND_FIELDS))
    if unknown:
        raise ParticipationError(_("This cannot be changed: %(fields)s.")
                                 % {"fields": ", ".join(unknown)}, field=unknown[0])
    current = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    _require_draft(current)
    before = snapshot(current)
    if "title" in changes:
        current.title = common.text(changes["title"], field="title", max_length=200)
    if "description" in changes:
        current.description = common.text(changes["description"], field="description",
                                          max_length=5000, min_length=0)
    if "total_budget" in changes:
        current.total_budget = common.euros(changes["total_budget"], field="total_budget")
    if "max_projects" in changes:
        current.max_projects = _max_projects(changes["max_projects"])
    if "opens" in changes or "closes" in changes:
        current.opens, current.closes = common.period(changes.get("opens", current.opens),
                                                      changes.get("closes", current.closes))
    current.source = changes.get("source", current.source)
    if "year" in changes or "source" in changes:
        current.year = _year(changes.get("year", current.year), current.source)
    current.save()
    _audit("budget_round.update", current, acting_user, before)
    return current


@transaction.atomic
def budget_project_add(*, acting_user, budget_round: BudgetRound, title: str, cost,
                       description: str = "", proposal: Proposal | None = None
                       ) -> BudgetProject:
    _require_runner(acting_user, budget_round.programme)
    current = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    _require_draft(current)
    project = BudgetProject.objects.create(
        round=current, title=common.text(title, field="title", max_length=200),
        description=common.text(description, field="description", max_length=5000,
                                min_length=0),
        cost=_cost(cost, current), proposal=proposal)
    _audit("budget_project.add", project, acting_user)
    return project


def _cost(value, budget_round: BudgetRound):
    cost = common.euros(value, field="cost")
    if cost > budget_round.total_budget:
        raise ParticipationError(
            _("This project costs %(cost)s, more than the whole budget of %(budget)s.")
            % {"cost": format_eur_active(cost),
               "budget": format_eur_active(budget_round.total_budget)},
            field="cost")
    return cost


@transaction.atomic
def budget_project_update(*, acting_user, project: BudgetProject,
                          **changes) -> BudgetProject:
    """Change a project of a draft round: any of title, description, cost."""
    budget_round = BudgetRound.objects.select_for_update().get(pk=project.round_id)
    _require_runner(acting_user, budget_round.programme)
    _require_draft(budget_round)
    unknown = sorted(set(changes) - set(PROJECT_FIELDS))
    if unknown:
        raise ParticipationError(_("This cannot be changed: %(fields)s.")
                                 % {"fields": ", ".join(unknown)}, field=unknown[0])
    current = BudgetProject.objects.get(pk=project.pk)
    before = snapshot(current)
    if "title" in changes:
        current.title = common.text(changes["title"], field="title", max_length=200)
    if "description" in changes:
        current.description = common.text(changes["description"], field="description",
                                          max_length=5000, min_length=0)
    if "cost" in changes:
        current.cost = _cost(changes["cost"], budget_round)
    current.save()
    _audit("budget_project.update", current, acting_user, before)
    return current


@transaction.atomic
def budget_project_remove(*, acting_user, project: BudgetProject) -> None:
    budget_round = BudgetRound.objects.select_for_update().get(pk=project.round_id)
    _require_runner(acting_user, budget_round.programme)
    _require_draft(budget_round)
    before, pk, label = snapshot(project), project.pk, str(project)
    project.delete()
    audit_record(acting_user=acting_user, action="participation.budget_project.remove",
                 object_type="participation.budgetproject", object_id=str(pk),
                 object_repr=label, before=before)


@transaction.atomic
def budget_round_publish(*, acting_user, budget_round: BudgetRound) -> BudgetRound:
    """Put the round before the residents; it needs at least one project."""
    _require_runner(acting_user, budget_round.programme)
    current = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    _require_draft(current)
    if not current.projects.exists():
        raise ParticipationError(_("Add at least one project first."), field="projects")
    before = snapshot(current)
    current.status = BudgetRound.Status.PUBLISHED
    current.save(update_fields=["status"])
    _audit("budget_round.publish", current, acting_user, before)
    return current


# -- closing ----------------------------------------------------------------------------

def _activity_for(acting_user, budget_round: BudgetRound, project: BudgetProject) -> Activity:
    programme = budget_round.programme
    code = f"{programme.code[:36]}-pb{budget_round.pk}-{project.pk}"[:60]
    place = ({"area_set_slugs": [budget_round.area_set.slug]} if budget_round.area_set_id
             else {"area_codes": [budget_round.area.code]})
    description = _("Chosen by residents in the budget round “%(round)s” (%(votes)d "
                    "votes).\n\n%(description)s") % {
        "round": budget_round.title, "votes": project.votes,
        "description": project.description}
    return activity_create(
        acting_user=acting_user, code=code, kind=Activity.Kind.INTERVENTION,
        title=project.title[:200], owner=programme.owner, parent=programme,
        description=description.strip(), public=permissions.is_moderator(acting_user),
        **place)


def _budget_line(acting_user, budget_round: BudgetRound, activity: Activity,
                 project_cost) -> BudgetLine:
    note = (_("Budget round %(round)s") % {"round": budget_round.title})[:300]
    if programme_rules.may_edit_budget(acting_user, activity):
        return budget_line_create(acting_user=acting_user, activity=activity,
                                  source=budget_round.source, year=budget_round.year,
                                  planned=project_cost, note=note)
    source = FundingSource.objects.select_for_update().get(pk=budget_round.source_id)
    if budget_round.year < source.start_year or (source.end_year is not None
                                                 and budget_round.year > source.end_year):
        raise ParticipationError(_("The funding source %(source)s does not run in "
                                   "%(year)d.") % {"source": source.name,
                                                   "year": budget_round.year},
                                 field="year")
    line = BudgetLine.objects.create(activity=activity, source=source, year=budget_round.year,
                                     planned=project_cost, note=note)
    audit_record(acting_user=None, action="programmes.budget_line.create", obj=line,
                 after={**snapshot(line), "on_behalf_of": acting_user.pk,
                        "budget_round": budget_round.pk})
    return line


def _when(moment) -> str:
    local = timezone.localtime(moment)
    lang = "nl" if (translation.get_language() or "nl").startswith("nl") else "en"
    return f"{format_date(local.date(), lang)} {local:%H:%M}"


def budget_round_close(*, acting_user, budget_round: BudgetRound) -> list[BudgetProject]:
    """Close a round after its closing time: count, select the winners and turn them
    into activities with budget lines and outcomes. Returns the winning projects."""
    from ..selectors import budget_round_tally

    _require_runner(acting_user, budget_round.programme)
    try:
        with transaction.atomic():
            # FOR UPDATE waits for ballots still being cast (they hold FOR SHARE on the
            # round), and makes later ones see the round closed.
            current = (BudgetRound.objects.select_for_update(of=("self",))
                       .select_related("programme", "programme__owner", "area", "area_set",
                                       "source").get(pk=budget_round.pk))
            if current.status != BudgetRound.Status.PUBLISHED:
                raise ParticipationError(_("Only a published round that is not closed yet "
                                           "can be closed."), field="status")
            stamp = common.now()
            if stamp < current.closes:
                raise ParticipationError(_("Voting is open until %(closes)s; close the round "
                                           "after that.") % {"closes": _when(current.closes)},
                                         field="closes")
            tally = budget_round_tally(budget_round=current)
            winners = _close_projects(acting_user, current, tally)
            before = snapshot(current)
            current.status = BudgetRound.Status.CLOSED
            current.closed_at, current.closed_by = stamp, acting_user
            current.save(update_fields=["status", "closed_at", "closed_by"])
            audit_record(acting_user=acting_user, action="participation.budget_round.close",
                         obj=current, before=before,
                         after={**snapshot(current), "ballots": tally.ballots,
                                "winners": [p.pk for p in winners]})
    except ProgrammeError as error:
        raise ParticipationError(
            _("The programme register refused a winning project: %(message)s")
            % {"message": error.message}, field="programme") from error
    budget_round.status = BudgetRound.Status.CLOSED
    return winners


def _close_projects(acting_user, budget_round: BudgetRound, tally) -> list[BudgetProject]:
    winners = []
    for row in tally.rows:
        project = row.project
        project.votes, project.selected = row.votes, row.selected
        if row.selected:
            activity = _activity_for(acting_user, budget_round, project)
            _budget_line(acting_user, budget_round, activity, project.cost)
            project.activity = activity
            winners.append(project)
            text = _("Chosen by residents with %(votes)d votes; it is now an activity of "
                     "the programme with a budget of %(cost)s.") % {
                "votes": row.votes, "cost": format_eur(project.cost)}
            for subject in filter(None, (project, project.proposal)):
                outcome_write(acting_user=acting_user, status="adopted", text=text,
                              subject=subject, activity=activity)
        else:
            reason = (_("It got %(votes)d votes; the budget went to projects with more votes "
                        "(or it no longer fitted in what was left).") % {"votes": row.votes})
            outcome_write(acting_user=acting_user, status="not_adopted", subject=project,
                          text=_("Not chosen in the budget round."), reason=reason)
        project.save(update_fields=["votes", "selected", "activity"])
    return winners
