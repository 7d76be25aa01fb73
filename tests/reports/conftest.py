"""Fixtures of the report tests: Demostad with a small register (see ``fixtures.py``),
loaded once per module and rolled back at its end; each test runs in a savepoint."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from .fixtures import FAST_HASHER, load_city


def _loaded(django_db_blocker, **options):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            load_city(**options)
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """Demostad, the register and a finished evaluation."""
    yield from _loaded(django_db_blocker)


@pytest.fixture(scope="module")
def city_without_evaluation(django_db_setup, django_db_blocker):
    yield from _loaded(django_db_blocker, evaluation=False)


@pytest.fixture
def english():
    """Messages in English, whatever the default language's catalogue holds."""
    with translation.override("en"):
        yield
