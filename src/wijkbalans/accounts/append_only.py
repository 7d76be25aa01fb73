"""The database triggers that make the audit log append-only, per database vendor.

Migration 0002 installs them. The test suite lifts them for the one thing that may empty
the table: the test framework's flush between transactional tests (tests/conftest.py).
"""

from __future__ import annotations

SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS accounts_auditentry_no_update
       BEFORE UPDATE ON accounts_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS accounts_auditentry_no_delete
       BEFORE DELETE ON accounts_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_update",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION accounts_auditentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry",
    """CREATE TRIGGER accounts_auditentry_append_only BEFORE UPDATE OR DELETE
       ON accounts_auditentry FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_refuse()""",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_truncate ON accounts_auditentry",
    """CREATE TRIGGER accounts_auditentry_no_truncate BEFORE TRUNCATE
       ON accounts_auditentry FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditentry_refuse()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_truncate ON accounts_auditentry",
    "DROP FUNCTION IF EXISTS accounts_auditentry_refuse()",
]
UP = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}
DOWN = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in UP.get(connection.vendor, []):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DOWN.get(connection.vendor, []):
            cursor.execute(sql)

