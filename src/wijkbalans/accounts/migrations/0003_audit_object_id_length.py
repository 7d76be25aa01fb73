"""Longer object ids in the audit log (indicator codes reach 120 characters).

SQLite alters a column by rebuilding the table, which drops its triggers: the append-only
triggers are installed again afterwards. Every migration that alters AuditEntry must end
with the same step (tests/accounts/test_audit.py fails otherwise)."""

from django.db import migrations, models

from wijkbalans.accounts import append_only


def reinstall(apps, schema_editor):
    append_only.install(schema_editor.connection)


def remove(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only")]

    operations = [
        # Forwards: lift, alter, reinstall. Backwards mirrors it, so the rebuilt table keeps
        # its triggers either way.
        migrations.RunPython(remove, reinstall),
        migrations.AlterField(
            model_name="auditentry",
            name="object_id",
            field=models.CharField(blank=True, db_index=True, max_length=200,
                                   verbose_name="object id"),
        ),
        migrations.RunPython(reinstall, remove),
    ]
