"""The audit log's hash chain: append under a lock, verify in a stream, purge past retention.

Every ``AuditLog`` row carries ``seq`` (1, 2, 3 … without gaps), ``prev_hash`` (the previous row's
``hash``; 64 zeros for the first row) and ``hash`` = sha256 over the canonical JSON of the row's
content fields plus ``seq`` and ``prev_hash`` (``canonical``). Editing a row changes its hash;
deleting one leaves a gap in ``seq`` and a ``prev_hash`` that points at nothing; swapping two rows
breaks both. ``verify`` walks the chain by ``seq`` in keyset-paginated chunks and reports the count
or the first broken row.

Concurrency: appending reads the tail and writes the next row in one transaction while holding the
chain lock — on PostgreSQL a transaction-level advisory lock (``pg_advisory_xact_lock``), on SQLite
the database's single write lock (taken up front by a no-op write). ``seq`` is unique, so a writer
that somehow read a stale tail fails with an IntegrityError instead of forking the chain.

Retention: ``purge(before)`` removes a prefix of the chain older than the retention period
(``PINGAN_AUDIT_RETENTION_DAYS``, at least 180). It first verifies the whole chain (a purge must not
wipe the evidence of tampering), then appends an anchor row (action ``purge``) recording
``through_seq`` and ``through_hash`` — the last purged row — and deletes ``seq <= through_seq``.
``verify`` then starts from the first remaining row, whose ``prev_hash`` must equal the anchor's
``through_hash``; the anchor itself is a chained row, so it cannot be altered unnoticed.

On PostgreSQL the table is guarded by triggers (migration 0006, ``GUARD_SQL``): UPDATE is always
refused; TRUNCATE is refused (outside Django test databases); DELETE is refused unless all of:
the transaction declared a purge (``SET LOCAL pingan.audit_purge = 'on'``, which only ``purge``
does), the row is older than 180 days (the legal floor, written into the trigger so that no
application setting can shorten it), and an anchor row covering the row's ``seq`` already exists.
So even a role that sets the flag itself can remove nothing younger than 180 days and nothing
without a recorded anchor. What a trigger cannot stop is the table's *owner* dropping or disabling
it: in production run migrations as the owner role and the application as a role granted only
``SELECT, INSERT`` on ``core_auditlog`` — ``pingan db_grants`` prints and applies those grants
(pingan/core/management/commands/db_grants.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 7_240_311_806  # pg_advisory_xact_lock key of the audit chain ("pingan audit")
RETENTION_FLOOR_DAYS = 180
TABLE = "core_auditlog"

# The fields the hash covers, in the canonical document (``id`` is not: ``seq`` is the chain order).
CHAIN_FIELDS = (
    "seq", "prev_hash", "at", "actor_id", "actor_login", "actor_role", "action", "object_type",
    "object_id", "object_repr", "before", "after", "request_id", "ip", "result", "detail",
)


# ---------------------------------------------------------------- canonical form and hash


def _norm(value: Any) -> Any:
    """JSON values as they read back from either backend: integral floats as ints (PostgreSQL's
    jsonb prints 1e16 as 10000000000000000), dict keys as strings."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    return value


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(values: dict[str, Any]) -> bytes:
    doc = {name: values[name] for name in CHAIN_FIELDS}
    doc["at"] = _at(doc["at"])
    doc["before"] = _norm(doc["before"])
    doc["after"] = _norm(doc["after"])
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def row_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def as_stored(value: Any) -> Any:
    """A before/after value as the JSON column will give it back (tuples → lists, keys → str)."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, allow_nan=False))


# ---------------------------------------------------------------- appending


def lock_chain(using: str = DEFAULT_DB_ALIAS) -> None:
    """Serialise writers of the chain until the current transaction ends. Call inside atomic()."""
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        else:
            # SQLite has one writer at a time; a no-op write takes that lock now, before the tail is
            # read, so a concurrent writer waits (busy timeout) instead of failing on a stale read.
            cursor.execute(f"DELETE FROM {TABLE} WHERE 0 = 1")


def _tail(using: str) -> tuple[int, str] | None:
    from pingan.core.models import AuditLog

    return AuditLog.objects.using(using).order_by("-seq").values_list("seq", "hash").first()


def append(row, save: Callable[[], None], using: str | None = None) -> None:
    """Give a new AuditLog row its place in the chain and save it (AuditLog.save calls this)."""
    using = using or DEFAULT_DB_ALIAS
    with transaction.atomic(using=using):
        lock_chain(using)
        tail = _tail(using)
        row.seq = tail[0] + 1 if tail else 1
        row.prev_hash = tail[1] if tail else GENESIS
        if row.at is None:
            row.at = timezone.now()
        row.before = as_stored(row.before)
        row.after = as_stored(row.after)
        row.hash = row_hash({name: getattr(row, name) for name in CHAIN_FIELDS})
        save()


# ---------------------------------------------------------------- verifying


@dataclass
class Verdict:
    ok: bool
    count: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    head_hash: str = ""
    anchor_seq: int | None = None  # the purge anchor the chain starts from, if any
    problem: str = ""
    problem_seq: int | None = None
    problem_id: int | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        if not self.ok:
            where = f"seq={self.problem_seq} id={self.problem_id}" if self.problem_seq is not None else ""
            return f"审计链损坏：{where} {self.problem}（此前 {self.count} 条完好）".replace("  ", " ")
        if not self.count:
            return "审计链完好：0 条记录"
        start = f"，起点为清理锚点 seq={self.anchor_seq}" if self.anchor_seq else ""
        return (f"审计链完好：{self.count} 条记录（seq {self.first_seq}–{self.last_seq}{start}），"
                f"链尾哈希 {self.head_hash}，用时 {self.seconds:.1f} 秒")


_COLUMNS = (*CHAIN_FIELDS, "hash", "id")


def iter_chain(using: str = DEFAULT_DB_ALIAS, chunk_size: int = 5000, after_seq: int = 0,
               through_seq: int | None = None) -> Iterator[dict[str, Any]]:
    """Rows in chain order, fetched in keyset-paginated chunks (constant memory, index on seq)."""
    from pingan.core.models import AuditLog

    last = after_seq
    while True:
        qs = AuditLog.objects.using(using).filter(seq__gt=last)
        if through_seq is not None:
            qs = qs.filter(seq__lte=through_seq)
        chunk = list(qs.order_by("seq").values_list(*_COLUMNS)[:chunk_size])
        for values in chunk:
            yield dict(zip(_COLUMNS, values, strict=True))
        if len(chunk) < chunk_size:
            return
        last = chunk[-1][0]


def _anchor_for(first_seq: int, using: str) -> tuple[int, str] | None:
    """The purge anchor whose last purged row is just before ``first_seq``: (anchor seq, through_hash)."""
    from pingan.core.models import AuditAction, AuditLog

    for seq, after in (AuditLog.objects.using(using).filter(action=AuditAction.PURGE, seq__gt=first_seq)
                       .order_by("-seq").values_list("seq", "after")):
        if isinstance(after, dict) and after.get("through_seq") == first_seq - 1 and after.get("through_hash"):
            return seq, after["through_hash"]
    return None


def verify(using: str = DEFAULT_DB_ALIAS, chunk_size: int = 5000, through_seq: int | None = None,
           progress: Callable[[int], None] | None = None) -> Verdict:
    started = time.monotonic()
    verdict = Verdict(ok=True)
    expected_seq: int | None = None
    expected_prev = GENESIS
    for row in iter_chain(using, chunk_size, through_seq=through_seq):
        if expected_seq is None:  # the first remaining row
            verdict.first_seq = expected_seq = row["seq"]
            if row["seq"] != 1:
                anchor = _anchor_for(row["seq"], using)
                if anchor is None:
                    return _broken(verdict, row, f"链首缺失：seq 1–{row['seq'] - 1} 不存在，且没有记录这次删除的清理锚点",
                                   started)
                verdict.anchor_seq, expected_prev = anchor
        if row["seq"] != expected_seq:
            gap = (f"seq {expected_seq}" if row["seq"] == expected_seq + 1
                   else f"seq {expected_seq}–{row['seq'] - 1}")
            return _broken(verdict, row, f"缺失记录：{gap} 被删除（链在此断开）", started)
        if row["prev_hash"] != expected_prev:
            return _broken(verdict, row, "前序哈希不符：上一条记录被删除、替换或顺序被调换", started)
        if row_hash(row) != row["hash"]:
            return _broken(verdict, row, "内容被修改：重新计算的哈希与记录的哈希不符", started)
        verdict.count += 1
        verdict.last_seq = row["seq"]
        verdict.head_hash = expected_prev = row["hash"]
        expected_seq += 1
        if progress and verdict.count % 100_000 == 0:
            progress(verdict.count)
    verdict.seconds = time.monotonic() - started
    return verdict


def _broken(verdict: Verdict, row: dict[str, Any], problem: str, started: float) -> Verdict:
    verdict.ok = False
    verdict.problem = problem
    verdict.problem_seq = row["seq"]
    verdict.problem_id = row["id"]
    verdict.seconds = time.monotonic() - started
    return verdict


# ---------------------------------------------------------------- retention


class PurgeRefused(Exception):
    pass


def retention_days() -> int:
    return max(RETENTION_FLOOR_DAYS, int(getattr(settings, "PINGAN_AUDIT_RETENTION_DAYS", RETENTION_FLOOR_DAYS)))


def earliest_allowed_cutoff(now: dt.datetime | None = None) -> dt.date:
    """The latest ``--before`` date a purge accepts: today (Asia/Shanghai) minus the retention days."""
    today = timezone.localdate(now or timezone.now())
    return today - dt.timedelta(days=retention_days())


@dataclass
class PurgeResult:
    count: int
    first_seq: int | None = None
    through_seq: int | None = None
    anchor_seq: int | None = None


def purge(before: dt.date, *, actor=None, using: str = DEFAULT_DB_ALIAS) -> PurgeResult:
    """Delete the audit rows older than ``before`` (a date, Asia/Shanghai), keeping the chain verifiable."""
    from pingan.core.models import AuditAction, AuditLog

    limit = earliest_allowed_cutoff()
    if before > limit:
        raise PurgeRefused(f"审计日志至少保留 {retention_days()} 天：--before 不能晚于 {limit.isoformat()}")
    cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_default_timezone())
    conn = connections[using]
    with transaction.atomic(using=using):
        lock_chain(using)
        verdict = verify(using)
        if not verdict.ok:
            raise PurgeRefused(f"审计链已损坏，不能清理（先查明原因）：{verdict.text()}")
        rows = AuditLog.objects.using(using)
        first_kept = rows.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        through = (first_kept - 1) if first_kept is not None else verdict.last_seq
        first = verdict.first_seq
        if first is None or through is None or through < first:
            return PurgeResult(count=0)
        through_hash = rows.get(seq=through).hash
        count = rows.filter(seq__lte=through).count()
        from pingan.core.audit import audit_record

        anchor = audit_record(
            actor, AuditAction.PURGE, object_type="core.AuditLog", object_repr=f"{before.isoformat()} 之前的审计日志",
            login="system", detail=f"清理 {before.isoformat()} 之前的审计日志 {count} 条（seq {first}–{through}），"
                                   f"保留期 {retention_days()} 天",
            after={"before": before.isoformat(), "first_seq": first, "through_seq": through,
                   "through_hash": through_hash, "count": count, "retention_days": retention_days()},
        )
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute("SET LOCAL pingan.audit_purge = 'on'")
            cursor.execute(f"DELETE FROM {TABLE} WHERE seq <= %s", [through])
            if conn.vendor == "postgresql":
                cursor.execute("SET LOCAL pingan.audit_purge = 'off'")
    return PurgeResult(count=count, first_seq=first, through_seq=through, anchor_seq=anchor.seq)


# ---------------------------------------------------------------- PostgreSQL guard (migration 0006)

GUARD_SQL = rf"""
CREATE OR REPLACE FUNCTION pingan_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '审计日志只能追加，不能修改 ({TABLE} id=%)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(current_setting('pingan.audit_purge', true), '') <> 'on' THEN
        RAISE EXCEPTION '审计日志只能追加，不能删除；过期记录只能由 pingan audit purge 清理 ({TABLE} id=%)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.at >= now() - interval '{RETENTION_FLOOR_DAYS} days' THEN
        RAISE EXCEPTION '审计日志至少保留{RETENTION_FLOOR_DAYS}天，不能删除 ({TABLE} id=%, at=%)', OLD.id, OLD.at
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM {TABLE} a WHERE a.action = 'purge' AND a.seq > OLD.seq
                   AND (a.after ->> 'through_seq')::bigint >= OLD.seq) THEN
        RAISE EXCEPTION '删除审计日志前须先写入清理锚点 ({TABLE} id=%)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END $$;

