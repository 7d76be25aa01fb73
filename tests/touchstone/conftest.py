"""Fixtures of the touchstone tests: Demostad (areas, figures, people and its programme
register) loaded once for the whole package, and plans made on it.

Demostad-Noord (``demostad-noord``, 9 buurten) against the city, index 100 per domain in
2024 (the stacking index, as ``place_gaps`` gives them too): poverty 86.2 (city 98.9),
social 86.4 (99.4), safety 86.7, education 86.9, health 87.9, work_income 88.7,
housing 89.6, physical 99.4 (99.9). Its two worst domains: poverty and social. The
southern buurt BU99990400 scores 102.1 on poverty (above the city's 98.9).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

AREA = "demostad-noord"
SOUTH = "BU99990400"


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """Demostad loaded once for the package, in a transaction rolled back at its end; each
    test (with ``db``) runs inside it in a savepoint of its own."""
    from wijkbalans.demo.services import demo_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def city(demo, db):
    """The demo city, for a test that writes (each test rolls back to the loaded city)."""
    from wijkbalans.accounts.models import Organisation

    return {"gemeente": Organisation.objects.get(name="Gemeente Demostad"),
            "housing": Organisation.objects.get(name="Woonstichting Demostad")}


@pytest.fixture
def people(city):
    """The demo users by name: ``bureau`` (programme staff of the municipality),
    ``beheer`` (admin), ``partner`` (the housing corporation's partner), ``bewoner``
    (resident), ``analist``; and ``anonymous``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["bureau", "beheer", "partner", "bewoner", "analist"])}
    users["anonymous"] = AnonymousUser()
    return users


@pytest.fixture
def make_plan(city):
    """``make_plan(code, themes=..., area_sets=(AREA,), areas=(), ...)``: a planned
    intervention under the demo programme, made with the ORM (no audit entries)."""
    from wijkbalans.areas.models import Area, AreaSet
    from wijkbalans.programmes.models import Activity

    def make(code, *, themes=("poverty",), area_sets=(AREA,), areas=(), parent="nplv-noord",
             evidence="not_rated", start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31),
             public=False, title=None, owner=None, status="planned"):
        plan = Activity.objects.create(
            code=code, kind="intervention", title=title or f"Plan {code}",
            owner=owner or city["gemeente"],
            parent=Activity.objects.get(code=parent) if parent else None, status=status,
            start=start, end=end, themes=list(themes), evidence_level=evidence,
            public=public)
        plan.area_sets.set(AreaSet.objects.filter(slug__in=area_sets))
        plan.areas.set(Area.objects.filter(code__in=areas))
        return plan

    return make


def add_result(plan, *, name, kind="output", indicator_code="", baseline=None,
               baseline_period="", targets=(), direction="up", unit=""):
    """A result indicator with ``targets`` ((period, value), ...), by the ORM."""
    from wijkbalans.programmes.models import ResultIndicator, ResultPeriod

    result = ResultIndicator.objects.create(
        activity=plan, kind=kind, name=name, indicator_code=indicator_code, unit=unit,
        direction=direction, baseline_period=baseline_period,
        baseline_value=None if baseline is None else Decimal(str(baseline)))
    for period, target in targets:
        ResultPeriod.objects.create(result=result, period=period,
                                    target=Decimal(str(target)))
    return result


def add_money(plan, source_code, amounts: dict[int, str]):
    """Budget lines of ``plan`` on the source ``source_code`` ({year: planned})."""
    from wijkbalans.programmes.models import BudgetLine, FundingSource

    source = FundingSource.objects.get(code=source_code)
    for year, planned in amounts.items():
        BudgetLine.objects.create(activity=plan, source=source, year=year,
                                  planned=Decimal(planned))


def own_source(code="ts-fonds", secured: dict[int, str] | None = None):
    """A funding source of its own (nothing else draws on it) with ``secured`` per year."""
    from wijkbalans.programmes.models import FundingAllocation, FundingSource

    source = FundingSource.objects.create(code=code, name=f"Fonds {code}", kind="other",
                                          start_year=2020)
    for year, amount in (secured or {}).items():
        FundingAllocation.objects.create(source=source, year=year, amount=Decimal(amount))
    return source


@pytest.fixture
def no_participation(city):
    """The demo city without its residents' participation (consultations, proposals,
    budget rounds): removed inside the test's transaction, so the criterion can be seen
    without data. Order: what points at a row goes first."""
    from wijkbalans.participation import models as m

    for model in (m.Outcome, m.Flag, m.Comment, m.Support, m.BallotChoice, m.Ballot,
                  m.BudgetProject, m.BudgetRound, m.Proposal, m.Consultation):
        model.objects.all().delete()
