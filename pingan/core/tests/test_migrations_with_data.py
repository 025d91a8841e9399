"""Upgrading a database that already holds records: the encryption migration must turn the clear-text
personal data of existing rows into tokens, and finish.

A test database is built empty, so a migration's data step never meets a row there; the first real
upgrade does. On PostgreSQL the rows a data step updates leave deferred foreign-key checks pending,
and the index the same migration creates at its end then failed ("cannot CREATE INDEX … because it
has pending trigger events"): found by upgrading the benchmark's province database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pingan.areas.models import Area, AreaKind, Level
from pingan.core import crypto
from pingan.testing.factories import valid_id_number

BEFORE = [("antifraud", "0001_initial")]


def _a_village() -> Area:
    village = Area.objects.filter(level=Level.VILLAGE).first()
    if village is None:  # a transactional test may run after another one emptied the tree
        village = Area.objects.create(code="159999999001", name="测试村", short_name="测试村",
                                      kind=AreaKind.choices[0][0], level=Level.VILLAGE, path="159999999001/")
    return village


@pytest.mark.django_db(transaction=True)
def test_the_encryption_migration_upgrades_existing_rows():
    village = _a_village()
    id_number = valid_id_number()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        Old = executor.loader.project_state(BEFORE).apps.get_model("antifraud", "Dissuasion")
        for i in range(3):
            Old.objects.create(on=dt.date(2024, 5, 1 + i), person_name="李四", id_number=id_number if i else "",
                               phone=f"1380000000{i}", person_key=id_number if i else f"1380000000{i}",
                               channel="电话劝阻", outcome="success", area_id=village.pk)
        executor = MigrationExecutor(connection)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())  # failed here on PostgreSQL before the fix

    from pingan.antifraud.models import Dissuasion

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, person_key, phone_hash FROM antifraud_dissuasion ORDER BY id")
        raw = cursor.fetchall()
    assert len(raw) == 3
    for stored_id, stored_phone, person_key, phone_hash in raw:
        assert id_number not in (stored_id or "") and not stored_phone.startswith("138"), "left in the clear"
        assert person_key and person_key != id_number and phone_hash
    rows = list(Dissuasion.objects.order_by("id"))
    assert [r.phone for r in rows] == ["13800000000", "13800000001", "13800000002"]
    assert rows[1].id_number == id_number and rows[1].person_key == crypto.id_hash(id_number)
    assert rows[0].person_key == crypto.phone_hash("13800000000")
