"""PostgreSQL only: triggers that refuse UPDATE, DELETE and TRUNCATE on the audit log, except the
purge of rows older than 180 days by ``pingan audit purge`` (see pingan.core.auditchain, GUARD_SQL,
for what exactly is allowed and why). SQLite (the embedded demo) relies on the application guard."""

from django.db import migrations


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from pingan.core.auditchain import GUARD_SQL

        schema_editor.execute(GUARD_SQL, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from pingan.core.auditchain import UNGUARD_SQL

        schema_editor.execute(UNGUARD_SQL, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_auditlog_seq_unique'),
    ]

    operations = [
        migrations.RunPython(guard, unguard, elidable=False),
    ]
