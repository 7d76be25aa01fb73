"""The audit log is append-only: the database itself refuses UPDATE and DELETE on it."""

from django.db import migrations

from wijkbalans.accounts import append_only


def forwards(apps, schema_editor):
    append_only.install(schema_editor.connection)


def backwards(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
