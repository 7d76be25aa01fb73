"""/signalen/nieuw/ and /signalen/mijn/: recording a concern on a page (by name or on the
map), the refusal of personal data that keeps the text in the form and leaves no trace,
field errors, permissions, and the professional's own list and text."""

from __future__ import annotations

import logging
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkbalans.accounts.models import AuditEntry
from wijkbalans.concerns.models import Concern

from .conftest import buurt_code, centre

NEW, MINE = "/signalen/nieuw/", "/signalen/mijn/"
PHONE_TEXT = "Jongeren worden bij het winkelcentrum geronseld. Bel 06-12345678 voor meer."
CLEAN_TEXT = "Jongeren worden bij het winkelcentrum geronseld als koerier."

@pytest.fixture(autouse=True)
def english(settings):
    """The pages in English, so that the assertions hold whatever the Dutch wording."""
    settings.LANGUAGE_CODE = "en"



def row_counts() -> dict[str, int]:
    return {model._meta.db_table: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)}


def form(**overrides) -> dict:
    data = {"theme": "undermining", "sign": "youth_recruitment", "buurt": buurt_code(1, 2),
            "week": "2025-W24", "severity": "2", "text": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def teacher(client, signal_city):
    client.force_login(signal_city.teacher)
    return client


def html(response) -> str:
    return response.content.decode()


def test_the_form_offers_the_buurten_by_wijk_the_last_13_weeks_and_the_notice(teacher,
                                                                            signal_city):
    response = teacher.get(NEW)
    assert response.status_code == 200
    form_ = response.context["form"]
    groups = form_.fields["buurt"].choices
    assert groups[0][0] == ""
    assert [(wijk, [code for code, _ in options]) for wijk, options in groups[1:]] == [
        ("Wijk 1", [buurt_code(1, b) for b in (1, 2, 3)]),
        ("Wijk 2", [buurt_code(2, b) for b in (1, 2, 3)])]
    weeks = [value for value, _ in form_.fields["week"].choices]
    # Today is Wednesday 18 June 2025, week 25; 12 weeks back is week 13.
    assert weeks[0] == "2025-W25" and weeks[-1] == "2025-W13" and len(weeks) == 13
    assert form_["week"].value() == "2025-W25"
    page = html(response)
    assert 'id="text-notice"' in page and 'aria-describedby="text-notice"' in page
    assert re.search(r'<option value="2025-W25" selected>', page)
    # One organisation: it is named, not chosen.
    assert response.context["single"] == signal_city.orgs.school
    assert 'type="hidden" name="organisation"' in page
    # The map is hidden until the script shows it; the list works without it.
    assert 'id="buurt-map" class="map pick" hidden' in page
    assert "leaflet/leaflet.js" in page and "//cdn" not in page


def test_a_concern_recorded_by_name_is_routed_and_listed(teacher, signal_city):
    response = teacher.post(NEW, form(text=CLEAN_TEXT))
    assert response.status_code == 302 and response["Location"] == MINE
    concern = Concern.objects.get()
    assert (concern.theme, concern.sign, concern.buurt.code, concern.week, concern.severity,
            concern.organisation, concern.reporter, concern.text) == (
        "undermining", "youth_recruitment", buurt_code(1, 2), "2025-W24", 2,
        signal_city.orgs.school, signal_city.teacher, CLEAN_TEXT)
    assert sorted(a.organisation.slug for a in concern.assignments.all()) == [
        "gemeente", "politie"]
    listing = teacher.get(MINE)
    message = [str(m) for m in listing.context["messages"]][0]
    assert "Gemeente Signaalstad, Politie Signaalstad" in message
    assert CLEAN_TEXT not in message
    (row,) = listing.context["rows"]
    assert row["concern"].pk == concern.pk
    assert [(a["organisation"], a["status"]) for a in row["routed"]] == [
        ("Gemeente Signaalstad", "routed"), ("Politie Signaalstad", "routed")]
    assert CLEAN_TEXT not in html(listing)  # lists never show the text


def test_a_point_on_the_map_chooses_the_buurt_and_is_not_kept(teacher):
    lon, lat = centre(2, 1)
    with CaptureQueriesContext(connection) as queries:
        response = teacher.post(NEW, form(buurt="", lon=f"{lon:.6f}", lat=f"{lat:.6f}"))
    assert response.status_code == 302
    assert Concern.objects.get().buurt.code == buurt_code(2, 1)
    written = [q["sql"] for q in queries.captured_queries
               if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert written and not any(f"{lon:.4f}"[:6] in sql or f"{lat:.4f}"[:6] in sql
                               for sql in written)
    entry = AuditEntry.objects.get(action="concern.submit")
    assert str(lon)[:6] not in str(entry.after) and str(lat)[:6] not in str(entry.after)


def test_personal_data_is_refused_the_text_stays_and_nothing_is_left(teacher, caplog,
                                                                     settings):
    settings.ADMINS = [("Beheer", "beheer@example.org")]
    for name in ("", "django", "wijkbalans"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        response = teacher.post(NEW, form(text=PHONE_TEXT))
    assert response.status_code == 400
    assert row_counts() == before  # no concern, no audit entry, no session change
    page = html(response)
    # The text comes back untouched in the field, and the number is marked.
    assert f">{PHONE_TEXT}</textarea>" in page
    refused = response.context["refused"]
    assert [f["text"] for f in refused["findings"]] == ["06-12345678"]
    assert "<mark>06-12345678</mark>" in page
    assert [p["text"] for p in refused["pieces"] if p["mark"]] == ["06-12345678"]
    assert "".join(p["text"] for p in refused["pieces"]) == PHONE_TEXT
    assert response.context["form"].errors["text"]
    # No trace: no log line, no SQL, no mail, no cookie, no message with any of it.
    fragments = ["12345678", "geronseld"]
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert not any(f in logged for f in fragments)
    assert not any(f in q["sql"] or f in str(q.get("params", ""))
                   for q in queries.captured_queries for f in fragments)
    assert mail.outbox == []
    assert not any(f in morsel.value for morsel in response.cookies.values()
                   for f in fragments)
    assert list(response.context["messages"]) == []


def test_after_removing_the_number_it_is_accepted(teacher):
    assert teacher.post(NEW, form(text=PHONE_TEXT)).status_code == 400
    cleaned = PHONE_TEXT.replace(" Bel 06-12345678 voor meer.", "")
    response = teacher.post(NEW, form(text=cleaned))
    assert response.status_code == 302
    assert Concern.objects.get().text == cleaned


def test_a_refused_map_point_is_named_again(teacher):
    lon, lat = centre(1, 3)
    response = teacher.post(NEW, form(buurt="", lon=str(lon), lat=str(lat), text=PHONE_TEXT))
    assert response.status_code == 400
    assert response.context["map_buurt"].code == buurt_code(1, 3)
    page = html(response)
    assert f'name="lon" value="{lon}"' in page and "Buurt 1.3" in page


@pytest.mark.parametrize("overrides, field", [
    ({"theme": None}, "theme"),
    ({"theme": "drugs"}, "theme"),
    ({"buurt": ""}, "buurt"),
    ({"buurt": "BU12345678"}, "buurt"),
    ({"week": "2025-W12"}, "week"),  # 13 weeks back
    ({"week": "2025-W26"}, "week"),  # next week
    ({"severity": "4"}, "severity"),
    ({"severity": None}, "severity"),
    ({"theme": "housing"}, "sign"),  # a sign of undermining with another theme
    ({"text": "x" * 2001}, "text"),
    ({"buurt": "", "lon": "4.0", "lat": "52.0"}, "buurt"),  # a point in no buurt
])
def test_field_errors_are_shown_at_the_field_and_write_nothing(teacher, overrides, field):
    before = row_counts()
    response = teacher.post(NEW, form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    assert f'id="id_{field}_error"' in html(response)
    assert row_counts() == before


def test_nothing_typed_is_lost_on_an_error_and_an_empty_post_is_an_error(teacher):
    response = teacher.post(NEW, form(severity=None, text=CLEAN_TEXT))
    assert response.status_code == 400
    assert f">{CLEAN_TEXT}</textarea>" in html(response)
    assert re.search(r'<input type="radio" name="theme" value="undermining"[^>]* checked',
                     html(response))
    empty = teacher.post(NEW, {})
    assert empty.status_code == 400
    assert {"theme", "buurt", "week", "severity"} <= set(empty.context["form"].errors)
    assert Concern.objects.count() == 0


def test_who_may_record(client, signal_city):
    assert client.get(NEW).status_code == 302  # to the log-in page
    assert client.post(NEW, form()).status_code == 302
    client.force_login(signal_city.programme)
    before = row_counts()
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form()).status_code == 403
    assert client.get(MINE).status_code == 403
    assert row_counts() == before
    client.force_login(signal_city.police_officer)  # a partner records for its own
    assert client.post(NEW, form()).status_code == 302
    assert Concern.objects.get().reporter_role == "partner"


def test_a_user_of_two_organisations_chooses_one_of_their_own(client, signal_city):
    from wijkbalans.accounts.services import membership_grant

    membership_grant(user=signal_city.teacher, organisation=signal_city.orgs.debt_help,
                     role="professional")
    client.force_login(signal_city.teacher)
    response = client.get(NEW)
    assert response.context["single"] is None
    assert [n for _, n in response.context["form"].fields["organisation"].choices] == [
        "Basisschool De Linde", "Schuldhulp Signaalstad"]
    police = str(signal_city.orgs.police.pk)
    before = row_counts()
    response = client.post(NEW, form(organisation=police))
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    assert row_counts() == before
    response = client.post(NEW, form(organisation=str(signal_city.orgs.debt_help.pk)))
    assert response.status_code == 302
    assert Concern.objects.get().organisation == signal_city.orgs.debt_help


def test_an_unknown_gemeente_is_a_400(teacher):
    response = teacher.get(NEW, {"gemeente": "GM0001"})
    assert response.status_code == 400 and response.context["form"] is None


def test_the_map_gets_the_buurten_of_the_gemeente(teacher, client, signal_city):
    response = teacher.get("/signalen/nieuw/buurten.geojson", {"gemeente": "GM0998"})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"]["code"] for f in features] == signal_city.buurten
    assert features[0]["properties"]["label"] == "Buurt 1.1"
    assert features[0]["geometry"]["type"] == "Polygon"
    client.force_login(signal_city.programme)
    assert client.get("/signalen/nieuw/buurten.geojson").status_code == 403


def test_own_concerns_and_their_text_read_on_request(teacher, client, submit, signal_city):
    mine = submit(text="zorgen over schulden in de flat", severity=3)
    other = submit(acting_user=signal_city.debt_worker, organisation=signal_city.orgs.debt_help)
    listing = teacher.get(MINE)
    assert [r["concern"].pk for r in listing.context["rows"]] == [mine.pk]
    assert [(a["organisation"], a["status"]) for a in listing.context["rows"][0]["routed"]] \
        == [("Schuldhulp Signaalstad", "routed")]
    detail = teacher.get(f"{MINE}{mine.pk}/")
    assert detail.status_code == 200 and "zorgen over schulden" not in html(detail)
    reads = AuditEntry.objects.filter(action="concerns.text.read")
    shown = teacher.post(f"{MINE}{mine.pk}/tekst/")
    assert shown.status_code == 200 and shown.context["text"] == "zorgen over schulden in de flat"
    assert 'id="free-text"' in html(shown) and "no-cache" in shown["Cache-Control"]
    assert reads.count() == 1 and reads.get().actor == signal_city.teacher
    # Another professional's concern: refused, and nothing is read or written.
    before = row_counts()
    assert teacher.get(f"{MINE}{other.pk}/").status_code == 403
    assert teacher.post(f"{MINE}{other.pk}/tekst/").status_code == 403
    assert teacher.get(f"{MINE}99999/").status_code == 404
    assert teacher.get(f"{MINE}{mine.pk}/tekst/").status_code == 405
    assert row_counts() == before
    client.logout()
    assert client.post(f"{MINE}{mine.pk}/tekst/").status_code == 302


def test_the_list_reads_in_a_fixed_number_of_queries(teacher, submit,
                                                     django_assert_max_num_queries):
    for _ in range(3):
        submit(theme="undermining")
    with django_assert_max_num_queries(12) as few:
        teacher.get(MINE)
    for _ in range(20):
        submit(theme="undermining")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = teacher.get(MINE)
    assert len(response.context["rows"]) == 23
