"""The staff pages under /meedoen/beheer/: the list of consultations, proposals and budget
rounds with their state; creating and changing a consultation (area by code or name, or
an area set); setting up a budget round with amounts typed the Dutch way, its projects,
and publishing it. Only the municipality's programme staff come in; a round changes only
by the staff of its programme's owner. A refused form keeps what was typed, names what
was expected, and writes nothing; a forbidden POST is a 403 and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.participation.models import BudgetProject, BudgetRound, Consultation
from wijkbalans.participation.services.consultations import consultation_create
from wijkbalans.participation.services.proposals import proposal_submit

from .conftest import B00, W0, end_voting, member, round_in

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
BASE = "/meedoen/beheer/"


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def other_moderator(db):
    """Programme staff of another municipality: a moderator, but not of ``programme``."""
    from wijkbalans.accounts.services import organisation_create

    return member("anderestad", organisation_create(name="Gemeente Anderestad",
                                                    kind="municipality"), "programme_staff")


@pytest.fixture
def draft_round(city, moderator, programme, source):
    return round_in(moderator=moderator, programme=programme, source=source, publish=False,
                    costs=("6000", "3000"))


def consultation_data(**changes) -> dict:
    data = {"title": "Een speeltuin aan de Oosterparkstraat", "area": "Oosterpark",
            "area_set": "", "text": "Waar moet de speeltuin komen?",
            "opens": "2026-09-01T09:00", "closes": "2026-09-29T17:00", "activity": ""}
    data.update(changes)
    return data


def round_data(**changes) -> dict:
    data = {"title": "Wijkbudget Zuid 2026", "area": "", "area_set": "noord",
            "description": "Kies wat de buurt nodig heeft.", "total_budget": "50.000,00",
            "max_projects": "3", "opens": "1-10-2026 09:00", "closes": "2026-10-31T17:00",
            "year": "2026", "programme": "nplv-teststad", "source": "wijkbudget"}
    data.update(changes)
    return data


def audit(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# -- who comes in -----------------------------------------------------------------------

def test_the_staff_pages_are_for_the_municipalitys_programme_staff(
        client, city, make_resident, outsider_staff, moderator):
    for path in (BASE, f"{BASE}raadpleging/nieuw/", f"{BASE}budget/nieuw/"):
        client.logout()
        anonymous = client.get(path)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/inloggen/")
        client.force_login(make_resident())
        assert client.get(path).status_code == 403
        client.force_login(outsider_staff)  # programme staff of a housing corporation
        assert client.get(path).status_code == 403
        client.force_login(moderator)
        assert client.get(path).status_code == 200
    before = Consultation.objects.count()
    client.force_login(outsider_staff)
    assert client.post(f"{BASE}raadpleging/nieuw/", consultation_data()).status_code == 403
    assert Consultation.objects.count() == before


def test_the_list_shows_every_item_with_its_state_and_the_way_to_act(
        client, consultation, budget_round, draft_round, make_resident, moderator):
    proposal = proposal_submit(acting_user=make_resident("9711AA"), title="Meer bankjes",
                               text="Bij de vijver.", area_code=B00)
    end_voting(budget_round)
    client.force_login(moderator)
    html = client.get(BASE).content.decode()
    consultations = html.split('id="consultations-title"')[1].split("</section>")[0]
    assert "Een nieuw plein" in consultations and "open for comments" in consultations
    assert f'href="{BASE}raadpleging/{consultation.pk}/"' in consultations
    proposals = html.split('id="proposals-title"')[1].split("</section>")[0]
    assert "Meer bankjes" in proposals and "collecting support" in proposals
    assert "0 of 25" in proposals and "not reviewed yet" in proposals
    assert f'href="/meedoen/moderatie/voorstel/{proposal.pk}/"' in proposals
    rounds = html.split('id="rounds-title"')[1].split("</section>")[0]
    ended = rounds.split(f'href="/meedoen/budget/{budget_round.pk}/"')[1].split("</tr>")[0]
    assert "voting ended; not counted yet" in ended and "€ 10,000.00" in ended
    assert f'href="/meedoen/budget/{budget_round.pk}/#close-title"' in ended
    drafted = rounds.split(f'href="/meedoen/budget/{draft_round.pk}/"')[1].split("</tr>")[0]
    assert ">draft<" in drafted and f'href="{BASE}budget/{draft_round.pk}/"' in drafted
    assert 'href="/meedoen/moderatie/"' in html
    assert html.count('class="table-scroll" tabindex="0"') == 3


def test_the_list_reads_in_a_fixed_number_of_queries(client, consultation, budget_round,
                                                     moderator, programme, source):
    client.force_login(moderator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BASE).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    now = timezone.now()
    for n in range(3):
        consultation_create(acting_user=moderator, title=f"Plan {n}", text="Tekst.",
                            opens=now, closes=now + dt.timedelta(days=3),
                            area_set_slug="noord")
        round_in(moderator=moderator, programme=programme, source=source, area_code=B00,
                 publish=n % 2 == 0)
    assert queries() == few


def test_the_moderation_page_and_the_index_link_to_the_staff_list(client, city, moderator):
    assert 'href="/meedoen/beheer/"' not in client.get("/meedoen/").content.decode()
    client.force_login(moderator)
    assert 'href="/meedoen/beheer/"' in client.get("/meedoen/").content.decode()
    assert 'href="/meedoen/beheer/"' in client.get("/meedoen/moderatie/").content.decode()


# -- consultations ----------------------------------------------------------------------

def test_create_a_consultation_for_an_area_named_by_its_name(client, city, moderator,
                                                             programme):
    client.force_login(moderator)
    response = client.post(f"{BASE}raadpleging/nieuw/",
                           consultation_data(activity="nplv-teststad"))
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}raadpleging/{consultation.pk}/?opgeslagen=1"
    assert consultation.area.code == B00 and consultation.area_set is None
    assert consultation.status == "draft" and consultation.activity == programme
    assert consultation.opens == dt.datetime(2026, 9, 1, 9, 0, tzinfo=AMS)
    assert consultation.opens == dt.datetime(2026, 9, 1, 7, 0, tzinfo=dt.UTC)  # CEST
    assert audit("participation.consultation.create") == 1
    html = client.get(response["Location"]).content.decode()
    assert "Saved." in html and "It is a draft: only staff see it." in html
    assert "Oosterpark" in html and 'value="2026-09-01T09:00"' in html


def test_create_and_publish_for_an_area_set_or_a_code(client, city, moderator):
    client.force_login(moderator)
    client.post(f"{BASE}raadpleging/nieuw/",
                consultation_data(area="", area_set="noord", publish="on"))
    client.post(f"{BASE}raadpleging/nieuw/",
                consultation_data(area=" wk099900 ", title="Noord"))
    by_set, by_code = Consultation.objects.order_by("id")
    assert (by_set.area_set.slug, by_set.status) == ("noord", "published")
    assert (by_code.area.code, by_code.status) == (W0, "draft")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"closes": "2026-08-01T09:00"}, "closes",
     "The closing date must come after the opening date."),
    ({"opens": "morgen"}, "opens", "Expected a date and a time, such as 2026-03-01 09:00."),
    ({"area": "Atlantis"}, "area",
     "Expected the code or the name of a buurt, wijk or municipality, such as BU00140000 "
     "or Oosterpark; no area matches “Atlantis”."),
    ({"area": "De"}, "area", "“De” fits several areas: De Hoogte (buurt BU09990001), "
     "De Wijert (buurt BU09990101). Type the code of the one you mean."),
    ({"area": ""}, "area", "Choose an area or an area set (one of the two)."),
    ({"area_set": "noord"}, "area", "Choose an area or an area set (one of the two)."),
    ({"title": ""}, "title", "Give the consultation a title."),
    ({"title": "x" * 201}, "title", "Use at most 200 characters; this text has 201."),
])
def test_a_refused_consultation_names_the_field_keeps_the_input_and_writes_nothing(
        client, city, moderator, changes, field, message):
    client.force_login(moderator)
    data = consultation_data(**changes)
    response = client.post(f"{BASE}raadpleging/nieuw/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<div class="error" id="id_{field}_error"><p>{message}</p></div>' in html
    assert 'value="Een speeltuin aan de Oosterparkstraat"' in html or field == "title"
    assert "Waar moet de speeltuin komen?" in html
    assert Consultation.objects.count() == 0 and audit("participation.consultation.create") == 0


def test_change_a_draft_consultation_and_publish_it(client, city, moderator):
    client.force_login(moderator)
    client.post(f"{BASE}raadpleging/nieuw/", consultation_data())
    consultation = Consultation.objects.get()
    url = f"{BASE}raadpleging/{consultation.pk}/"
    page = client.get(url).content.decode()
    assert 'name="area"' not in page and 'name="publish"' in page
    refused = client.post(url, consultation_data(title="Nieuwe titel", closes="2026-08-01"))
    assert refused.status_code == 400 and 'value="Nieuwe titel"' in refused.content.decode()
    consultation.refresh_from_db()
    assert consultation.title == "Een speeltuin aan de Oosterparkstraat"
    assert audit("participation.consultation.update") == 0
    response = client.post(url, consultation_data(title="Nieuwe titel",
                                                  closes="2026-10-01T12:00", publish="on"))
    assert response["Location"] == f"{url}?opgeslagen=1"
    consultation.refresh_from_db()
    assert consultation.title == "Nieuwe titel" and consultation.status == "published"
    assert consultation.closes == dt.datetime(2026, 10, 1, 12, 0, tzinfo=AMS)
    assert audit("participation.consultation.update") == 1
    assert audit("participation.consultation.publish") == 1
    assert 'name="publish"' not in client.get(url).content.decode()


def test_another_user_cannot_change_a_consultation(client, consultation, make_resident,
                                                   outsider_staff):
    url = f"{BASE}raadpleging/{consultation.pk}/"
    for user in (make_resident(), outsider_staff):
        client.force_login(user)
        assert client.post(url, consultation_data(title="Gekaapt")).status_code == 403
    consultation.refresh_from_db()
    assert consultation.title == "Een nieuw plein"
    assert audit("participation.consultation.update") == 0


# -- budget rounds ----------------------------------------------------------------------

def test_set_up_a_round_with_a_dutch_amount(client, city, moderator, programme, source):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    client.force_login(moderator)
    response = client.post(f"{BASE}budget/nieuw/", round_data())
    budget_round = BudgetRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}budget/{budget_round.pk}/?opgeslagen=1"
    assert budget_round.total_budget == Decimal("50000.00")
    assert budget_round.area_set.slug == "noord" and budget_round.area is None
    assert (budget_round.max_projects, budget_round.year) == (3, 2026)
    assert (budget_round.programme, budget_round.source) == (programme, source)
    assert budget_round.opens == dt.datetime(2026, 10, 1, 9, 0, tzinfo=AMS)
    assert budget_round.closes == dt.datetime(2026, 10, 31, 17, 0, tzinfo=AMS)  # CET
    assert budget_round.status == "draft" and audit("participation.budget_round.create") == 1
    html = client.get(response["Location"]).content.decode()
    assert "€ 50.000,00" in html and 'value="50000"' in html


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"total_budget": "50.000,5x"}, "total_budget",
     "Expected an amount in euros such as 1,234.56, with at most two decimals; found "
     "50.000,5x."),
    ({"total_budget": "0"}, "total_budget", "Expected an amount above zero."),
    ({"year": "2030"}, "year", "The funding source Wijkbudget Teststad does not run in 2030."),
    ({"year": "twintig"}, "year", "Expected a year such as 2026."),
    ({"max_projects": "0"}, "max_projects", "Expected a whole number from 1, or nothing."),
    ({"programme": ""}, "programme", "Choose the programme."),
    ({"source": "onbekend"}, "source", "Choose one of the funding sources in the list."),
])
def test_a_refused_round_names_the_field_keeps_the_input_and_writes_nothing(
        client, city, moderator, programme, source, changes, field, message):
    client.force_login(moderator)
    response = client.post(f"{BASE}budget/nieuw/", round_data(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<div class="error" id="id_{field}_error"><p>{message}</p></div>' in html
    assert 'value="Wijkbudget Zuid 2026"' in html and 'value="1-10-2026 09:00"' in html
    assert BudgetRound.objects.count() == 0 and audit("participation.budget_round.create") == 0


def test_a_round_under_a_programme_of_another_owner_is_403(client, city, moderator, source,
                                                          outsider_staff):
    from wijkbalans.programmes.services.register import activity_create

    corporation = outsider_staff.memberships.get().organisation
    activity_create(acting_user=outsider_staff, code="woonstad-programma", kind="programme",
                    title="Programma Woonstad", owner=corporation, public=False)
    client.force_login(moderator)
    response = client.post(f"{BASE}budget/nieuw/", round_data(programme="woonstad-programma"))
    assert response.status_code == 403
    assert BudgetRound.objects.count() == 0


def test_projects_are_added_changed_and_removed_while_a_draft(client, draft_round,
                                                              moderator, make_resident):
    proposal = proposal_submit(acting_user=make_resident("9711AA"), title="Een moestuin",
                               text="Samen tuinieren.", area_code=B00)
    client.force_login(moderator)
    url = f"{BASE}budget/{draft_round.pk}/"
    page = client.get(url).content.decode()
    assert f'<option value="{proposal.pk}">Een moestuin (collecting support)</option>' in page
    added = client.post(f"{url}project/nieuw/", {
        "title": "Moestuin", "description": "Bakken en gereedschap.", "cost": "1.250,50",
        "proposal": str(proposal.pk)}, HTTP_ACCEPT_LANGUAGE="nl")
    assert added.status_code == 302 and added["Location"] == f"{url}#projecten"
    project = BudgetProject.objects.get(title="Moestuin")
    assert project.cost == Decimal("1250.50") and project.proposal == proposal

    too_dear = client.post(f"{url}project/nieuw/", {"title": "Zwembad", "cost": "60000"})
    html = too_dear.content.decode()
    assert too_dear.status_code == 400
    assert 'id="id_project_cost_error"' in html and "more than the whole budget of" in html
    assert 'value="Zwembad"' in html and 'value="60000"' in html
    assert draft_round.projects.count() == 3

    edit = f"{BASE}project/{project.pk}/"
    assert client.post(edit, {"title": "Moestuin De Hoogte", "description": "",
                              "cost": "2000"})["Location"] == f"{url}#projecten"
    project.refresh_from_db()
    assert (project.title, project.cost, project.description) == (
        "Moestuin De Hoogte", Decimal("2000.00"), "")
    assert client.post(f"{edit}verwijderen/")["Location"] == f"{url}#projecten"
    assert not BudgetProject.objects.filter(pk=project.pk).exists()
    assert [audit(f"participation.budget_project.{a}") for a in ("add", "update", "remove")
            ] == [3, 1, 1]  # two projects of the fixture, one here


def test_change_the_round_and_publish_it(client, draft_round, moderator):
    client.force_login(moderator)
    url = f"{BASE}budget/{draft_round.pk}/"
    data = round_data(title="Wijkbudget Noord", total_budget="12.500", max_projects="",
                      opens="2026-09-01T09:00", closes="2026-09-30T17:00")
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")["Location"] == \
        f"{url}?opgeslagen=1"
    draft_round.refresh_from_db()
    assert (draft_round.title, draft_round.total_budget, draft_round.max_projects) == (
        "Wijkbudget Noord", Decimal("12500.00"), None)
    assert draft_round.area.code == W0  # the area does not change
    assert client.post(f"{url}publiceren/")["Location"] == url
    draft_round.refresh_from_db()
    assert draft_round.status == "published"
    page = client.get(url).content.decode()
    assert "This budget round is published" in page and 'name="total_budget"' not in page
    refused = client.post(url, data | {"title": "Te laat", "total_budget": "12,500"})
    assert refused.status_code == 400
    assert ('<div class="problem" role="alert"><p>This budget round is published; its '
            "budget, dates and projects can no longer change.</p></div>"
            in refused.content.decode())
    assert 'value="Te laat"' in refused.content.decode()
    assert client.post(f"{url}project/nieuw/", {"title": "Laat", "cost": "10"}
                       ).status_code == 400
    draft_round.refresh_from_db()
    assert draft_round.title == "Wijkbudget Noord" and draft_round.projects.count() == 2
    assert audit("participation.budget_round.update") == 1


def test_a_round_without_projects_is_not_published(client, city, moderator, programme,
                                                   source):
    client.force_login(moderator)
    client.post(f"{BASE}budget/nieuw/", round_data())
    budget_round = BudgetRound.objects.get()
    response = client.post(f"{BASE}budget/{budget_round.pk}/publiceren/")
    assert response.status_code == 400
    assert "Add at least one project first." in response.content.decode()
    budget_round.refresh_from_db()
    assert budget_round.status == "draft"


def test_a_moderator_of_another_owner_reads_the_round_but_cannot_change_it(
        client, draft_round, other_moderator):
    client.force_login(other_moderator)
    assert "You cannot set up a budget round" in client.get(
        f"{BASE}budget/nieuw/").content.decode()
    assert client.post(f"{BASE}budget/nieuw/", round_data()).status_code == 403
    url = f"{BASE}budget/{draft_round.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Only programme staff of Gemeente Teststad" in page.content.decode()
    assert 'name="total_budget"' not in page.content.decode()
    project = draft_round.projects.first()
    for path, data in ((url, round_data(title="Gekaapt")),
                       (f"{url}publiceren/", {}),
                       (f"{url}project/nieuw/", {"title": "Extra", "cost": "10"}),
                       (f"{BASE}project/{project.pk}/", {"title": "Gekaapt", "cost": "1"}),
                       (f"{BASE}project/{project.pk}/verwijderen/", {})):
        assert client.post(path, data).status_code == 403, path
    draft_round.refresh_from_db()
    assert (draft_round.title, draft_round.status) == ("Wijkbudget Noord 2026", "draft")
    assert BudgetRound.objects.count() == 1
    assert sorted(draft_round.projects.values_list("title", flat=True)) == [
        "Project A", "Project B"]


@pytest.mark.parametrize(("language", "typed", "expected"), [
    ("nl", "50.000,00", "50000.00"), ("nl", "50000", "50000"), ("nl", "€ 1.250,5", "1250.5"),
    ("nl", "50,000.00", "50000.00"), ("en", "50,000.00", "50000.00"),
    ("en", "50.000,00", "50000.00"), ("en", "12.5", "12.5"),
])
def test_amounts_are_read_as_typed(language, typed, expected):
    from django.utils import translation

    from wijkbalans.participation.web.staff_forms import EuroField

    with translation.override(language):
        assert EuroField().clean(typed) == Decimal(expected)


@pytest.mark.parametrize(("language", "typed"), [("nl", "50.000,001"), ("en", "50,00"),
                                                 ("nl", "1.2.3"), ("en", "vijftig")])
def test_malformed_amounts_are_refused_with_an_example(language, typed):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from wijkbalans.participation.web.staff_forms import EuroField

    with translation.override(language), pytest.raises(ValidationError) as refused:
        EuroField().clean(typed)
    example = "1.234,56" if language == "nl" else "1,234.56"  # the page's notation
    message = refused.value.messages[0]
    assert f" {example}, " in message and message.endswith(f" {typed}.")

