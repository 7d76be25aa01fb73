"""The register: creating, changing and deleting activities and their partners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.programmes.errors import ConflictError, PermissionRefused, ProgrammeError
from wijkbalans.programmes.models import (
    Activity,
    ActivityPartner,
    BudgetLine,
    FundingSource,
    ResultUpdate,
)
from wijkbalans.programmes.services.register import (
    activity_create,
    activity_delete,
    activity_partner_add,
    activity_partner_remove,
    activity_snapshot,
    activity_update,
)
from wijkbalans.programmes.services.results import (
    result_update_approve,
    result_update_create,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the msgids); the default language is Dutch."""
    with translation.override("en"):
        yield


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def intervention(**overrides):
    values = {"code": "huiswerkklas", "kind": "intervention", "title": "Huiswerkklas",
              "start": dt.date(2025, 1, 1), "end": dt.date(2026, 12, 31)}
    return {**values, **overrides}


# -- create -----------------------------------------------------------------------------

def test_creating_an_activity_stores_every_field_and_audits_it(staff_gemeente, gemeente,
                                                               teststad_areas):
    activity = activity_create(
        acting_user=staff_gemeente, code="wijkaanpak", kind="programme", title=" Wijkaanpak ",
        owner=gemeente, description="Samen sterker", status="running",
        start="2024-01-01", end=dt.date(2030, 12, 31), area_codes="bu99900101, BU99900103",
        area_set_slugs=["teststad-noord"], themes=["safety", "housing"],
        links=[{"title": "Plan", "url": "https://teststad.nl/plan"}, "https://teststad.nl"],
        weight="1.5", public=True)
    activity.refresh_from_db()
    assert activity.title == "Wijkaanpak"
    assert (activity.start, activity.end) == (dt.date(2024, 1, 1), dt.date(2030, 12, 31))
    assert activity.weight == Decimal("1.5") and activity.public is True
    assert activity.themes == ["safety", "housing"]
    assert activity.links == [{"title": "Plan", "url": "https://teststad.nl/plan"},
                              {"title": "", "url": "https://teststad.nl"}]
    assert sorted(activity.areas.values_list("code", flat=True)) == ["BU99900101",
                                                                     "BU99900103"]
    assert list(activity.area_sets.values_list("slug", flat=True)) == ["teststad-noord"]
    assert activity.version == 1
    [entry] = entries("programmes.activity.create")
    assert entry.actor == staff_gemeente and entry.before is None
    assert entry.after["code"] == "wijkaanpak" and entry.after["weight"] == "1.500"
    assert entry.after["area_codes"] == ["BU99900101", "BU99900103"]
    assert entry.after["area_set_slugs"] == ["teststad-noord"]


def test_a_tree_of_any_depth(tree, register_admin, school_board):
    sub = activity_create(acting_user=register_admin, parent=tree.intervention_a,
                          owner=school_board, **intervention())
    subsub = activity_create(acting_user=register_admin, parent=sub, owner=school_board,
                             **intervention(code="huiswerk-groep-8"))
    assert subsub.parent.parent.parent.parent == tree.programme


@pytest.mark.parametrize("overrides, field, words", [
    ({"code": "met spatie"}, "code", "letters, digits"),
    ({"code": ""}, "code", "required"),
    ({"code": "x" * 61}, "code", "at most 60"),
    ({"code": "teststad-nplv"}, "code", "in use"),
    ({"kind": "project"}, "kind", "'project'"),
    ({"kind": "programme"}, "kind", "cannot be part of"),
    ({"status": "klaar"}, "status", "planned, running"),
    ({"title": "  "}, "title", "required"),
    ({"title": "x" * 201}, "title", "200"),
    ({"start": "2026-13-01"}, "start", "YYYY-MM-DD"),
    ({"start": dt.datetime(2025, 1, 1)}, "start", "YYYY-MM-DD"),
    ({"end": dt.date(2024, 12, 31)}, "end", "before the start"),
    ({"start": dt.date(2023, 12, 31)}, "start", "before the start of the parent"),
    ({"end": dt.date(2031, 1, 1)}, "end", "after the end of the parent"),
    ({"area_codes": ["BU99900101", "BU00000001", "WK12345"]}, "area_codes",
     "BU00000001, WK12345"),
    ({"area_codes": [1, 2]}, "area_codes", "list of codes"),
    ({"area_set_slugs": ["teststad-noord", "nergens"]}, "area_set_slugs", "nergens"),
    ({"themes": ["education", "weather"]}, "themes", "weather"),
    ({"links": [{"title": "x", "url": "ftp://teststad.nl"}]}, "links", "http"),
    ({"links": "https://teststad.nl"}, "links", "list of links"),
    ({"evidence_level": "bewezen"}, "evidence_level", "goed_beschreven"),
    ({"evidence_level": "effectief_sterke"}, "evidence_databank", "databank"),
    ({"evidence_level": "goed_beschreven"}, "evidence_databank", "databank"),
    ({"evidence_databank": "wikipedia"}, "evidence_databank", "nji"),
    ({"evidence_url": "niet-een-adres"}, "evidence_url", "http"),
    ({"weight": "-1"}, "weight", "at least 0"),
    ({"weight": "0.0001"}, "weight", "3 decimals"),
    ({"weight": "veel"}, "weight", "number"),
    ({"weight": True}, "weight", "number"),
    ({"public": "ja"}, "public", "true or false"),
])
def test_bad_input_is_refused_naming_the_field(tree, register_admin, gemeente, register_counts,
                                               overrides, field, words):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        activity_create(acting_user=register_admin, owner=gemeente, parent=tree.action_line,
                        **intervention(**overrides))
    assert caught.value.field == field
    assert words.lower() in caught.value.message.lower()
    assert register_counts() == before


