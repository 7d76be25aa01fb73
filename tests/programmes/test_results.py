"""Results: result indicators, periods and targets, the approval workflow, locking, and the
roll-up of progress over the register tree."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.indicators.models import Indicator
from wijkbalans.programmes import selectors
from wijkbalans.programmes.errors import ConflictError, ProgrammeError
from wijkbalans.programmes.models import ResultIndicator, ResultPeriod, ResultUpdate
from wijkbalans.programmes.services.results import (
    result_indicator_save,
    result_period_lock,
    result_period_save,
    result_period_unlock,
    result_update_approve,
    result_update_create,
    result_update_edit,
    result_update_return,
    result_update_submit,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the msgids); the default language is Dutch."""
    with translation.override("en"):
        yield


def last(action):
    return AuditEntry.objects.filter(action=action).order_by("id").last()


def actions_since(entry_id):
    return list(AuditEntry.objects.filter(id__gt=entry_id).order_by("id").values_list(
        "action", flat=True))


def last_id():
    return AuditEntry.objects.order_by("id").values_list("id", flat=True).last() or 0


@pytest.fixture
def report(tree, partner_school, school_board):
    """A function: partner_school reports ``value`` pupils for 2025 (a draft, or submitted)."""

    def make(value, submit=False):
        return result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                    organisation=school_board, value=value, submit=submit)

    return make


# -- the workflow -----------------------------------------------------------------------

def test_draft_submit_return_edit_submit_approve(tree, report, partner_school, staff_school):
    mark = last_id()
    update = report(40)
    assert (update.status, update.value, update.version) == ("draft", Decimal(40), 1)
    assert update.created_by == partner_school and update.submitted_at is None
    result_update_submit(acting_user=partner_school, update=update)
    assert (update.status, update.version) == ("submitted", 2) and update.submitted_at
    result_update_return(acting_user=staff_school, update=update,
                         comment="Tel alleen leerlingen uit groep 7 en 8.")
    assert (update.status, update.review_comment) == ("returned",
                                                     "Tel alleen leerlingen uit groep 7 en 8.")
    assert update.reviewed_by == staff_school
    result_update_edit(acting_user=partner_school, update=update, expected_version=3,
                       value="35", narrative="Groep 7 en 8")
    assert (update.status, update.value, update.version) == ("returned", Decimal(35), 4)
    result_update_submit(acting_user=partner_school, update=update)
    result_update_approve(acting_user=staff_school, update=update, comment="Dank je")
    assert (update.status, update.review_comment, update.version) == ("approved", "Dank je", 6)
    tree.pupils_2025.refresh_from_db()
    assert tree.pupils_2025.actual == Decimal(35)
    assert actions_since(mark) == [
        "programmes.result_update.create", "programmes.result_update.submit",
        "programmes.result_update.return", "programmes.result_update.edit",
        "programmes.result_update.submit", "programmes.result_update.approve",
        "programmes.result_period.actual"]
    created = last("programmes.result_update.create")
    assert created.before is None and created.after["value"] == "40.0000"
    assert created.after["status"] == "draft" and created.actor == partner_school
    first_submit = AuditEntry.objects.filter(
        action="programmes.result_update.submit").order_by("id").first()
    assert (first_submit.before["status"], first_submit.after["status"]) == ("draft",
                                                                             "submitted")
    assert first_submit.before["submitted_at"] is None and first_submit.after["submitted_at"]
    returned = last("programmes.result_update.return")
    assert (returned.before["status"], returned.after["status"]) == ("submitted", "returned")
    assert (returned.before["review_comment"], returned.after["review_comment"]) == (
        "", "Tel alleen leerlingen uit groep 7 en 8.")
    assert returned.after["reviewed_by_id"] == staff_school.pk
    edit = last("programmes.result_update.edit")
    assert (edit.before["value"], edit.after["value"]) == ("40.0000", "35.0000")
    assert (edit.before["narrative"], edit.after["narrative"]) == ("", "Groep 7 en 8")
    approve = last("programmes.result_update.approve")
    assert (approve.before["status"], approve.after["status"]) == ("submitted", "approved")
    assert approve.actor == staff_school
    actual = last("programmes.result_period.actual")
    assert (actual.before["actual"], actual.after["actual"]) == (None, "35.0000")


def test_an_update_can_be_submitted_at_once(report):
    update = report(12, submit=True)
    assert update.status == "submitted" and update.submitted_at is not None
    assert last("programmes.result_update.create").after["status"] == "submitted"


