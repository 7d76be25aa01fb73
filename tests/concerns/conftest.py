"""Fixtures for early concerns: a small city, its partners, their people and the routes.

``signal_city`` is Signaalstad (GM0998): two wijken of three buurten each, drawn as
squares of 0.01 degree; four organisations (police, the municipality with its safety
team and programme bureau, debt help, a school) and their people:

========================  =============================  =============================
user                      organisation                   role
========================  =============================  =============================
``teacher``               school ``basisschool``         professional
``debt_worker``           debt help ``schuldhulp``       professional
``police_officer``        police ``politie``             partner
``safety_officer``        municipality ``gemeente``      partner
``debt_partner``          debt help ``schuldhulp``       partner
``programme``             municipality ``gemeente``      programme_staff
``analyst``               municipality ``gemeente``      analyst
========================  =============================  =============================

Routes: undermining → police and municipality, poverty and debts → debt help (both for
the whole gemeente); youth at risk → municipality for the gemeente but the school in wijk
WK099801. ``today`` is fixed at Wednesday 18 June 2025 (ISO week 2025-W25).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction

from wijkbalans.areas.services import areas_register
from wijkbalans.indicators.importers.base import AreaRecord

GEMEENTE = "GM0998"
TODAY = dt.date(2025, 6, 18)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def buurt_code(wijk: int, buurt: int) -> str:
    return f"BU0998{wijk:02d}{buurt:02d}"


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
            [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def centre(wijk: int, buurt: int) -> tuple[float, float]:
    """A point inside buurt ``(wijk, buurt)``: the middle of its square."""
    return 5.0 + (buurt - 1) * 0.01 + 0.005, 52.0 + (wijk - 1) * 0.01 + 0.005


def city_records() -> list[AreaRecord]:
    records = [AreaRecord(code=GEMEENTE, name="Signaalstad", level="gemeente", year=2024)]
    for wijk in (1, 2):
        records.append(AreaRecord(code=f"WK0998{wijk:02d}", name=f"Wijk {wijk}",
                                  level="wijk", year=2024))
        for buurt in (1, 2, 3):
            lon, lat = 5.0 + (buurt - 1) * 0.01, 52.0 + (wijk - 1) * 0.01
            records.append(AreaRecord(
                code=buurt_code(wijk, buurt), name=f"Buurt {wijk}.{buurt}", level="buurt",
                year=2024, geometry=square(lon, lat), centroid=(lon + 0.005, lat + 0.005),
                land_area_ha=75.0))
    return records


@pytest.fixture
def today(monkeypatch):
    """The date the concerns app takes for today."""
    monkeypatch.setattr("wijkbalans.concerns.selectors.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def signal_city(db, settings, today):
    settings.PASSWORD_HASHERS = FAST_HASHER
    from wijkbalans.accounts.services import membership_grant, organisation_create, user_create
    from wijkbalans.areas.models import Area
    from wijkbalans.concerns.routing import route_add

    with transaction.atomic():
        areas_register(records=city_records())
    orgs = SimpleNamespace(
        police=organisation_create(name="Politie Signaalstad", kind="police", slug="politie"),
        municipality=organisation_create(name="Gemeente Signaalstad", kind="municipality",
                                         slug="gemeente"),
        debt_help=organisation_create(name="Schuldhulp Signaalstad", kind="social_team",
                                      slug="schuldhulp"),
        school=organisation_create(name="Basisschool De Linde", kind="school_board",
                                   slug="basisschool"),
    )
    people = {}
    for username, org, role in [
        ("teacher", orgs.school, "professional"),
        ("debt_worker", orgs.debt_help, "professional"),
        ("police_officer", orgs.police, "partner"),
        ("safety_officer", orgs.municipality, "partner"),
        ("debt_partner", orgs.debt_help, "partner"),
        ("programme", orgs.municipality, "programme_staff"),
        ("analyst", orgs.municipality, "analyst"),
    ]:
        user = user_create(username=username, password="a-long-test-password")
        membership_grant(user=user, organisation=org, role=role)
        people[username] = user
    gemeente = Area.objects.get(code=GEMEENTE)
    wijk1 = Area.objects.get(code="WK099801")
    for theme, area, org in [("undermining", gemeente, orgs.police),
                             ("undermining", gemeente, orgs.municipality),
                             ("poverty_debts", gemeente, orgs.debt_help),
                             ("youth_at_risk", gemeente, orgs.municipality),
                             ("youth_at_risk", wijk1, orgs.school)]:
        route_add(theme=theme, area=area, organisation=org, acting_user=people["programme"])
    return SimpleNamespace(gemeente=GEMEENTE, orgs=orgs, today=today,
                           buurten=[buurt_code(w, b) for w in (1, 2) for b in (1, 2, 3)],
                           **people)


@pytest.fixture
def submit(signal_city):
    """``submit(**overrides)``: the teacher records a concern about poverty and debts in
    buurt BU09980101 this week, with no text."""
    from wijkbalans.concerns.services import concern_submit

    def make(**overrides):
        arguments = {"acting_user": signal_city.teacher,
                     "organisation": signal_city.orgs.school, "theme": "poverty_debts",
                     "buurt_code": buurt_code(1, 1), "week": "2025-W25", "severity": 2}
        arguments.update(overrides)
        return concern_submit(**arguments)

    return make


@pytest.fixture
def add_concerns(signal_city):
    """``add_concerns([(theme, buurtcode, "YYYY-Www", n), ...])``: n concerns each,
    written straight to the table (history for tables and alerts; no routing, no audit)."""
    from wijkbalans.areas.models import Area
    from wijkbalans.concerns.models import Concern
    from wijkbalans.concerns.periods import week_start

    def add(rows):
        areas = dict(Area.objects.filter(code__in={r[1] for r in rows})
                     .values_list("code", "pk"))
        Concern.objects.bulk_create([
            Concern(theme=theme, buurt_id=areas[code], week=week, week_start=week_start(week),
                    severity=1, organisation=signal_city.orgs.school,
                    reporter_role="professional", reporter=signal_city.teacher)
            for theme, code, week, n in rows for _ in range(n)])

    return add


@pytest.fixture
def api_as(signal_city):
    """``api_as("teacher")``: an API client with that user's token."""
    from rest_framework.test import APIClient

    from wijkbalans.accounts.services import api_token_issue

    def make(username: str) -> APIClient:
        client = APIClient()
        user = getattr(signal_city, username)
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
        return client

    return make
