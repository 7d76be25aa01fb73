"""Every permission rule of the programme register, with who may and who may not.

Each write rule is tried by every user of the fixtures (programme staff of the municipality
and of the school board, partners of the school board and of the police, the municipal
finance officer, an analyst, a resident, an anonymous visitor, an administrator), each in
a savepoint that is rolled back. An allowed write writes an audit entry; a refused one
raises PermissionRefused and leaves every row of the register and the audit log as it was.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.programmes import permissions, selectors
from wijkbalans.programmes.errors import PermissionRefused
from wijkbalans.programmes.models import (
    Activity,
    ActivityPartner,
    ResultIndicator,
    ResultPeriod,
    ResultUpdate,
)
from wijkbalans.programmes.services import register, results

from .conftest import USER_KEYS

ALLIANCE = set(USER_KEYS) - {"resident", "anonymous"}


def state() -> dict:
    """Every row of the register and the number of audit entries."""
    models = (Activity, ActivityPartner, ResultIndicator, ResultPeriod, ResultUpdate,
              Activity.areas.through, Activity.area_sets.through)
    rows = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    rows["audit"] = AuditEntry.objects.count()
    return rows


def get(code):
    return Activity.objects.get(code=code)


A, B, LINE, PROGRAMME = ("schoolmaatschappelijk-werk", "jongerenwerk-na-school",
                         "teststad-onderwijs", "teststad-nplv")


# -- set-ups: what a rule needs in place before each user tries it ----------------------

def draft_of_school(w):
    return results.result_update_create(acting_user=w.users["partner_school"],
                                        period=w.tree.pupils_2025, organisation=w.school_board,
                                        value=40)


def submitted_of_school(w):
    return results.result_update_create(acting_user=w.users["partner_school"],
                                        period=w.tree.pupils_2025, organisation=w.school_board,
                                        value=40, submit=True)


def submitted_of_police(w):
    return results.result_update_create(acting_user=w.users["partner_police"],
                                        period=w.tree.youth_2025, organisation=w.police,
                                        value=30, submit=True)


def approved_period(w):
    update = submitted_of_school(w)
    results.result_update_approve(acting_user=w.users["staff_school"], update=update)
    return w.tree.pupils_2025


def locked_period(w):
    period = approved_period(w)
    results.result_period_lock(acting_user=w.users["staff_school"], period=period)
    return period


def partner_of_a(w):
    return ActivityPartner.objects.get(activity__code=A)


def nothing(w):
    return None


def fresh_update(update):
    return ResultUpdate.objects.get(pk=update.pk)


def new_activity(owner, **more):
    def act(w, user, _):
        return register.activity_create(
            acting_user=user, code="nieuw", kind="intervention", title="Nieuw",
            owner=getattr(w, owner), parent=get(LINE), start=dt.date(2025, 1, 1), **more)
    return act


# -- the write rules: (set-up, attempt, who may) ---------------------------------------

WRITES = {
    "edit an activity of the municipality": (nothing, lambda w, u, _: register.activity_update(
        acting_user=u, activity=get(B), expected_version=1, title="Na school"),
        {"register_admin", "staff_gemeente"}),
    "edit an activity of the school board": (nothing, lambda w, u, _: register.activity_update(
        acting_user=u, activity=get(A), expected_version=1, title="SMW"),
        {"register_admin", "staff_school"}),
    "move an activity of the school board to another parent": (
        nothing, lambda w, u, _: register.activity_update(
            acting_user=u, activity=get(A), expected_version=1, parent=get(PROGRAMME)),
        {"register_admin"}),
    "add an activity of the municipality under its action line": (
        nothing, new_activity("gemeente"), {"register_admin", "staff_gemeente"}),
    "add an activity of the school board under the municipality's action line": (
        nothing, new_activity("school_board"), {"register_admin"}),
    "add a public activity": (
        nothing, new_activity("gemeente", public=True), {"register_admin", "staff_gemeente"}),
    "add a public programme of the school board": (
        nothing, lambda w, u, _: register.activity_create(
            acting_user=u, code="school-programma", kind="programme", title="Scholen",
            owner=w.school_board, public=True),
        {"register_admin"}),
    "make an activity of the school board public": (
        nothing, lambda w, u, _: register.activity_update(
            acting_user=u, activity=get(A), expected_version=1, public=True),
        {"register_admin", "staff_gemeente"}),
    "delete an activity of the municipality": (
        nothing, lambda w, u, _: register.activity_delete(acting_user=u, activity=get(B)),
        {"register_admin", "staff_gemeente"}),
    "add a partner to an activity of the school board": (
        nothing, lambda w, u, _: register.activity_partner_add(
            acting_user=u, activity=get(A), organisation=w.police, role="funding"),
        {"register_admin", "staff_school"}),
    "remove a partner of an activity of the school board": (
        partner_of_a, lambda w, u, partner: register.activity_partner_remove(
            acting_user=u, partner=partner),
        {"register_admin", "staff_school"}),
    "add a result indicator to an activity of the school board": (
        nothing, lambda w, u, _: results.result_indicator_save(
            acting_user=u, activity=get(A), kind="output", name="Ouders bereikt"),
        {"register_admin", "staff_school"}),
    "set a target of an activity of the school board": (
        nothing, lambda w, u, _: results.result_period_save(
            acting_user=u, result=w.tree.pupils, period="2025", target=110),
        {"register_admin", "staff_school"}),
    "report for the school board on its own activity": (
        nothing, lambda w, u, _: results.result_update_create(
            acting_user=u, period=w.tree.pupils_2025, organisation=w.school_board, value=1),
        {"staff_school", "partner_school"}),
    "report for the police on an activity they implement": (
        nothing, lambda w, u, _: results.result_update_create(
            acting_user=u, period=w.tree.youth_2025, organisation=w.police, value=1),
        {"partner_police"}),
    "report for the police on an activity they have no role in": (
        nothing, lambda w, u, _: results.result_update_create(
            acting_user=u, period=w.tree.pupils_2025, organisation=w.police, value=1),
        set()),
    "report for the municipality on its own activity": (
        nothing, lambda w, u, _: results.result_update_create(
            acting_user=u, period=w.tree.youth_2025, organisation=w.gemeente, value=1),
        {"staff_gemeente"}),
    "edit the school board's draft update": (
        draft_of_school, lambda w, u, up: results.result_update_edit(
            acting_user=u, update=fresh_update(up), expected_version=1, value=41),
        {"register_admin", "staff_school", "partner_school"}),
    "submit the school board's draft update": (
        draft_of_school, lambda w, u, up: results.result_update_submit(
            acting_user=u, update=fresh_update(up)),
        {"register_admin", "staff_school", "partner_school"}),
    "approve an update on an activity of the school board": (
        submitted_of_school, lambda w, u, up: results.result_update_approve(
            acting_user=u, update=fresh_update(up)),
        {"register_admin", "staff_school"}),
    "return an update on an activity of the school board": (
        submitted_of_school, lambda w, u, up: results.result_update_return(
            acting_user=u, update=fresh_update(up), comment="Graag per school"),
        {"register_admin", "staff_school"}),
    "approve the police's update on an activity of the municipality": (
        submitted_of_police, lambda w, u, up: results.result_update_approve(
            acting_user=u, update=fresh_update(up)),
        {"register_admin", "staff_gemeente"}),
    "lock a period of an activity of the school board": (
        approved_period, lambda w, u, period: results.result_period_lock(
            acting_user=u, period=ResultPeriod.objects.get(pk=period.pk)),
        {"register_admin", "staff_school"}),
    "unlock a period": (
        locked_period, lambda w, u, period: results.result_period_unlock(
            acting_user=u, period=ResultPeriod.objects.get(pk=period.pk)),
        {"register_admin"}),
}


class World:
    def __init__(self, tree, users, gemeente, school_board, police):
        self.tree, self.users = tree, users
        self.gemeente, self.school_board, self.police = gemeente, school_board, police


@pytest.mark.parametrize("rule", WRITES)
def test_who_may_write(rule, tree, users, gemeente, school_board, police):
    setup, attempt, expected = WRITES[rule]
    world = World(tree, users, gemeente, school_board, police)
    given = setup(world)
    allowed = set()
    for key in USER_KEYS:
        before = state()
        point = transaction.savepoint()
        try:
            attempt(world, users[key], given)
        except PermissionRefused:
            assert state() == before, f"{key}: a refused write changed the register"
        else:
            allowed.add(key)
            assert AuditEntry.objects.count() > before["audit"], f"{key}: no audit entry"
        finally:
            transaction.savepoint_rollback(point)
    assert allowed == expected


def test_programme_staff_of_both_owners_may_add_a_partners_activity(tree, make_member,
                                                                    gemeente, school_board):
    both = make_member("programma_beide", (gemeente, "programme_staff"),
                       (school_board, "programme_staff"))
    added = register.activity_create(acting_user=both, code="nieuw", kind="intervention",
                                     title="Nieuw", owner=school_board, parent=tree.action_line)
    assert added.parent == tree.action_line


def test_a_superuser_may_edit_the_register(tree):
    from wijkbalans.accounts.services import user_create

    superuser = user_create(username="super", password=None, is_superuser=True)
    register.activity_update(acting_user=superuser, activity=tree.intervention_a,
                             expected_version=1, title="SMW")
    assert Activity.objects.get(pk=tree.intervention_a.pk).title == "SMW"


def test_the_owner_may_not_make_its_own_activity_public(tree, staff_school):
    before = state()
    with pytest.raises(PermissionRefused) as caught:
        register.activity_update(acting_user=staff_school, activity=tree.intervention_a,
                                 expected_version=1, title="SMW", public=True)
    assert caught.value.field == "public"
    assert state() == before


# -- read rules and the money predicates -------------------------------------------------

READS = {
    "read a public activity": (
        lambda w, u: selectors.activity_get(user=u, code=PROGRAMME) is not None,
        set(USER_KEYS)),
    "read an activity that is not public": (
        lambda w, u: selectors.activity_get(user=u, code=LINE) is not None, ALLIANCE),
    "read money": (lambda w, u: permissions.may_read_money(u), ALLIANCE),
    "edit funding sources": (lambda w, u: permissions.may_edit_sources(u),
                             {"register_admin", "finance_gemeente"}),
    "edit the budget of an activity of the municipality": (
        lambda w, u: permissions.may_edit_budget(u, w.tree.intervention_b),
        {"register_admin", "finance_gemeente"}),
    "edit the budget of an activity of the school board": (
        lambda w, u: permissions.may_edit_budget(u, w.tree.intervention_a),
        {"register_admin"}),
    "mark activities public": (lambda w, u: permissions.may_mark_public(u),
                               {"register_admin", "staff_gemeente"}),
}


@pytest.mark.parametrize("rule", READS)
def test_who_may_read_and_hold_money(rule, tree, users, gemeente, school_board, police):
    check, expected = READS[rule]
    world = World(tree, users, gemeente, school_board, police)
    assert {key for key in USER_KEYS if check(world, users[key])} == expected


@pytest.mark.parametrize("key, expected", [
    ("anonymous", [(PROGRAMME, 0), (B, 1)]),
    ("resident", [(PROGRAMME, 0), (B, 1)]),
    ("partner_police", [(PROGRAMME, 0), (LINE, 1), (B, 2), (A, 2)]),
    ("analyst", [(PROGRAMME, 0), (LINE, 1), (B, 2), (A, 2)]),
])
def test_the_tree_shows_what_a_user_may_read(tree, users, key, expected):
    shown = selectors.activity_tree(user=users[key])
    assert [(a.code, depth) for a, depth in shown] == expected


def test_the_tree_from_a_root(tree, users):
    shown = selectors.activity_tree(user=users["analyst"], root=tree.action_line)
    assert [(a.code, depth) for a, depth in shown] == [(LINE, 0), (B, 1), (A, 1)]


def test_each_reviewer_sees_the_updates_of_its_own_activities(tree, users, school_board,
                                                              police):
    school = submitted_of_school(World(tree, users, None, school_board, police))
    police_update = submitted_of_police(World(tree, users, None, school_board, police))
    assert list(selectors.updates_to_review(user=users["staff_school"])) == [school]
    assert list(selectors.updates_to_review(user=users["staff_gemeente"])) == [police_update]
    assert list(selectors.updates_to_review(user=users["register_admin"])) == [
        school, police_update]
    for key in ("partner_school", "analyst", "anonymous"):
        assert not selectors.updates_to_review(user=users[key]).exists()
    assert list(selectors.updates_of(user=users["partner_police"])) == [police_update]


def test_a_refused_target_change_keeps_the_target(tree, users):
    with pytest.raises(PermissionRefused):
        results.result_period_save(acting_user=users["partner_school"], result=tree.pupils,
                                   period="2025", target=Decimal(1))
    assert ResultPeriod.objects.get(pk=tree.pupils_2025.pk).target == Decimal(100)


def test_a_refused_user_does_not_see_the_row_through_a_conflict(tree, users, school_board,
                                                                police):
    # A conflict carries the row as it is now; only those who may edit get that far.
    with pytest.raises(PermissionRefused):
        register.activity_update(acting_user=users["anonymous"], activity=tree.action_line,
                                 expected_version=99, title="x")
    draft = draft_of_school(World(tree, users, None, school_board, police))
    with pytest.raises(PermissionRefused):
        results.result_update_edit(acting_user=users["partner_police"], update=draft,
                                   expected_version=99, value=1)