def test_a_later_approval_supersedes_an_earlier_one(tree, report, staff_school):
    first = report(40, submit=True)
    result_update_approve(acting_user=staff_school, update=first)
    second = report(45, submit=True)
    mark = last_id()
    result_update_approve(acting_user=staff_school, update=second)
    tree.pupils_2025.refresh_from_db()
    assert tree.pupils_2025.actual == Decimal(45)
    first.refresh_from_db()
    assert first.status == "approved"
    assert selectors.update_superseded(update=first) is True
    assert selectors.update_superseded(update=second) is False
    assert selectors.period_current_update(period=tree.pupils_2025) == second
    assert actions_since(mark) == ["programmes.result_update.approve",
                                   "programmes.result_update.supersede",
                                   "programmes.result_period.actual"]
    superseded = last("programmes.result_update.supersede")
    assert superseded.object_id == str(first.pk)
    assert superseded.after == {**superseded.before, "superseded_by": second.pk}
    actual = last("programmes.result_period.actual")
    assert (actual.before["actual"], actual.after["actual"]) == ("40.0000", "45.0000")


def test_returning_needs_a_comment(report, staff_school, register_counts):
    update = report(40, submit=True)
    before = register_counts()
    for comment in ("", "   "):
        with pytest.raises(ProgrammeError) as caught:
            result_update_return(acting_user=staff_school, update=update, comment=comment)
        assert caught.value.field == "comment"
    assert register_counts() == before
    update.refresh_from_db()
    assert update.status == "submitted"


@pytest.mark.parametrize("status", ["draft", "approved", "returned"])
def test_only_a_submitted_update_is_reviewed(report, partner_school, staff_school,
                                             register_counts, status):
    update = report(40, submit=status != "draft")
    if status == "approved":
        result_update_approve(acting_user=staff_school, update=update)
    if status == "returned":
        result_update_return(acting_user=staff_school, update=update, comment="Nee")
    before = register_counts()
    for review in (result_update_approve, result_update_return):
        with pytest.raises(ProgrammeError) as caught:
            review(acting_user=staff_school, update=update, comment="x")
        assert caught.value.field == "status"
    assert register_counts() == before


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_only_a_draft_or_returned_update_is_edited_or_submitted(
        report, partner_school, staff_school, register_counts, status):
    update = report(40, submit=True)
    if status == "approved":
        result_update_approve(acting_user=staff_school, update=update)
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        result_update_edit(acting_user=partner_school, update=update,
                           expected_version=update.version, value=41)
    assert caught.value.field == "status"
    with pytest.raises(ProgrammeError):
        result_update_submit(acting_user=partner_school, update=update)
    assert register_counts() == before
    update.refresh_from_db()
    assert update.value == Decimal(40)


def test_an_edit_with_an_old_version_is_a_conflict(report, partner_school, register_counts):
    update = report(40)
    stale = ResultUpdate.objects.get(pk=update.pk)
    result_update_edit(acting_user=partner_school, update=update, expected_version=1, value=41)
    before = register_counts()
    with pytest.raises(ConflictError) as caught:
        result_update_edit(acting_user=partner_school, update=stale, expected_version=1,
                           value=42)
    assert (caught.value.current["value"], caught.value.current["version"]) == ("41.0000", 2)
    assert register_counts() == before


def test_an_edit_that_changes_nothing_writes_nothing(report, partner_school):
    update = report(40)
    mark = last_id()
    result_update_edit(acting_user=partner_school, update=update, expected_version=1,
                       value="40.0")
    assert actions_since(mark) == [] and update.version == 1


@pytest.mark.parametrize("value, words", [
    ("veertig", "number"), (None, "required"), ("1.00001", "4 decimals"), (True, "number"),
    ("1e20", "too large"), ("NaN", "number"),
])
def test_bad_values_are_refused(report, register_counts, value, words):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        report(value)
    assert caught.value.field == "value" and words in caught.value.message
    assert register_counts() == before


# -- locking ----------------------------------------------------------------------------

def test_only_an_approved_actual_is_locked(tree, report, staff_school, register_counts):
    report(40, submit=True)
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        result_period_lock(acting_user=staff_school, period=tree.pupils_2025)
    assert caught.value.field == "actual"
    assert register_counts() == before


