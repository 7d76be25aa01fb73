"""The audit log is append-only: the database itself refuses UPDATE and DELETE on it."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER accounts_auditentry_no_update BEFORE UPDATE ON accounts_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER accounts_auditentry_no_delete BEFORE DELETE ON accounts_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_update",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION accounts_auditentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER accounts_auditentry_append_only BEFORE UPDATE OR DELETE
       ON accounts_auditentry FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_refuse()""",
    """CREATE TRIGGER accounts_auditentry_no_truncate BEFORE TRUNCATE
       ON accounts_auditentry FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditentry_refuse()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry",
    "DROP TRIGGER IF EXISTS accounts_auditentry_no_truncate ON accounts_auditentry",
    "DROP FUNCTION IF EXISTS accounts_auditentry_refuse()",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
