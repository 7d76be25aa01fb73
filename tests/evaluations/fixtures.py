"""The demo city loaded once per test module, rolled back afterwards; its users; helpers.

Demostad (docs/demo.md) plants +3.0 points on ``werkzaam_pct`` from 2019 in the area set
``demostad-noord`` and nothing on ``ervaren_gezondheid_pct``. Loading takes about two
seconds, so a module loads it once inside a transaction that is rolled back at the end;
each test runs in a savepoint inside it (pytest-django's ``db``).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from wijkbalans.accounts.models import AuditEntry

PROGRAMME = "demostad-noord"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from wijkbalans.demo.services import demo_load

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            summary = demo_load()
            yield summary
            transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    """The demo city, inside this test's savepoint."""
    return demo


def user(username: str):
    """A demo user: ``beheer`` (admin), ``analist`` (analyst), ``partner``, ``bewoner``."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def counts() -> dict[str, int]:
    """Rows that a refused write must leave alone."""
    from wijkbalans.evaluations.models import Evaluation

    return {"evaluations": Evaluation.objects.count(), "audit": AuditEntry.objects.count()}


def define(**overrides):
    """An SDID evaluation of employment in the programme area from 2019, queued."""
    from wijkbalans.evaluations.services import evaluation_create

    arguments = {"outcome": "werkzaam_pct", "start_period": "2019", "method": "sdid",
                 "area_set": PROGRAMME, "acting_user": user("analist")}
    arguments.update(overrides)
    return evaluation_create(**arguments)


def define_and_run(**overrides):
    from wijkbalans.evaluations.services import evaluation_run

    return evaluation_run(evaluation=define(**overrides))