def test_a_locked_period_refuses_changes(tree, report, partner_school, staff_school,
                                         register_admin, register_counts):
    approved = report(40, submit=True)
    result_update_approve(acting_user=staff_school, update=approved)
    draft, pending, later = report(41), report(42, submit=True), report(43, submit=True)
    result_period_lock(acting_user=staff_school, period=tree.pupils_2025)
    assert tree.pupils_2025.locked and tree.pupils_2025.locked_by_id == staff_school.pk
    lock = last("programmes.result_period.lock")
    assert (lock.before["locked"], lock.after["locked"]) == (False, True)
    assert lock.after["locked_by_id"] == staff_school.pk
    before = register_counts()
    refused = [
        lambda: report(44),
        lambda: result_update_edit(acting_user=partner_school, update=draft,
                                   expected_version=1, value=45),
        lambda: result_update_submit(acting_user=partner_school, update=draft),
        lambda: result_update_approve(acting_user=staff_school, update=pending),
        lambda: result_period_save(acting_user=staff_school, result=tree.pupils,
                                   period="2025", target=120),
        lambda: result_indicator_save(acting_user=staff_school, activity=tree.intervention_a,
                                      result=tree.pupils, kind="output",
                                      name="Leerlingen bereikt", baseline_value=10),
        lambda: result_period_lock(acting_user=staff_school, period=tree.pupils_2025),
    ]
    for attempt in refused:
        with pytest.raises(ProgrammeError):
            attempt()
    assert register_counts() == before
    period = ResultPeriod.objects.get(pk=tree.pupils_2025.pk)
    assert (period.actual, period.target) == (Decimal(40), Decimal(100))
    # Saving the same target changes nothing and is not refused; a pending update can be
    # returned, so the queue can be cleared.
    result_period_save(acting_user=staff_school, result=tree.pupils, period="2025",
                       target="100.00")
    result_update_return(acting_user=staff_school, update=later, comment="Periode is dicht")
    assert later.status == "returned"
    result_period_unlock(acting_user=register_admin, period=tree.pupils_2025)
    assert not tree.pupils_2025.locked and tree.pupils_2025.locked_by_id is None
    unlock = last("programmes.result_period.unlock")
    assert (unlock.before["locked"], unlock.after["locked"]) == (True, False)
    assert report(44).status == "draft"


def test_an_unlocked_period_is_not_unlocked_again(tree, register_admin, register_counts):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        result_period_unlock(acting_user=register_admin, period=tree.pupils_2025)
    assert caught.value.field == "locked"
    assert register_counts() == before


# -- result indicators and periods ------------------------------------------------------

def test_a_result_indicator_is_created_and_changed_with_audit(tree, staff_school):
    result = result_indicator_save(
        acting_user=staff_school, activity=tree.intervention_a, kind="outcome",
        name="Schoolverzuim", indicator_code="onderwijsachterstand_pct", direction="down",
        baseline_period="2024", baseline_value="12.5", weight="0.5", order=2)
    created = last("programmes.result.create")
    assert created.before is None and created.after["baseline_value"] == "12.5000"
    result_indicator_save(
        acting_user=staff_school, activity=tree.intervention_a, result=result, kind="outcome",
        name="Schoolverzuim groep 8", indicator_code="onderwijsachterstand_pct",
        direction="down", baseline_period="2024", baseline_value="12.5", weight="0.5",
        order=2)
    changed = last("programmes.result.update")
    assert (changed.before["name"], changed.after["name"]) == ("Schoolverzuim",
                                                               "Schoolverzuim groep 8")
    assert ResultIndicator.objects.get(pk=result.pk).weight == Decimal("0.5")


def test_an_indicator_of_the_registry_table_is_known(tree, staff_school):
    Indicator.objects.create(code="eigen.schoolverzuim", name_nl="Schoolverzuim")
    result = result_indicator_save(acting_user=staff_school, activity=tree.intervention_a,
                                   kind="outcome", name="Verzuim",
                                   indicator_code="eigen.schoolverzuim")
    assert result.indicator_code == "eigen.schoolverzuim"


@pytest.mark.parametrize("overrides, field, words", [
    ({"kind": "impact"}, "kind", "outcome, output"),
    ({"kind": "outcome"}, "indicator_code", "names an indicator"),
    ({"kind": "outcome", "indicator_code": "geluk_pct"}, "indicator_code", "geluk_pct"),
    ({"indicator_code": "geluk_pct"}, "indicator_code", "geluk_pct"),
    ({"name": "Leerlingen bereikt"}, "name", "already has"),
    ({"name": ""}, "name", "required"),
    ({"direction": "sideways"}, "direction", "up, down"),
    ({"baseline_period": "2024-06"}, "baseline_period", "YYYY-Qn"),
    ({"kind": "outcome", "indicator_code": "werkzaam_pct", "baseline_value": 60},
     "baseline_period", "names its period"),
    ({"baseline_value": "1.23456"}, "baseline_value", "4 decimals"),
    ({"weight": -1}, "weight", "at least 0"),
    ({"order": -1}, "order", "whole number"),
    ({"order": "1"}, "order", "whole number"),
])
def test_bad_result_indicators_are_refused(tree, staff_school, register_counts, overrides,
                                           field, words):
    values = {"kind": "output", "name": "Ouders bereikt", **overrides}
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        result_indicator_save(acting_user=staff_school, activity=tree.intervention_a,
                              **values)
    assert caught.value.field == field and words in caught.value.message
    assert register_counts() == before


