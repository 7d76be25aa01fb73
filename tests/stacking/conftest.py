"""Fixtures of the stacking tests: the small country of :mod:`.cities` and Demostad."""

from __future__ import annotations

import pytest
from django.db import transaction

from .cities import make_country


@pytest.fixture
def country(db):
    make_country()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """Demostad loaded once per module, in a transaction rolled back at its end; each test
    (with ``db``) runs inside it in a savepoint of its own."""
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
