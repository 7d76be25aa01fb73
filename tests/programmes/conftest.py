"""Fixtures of the programme tests: the organisations of Teststad, a user per role, a few
areas with an area set, and a small register tree with result indicators.

Other programme tests use them by name: ``gemeente``, ``school_board``, ``police``,
``foundation``; ``staff_gemeente``, ``staff_school``, ``partner_school``, ``partner_police``,
``finance_gemeente``, ``analyst``, ``resident``, ``anonymous``, ``register_admin``;
``users`` (all of them by those names); ``make_member`` (a user with given roles);
``teststad_areas``; ``tree`` (see :class:`Tree`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

USER_KEYS = ("register_admin", "staff_gemeente", "staff_school", "partner_school",
             "partner_police", "finance_gemeente", "analyst", "resident", "anonymous")


def _organisation(name: str, kind: str):
    from django.utils.text import slugify

    from wijkbalans.accounts.models import Organisation

    return Organisation.objects.create(name=name, slug=slugify(name), kind=kind)


@pytest.fixture
def gemeente(db):
    return _organisation("Gemeente Teststad", "municipality")


@pytest.fixture
def school_board(db):
    return _organisation("Stichting Scholen Teststad", "school_board")


@pytest.fixture
def police(db):
    return _organisation("Politie Basisteam Teststad", "police")


@pytest.fixture
def foundation(db):
    return _organisation("Stichting Buurtkracht", "other")


@pytest.fixture
def make_member(db):
    """``make_member("name", (organisation, role), ...)``: a user holding those roles."""
    from django.contrib.auth import get_user_model

    from wijkbalans.accounts.models import Membership

    def make(username: str, *roles, **fields):
        user = get_user_model().objects.create(username=username, **fields)
        Membership.objects.bulk_create([Membership(user=user, organisation=o, role=r)
                                        for o, r in roles])
        return user

    return make


@pytest.fixture
def register_admin(make_member, gemeente):
    return make_member("beheer_teststad", (gemeente, "admin"))


@pytest.fixture
def staff_gemeente(make_member, gemeente):
    return make_member("programma_gemeente", (gemeente, "programme_staff"))


@pytest.fixture
def staff_school(make_member, school_board):
    return make_member("programma_school", (school_board, "programme_staff"))


@pytest.fixture
def partner_school(make_member, school_board):
    return make_member("partner_school", (school_board, "partner"))


@pytest.fixture
def partner_police(make_member, police):
    return make_member("partner_politie", (police, "partner"))


@pytest.fixture
def finance_gemeente(make_member, gemeente):
    return make_member("financien_gemeente", (gemeente, "finance_officer"))


@pytest.fixture
def analyst(make_member, gemeente):
    return make_member("analist", (gemeente, "analyst"))


@pytest.fixture
def resident(make_member, gemeente):
    return make_member("bewoner", (gemeente, "resident"))


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def users(request) -> dict:
    """Every user above by its fixture name."""
    return {key: request.getfixturevalue(key) for key in USER_KEYS}


@pytest.fixture
def teststad_areas(db):
    """Gemeente GM9990 with wijk WK999001 and buurten BU99900101, BU99900102 and
    BU99900103; area set ``teststad-noord`` holds the first two buurten."""
    from wijkbalans.areas.models import Area, AreaSet

    gm = Area.objects.create(code="GM9990", level="gemeente", name="Teststad",
                             gemeentecode="GM9990")
    wk = Area.objects.create(code="WK999001", level="wijk", name="Noord", parent=gm,
                             gemeentecode="GM9990")
    buurten = [Area.objects.create(code=f"BU999001{n:02d}", level="buurt", name=name,
                                   parent=wk, gemeentecode="GM9990")
               for n, name in ((1, "Haven"), (2, "Molenwijk"), (3, "Oud-Noord"))]
    area_set = AreaSet.objects.create(slug="teststad-noord", name="Teststad-Noord")
    area_set.members.add(*buurten[:2])
    return {"gemeente": gm, "wijk": wk, "buurten": buurten, "area_set": area_set}


@dataclass
class Tree:
    """programme (gemeente, public) → action line (gemeente) → intervention_a (school
    board; the foundation implements) and intervention_b (gemeente, public, weight 2; the
    police implement). Results: ``outcome`` on the action line (onderwijsachterstand_pct,
    down, baseline 20 in 2023; targets 17 in 2026, 14 in 2030); ``pupils`` on intervention
    a (output, no baseline; targets 100 in 2025, 200 in 2026); ``youth`` on intervention b
    (output, baseline 0; target 50 in 2025)."""

    programme: object
    action_line: object
    intervention_a: object
    intervention_b: object
    outcome: object
    outcome_2026: object
    outcome_2030: object
    pupils: object
    pupils_2025: object
    pupils_2026: object
    youth: object
    youth_2025: object


@pytest.fixture
def tree(gemeente, school_board, police, foundation, teststad_areas) -> Tree:
    """Built with the ORM (valid by construction, and fast): no audit entries."""
    from wijkbalans.programmes.models import (
        Activity,
        ActivityPartner,
        ResultIndicator,
        ResultPeriod,
    )

    programme = Activity.objects.create(
        code="teststad-nplv", kind="programme", title="Teststad vooruit", owner=gemeente,
        status="running", start=dt.date(2024, 1, 1), end=dt.date(2033, 12, 31),
        themes=["education", "safety"], public=True)
    programme.area_sets.add(teststad_areas["area_set"])
    line = Activity.objects.create(
        code="teststad-onderwijs", kind="action_line", title="Kansrijk opgroeien",
        owner=gemeente, parent=programme, status="running", start=dt.date(2024, 1, 1),
        end=dt.date(2030, 12, 31), themes=["education"])
    a = Activity.objects.create(
        code="schoolmaatschappelijk-werk", kind="intervention",
        title="Schoolmaatschappelijk werk", owner=school_board, parent=line,
        start=dt.date(2024, 8, 1), end=dt.date(2028, 7, 31),
        evidence_level="goed_onderbouwd", evidence_databank="nji")
    a.areas.add(teststad_areas["buurten"][0])
    b = Activity.objects.create(
        code="jongerenwerk-na-school", kind="intervention", title="Jongerenwerk na school",
        owner=gemeente, parent=line, weight=Decimal("2.000"), start=dt.date(2025, 1, 1),
        public=True)
    ActivityPartner.objects.bulk_create([
        ActivityPartner(activity=a, organisation=foundation, role="implementing"),
        ActivityPartner(activity=b, organisation=police, role="implementing")])
    outcome = ResultIndicator.objects.create(
        activity=line, kind="outcome", name="Onderwijsachterstand",
        indicator_code="onderwijsachterstand_pct", unit="%", direction="down",
        baseline_period="2023", baseline_value=Decimal("20.0000"))
    pupils = ResultIndicator.objects.create(activity=a, kind="output",
                                            name="Leerlingen bereikt", unit="leerlingen")
    youth = ResultIndicator.objects.create(activity=b, kind="output", name="Jongeren bereikt",
                                           unit="jongeren", baseline_value=Decimal("0.0000"))

    def period(result, text, target):
        return ResultPeriod.objects.create(result=result, period=text,
                                           target=Decimal(target).quantize(Decimal("0.0001")))

    return Tree(
        programme=programme, action_line=line, intervention_a=a, intervention_b=b,
        outcome=outcome, outcome_2026=period(outcome, "2026", 17),
        outcome_2030=period(outcome, "2030", 14),
        pupils=pupils, pupils_2025=period(pupils, "2025", 100),
        pupils_2026=period(pupils, "2026", 200),
        youth=youth, youth_2025=period(youth, "2025", 50),
    )


@pytest.fixture
def register_counts(db):
    """A function giving the number of rows of every register table and the audit log, to
    show that a refused write changed nothing."""
    from wijkbalans.accounts.models import AuditEntry
    from wijkbalans.programmes.models import (
        Activity,
        ActivityPartner,
        ResultIndicator,
        ResultPeriod,
        ResultUpdate,
    )

    def counts() -> dict:
        models = (Activity, ActivityPartner, ResultIndicator, ResultPeriod, ResultUpdate,
                  AuditEntry, Activity.areas.through, Activity.area_sets.through)
        return {m._meta.label: m.objects.count() for m in models}

    return counts
