"""A small city for the participation tests.

Teststad (GM0999) has two wijken: WK099900 with buurten BU09990000, BU09990001 and
BU09990002, and WK099901 with BU09990100 and BU09990101; the area set ``noord`` holds
BU09990000 and BU09990001. The postcode table comes from a file in the CBS format:

=======  ====================================================
9711AA   BU09990000 (3 addresses)
9711AB   BU09990001 (2) and BU09990100 (1): spans two wijken
9712AA   BU09990100 (2)
9712AB   BU09990101 (1)
=======  ====================================================

Users: ``moderator`` (programme staff of the municipality), ``finance`` (its finance
officer), ``outsider_staff`` (programme staff of a housing corporation), residents made
by ``make_resident(postcode)``. ``programme`` is a programme of the municipality, ``source``
a municipal funding source 2025-2027, ``budget_round`` an open round of € 10.000,00 on
WK099900 with projects A € 6.000, B € 5.000, C € 3.000 and D € 1.000.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone, translation

from wijkbalans.indicators.importers.base import AreaRecord

GM = "GM0999"
W0, W1 = "WK099900", "WK099901"
B00, B01, B02, B10, B11 = "BU09990000", "BU09990001", "BU09990002", "BU09990100", "BU09990101"
POSTCODE_FILE = """PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024
9711AA;1;9990000;99900;999
9711AA;3;9990000;99900;999
9711AA;5;9990000;99900;999
9711AB;2;9990001;99900;999
9711AB;4;9990001;99900;999
9711AB;6;9990100;99901;999
9712AA;1;9990100;99901;999
9712AA;2;9990100;99901;999
9712AB;7;9990101;99901;999
"""
PASSWORD = "een-lang-wachtwoord-2026"


def make_areas() -> None:
    from wijkbalans.areas.services import area_set_save, areas_register

    records = [AreaRecord(code=GM, name="Teststad", level="gemeente", year=2024),
               AreaRecord(code=W0, name="Noord", level="wijk", year=2024),
               AreaRecord(code=W1, name="Zuid", level="wijk", year=2024)]
    names = {B00: "Oosterpark", B01: "De Hoogte", B02: "Korrewegwijk", B10: "Helpman",
             B11: "De Wijert"}
    records += [AreaRecord(code=c, name=n, level="buurt", year=2024) for c, n in names.items()]
    with transaction.atomic():
        areas_register(records=records)
    area_set_save(slug="noord", name="Noord-programma", member_codes=[B00, B01])


@pytest.fixture(autouse=True)
def _fast_passwords_and_english(settings):
    # The real hasher takes most of a second per password, by design. Messages are
    # checked in English (the msgids); Dutch is the site's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def postcode_file(tmp_path):
    path = tmp_path / "pc6hnr20240801_gwb.csv"
    path.write_text(POSTCODE_FILE, encoding="utf-8")
    return path


@pytest.fixture
def city(db, postcode_file):
    from wijkbalans.participation.postcodes import postcodes_load

    make_areas()
    postcodes_load(postcode_file)


@pytest.fixture
def gemeente(db):
    from wijkbalans.accounts.services import organisation_create

    return organisation_create(name="Gemeente Teststad", kind="municipality")


def member(username: str, organisation, role: str):
    from wijkbalans.accounts.services import membership_grant, user_create

    user = user_create(username=username, password=PASSWORD)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def moderator(gemeente):
    return member("programma", gemeente, "programme_staff")


@pytest.fixture
def finance(gemeente):
    return member("financien", gemeente, "finance_officer")


@pytest.fixture
def outsider_staff(db):
    from wijkbalans.accounts.services import organisation_create

    corporation = organisation_create(name="Woonstad", kind="housing_corporation")
    return member("woonstad", corporation, "programme_staff")


def register_verified(email: str, postcode: str):
    """A resident through the real flow: register, read the token from the e-mail, verify."""
    from django.core import mail

    from wijkbalans.participation.services.identity import resident_register, resident_verify

    resident_register(email=email, postcode=postcode, password=PASSWORD,
                      verify_link="https://wijkbalans.example/meedoen/bevestigen/{token}/")
    token = mail.outbox[-1].body.split("/bevestigen/")[1].split("/")[0]
    return resident_verify(token=token)


@pytest.fixture
def make_resident(city):
    made = {"n": 0}

    def make(postcode: str = "9711AA"):
        made["n"] += 1
        return register_verified(f"bewoner{made['n']}@voorbeeld.nl", postcode)

    return make


@pytest.fixture
def programme(moderator, gemeente):
    from wijkbalans.programmes.services.register import activity_create

    return activity_create(acting_user=moderator, code="nplv-teststad", kind="programme",
                           title="Nationaal Programma Teststad", owner=gemeente)


@pytest.fixture
def source(finance):
    from wijkbalans.programmes.services.money import funding_source_save

    return funding_source_save(acting_user=finance, code="wijkbudget",
                               name="Wijkbudget Teststad", kind="municipal", start_year=2025,
                               end_year=2027)


def round_in(*, moderator, programme, source, area_code: str = W0, area_set_slug: str = "",
             costs=("6000", "5000", "3000", "1000"), total: str = "10000",
             max_projects=None, publish: bool = True):
    from wijkbalans.participation.services import budgets

    now = timezone.now()
    budget_round = budgets.budget_round_create(
        acting_user=moderator, title="Wijkbudget Noord 2026", total_budget=total,
        opens=now - dt.timedelta(days=1), closes=now + dt.timedelta(days=7), year=2026,
        programme=programme, source=source, area_code=area_code,
        area_set_slug=area_set_slug, max_projects=max_projects)
    for letter, cost in zip("ABCDEFGH", costs, strict=False):
        budgets.budget_project_add(acting_user=moderator, budget_round=budget_round,
                                   title=f"Project {letter}", cost=Decimal(cost),
                                   description=f"Beschrijving van project {letter}.")
    if publish:
        budget_round = budgets.budget_round_publish(acting_user=moderator,
                                                    budget_round=budget_round)
    return budget_round


@pytest.fixture
def budget_round(city, moderator, programme, source):
    return round_in(moderator=moderator, programme=programme, source=source)


def projects(budget_round) -> dict[str, int]:
    """Project ids by letter."""
    return {p.title[-1]: p.pk for p in budget_round.projects.order_by("id")}


def end_voting(budget_round) -> None:
    """Move the closing time into the past (as if the voting period ended)."""
    from wijkbalans.participation.models import BudgetRound

    now = timezone.now()
    BudgetRound.objects.filter(pk=budget_round.pk).update(
        opens=now - dt.timedelta(days=8), closes=now - dt.timedelta(seconds=1))
    budget_round.refresh_from_db()


@pytest.fixture
def consultation(city, moderator):
    from wijkbalans.participation.services.consultations import consultation_create

    now = timezone.now()
    return consultation_create(acting_user=moderator, title="Een nieuw plein",
                               text="Wat vindt u van het plan voor het plein?",
                               opens=now - dt.timedelta(days=1),
                               closes=now + dt.timedelta(days=14), area_code=B00,
                               publish=True)