def test_a_rated_intervention_with_its_databank(register_admin, gemeente):
    rated = activity_create(acting_user=register_admin, owner=gemeente,
                            evidence_level="goed_beschreven", evidence_databank="movisie",
                            evidence_url="https://www.movisie.nl/interventie/x",
                            **intervention())
    assert (rated.evidence_level, rated.evidence_databank) == ("goed_beschreven", "movisie")
    listed = activity_create(acting_user=register_admin, owner=gemeente,
                             evidence_databank="loket_gezond_leven",
                             **intervention(code="nog-niet-beoordeeld"))
    assert listed.evidence_level == "not_rated"


def test_an_owner_and_parent_must_be_rows(register_admin, gemeente, register_counts):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        activity_create(acting_user=register_admin, owner="Gemeente Teststad",
                        **intervention())
    assert caught.value.field == "owner"
    with pytest.raises(ProgrammeError) as caught:
        activity_create(acting_user=register_admin, owner=gemeente, parent=Activity(pk=999),
                        **intervention())
    assert caught.value.field == "parent"
    assert register_counts() == before


# -- update -----------------------------------------------------------------------------

def test_an_update_names_its_version_and_is_audited(tree, staff_gemeente):
    line = tree.action_line
    before = activity_snapshot(line)
    activity_update(acting_user=staff_gemeente, activity=line, expected_version=1,
                    title="Kansrijk opgroeien in Noord", area_codes=["BU99900102"],
                    status="paused")
    assert line.version == 2 and line.title == "Kansrijk opgroeien in Noord"
    assert list(line.areas.values_list("code", flat=True)) == ["BU99900102"]
    [entry] = entries("programmes.activity.update")
    assert entry.before == before
    assert entry.before["title"] == "Kansrijk opgroeien" and entry.before["area_codes"] == []
    assert entry.after["title"] == "Kansrijk opgroeien in Noord"
    assert (entry.after["status"], entry.after["version"]) == ("paused", 2)
    assert entry.after["area_codes"] == ["BU99900102"]


def test_an_update_with_an_old_version_is_a_conflict(tree, staff_gemeente, register_counts):
    mine = Activity.objects.get(pk=tree.action_line.pk)
    theirs = Activity.objects.get(pk=tree.action_line.pk)
    activity_update(acting_user=staff_gemeente, activity=theirs, expected_version=1,
                    title="Hun titel")
    before = register_counts()
    with pytest.raises(ConflictError) as caught:
        activity_update(acting_user=staff_gemeente, activity=mine, expected_version=1,
                        title="Mijn titel")
    assert caught.value.current["title"] == "Hun titel"
    assert caught.value.current["version"] == 2
    assert register_counts() == before
    assert Activity.objects.get(pk=mine.pk).title == "Hun titel"


def test_an_update_that_changes_nothing_writes_nothing(tree, staff_gemeente):
    activity_update(acting_user=staff_gemeente, activity=tree.action_line, expected_version=1,
                    title="Kansrijk opgroeien", themes=("education",), weight=None)
    assert tree.action_line.version == 1
    assert entries("programmes.activity.update") == []


@pytest.mark.parametrize("changes, field, words", [
    ({"colour": "red"}, "colour", "unknown field"),
    ({"end": dt.date(2028, 1, 1)}, "end", "schoolmaatschappelijk-werk (2024-08-01 to 2028-07-31)"),
    ({"start": dt.date(2025, 6, 1)}, "start", "jongerenwerk-na-school (2025-01-01 to …)"),
    ({"title": ""}, "title", "required"),
    ({"owner": None}, "owner", "organisation"),
])
def test_bad_updates_are_refused_and_change_nothing(tree, register_admin, register_counts,
                                                    changes, field, words):
    before, row = register_counts(), activity_snapshot(tree.action_line)
    with pytest.raises(ProgrammeError) as caught:
        activity_update(acting_user=register_admin, activity=tree.action_line,
                        expected_version=1, **changes)
    assert caught.value.field == field
    assert words in caught.value.message.lower()
    assert register_counts() == before
    assert activity_snapshot(Activity.objects.get(pk=tree.action_line.pk)) == row


def test_a_parent_does_not_rank_below_its_parts(tree, register_admin):
    with pytest.raises(ProgrammeError) as caught:
        activity_update(acting_user=register_admin, activity=tree.programme,
                        expected_version=1, kind="intervention")
    assert caught.value.field == "kind"
    assert "teststad-onderwijs is of kind action line" in caught.value.message


