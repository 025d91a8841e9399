"""Chains the audit rows that exist before the hash chain: in id order (the order they were
written), seq 1, 2, 3 … with each row's hash over its content and the previous row's hash.
Uses pingan.core.auditchain's canonical form, the one ``pingan audit verify`` recomputes."""

from django.db import migrations

CHUNK = 2000


def chain_existing_rows(apps, schema_editor):
    from pingan.core.auditchain import CHAIN_FIELDS, GENESIS, row_hash

    AuditLog = apps.get_model("core", "AuditLog")
    db = schema_editor.connection.alias
    prev, seq, last_id = GENESIS, 0, 0
    while True:
        rows = list(AuditLog.objects.using(db).filter(id__gt=last_id).order_by("id")[:CHUNK])
        if not rows:
            break
        for row in rows:
            seq += 1
            row.seq, row.prev_hash = seq, prev
            row.hash = prev = row_hash({name: getattr(row, name) for name in CHAIN_FIELDS})
        AuditLog.objects.using(db).bulk_update(rows, ["seq", "prev_hash", "hash"])
        last_id = rows[-1].id


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_auditlog_chain_fields'),
    ]

    operations = [
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop, elidable=False),
    ]
