"""/signalen/kennis/ and /signalen/: the knowledge library (guides, interventions of the
register with their evidence, who receives concerns per theme and area), its search and
theme filter, and who may read it; the guides' numbers are real national ones."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template

from wijkbalans.concerns import knowledge
from wijkbalans.concerns.guides import guides_for
from wijkbalans.concerns.models import Theme

URL, HUB = "/signalen/kennis/", "/signalen/"


@pytest.fixture(autouse=True)
def english(settings):
    """English pages, so that the assertions hold whatever the Dutch wording."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def register(signal_city):
    """A programme with two interventions: a strong one on debts run with debt help, and a
    well-described one for young people."""
    from wijkbalans.programmes.services.register import activity_create, activity_partner_add

    who = {"acting_user": signal_city.programme, "owner": signal_city.orgs.municipality}
    programme = activity_create(**who, code="signaalstad-nplv", kind="programme",
                                title="Signaalstad sterker", status="running",
                                start=dt.date(2024, 1, 1), themes=["poverty"])
    debts = activity_create(
        **who, code="vroeg-eropaf", kind="intervention", title="Vroeg Eropaf",
        parent=programme, status="running", start=dt.date(2024, 1, 1),
        themes=["poverty"], evidence_level="effectief_eerste", evidence_databank="movisie",
        evidence_url="https://www.movisie.nl/interventie/vroeg-eropaf",
        description="Huisbezoek bij de eerste betalingsachterstand.")
    activity_partner_add(acting_user=signal_city.programme, activity=debts,
                         organisation=signal_city.orgs.debt_help, role="implementing")
    activity_create(**who, code="straatcoaches", kind="intervention", title="Straatcoaches",
                    parent=programme, status="planned", themes=["safety", "education"],
                    evidence_level="goed_beschreven", evidence_databank="nji",
                    description="Coaches op straat.")
    return programme


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_library_shows_guides_contacts_and_interventions(client, register, signal_city):
    response = as_user(client, signal_city.teacher).get(URL)
    assert response.status_code == 200
    assert [g.theme for g in response.context["guides"]] == list(Theme.values)
    found = [(i.activity.code, i.runners, i.themes) for i in response.context["interventions"]]
    # Strongest evidence first; who runs it: the owner, then the implementing partners.
    assert found == [
        ("vroeg-eropaf", ["Gemeente Signaalstad", "Schuldhulp Signaalstad"],
         ["poverty_debts"]),
        ("straatcoaches", ["Gemeente Signaalstad"],
         ["undermining", "youth_at_risk"])]
    contacts = {t.theme: [(a.level, a.name, a.organisations) for a in t.areas]
                for t in response.context["contacts"]}
    assert contacts == {
        "undermining": [("gemeente", "Signaalstad", ["Gemeente Signaalstad",
                                                     "Politie Signaalstad"])],
        "poverty_debts": [("gemeente", "Signaalstad", ["Schuldhulp Signaalstad"])],
        "youth_at_risk": [("gemeente", "Signaalstad", ["Gemeente Signaalstad"]),
                          ("wijk", "Wijk 1", ["Basisschool De Linde"])]}
    page = response.content.decode()
    assert 'href="tel:08007000"' in page and "meldmisdaadanoniem.nl" in page
    assert 'href="https://www.movisie.nl/interventie/vroeg-eropaf"' in page
    assert 'href="/programma/vroeg-eropaf/"' in page


@pytest.mark.parametrize("query, guides, interventions, contacts", [
    ({"q": "geldfit"}, ["poverty_debts"], [], []),
    ({"q": "0800-7000"}, ["undermining"], [], []),
    ({"q": "SCHULDHULP"}, [], ["vroeg-eropaf"], ["poverty_debts"]),  # names, not guides
    ({"q": "één eenzaamheid"}, ["loneliness"], [], []),  # accents and case ignored
    ({"q": "politie signaalstad"}, [], [], ["undermining"]),
    ({"thema": "youth_at_risk"}, ["youth_at_risk"], ["straatcoaches"], ["youth_at_risk"]),
    ({"thema": "poverty_debts", "q": "huisbezoek"}, [], ["vroeg-eropaf"], []),
    ({"q": "xyzzy"}, [], [], []),
])
def test_search_and_theme_filter(client, register, signal_city, query, guides,
                                 interventions, contacts):
    response = as_user(client, signal_city.police_officer).get(URL, query)
    assert response.status_code == 200
    assert [g.theme for g in response.context["guides"]] == guides
    assert [i.activity.code for i in response.context["interventions"]] == interventions
    assert [t.theme for t in response.context["contacts"]] == contacts
    assert response.context["found"] == len(guides) + len(interventions) + len(contacts)