def test_a_result_of_another_activity_is_not_changed_here(tree, register_admin):
    with pytest.raises(ProgrammeError) as caught:
        result_indicator_save(acting_user=register_admin, activity=tree.intervention_a,
                              result=tree.youth, kind="output", name="Jongeren")
    assert caught.value.field == "result"
    assert ResultIndicator.objects.get(pk=tree.youth.pk).name == "Jongeren bereikt"


def test_a_baseline_comes_before_the_periods(tree, staff_gemeente, register_counts):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        result_indicator_save(acting_user=staff_gemeente, activity=tree.action_line,
                              result=tree.outcome, kind="outcome", name="Onderwijsachterstand",
                              indicator_code="onderwijsachterstand_pct", direction="down",
                              baseline_period="2026", baseline_value=20)
    assert caught.value.field == "baseline_period" and "2026" in caught.value.message
    assert register_counts() == before


@pytest.mark.parametrize("period", ["2025-13", "25", "2025-Q5", "2025-06", 2025, "2023",
                                    "2023-Q4"])
def test_bad_periods_are_refused(tree, staff_gemeente, register_counts, period):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        result_period_save(acting_user=staff_gemeente, result=tree.outcome, period=period,
                           target=18)
    assert caught.value.field == "period"
    assert register_counts() == before


def test_a_target_change_is_audited(tree, staff_gemeente):
    period = result_period_save(acting_user=staff_gemeente, result=tree.outcome,
                                period="2026", target="16.5")
    assert period.pk == tree.outcome_2026.pk and period.target == Decimal("16.5")
    entry = last("programmes.result_period.update")
    assert (entry.before["target"], entry.after["target"]) == ("17.0000", "16.5000")
    quarter = result_period_save(acting_user=staff_gemeente, result=tree.outcome,
                                 period="2027-Q2")
    assert quarter.target is None
    assert last("programmes.result_period.create").after["period"] == "2027-Q2"


# -- progress ---------------------------------------------------------------------------

def approve(who, reviewer, period, organisation, value):
    update = result_update_create(acting_user=who, period=period, organisation=organisation,
                                  value=value, submit=True)
    return result_update_approve(acting_user=reviewer, update=update)


def test_progress_rolls_up_the_tree(tree, partner_school, staff_school, staff_gemeente,
                                    partner_police, school_board, police, gemeente,
                                    django_assert_num_queries):
    period_2026 = tree.outcome_2026
    approve(staff_gemeente, staff_gemeente, period_2026, gemeente, 18)
    approve(partner_school, staff_school, tree.pupils_2025, school_board, 50)
    approve(partner_police, staff_gemeente, tree.youth_2025, police, 60)
    with django_assert_num_queries(3):
        done = selectors.activity_progress(activity=tree.programme)
    line = done.children[0]
    by_key = {n.key: n for n in done.walk()}
    # outcome: (18 - 20) / (14 - 20) = 1/3 (latest target is 2030's 14)
    assert line.results[0].value == Fraction(1, 3)
    # pupils: no baseline, an output counts from 0; 50 / 200 (latest target, 2026)
    assert by_key["schoolmaatschappelijk-werk"].value == Fraction(1, 4)
    # youth: 60 / 50 clipped to 1
    assert by_key["jongerenwerk-na-school"].value == 1
    assert by_key["jongerenwerk-na-school"].results[0].raw == Fraction(6, 5)
    # line: (1/3 + 1/4 + 2 * 1) / (1 + 1 + 2) = 31/48 (intervention b weighs 2)
    assert line.value == Fraction(31, 48) and (line.counted, line.skipped) == (3, 0)
    assert (done.value, done.progress) == (Fraction(31, 48), Decimal("0.645833"))


def test_progress_skips_what_is_not_known(tree, partner_school, staff_school, school_board):
    approve(partner_school, staff_school, tree.pupils_2025, school_board, 50)
    line = selectors.activity_progress(activity=tree.action_line)
    assert line.value == Fraction(1, 4)
    assert (line.counted, line.skipped) == (1, 2)
    assert line.skipped_keys == ("Onderwijsachterstand", "jongerenwerk-na-school")
    assert line.results[0].reason == "no_actual"


def test_an_activity_without_results_has_no_progress(tree, register_admin, gemeente):
    from wijkbalans.programmes.services.register import activity_create

    empty = activity_create(acting_user=register_admin, code="leeg", kind="programme",
                            title="Leeg", owner=gemeente)
    done = selectors.activity_progress(activity=empty)
    assert (done.value, done.reason, done.counted, done.skipped) == (None, "nothing_known",
                                                                     0, 0)