CREATE OR REPLACE FUNCTION pingan_audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Django's test runner empties test databases (named test_…) with TRUNCATE between
    -- transactional tests; conftest declares it. Nothing else may empty the audit log.
    IF current_database() LIKE 'test\_%' AND coalesce(current_setting('pingan.audit_test_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '审计日志不能清空 (TRUNCATE {TABLE})' USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS core_auditlog_append_only ON {TABLE};
CREATE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION pingan_audit_guard();
DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON {TABLE};
CREATE TRIGGER core_auditlog_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION pingan_audit_no_truncate();
"""

UNGUARD_SQL = f"""
DROP TRIGGER IF EXISTS core_auditlog_append_only ON {TABLE};
DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS pingan_audit_guard();
DROP FUNCTION IF EXISTS pingan_audit_no_truncate();
"""


def allow_test_truncate(using: str = DEFAULT_DB_ALIAS) -> None:
    """In a Django test database on PostgreSQL, let the test runner's flush TRUNCATE the audit log:
    sets pingan.audit_test_truncate on this connection and on every connection opened later."""
    from django.db.backends.signals import connection_created

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    if not conn.settings_dict["NAME"].startswith("test_"):
        raise RuntimeError("allow_test_truncate is for test databases only")

    def declare(sender, connection, **kwargs):
        if connection.vendor == "postgresql" and (connection.settings_dict.get("NAME") or "").startswith("test_"):
            with connection.cursor() as cursor:
                cursor.execute("SET pingan.audit_test_truncate = 'on'")

    connection_created.connect(declare, weak=False, dispatch_uid="pingan.audit_test_truncate")
    conn.ensure_connection()
    declare(None, conn)
