"""Pages of the register under /programma/: the tree and its filters, the activity page,
the forms for activities, partners, results and updates, the review and period locks.

Each control is shown only to whom the rules allow it; a forbidden POST is a 403 and
changes nothing; a form error names its field; an edit with a stale version shows the
current values and writes nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.programmes.models import Activity, ActivityPartner, ResultPeriod, ResultUpdate
from wijkbalans.programmes.services.register import activity_create, activity_update
from wijkbalans.programmes.services.results import (
    result_update_approve,
    result_update_create,
    result_update_edit,
)

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def listed_codes(response) -> list[str]:
    return [row["activity"].code for row in response.context["rows"]]


# -- the register tree -------------------------------------------------------------------

def test_the_public_sees_only_public_activities_and_no_money(client, tree):
    response = client.get("/programma/")
    assert response.status_code == 200
    assert listed_codes(response) == ["teststad-nplv", "jongerenwerk-na-school"]
    html = text(response)
    assert "Programmaregister" in html or "Programme register" in html
    assert "/programma/dekking/" not in html and "/programma/nieuw/" not in html
    # The public intervention hangs under the nearest public ancestor: depth 1.
    assert [row["depth"] for row in response.context["rows"]] == [0, 1]


def test_alliance_members_see_the_whole_tree_in_order(client, tree, analyst):
    response = as_user(client, analyst).get("/programma/")
    assert listed_codes(response) == ["teststad-nplv", "teststad-onderwijs",
                                      "jongerenwerk-na-school", "schoolmaatschappelijk-werk"]
    assert [row["depth"] for row in response.context["rows"]] == [0, 1, 2, 2]
    html = text(response)
    assert 'href="/programma/dekking/"' in html and 'href="/programma/nieuw/"' not in html
    assert '<caption>' in html and 'scope="col"' in html and 'tabindex="0"' in html


@pytest.mark.parametrize(("query", "matches", "shown"), [
    ({"status": "running"}, 2, ["teststad-nplv", "teststad-onderwijs"]),
    ({"theme": "safety"}, 1, ["teststad-nplv"]),
    ({"owner": "stichting-scholen-teststad"}, 1,
     ["teststad-nplv", "teststad-onderwijs", "schoolmaatschappelijk-werk"]),
    # BU99900101 directly (intervention a) and through the area set (the programme).
    ({"area": "BU99900101"}, 2,
     ["teststad-nplv", "teststad-onderwijs", "schoolmaatschappelijk-werk"]),
    ({"area": "BU99900103"}, 0, []),
    ({"area": "WK999001"}, 2,
     ["teststad-nplv", "teststad-onderwijs", "schoolmaatschappelijk-werk"]),
    ({"area": "teststad-noord"}, 1, ["teststad-nplv"]),
])
def test_filters_keep_the_parents_of_a_match_as_context(client, tree, analyst, query,
                                                        matches, shown):
    response = as_user(client, analyst).get("/programma/", query)
    assert response.status_code == 200
    assert listed_codes(response) == shown
    assert response.context["matches"] == matches
    context = [row["activity"].code for row in response.context["rows"] if row["context"]]
    assert len(context) == len(shown) - matches


def test_a_bad_filter_value_is_a_400_naming_the_field(client, tree, analyst):
    response = as_user(client, analyst).get("/programma/", {"status": "bogus"})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    assert 'id="id_status_error"' in text(response)


def test_the_list_reads_in_a_fixed_number_of_queries(client, tree, analyst, register_admin,
                                                     gemeente):
    as_user(client, analyst)
    client.get("/programma/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/programma/")
    for n in range(6):
        activity_create(acting_user=register_admin, code=f"extra-{n}", kind="intervention",
                        title=f"Extra {n}", owner=gemeente, parent=tree.action_line,
                        area_codes=["BU99900102"], themes=["safety"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/programma/")
    assert len(response.context["rows"]) == 10
    assert len(many) == len(few)


# -- the activity page ------------------------------------------------------------------

def test_the_public_reads_a_public_activity_but_not_a_private_one(client, tree):
    assert client.get("/programma/schoolmaatschappelijk-werk/").status_code == 404
    response = client.get("/programma/teststad-nplv/")
    assert response.status_code == 200
    assert response.context["money"] is None
    html = text(response)
    assert "bewerken" not in html and "Begroting" not in html and "Budget" not in html
    # Its area set links to the neighbourhood figures of the monitor.
    assert 'href="/gebied/teststad-noord/"' in html


def test_the_activity_page_shows_what_who_where_and_evidence(client, tree, analyst):
    response = as_user(client, analyst).get("/programma/schoolmaatschappelijk-werk/")
    assert response.status_code == 200
    html = text(response)
    assert "Stichting Scholen Teststad" in html and "Stichting Buurtkracht" in html
    assert 'href="/gebied/BU99900101/"' in html
    assert response.context["themes"] == []
    assert [a.code for a in response.context["crumbs"]] == ["teststad-nplv",
                                                            "teststad-onderwijs"]
    assert "NJi" in html  # the databank of the evidence level
    assert response.context["money"] == {"lines": [], "totals": {
        "planned": "€ 0,00", "committed": "€ 0,00", "spent": "€ 0,00"}}


@pytest.mark.parametrize(("user_key", "code", "visible", "hidden"), [
    ("staff_gemeente", "teststad-onderwijs",
     ["/bewerken/", "/resultaten/nieuw/", "/openbaar/", "?parent=teststad-onderwijs",
      "/rapportage/nieuw/"], ["/begroting/nieuw/"]),
    ("staff_school", "schoolmaatschappelijk-werk",
     ["/bewerken/", "/resultaten/nieuw/", "/partners/", "/rapportage/nieuw/"],
     ["/openbaar/", "/begroting/nieuw/"]),
    ("partner_school", "schoolmaatschappelijk-werk", ["/rapportage/nieuw/"],
     ["/bewerken/", "/resultaten/nieuw/", "/partners/", "/begroting/nieuw/", "/openbaar/"]),
    ("partner_police", "schoolmaatschappelijk-werk", [],
     ["/rapportage/nieuw/", "/bewerken/", "/partners/"]),
    ("finance_gemeente", "teststad-onderwijs", ["/begroting/nieuw/"],
     ["/bewerken/", "/rapportage/nieuw/", "/openbaar/"]),
    ("analyst", "teststad-onderwijs", ["/programma/dekking/"],
     ["/bewerken/", "/rapportage/nieuw/", "/begroting/nieuw/", "/openbaar/"]),
])
def test_controls_follow_the_permissions(client, tree, users, user_key, code, visible,
                                         hidden):
    html = text(as_user(client, users[user_key]).get(f"/programma/{code}/"))
    for part in visible:
        assert part in html, part
    for part in hidden:
        assert part not in html, part


def test_fixed_pages_are_not_taken_for_activity_codes():
    assert resolve("/programma/nieuw/").url_name == "activity_new"
    assert resolve("/programma/dekking/").url_name == "coverage"
    assert resolve("/programma/financiering/").url_name == "sources"
    assert resolve("/programma/samenhang/").url_name == "coherence"
    assert resolve("/programma/nieuwbouw/").url_name == "activity"


# -- creating and editing activities ----------------------------------------------------

NEW = {"code": "buurtsportcoach", "title": "Buurtsportcoach", "kind": "intervention",
       "parent": "teststad-onderwijs", "status": "planned", "start": "2025-01-01",
       "end": "2026-12-31", "area_codes": "BU99900102, BU99900103", "themes": ["health"],
       "links": "Plan | https://example.org/plan.pdf", "evidence_level": "not_rated",
       "evidence_databank": "", "evidence_url": "", "weight": "1,5"}


def test_programme_staff_create_an_activity(client, tree, staff_gemeente, gemeente):
    as_user(client, staff_gemeente)
    page = client.get("/programma/nieuw/?parent=teststad-onderwijs")
    assert page.status_code == 200
    html = text(page)
    for name in ("code", "title", "kind", "parent", "owner", "start", "end", "area_codes"):
        assert f'for="id_{name}"' in html, name
    response = client.post("/programma/nieuw/", {**NEW, "owner": str(gemeente.pk)})
    assert response.status_code == 302
    assert response["Location"] == "/programma/buurtsportcoach/"
    made = Activity.objects.get(code="buurtsportcoach")
    assert made.parent == tree.action_line and made.weight == Decimal("1.5")
    assert sorted(made.areas.values_list("code", flat=True)) == ["BU99900102", "BU99900103"]
    assert made.links == [{"title": "Plan", "url": "https://example.org/plan.pdf"}]
    assert made.themes == ["health"]
    assert AuditEntry.objects.filter(action="programmes.activity.create",
                                     object_id=str(made.pk)).count() == 1


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"code": "dekking"}, "code", "dekking"),
    ({"end": "2024-12-31"}, "end", "2024-12-31"),
    ({"area_codes": "BU12345678"}, "area_codes", "BU12345678"),
    ({"weight": "1,2345"}, "weight", "1,2345"),
    ({"links": "geen adres"}, "links", "geen adres"),
    ({"evidence_level": "effectief_sterke"}, "evidence_databank", ""),
])
def test_form_errors_name_the_field_and_change_nothing(client, tree, staff_gemeente,
                                                       gemeente, register_counts, change,
                                                       field, words):
    as_user(client, staff_gemeente)
    before = register_counts()
    response = client.post("/programma/nieuw/", {**NEW, "owner": str(gemeente.pk), **change})
    assert response.status_code == 400
    assert register_counts() == before
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert f'id="id_{field}_error"' in text(response)


def test_forbidden_creates_are_refused_and_change_nothing(client, tree, partner_school,
                                                          staff_school, gemeente,
                                                          register_counts):
    before = register_counts()
    anonymous = client.post("/programma/nieuw/", {**NEW, "owner": str(gemeente.pk)})
    assert anonymous.status_code == 302 and "/accounts/inloggen/" in anonymous["Location"]
    as_user(client, partner_school)
    assert client.get("/programma/nieuw/").status_code == 403
    assert client.post("/programma/nieuw/", {**NEW, "owner": str(gemeente.pk)}
                       ).status_code == 403
    # Programme staff of the school board may not create under the municipality's line.
    as_user(client, staff_school)
    response = client.post("/programma/nieuw/", {**NEW, "owner": str(gemeente.pk)})
    assert response.status_code == 400  # the municipality is not among its owners
    assert register_counts() == before


def test_editing_saves_with_the_version_read(client, tree, staff_gemeente):
    as_user(client, staff_gemeente)
    page = client.get("/programma/teststad-onderwijs/bewerken/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(title="Kansrijk opgroeien in Noord", weight="")
    data["public"] = ""
    response = client.post("/programma/teststad-onderwijs/bewerken/", data)
    assert response.status_code == 302, response.context["form"].errors
    line = Activity.objects.get(code="teststad-onderwijs")
    assert line.title == "Kansrijk opgroeien in Noord" and line.version == 2


def test_a_stale_edit_shows_the_current_values_and_writes_nothing(client, tree,
                                                                  staff_gemeente,
                                                                  register_admin):
    as_user(client, staff_gemeente)
    page = client.get("/programma/teststad-onderwijs/bewerken/")
    form = page.context["form"]
    data = {k: ("" if v is None else v) for k, v in
            ((name, form[name].value()) for name in form.fields)}
    # Someone else saves in between.
    activity_update(acting_user=register_admin, activity=tree.action_line,
                    expected_version=1, title="Kansrijk opgroeien (nieuw)")
    audits = AuditEntry.objects.count()
    response = client.post("/programma/teststad-onderwijs/bewerken/",
                           {**data, "title": "Mijn titel"})
    assert response.status_code == 409
    assert Activity.objects.get(code="teststad-onderwijs").title == "Kansrijk opgroeien (nieuw)"
    assert AuditEntry.objects.count() == audits
    html = text(response)
    assert "Kansrijk opgroeien (nieuw)" in html and 'value="Mijn titel"' in html
    rows = {row["field"]: row["value"] for row in response.context["conflict"]["rows"]}
    assert (rows["code"], rows["title"]) == ("teststad-onderwijs", "Kansrijk opgroeien (nieuw)")
    assert (rows["themes"], rows["parent"]) == ("Onderwijs", "Teststad vooruit (teststad-nplv)")
    assert rows["public"] in ("no", "nee")
    # The form now carries the current version: saving again applies on top.
    again = client.post("/programma/teststad-onderwijs/bewerken/",
                        {**data, "title": "Mijn titel", "version": "2"})
    assert again.status_code == 302
    assert Activity.objects.get(code="teststad-onderwijs").title == "Mijn titel"


def test_others_may_not_edit_and_change_nothing(client, tree, staff_school, partner_school,
                                                register_counts):
    before = register_counts()
    for user in (staff_school, partner_school):
        as_user(client, user)
        assert client.get("/programma/teststad-onderwijs/bewerken/").status_code == 403
        assert client.post("/programma/teststad-onderwijs/bewerken/",
                           {"title": "x", "version": "1"}).status_code == 403
        assert client.post("/programma/teststad-onderwijs/openbaar/",
                           {"public": "1", "version": "1"}).status_code == 403
        assert client.post("/programma/teststad-onderwijs/verwijderen/").status_code == 403
    assert register_counts() == before


def test_municipal_programme_staff_make_an_activity_public(client, tree, staff_gemeente):
    as_user(client, staff_gemeente)
    response = client.post("/programma/schoolmaatschappelijk-werk/openbaar/",
                           {"public": "1", "version": "1"})
    assert response.status_code == 302
    assert Activity.objects.get(code="schoolmaatschappelijk-werk").public is True
    client.logout()
    assert client.get("/programma/schoolmaatschappelijk-werk/").status_code == 200


def test_deleting_refuses_an_activity_with_parts(client, tree, staff_gemeente,
                                                 register_counts):
    as_user(client, staff_gemeente)
    before = register_counts()
    response = client.post("/programma/teststad-onderwijs/verwijderen/")
    assert response.status_code == 400
    assert "schoolmaatschappelijk-werk" in response.context["problem"]
    assert register_counts() == before
    assert client.post("/programma/jongerenwerk-na-school/verwijderen/").status_code == 302
    assert not Activity.objects.filter(code="jongerenwerk-na-school").exists()


def test_partners_are_added_and_removed_by_programme_staff_only(client, tree, staff_school,
                                                                partner_school, police,
                                                                register_counts):
    url = "/programma/schoolmaatschappelijk-werk/partners/"
    as_user(client, partner_school)
    before = register_counts()
    assert client.post(url, {"organisation": police.pk, "role": "funding"}).status_code == 403
    assert register_counts() == before
    as_user(client, staff_school)
    assert client.post(url, {"organisation": police.pk, "role": "funding"}).status_code == 302
    partner = ActivityPartner.objects.get(organisation=police, role="funding")
    duplicate = client.post(url, {"organisation": police.pk, "role": "funding"})
    assert duplicate.status_code == 400
    assert "organisation" in duplicate.context["partner_form"].errors
    as_user(client, partner_school)
    assert client.post(f"{url}{partner.pk}/verwijderen/").status_code == 403
    as_user(client, staff_school)
    assert client.post(f"{url}{partner.pk}/verwijderen/").status_code == 302
    assert not ActivityPartner.objects.filter(pk=partner.pk).exists()


# -- results ----------------------------------------------------------------------------

def test_programme_staff_add_a_result_indicator_and_its_targets(client, tree, staff_school):
    as_user(client, staff_school)
    base = "/programma/schoolmaatschappelijk-werk/resultaten/"
    bad = client.post(f"{base}nieuw/", {"kind": "outcome", "name": "Verzuim",
                                        "direction": "down", "order": "1"})
    assert bad.status_code == 400
    assert "indicator_code" in bad.context["form"].errors
    response = client.post(f"{base}nieuw/", {"kind": "output", "name": "Ouders bereikt",
                                              "direction": "up", "baseline_value": "0",
                                              "order": "2"})
    assert response.status_code == 302
    result = tree.intervention_a.results.get(name="Ouders bereikt")
    assert response["Location"] == f"{base}{result.pk}/"
    target = client.post(f"{base}{result.pk}/", {"form": "period", "period": "2026",
                                                 "target": "37,5"})
    assert target.status_code == 302
    assert result.periods.get(period="2026").target == Decimal("37.5")
    wrong = client.post(f"{base}{result.pk}/", {"form": "period", "period": "2026-13"})
    assert wrong.status_code == 400 and "period" in wrong.context["period_form"].errors


def test_a_partner_reports_and_the_bureau_approves(client, tree, partner_school,
                                                   staff_school):
    as_user(client, partner_school)
    url = "/programma/schoolmaatschappelijk-werk/rapportage/nieuw/"
    page = client.get(url)
    assert page.status_code == 200
    periods = dict(page.context["form"].fields["period"].choices)
    assert str(tree.pupils_2025.pk) in periods
    response = client.post(url, {"period": tree.pupils_2025.pk,
                                 "organisation": tree.intervention_a.owner_id,
                                 "value": "80", "narrative": "Acht klassen",
                                 "action": "submit"})
    assert response.status_code == 302
    update = ResultUpdate.objects.get()
    assert update.status == "submitted" and update.value == Decimal("80")
    # The partner may not review; the bureau of the owner may.
    review = f"/programma/schoolmaatschappelijk-werk/rapportage/{update.pk}/beoordelen/"
    assert client.post(review, {"decision": "approve"}).status_code == 403
    as_user(client, staff_school)
    page = text(client.get("/programma/schoolmaatschappelijk-werk/"))
    assert review in page
    no_comment = client.post(review, {"decision": "return", "comment": ""})
    assert no_comment.status_code == 400
    assert "comment" in no_comment.context["form"].errors
    assert ResultUpdate.objects.get().status == "submitted"
    assert client.post(review, {"decision": "approve"}).status_code == 302
    assert ResultPeriod.objects.get(pk=tree.pupils_2025.pk).actual == Decimal("80")
    page = client.get("/programma/schoolmaatschappelijk-werk/")
    row = page.context["results"][0]["periods"][0]
    assert (row["period"].period, row["actual"], row["lockable"]) == ("2025", "80", True)
    # Progress: output from 0, latest target 200 (2026), latest actual 80: 40%.
    assert page.context["results"][0]["progress"]["text"] == "40%"


def test_drafts_are_seen_only_by_their_organisation(client, tree, partner_school,
                                                    staff_school, analyst):
    result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                         organisation=tree.intervention_a.owner, value=Decimal(12))
    for user, shown in ((partner_school, 1), (staff_school, 1), (analyst, 0)):
        page = as_user(client, user).get("/programma/schoolmaatschappelijk-werk/")
        assert len(page.context["results"][0]["periods"][0]["updates"]) == shown


def test_a_stale_update_edit_shows_the_current_value(client, tree, partner_school):
    update = result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                  organisation=tree.intervention_a.owner, value=Decimal(12))
    url = f"/programma/schoolmaatschappelijk-werk/rapportage/{update.pk}/bewerken/"
    as_user(client, partner_school)
    assert client.get(url).context["form"]["version"].value() == 1
    result_update_edit(acting_user=partner_school, update=update, expected_version=1,
                       value=Decimal("13.25"))
    response = client.post(url, {"value": "14", "narrative": "", "version": "1",
                                 "action": "draft"})
    assert response.status_code == 409
    assert ResultUpdate.objects.get(pk=update.pk).value == Decimal("13.25")
    assert [(r["field"], r["value"]) for r in response.context["conflict"]["rows"]] == [
        ("value", "13,25"), ("narrative", "–")]


def test_other_organisations_may_not_edit_an_update(client, tree, partner_school,
                                                    partner_police, register_counts):
    update = result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                  organisation=tree.intervention_a.owner, value=Decimal(12))
    before = register_counts()
    as_user(client, partner_police)
    url = f"/programma/schoolmaatschappelijk-werk/rapportage/{update.pk}/bewerken/"
    assert client.post(url, {"value": "99", "version": "1"}).status_code == 403
    assert client.get("/programma/schoolmaatschappelijk-werk/rapportage/nieuw/"
                      ).status_code == 403
    assert register_counts() == before


def test_the_bureau_locks_an_approved_period_and_only_an_admin_unlocks(
        client, tree, partner_school, staff_school, register_admin):
    update = result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                  organisation=tree.intervention_a.owner, value=Decimal(90),
                                  submit=True)
    url = f"/programma/schoolmaatschappelijk-werk/perioden/{tree.pupils_2025.pk}/vergrendelen/"
    as_user(client, staff_school)
    client.post(url, {"action": "lock"})
    assert ResultPeriod.objects.get(pk=tree.pupils_2025.pk).locked is False  # no actual yet
    result_update_approve(acting_user=staff_school, update=update)
    assert client.post(url, {"action": "lock"}).status_code == 302
    assert ResultPeriod.objects.get(pk=tree.pupils_2025.pk).locked is True
    assert client.post(url, {"action": "unlock"}).status_code == 403
    page = as_user(client, register_admin).get("/programma/schoolmaatschappelijk-werk/")
    assert "Unlock 2025" in text(page) or "2025 ontgrendelen" in text(page)
    assert client.post(url, {"action": "unlock"}).status_code == 302
    assert ResultPeriod.objects.get(pk=tree.pupils_2025.pk).locked is False


def test_the_review_form_is_usable_without_javascript(client, tree, partner_school,
                                                      staff_school):
    update = result_update_create(acting_user=partner_school, period=tree.pupils_2025,
                                  organisation=tree.intervention_a.owner, value=Decimal(5),
                                  submit=True)
    html = text(as_user(client, staff_school).get(
        f"/programma/schoolmaatschappelijk-werk/rapportage/{update.pk}/beoordelen/"))
    assert '<form method="post"' in html and "<script" not in html
    assert 'for="id_comment"' in html
    assert re.search(r'<button type="submit" name="decision" value="approve"', html)


@pytest.mark.parametrize("url", [
    "/programma/nieuw/", "/programma/teststad-onderwijs/bewerken/",
    "/programma/teststad-onderwijs/resultaten/nieuw/", "/programma/teststad-onderwijs/",
    "/programma/teststad-onderwijs/rapportage/nieuw/", "/programma/",
])
def test_every_field_has_a_label(client, tree, staff_gemeente, url):
    response = as_user(client, staff_gemeente).get(url)
    assert response.status_code == 200
    html = text(response)
    fields = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")'
                        r'[^>]*\bid="([^"]+)"', html)
    assert fields, url
    for field in fields:
        assert f'for="{field}"' in html, (url, field)
