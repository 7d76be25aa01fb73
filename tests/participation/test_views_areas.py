"""The public neighbourhood pages: key figures as sentences (hand-computed), the
programme's public activities in and around the area, what is planned, how to take part,
and the "you said, we did" timeline with links to the activities; the index with its
search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wijkbalans.indicators import catalogue
from wijkbalans.indicators.importers.base import Parsed, observations_frame
from wijkbalans.indicators.services import load_parsed
from wijkbalans.participation.services import outcomes
from wijkbalans.participation.services.consultations import consultation_create
from wijkbalans.participation.services.proposals import proposal_submit

from .conftest import B00, B10, GM, W0, end_voting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    # The site speaks Dutch by default; these tests read the English msgids.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

# Oosterpark (B00) and Teststad (GM) in 2023 and 2024. werkzaam_pct 57.6 reads "58", the
# city's 68.6 "69"; 2023 is older and must not be said.
FIGURES = {
    "inwoners": {(B00, "2023"): 1200.0, (B00, "2024"): 1234.0, (GM, "2024"): 52000.0},
    "werkzaam_pct": {(B00, "2023"): 55.0, (B00, "2024"): 57.6, (GM, "2023"): 67.0,
                     (GM, "2024"): 68.6},
    "laag_inkomen_hh_pct": {(B00, "2024"): 12.4, (GM, "2024"): 7.1},
    "misdrijven_per_1000": {(B00, "2024"): 61.0},
}


def load_figures(values=FIGURES) -> None:
    rows = {k: [] for k in ("indicator", "area", "period", "value", "status", "row", "column")}
    for code, series in values.items():
        for (area, period), value in series.items():
            for key, item in (("indicator", code), ("area", area), ("period", period),
                              ("value", value), ("status", "value"), ("row", 0),
                              ("column", code)):
                rows[key].append(item)
    load_parsed(parsed=Parsed(observations=observations_frame(rows), areas=[],
                              indicators=[catalogue.spec(c) for c in values]),
                kind="test", file_name="figures", file_sha256="figures")


def test_key_figures_in_plain_sentences(client, city):
    load_figures()
    html = client.get(f"/meedoen/wijk/{B00}/").content.decode()
    assert "1,234 people live in Oosterpark." in html
    assert ("In Oosterpark, 58 out of 100 people aged 15 to 75 have paid work. "
            "In all of Teststad it is 69.") in html
    assert ("In Oosterpark, 12 out of 100 households have a low income. "
            "In all of Teststad it is 7.") in html
    # No value of the city in that period: the sentence stands alone.
    assert "the police registered 61 crimes per 1,000 residents. <span" in html
    assert "55 out of 100" not in html
    assert f'href="/gebied/{B00}/"' in html


def test_key_figures_in_dutch(client, city):
    load_figures()
    response = client.get(f"/meedoen/wijk/{B00}/", HTTP_ACCEPT_LANGUAGE="nl")
    # The figure itself is Dutch (thousands with a point) whatever the merged messages say.
    assert "1.234" in response.content.decode()


def test_an_area_without_figures_says_so(client, city):
    html = client.get(f"/meedoen/wijk/{B10}/").content.decode()
    assert "There are no figures for this area yet." in html


def test_unknown_or_malformed_codes_are_not_found(client, city):
    assert client.get("/meedoen/wijk/BU09999999/").status_code == 404
    assert client.get("/meedoen/wijk/noord/").status_code == 404
    assert client.get("/meedoen/wijk/NL00/").status_code == 404


@pytest.fixture
def register_here(moderator, gemeente, outsider_staff):
    """A public intervention in wijk Noord with a partner, a planned one for the whole
    city, one in Zuid and one that is not public."""
    from wijkbalans.accounts.models import Organisation
    from wijkbalans.programmes.services.register import activity_create, activity_partner_add

    noord = activity_create(acting_user=moderator, code="huiswerk", kind="intervention",
                            title="Huiswerkklas Noord", owner=gemeente, status="running",
                            area_codes=[W0], public=True,
                            description="Elke woensdag hulp bij huiswerk.")
    activity_partner_add(acting_user=moderator, activity=noord,
                         organisation=Organisation.objects.get(name="Woonstad"),
                         role="implementing")
    activity_create(acting_user=moderator, code="groen", kind="intervention",
                    title="Meer groen", owner=gemeente, status="planned",
                    start=dt.date(2026, 9, 1), area_codes=[GM], public=True)
    activity_create(acting_user=moderator, code="zuid", kind="intervention",
                    title="Speeltuin Zuid", owner=gemeente, status="running",
                    area_codes=[B10], public=True)
    activity_create(acting_user=moderator, code="intern", kind="intervention",
                    title="Interne werkgroep", owner=gemeente, status="running",
                    area_codes=[W0])
    return noord


def test_the_programme_here_and_what_is_planned(client, city, register_here, consultation,
                                                budget_round, moderator):
    now = timezone.now()
    consultation_create(acting_user=moderator, title="Plan voor de speeltuin", text="…",
                        opens=now + dt.timedelta(days=3), closes=now + dt.timedelta(days=20),
                        area_code=W0, publish=True)
    consultation_create(acting_user=moderator, title="Nog een concept", text="…",
                        opens=now, closes=now + dt.timedelta(days=20), area_code=B00)
    html = client.get(f"/meedoen/wijk/{B00}/").content.decode()
    doing = html.split('id="doing-title"')[1].split('id="planned-title"')[0]
    planned = html.split('id="planned-title"')[1].split('id="take-part-title"')[0]
    taking_part = html.split('id="take-part-title"')[1].split('id="did-title"')[0]
    assert "Huiswerkklas Noord" in doing and "Woonstad" in doing and "running" in doing
    assert "Speeltuin Zuid" not in html and "Interne werkgroep" not in html
    assert "Meer groen" in planned and "Plan voor de speeltuin" in planned
    assert "Nog een concept" not in html  # a draft
    assert "Een nieuw plein" in taking_part  # the open consultation
    assert "Wijkbudget Noord 2026" in taking_part and "€ 10,000.00" in taking_part
    assert '/programma/huiswerk/' in doing


def test_the_timeline_links_the_activity_an_outcome_became(client, city, register_here,
                                                           make_resident, moderator):
    resident = make_resident("9711AA")
    proposal = proposal_submit(acting_user=resident, title="Bankjes in het park", text="…",
                               area_code=B00)
    outcomes.outcome_publish(acting_user=moderator, status="adopted", proposal=proposal,
                             text="We zetten vier bankjes neer.", activity=register_here)
    outcomes.outcome_publish(acting_user=moderator, status="not_adopted",
                             consultation=None, proposal=proposal_submit(
                                 acting_user=resident, title="Een zwembad", text="…",
                                 area_code=W0),
                             text="Niet nu.", reason="Daar is geen ruimte voor.")
    html = client.get(f"/meedoen/wijk/{B00}/").content.decode()
    timeline = html.split('id="did-title"')[1]
    assert timeline.index("Een zwembad") < timeline.index("Bankjes in het park")  # newest first
    assert "We zetten vier bankjes neer." in timeline
    assert 'href="/programma/huiswerk/">Huiswerkklas Noord</a>' in timeline
    assert "Daar is geen ruimte voor." in timeline
    # The same outcome on the wijk's page (the buurt lies in it); not in Zuid.
    assert "Bankjes in het park" in client.get(f"/meedoen/wijk/{W0}/").content.decode()
    assert "Bankjes in het park" not in client.get(f"/meedoen/wijk/{B10}/").content.decode()


def test_the_area_page_reads_in_a_fixed_number_of_queries(client, city, make_resident,
                                                          moderator, register_here):
    load_figures()
    resident = make_resident("9711AA")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/meedoen/wijk/{B00}/").status_code == 200
        return len(queries)

    for n in range(2):
        p = proposal_submit(acting_user=resident, title=f"Idee {n}", text="…", area_code=B00)
        outcomes.outcome_publish(acting_user=moderator, status="adopted", proposal=p,
                                 text="Gedaan.", activity=register_here)
    few = count()
    for n in range(2, 6):
        p = proposal_submit(acting_user=make_resident("9711AA"), title=f"Idee {n}",
                            text="…", area_code=B00)
        outcomes.outcome_publish(acting_user=moderator, status="adopted", proposal=p,
                                 text="Gedaan.", activity=register_here)
    assert count() == few


def test_the_index_lists_areas_with_something_open_and_finds_areas(client, city,
                                                                   consultation, budget_round,
                                                                   moderator, programme,
                                                                   source):
    from .conftest import round_in

    closed = round_in(moderator=moderator, programme=programme, source=source,
                      area_code=B10)
    end_voting(closed)
    html = client.get("/meedoen/").content.decode()
    assert "Een nieuw plein" in html and f'href="/meedoen/wijk/{B00}/"' in html
    assert "Wijkbudget Noord 2026" in html and f'href="/meedoen/wijk/{W0}/"' in html
    assert f'href="/meedoen/wijk/{B10}/"' not in html  # its round has ended
    found = client.get("/meedoen/?q=de").content.decode()
    assert 'href="/meedoen/wijk/BU09990001/">De Hoogte</a>' in found
    assert 'href="/meedoen/wijk/BU09990101/">De Wijert</a>' in found
    one = client.get("/meedoen/?q=Wijert")
    assert one.status_code == 302 and one["Location"] == "/meedoen/wijk/BU09990101/"
    none = client.get("/meedoen/?q=Atlantis").content.decode()
    assert "No area has this name." in none


def test_a_round_on_an_area_set_links_its_buurten(client, city, moderator, programme, source):
    from .conftest import round_in

    round_in(moderator=moderator, programme=programme, source=source, area_code="",
             area_set_slug="noord")
    html = client.get("/meedoen/").content.decode()
    card = html.split("Noord-programma")[1].split("</li>\n</ul>")[0]
    assert 'href="/meedoen/wijk/BU09990000/">Oosterpark</a>' in card
    assert 'href="/meedoen/wijk/BU09990001/">De Hoogte</a>' in card
    # On the page of a member buurt, not on that of a buurt outside the set.
    assert "Wijkbudget Noord 2026" in client.get("/meedoen/wijk/BU09990001/").content.decode()
    assert "Wijkbudget Noord 2026" not in client.get(
        "/meedoen/wijk/BU09990002/").content.decode()
