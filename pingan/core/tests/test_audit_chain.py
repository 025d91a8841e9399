"""The audit log's hash chain (pingan/core/auditchain.py): verify finds an edited, deleted or
reordered row; purge keeps the chain verifiable; on PostgreSQL the table refuses UPDATE, DELETE and
TRUNCATE, and concurrent writers keep one unbroken chain. Runs on SQLite and PostgreSQL; the
PostgreSQL-only tests are marked ``postgres_only`` and skip on SQLite."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from pingan.core import auditchain
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="PostgreSQL only: the audit table's triggers and row locks")


@pytest.fixture(autouse=True)
def fresh_chain(request):
    """Each test starts an empty chain (the session's setup writes audit rows; the test's transaction
    is rolled back afterwards, and the transactional test's database is flushed)."""
    tamper("DELETE FROM core_auditlog")


def rows(n: int, **kwargs) -> list[AuditLog]:
    return [audit_record(None, AuditAction.LOGIN, login=f"user{i}", detail=f"第{i}条", **kwargs) for i in range(n)]


def old_rows(n: int, days_ago: int) -> list[AuditLog]:
    """Rows written ``days_ago`` days ago (the clock moved back while they are written)."""
    then = timezone.now() - dt.timedelta(days=days_ago)
    with mock.patch("django.utils.timezone.now", return_value=then):
        return rows(n)


def tamper(sql: str, params=()) -> None:
    """Raw SQL past the application's guard. On PostgreSQL the trigger would refuse it, so the table
    owner disables the trigger for the statement — which is what an owner-level attacker can do and
    exactly why verify exists."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditlog DISABLE TRIGGER core_auditlog_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditlog ENABLE TRIGGER core_auditlog_append_only")


def verify_output() -> str:
    try:
        call_command("audit", "verify", "--chunk-size", "100", stdout=(out := _Out()))
    except CommandError as exc:
        return "ERROR " + str(exc)
    return out.text


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


# ---------------------------------------------------------------- the chain


def test_rows_are_chained_in_order_and_verify_counts_them():
    made = rows(5)
    assert [r.seq for r in made] == [1, 2, 3, 4, 5]
    assert made[0].prev_hash == auditchain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(made, made[1:], strict=False))
    assert all(len(r.hash) == 64 for r in made)
    out = verify_output()
    assert out.startswith("OK 5"), out
    assert made[-1].hash in out


def test_the_stored_row_hashes_the_same_as_the_written_one_whatever_the_json():
    """before/after read back from the database (jsonb on PostgreSQL) must hash as written."""
    audit_record(None, AuditAction.UPDATE, login="x",
                 before={"n": 1.0, "big": 1e16, "f": 0.1 + 0.2, "tiny": 1e-7, 3: "int key", "t": (1, 2)},
                 after={"名称": "乌拉特中旗 \"引号\" \\ 换行\n", "nested": {"b": [True, None, {"z": 1}]}, "t": (1, 3)})
    audit_record(None, AuditAction.LOGIN, login="", object_repr="长" * 200)
    verdict = auditchain.verify()
    assert verdict.ok and verdict.count == 2, verdict.text()


def test_an_edited_row_is_found():
    made = rows(6)
    tamper("UPDATE core_auditlog SET detail = %s WHERE seq = 4", ["改过"])
    verdict = auditchain.verify(chunk_size=2)
    assert not verdict.ok
    assert verdict.problem_seq == 4 and verdict.problem_id == made[3].pk
    assert "内容被修改" in verdict.problem
    assert verdict.count == 3


def test_an_edited_json_value_or_time_is_found():
    rows(2)
    audit_record(None, AuditAction.UPDATE, login="x", before={"phone": "138****1234"}, after={"phone": "139****0000"})
    tamper("UPDATE core_auditlog SET at = at - interval '1 second' WHERE seq = 2" if connection.vendor == "postgresql"
           else "UPDATE core_auditlog SET at = '2020-01-01 00:00:00' WHERE seq = 2")
    assert auditchain.verify().problem_seq == 2


def test_a_deleted_row_leaves_a_gap_that_is_found():
    made = rows(5)
    tamper("DELETE FROM core_auditlog WHERE seq = 3")
    verdict = auditchain.verify()
    assert not verdict.ok and verdict.problem_seq == 4 and verdict.problem_id == made[3].pk
    assert "seq 3 被删除" in verdict.problem


def test_a_deleted_row_whose_successors_were_renumbered_is_found():
    rows(5)
    tamper("DELETE FROM core_auditlog WHERE seq = 3")
    tamper("UPDATE core_auditlog SET seq = seq - 1 WHERE seq > 3")
    verdict = auditchain.verify()
    assert not verdict.ok and verdict.problem_seq == 3


def test_deleting_the_head_of_the_chain_without_an_anchor_is_found():
    rows(4)
    tamper("DELETE FROM core_auditlog WHERE seq <= 2")
    verdict = auditchain.verify()
    assert not verdict.ok and verdict.problem_seq == 3 and "链首缺失" in verdict.problem


def test_two_swapped_rows_are_found():
    rows(5)
    tamper("UPDATE core_auditlog SET seq = -2 WHERE seq = 2")
    tamper("UPDATE core_auditlog SET seq = 2 WHERE seq = 3")
    tamper("UPDATE core_auditlog SET seq = 3 WHERE seq = -2")
    verdict = auditchain.verify()
    assert not verdict.ok and verdict.problem_seq == 2


def test_verify_walks_in_chunks_without_loading_the_table():
    rows(23)
    with mock.patch.object(auditchain, "iter_chain", wraps=auditchain.iter_chain) as walked:
        verdict = auditchain.verify(chunk_size=5)
    assert verdict.ok and verdict.count == 23
    walked.assert_called_once()
    # five keyset queries of at most five rows (and one that comes back short)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert auditchain.verify(chunk_size=5).count == 23
    chunk_queries = [q["sql"] for q in queries.captured_queries if "LIMIT 5" in q["sql"]]
    assert len(chunk_queries) == 5


def test_rows_cannot_be_bulk_inserted_around_the_chain():
    with pytest.raises(PermissionError):
        AuditLog.objects.bulk_create([AuditLog(action=AuditAction.LOGIN)])


def test_a_new_writer_after_a_stale_tail_cannot_fork_the_chain():
    """seq is unique: two rows claiming the same place cannot both be stored."""
    first = rows(1)[0]
    twin = AuditLog(action=AuditAction.LOGIN, seq=first.seq, prev_hash=auditchain.GENESIS, hash="0" * 64)
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (IntegrityError or DatabaseError)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_auditlog (at, actor_login, actor_role, action, object_type, object_id, "
                           "object_repr, request_id, ip, result, detail, seq, prev_hash, hash) "
                           "VALUES (%s, '', '', 'login', '', '', '', '', '', 'ok', '', %s, %s, %s)",
                           [timezone.now(), twin.seq, twin.prev_hash, twin.hash])


# ---------------------------------------------------------------- retention and purge


def test_purge_removes_old_rows_and_the_chain_still_verifies():
    old_rows(4, days_ago=400)
    old_rows(3, days_ago=200)
    recent = rows(2)
    before = timezone.localdate() - dt.timedelta(days=300)
    out = _Out()
    call_command("audit", "purge", "--before", before.isoformat(), stdout=out)
    assert "已清理 4 条" in out.text
    assert sorted(AuditLog.objects.values_list("seq", flat=True)) == [5, 6, 7, 8, 9, 10]
    anchor = AuditLog.objects.get(action=AuditAction.PURGE)
    assert anchor.seq == 10 and anchor.after["through_seq"] == 4 and anchor.after["count"] == 4
    assert AuditLog.objects.get(seq=5).prev_hash == anchor.after["through_hash"]
    verdict = auditchain.verify()
    assert verdict.ok and verdict.count == 6 and verdict.anchor_seq == 10, verdict.text()
    assert recent[-1].seq == 9
    # a second purge starts from the first one's anchor
    call_command("audit", "purge", "--before", (timezone.localdate() - dt.timedelta(days=190)).isoformat(),
                 stdout=_Out())
    verdict = auditchain.verify()
    assert verdict.ok and verdict.first_seq == 8 and verdict.count == 4, verdict.text()  # 8, 9, anchor 10, anchor 11


def test_after_a_purge_an_edit_or_a_missing_first_row_is_still_found():
    old_rows(3, days_ago=400)
    rows(3)
    call_command("audit", "purge", "--before", (timezone.localdate() - dt.timedelta(days=300)).isoformat(),
                 stdout=_Out())
    tamper("DELETE FROM core_auditlog WHERE seq = 4")
    verdict = auditchain.verify()
    assert not verdict.ok and verdict.problem_seq == 5 and "链首缺失" in verdict.problem


def test_purge_refuses_anything_younger_than_the_retention_period():
    old_rows(2, days_ago=400)
    too_recent = timezone.localdate() - dt.timedelta(days=179)
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("audit", "purge", "--before", too_recent.isoformat())
    with override_settings(PINGAN_AUDIT_RETENTION_DAYS=500), pytest.raises(CommandError, match="至少保留 500 天"):
        call_command("audit", "purge", "--before", (timezone.localdate() - dt.timedelta(days=400)).isoformat())
    with override_settings(PINGAN_AUDIT_RETENTION_DAYS=30):  # below the floor counts as the floor
        assert auditchain.retention_days() == 180
    assert AuditLog.objects.count() == 2


def test_purge_refuses_a_broken_chain():
    old_rows(3, days_ago=400)
    rows(2)
    tamper("UPDATE core_auditlog SET detail = 'x' WHERE seq = 2")
    with pytest.raises(CommandError, match="审计链已损坏"):
        call_command("audit", "purge", "--before", (timezone.localdate() - dt.timedelta(days=300)).isoformat())
    assert AuditLog.objects.count() == 5


def test_the_retention_setting_cannot_be_set_below_180_days(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from pingan.env import env_int

    monkeypatch.setenv("PINGAN_AUDIT_RETENTION_DAYS", "90")
    with pytest.raises(ImproperlyConfigured):
        env_int("PINGAN_AUDIT_RETENTION_DAYS", 180, minimum=180)


# ---------------------------------------------------------------- PostgreSQL: the table refuses


def _refused(sql: str, params=(), *, purge_flag: bool = False) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        if purge_flag:
            cursor.execute("SET LOCAL pingan.audit_purge = 'on'")
        cursor.execute(sql, params)
    return str(caught.value)


@postgres_only
def test_postgres_refuses_update_of_an_audit_row():
    row = rows(1)[0]
    assert "不能修改" in _refused("UPDATE core_auditlog SET detail = 'x' WHERE id = %s", [row.pk])
    assert "不能修改" in _refused("UPDATE core_auditlog SET detail = 'x' WHERE id = %s", [row.pk], purge_flag=True)


@postgres_only
def test_postgres_refuses_delete_of_an_audit_row():
    row = rows(1)[0]
    assert "不能删除" in _refused("DELETE FROM core_auditlog WHERE id = %s", [row.pk])
    # the purge flag is no key: a recent row stays
    assert "至少保留180天" in _refused("DELETE FROM core_auditlog WHERE id = %s", [row.pk], purge_flag=True)
    # nor does it open old rows that no purge anchor covers
    old = old_rows(1, days_ago=400)[0]
    assert "清理锚点" in _refused("DELETE FROM core_auditlog WHERE id = %s", [old.pk], purge_flag=True)
    assert AuditLog.objects.count() == 2


@postgres_only
def test_postgres_refuses_truncate_of_the_audit_log():
    rows(1)
    with pytest.raises(DatabaseError, match="不能清空"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pingan.audit_test_truncate = 'off'")  # as in any non-test database
        cursor.execute("TRUNCATE core_auditlog")
    assert AuditLog.objects.count() == 1


@postgres_only
def test_postgres_the_guard_triggers_are_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditlog'::regclass AND NOT tgisinternal")
        names = {r[0] for r in cursor.fetchall()}
    assert names == {"core_auditlog_append_only", "core_auditlog_no_truncate"}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_postgres_concurrent_writers_keep_one_unbroken_chain():
    """Two threads, each with its own connection, write 40 rows each, inside transactions that hold
    the chain lock while they sleep a little: the rows interleave, the chain has no fork or gap."""
    per_thread = 40
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(None, AuditAction.LOGIN, login=f"{name}-{i}")
                    if i % 10 == 0:
                        threading.Event().wait(0.01)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    verdict = auditchain.verify()
    assert verdict.ok and verdict.count == 2 * per_thread, verdict.text()
    logins = list(AuditLog.objects.order_by("seq").values_list("actor_login", flat=True))
    switches = sum(1 for a, b in zip(logins, logins[1:], strict=False) if a[0] != b[0])
    assert switches > 1, "the two writers did not interleave: the test proved nothing"


# ---------------------------------------------------------------- rows that predate the chain


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_rows_written_before_the_chain_existed():
    from django.db.migrations.executor import MigrationExecutor

    before_chain = [("core", "0002_alter_auditlog_options")]
    executor = MigrationExecutor(connection)
    executor.migrate(before_chain)
    try:
        Old = executor.loader.project_state(before_chain).apps.get_model("core", "AuditLog")
        for i in range(7):
            Old.objects.create(action="update", actor_login=f"old{i}", before={"n": i}, after={"n": i + 1.0})
        executor = MigrationExecutor(connection)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(AuditLog.objects.order_by("seq").values_list("actor_login", flat=True)) == [f"old{i}" for i in range(7)]
    verdict = auditchain.verify()
    assert verdict.ok and verdict.count == 7, verdict.text()
    assert audit_record(None, AuditAction.LOGIN, login="new").seq == 8
    assert auditchain.verify().count == 8
