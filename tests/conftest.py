"""Shared fixtures: the real open data in ../shared/data, users, and the network guard."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("WIJKBALANS_SHARED_DATA", ROOT.parent / "shared" / "data"))


def require_or_skip(reason: str, *, env_var: str = "WIJKBALANS_REQUIRE_SHARED_DATA") -> None:
    """Skip on a user's machine; fail where CI says the thing must be there."""
    if os.environ.get(env_var) == "1":
        pytest.fail(f"{reason} (and {env_var}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real open data. Files are read in place, never copied."""
    if not SHARED_DATA.is_dir():
        require_or_skip(f"the shared data folder {SHARED_DATA} is not there")
    return SHARED_DATA


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run in the PostgreSQL suite only (``make test-postgres``):
    on SQLite they are deselected, not skipped, so nothing counts as a pass that did not run.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Tests create many users (the demo city alone a few dozen); the real hasher's
    deliberate slowness would cost minutes. Production keeps Django's default."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests talk to this machine only: loopback, or a Unix socket."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if host not in (None, "127.0.0.1", "localhost", "::1"):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back tests reuse audit ids, which the
    monitor's cache keys on (in production the audit log only grows)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _flushable_audit_log(request):
    """Transactional tests end with a flush that empties every table; the audit log's
    append-only triggers would refuse it. Lift them for the flush only."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from wijkbalans.accounts import append_only

    append_only.install(connection)
    yield
    append_only.remove(connection)


@pytest.fixture
def admin_user(db):
    from wijkbalans.accounts.services import user_create

    return user_create(username="beheerder", password="a-long-test-password",
                       is_staff=True, is_superuser=True)