@pytest.mark.parametrize("new_parent", ["action_line", "intervention_a", "programme"])
def test_an_activity_cannot_become_part_of_itself(tree, register_admin, new_parent):
    with pytest.raises(ProgrammeError) as caught:
        activity_update(acting_user=register_admin, activity=tree.programme,
                        expected_version=1, parent=getattr(tree, new_parent))
    assert caught.value.field == "parent"
    assert Activity.objects.get(pk=tree.programme.pk).parent is None


def test_moving_an_activity_to_another_parent(tree, register_admin):
    activity_update(acting_user=register_admin, activity=tree.intervention_b,
                    expected_version=1, parent=tree.intervention_a, start="2025-01-01",
                    end="2028-01-01")
    assert tree.intervention_b.parent == tree.intervention_a
    [entry] = entries("programmes.activity.update")
    assert (entry.before["parent_id"], entry.after["parent_id"]) == (tree.action_line.pk,
                                                               tree.intervention_a.pk)


def test_the_municipality_marks_a_partners_activity_public(tree, staff_gemeente):
    activity_update(acting_user=staff_gemeente, activity=tree.intervention_a,
                    expected_version=1, public=True)
    assert tree.intervention_a.public is True
    [entry] = entries("programmes.activity.update")
    assert (entry.before["public"], entry.after["public"]) == (False, True)


# -- delete -----------------------------------------------------------------------------

def test_deleting_a_leaf_is_audited_with_what_it_held(tree, staff_gemeente, police):
    pk = tree.intervention_b.pk
    activity_delete(acting_user=staff_gemeente, activity=tree.intervention_b)
    assert not Activity.objects.filter(pk=pk).exists()
    assert not ActivityPartner.objects.filter(activity_id=pk).exists()
    [entry] = entries("programmes.activity.delete")
    assert entry.object_id == str(pk) and entry.after is None
    assert entry.before["code"] == "jongerenwerk-na-school"
    assert entry.before["partners"] == [[police.pk, "implementing"]]
    assert entry.before["results"] == ["Jongeren bereikt"]


def test_an_activity_with_parts_is_not_deleted(tree, register_admin, register_counts):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        activity_delete(acting_user=register_admin, activity=tree.action_line)
    assert "jongerenwerk-na-school, schoolmaatschappelijk-werk" in caught.value.message
    assert register_counts() == before


def test_an_activity_with_approved_results_is_not_deleted(tree, partner_police, police,
                                                          staff_gemeente, register_counts):
    update = result_update_create(acting_user=partner_police, period=tree.youth_2025,
                                  organisation=police, value=12, submit=True)
    result_update_approve(acting_user=staff_gemeente, update=update)
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        activity_delete(acting_user=staff_gemeente, activity=tree.intervention_b)
    assert "approved results" in caught.value.message
    assert register_counts() == before
    assert ResultUpdate.objects.filter(pk=update.pk).exists()


def test_an_activity_with_budget_lines_is_not_deleted(tree, staff_gemeente, register_counts):
    source = FundingSource.objects.create(code="gem", name="Gemeente", kind="municipal",
                                          start_year=2024)
    BudgetLine.objects.create(activity=tree.intervention_b, source=source, year=2025,
                              planned=Decimal("1000.00"))
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        activity_delete(acting_user=staff_gemeente, activity=tree.intervention_b)
    assert "budget lines" in caught.value.message
    assert register_counts() == before


# -- partners ---------------------------------------------------------------------------

def test_adding_and_removing_a_partner_is_audited(tree, staff_school, police):
    partner = activity_partner_add(acting_user=staff_school, activity=tree.intervention_a,
                                   organisation=police, role="funding")
    added = entries("programmes.activity_partner.add")[-1]
    assert added.object_id == str(partner.pk)
    assert added.before is None
    assert added.after == {"id": partner.pk, "activity_id": tree.intervention_a.pk,
                           "organisation_id": police.pk, "role": "funding"}
    activity_partner_remove(acting_user=staff_school, partner=partner)
    assert not ActivityPartner.objects.filter(pk=partner.pk).exists()
    [removed] = entries("programmes.activity_partner.remove")
    assert removed.before == added.after and removed.after is None


@pytest.mark.parametrize("role, field", [("sponsor", "role"), ("implementing", "organisation")])
def test_bad_partner_roles_are_refused(tree, staff_school, foundation, register_counts,
                                       role, field):
    before = register_counts()
    with pytest.raises(ProgrammeError) as caught:
        activity_partner_add(acting_user=staff_school, activity=tree.intervention_a,
                             organisation=foundation, role=role)
    assert caught.value.field == field
    assert register_counts() == before


def test_refusals_are_not_permission_errors_when_rights_are_fine(tree, register_admin):
    with pytest.raises(ProgrammeError) as caught:
        activity_update(acting_user=register_admin, activity=tree.programme,
                        expected_version=1, end=dt.date(2024, 6, 1))
    assert not isinstance(caught.value, PermissionRefused)