def test_the_guides_follow_the_language(client, signal_city, settings):
    settings.LANGUAGE_CODE = "nl"
    dutch = as_user(client, signal_city.teacher).get(URL, {"thema": "psychological"})
    (guide,) = dutch.context["guides"]
    assert guide.title.startswith("Wat doe je als")
    assert "113 Zelfmoordpreventie" in dutch.content.decode()
    settings.LANGUAGE_CODE = "en"
    (english,) = client.get(URL, {"thema": "psychological"}).context["guides"]
    assert english.title.startswith("What to do when")


def test_bad_filters_are_a_400(client, signal_city):
    user = as_user(client, signal_city.teacher)
    assert user.get(URL, {"thema": "drugs"}).status_code == 400
    assert user.get(URL, {"q": "x" * 101}).status_code == 400
    assert user.get(URL, {"gemeente": "GM0001"}).status_code == 400


def test_only_members_of_the_alliance_read_it(client, signal_city):
    from wijkbalans.accounts.services import membership_grant, user_create

    assert client.get(URL).status_code == 302 and client.get(HUB).status_code == 302
    resident = user_create(username="bewoner", password="a-long-test-password")
    membership_grant(user=resident, organisation=signal_city.orgs.municipality,
                     role="resident")
    client.force_login(resident)
    assert client.get(URL).status_code == 403 and client.get(HUB).status_code == 403
    template = Template("{% load concerns_nav %}{% if user|may_use_concerns %}yes{% endif %}")
    assert template.render(Context({"user": resident})) == ""
    assert template.render(Context({"user": signal_city.analyst})) == "yes"


@pytest.mark.parametrize("username, links", [
    ("teacher", ["new", "mine", "library"]),
    ("police_officer", ["new", "mine", "inbox", "library"]),
    ("programme", ["overview", "library"]),
])
def test_the_start_page_links_what_the_user_may_do(client, signal_city, username, links):
    response = as_user(client, getattr(signal_city, username)).get(HUB)
    assert response.status_code == 200
    main = response.content.decode().split('id="main"', 1)[1]  # not the site's navigation
    hrefs = re.findall(r'<li><a href="/signalen/([a-z]*)/?"', main)
    names = {"nieuw": "new", "mijn": "mine", "partner": "inbox", "overzicht": "overview",
             "kennis": "library"}
    assert [names[h] for h in hrefs] == links


# Every telephone number in the guides, checked against the organisations' own pages:
# emergency 112; police non-emergency; Meld Misdaad Anoniem; Geldfit (Nederlandse
# Schuldhulproute); Het Juridisch Loket; 113 Zelfmoordpreventie; De Luisterlijn; Veilig
# Thuis; De Kindertelefoon; the national gas and electricity outage number.
REAL_NUMBERS = {"112", "0900-8844", "0800-7000", "0800-8115", "0900-8020", "0800-0113",
                "088-0767000", "0800-2000", "0800-0432", "0800-9009", "113"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_guides_name_only_real_national_numbers(lang):
    guides = guides_for(lang)
    assert [g.theme for g in guides] == list(Theme.values)
    numbers = set()
    for guide in guides:
        assert guide.signs and guide.do and guide.dont and guide.contacts
        numbers |= {c.number for c in guide.contacts if c.number}
        numbers |= set(re.findall(r"\b0\d{2,3}-\d{4,7}\b|\b11[23]\b", guide.words()))
    assert numbers <= REAL_NUMBERS, numbers - REAL_NUMBERS
    assert {"112", "0800-7000", "0800-0113", "0800-8115"} <= numbers


def test_the_dutch_and_english_guides_say_the_same_numbers():
    for nl, en in zip(guides_for("nl"), guides_for("en"), strict=True):
        assert nl.theme == en.theme
        assert [c.number for c in nl.contacts] == [c.number for c in en.contacts]
        assert (len(nl.signs), len(nl.do), len(nl.dont)) == (len(en.signs), len(en.do),
                                                              len(en.dont))


def test_words_match_without_case_or_accents():
    assert knowledge.matches("Één tegen eenzaamheid", knowledge.words("EEN tegen"))
    assert not knowledge.matches("Geldfit", knowledge.words("geld hulp"))
    assert knowledge.words(" a b c d e f g h i j k l ") == list("abcdefghij")
