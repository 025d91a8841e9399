"""Backup and restore (pingan/core/backup.py, ``pingan backup`` / ``pingan restore``).

The drill runs on the backend the suite runs on (SQLite: the online backup API on the test database;
PostgreSQL: pg_dump / pg_restore against the test database): load a representative data set across
several apps, back up, change things (add, edit, delete), restore, and compare every table's row
count and checksum with the state at the backup — nothing lost, nothing extra. The comparison is
printed and written to test-artifacts/restore-drill-<backend>.txt for the closing note."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from pingan.core import auditchain, backup

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


class Out:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def build_representative_data():
    """Rows in the tables of several apps, written through their services where they have one (so
    the audit log fills as in real use): areas, accounts, org, disputes, incidents, core."""
    from pingan.accounts.models import ApiToken, hash_token
    from pingan.areas.models import Area
    from pingan.areas.services import areas_load_banner
    from pingan.disputes import services as disputes
    from pingan.disputes.models import DisputeKind, DisputeSource, PartyRole
    from pingan.incidents import services as incidents
    from pingan.incidents.models import IncidentCategory
    from pingan.org.services import staff_update
    from pingan.testing.factories import PostingFactory, StaffFactory
    from pingan.testing.personas import BANNER, VILLAGE, make_persona

    if not Area.objects.filter(code=BANNER).exists():  # a transactional test before this one flushed it
        areas_load_banner(banner_code=BANNER[:6])
    leader = make_persona("hq_officer")
    chief = make_persona("station_chief")
    make_persona("auditor")
    for i in range(3):
        ApiToken.objects.create(user=leader, key_hash=hash_token(f"drill-token-{i}"), prefix=f"drill{i}", name=f"令牌{i}")
    staff = [StaffFactory() for _ in range(12)]
    for s in staff[:4]:
        PostingFactory(staff=s, agency=s.agency)
    for s in staff[:3]:
        staff_update(actor=None, staff=s, note="演练前备注")
    village = Area.objects.get(code=VILLAGE)
    for i in range(4):
        disputes.dispute_register(
            actor=None, area=village, title=f"演练纠纷{i}：院墙界址争执", kind=DisputeKind.NEIGHBOUR,
            source=DisputeSource.WALK_IN, description="双方因院墙界址发生口角。", people_involved=2,
            parties=[disputes.PartyIn(name="张海军", phone=f"1384710{i:04d}", role=PartyRole.APPLICANT),
                     disputes.PartyIn(name="李娜", phone=f"1394710{i:04d}", role=PartyRole.RESPONDENT)])
    category, _ = IncidentCategory.objects.get_or_create(name="入户盗窃")
    banner = Area.objects.get(code=BANNER)
    for i in range(6):
        incidents.incident_register(
            actor=None, banner=banner, number=f"DRILL{i:05d}", category=category, caller_name="王建国",
            caller_phone="13804711234", address="海流图镇巴仁宝勒格村三组", content="报警人称家中被盗，丢失现金2000元。",
            received_at=timezone.now() - dt.timedelta(days=i, hours=2))
    return {"staff": staff, "chief": chief}


def change_things(made):
    """After the backup: add, edit and delete rows in several tables."""
    from pingan.accounts.models import ApiToken
    from pingan.disputes.models import Dispute
    from pingan.org.models import Posting, Staff
    from pingan.org.services import staff_update
    from pingan.testing.factories import StaffFactory

    StaffFactory.create_batch(3)  # added
    staff_update(actor=None, staff=made["staff"][5], note="恢复后应消失的修改")  # edited (and audited)
    Staff.objects.filter(pk=made["staff"][6].pk).update(name="改名")  # edited without a trace
    Posting.objects.filter(staff=made["staff"][0]).delete()  # deleted
    ApiToken.objects.filter(name="令牌1").delete()
    Dispute.objects.order_by("pk").last().parties.all().delete()


@pytest.mark.django_db(transaction=True)
def test_restore_drill_nothing_lost_nothing_extra(tmp_path):
    made = build_representative_data()
    file = tmp_path / "pingan.backup"
    out = Out()
    call_command("backup", str(file), stdout=out)
    assert file.stat().st_size > 0, out.text
    at_backup = backup.table_fingerprints()

    verify = Out()
    try:
        call_command("backup", "--verify", str(file), stdout=verify)  # the file holds what the database held
    except CommandError:
        raise AssertionError(verify.text) from None
    assert "different" in verify.text and " 0 different" in verify.text, verify.text

    change_things(made)
    changed = backup.table_fingerprints()
    touched = {t for t in at_backup if at_backup[t] != changed.get(t)}
    assert {"org_staff", "org_posting", "accounts_apitoken", "core_auditlog"} <= touched, touched

    restored_out = Out()
    call_command("restore", str(file), "--yes", stdout=restored_out)
    assert "审计链完好" in restored_out.text, restored_out.text
    restored = backup.table_fingerprints()
    rows = backup.compare(at_backup, restored)

    report = drill_report(at_backup, changed, restored)
    print("\n" + report)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"restore-drill-{connection.vendor}.txt").write_text(report + "\n", encoding="utf-8")

    assert [r.table for r in rows if not r.same] == [], report
    assert set(restored) == set(at_backup), "nothing lost, nothing extra: the same tables"
    nonempty = [t for t, f in at_backup.items() if f.rows]
    assert len(nonempty) >= 15, nonempty  # the drill really covered several apps' tables
    assert auditchain.verify().ok


def drill_report(at_backup, changed, restored) -> str:
    tables = sorted(set(at_backup) | set(changed) | set(restored))
    width = max(len(t) for t in tables)
    lines = [f"restore drill on {connection.vendor}: rows at backup / after changes / after restore, checksum",
             f"{'table':<{width}}  {'backup':>7}  {'changed':>7}  {'restored':>8}  {'checksum (restored)':<16}  result"]
    same = empty = 0
    for t in tables:
        a, c, r = at_backup.get(t), changed.get(t), restored.get(t)
        ok = a == r
        same += ok
        if ok and a and not a.rows and c == a:
            empty += 1
            continue  # empty tables that stayed empty are counted, not listed
        mark = "identical" if ok else "DIFFERENT"
        if ok and c != a:
            mark += " (changed, restored)"
        lines.append(f"{t:<{width}}  {a.rows if a else '-':>7}  {c.rows if c else '-':>7}  "
                     f"{r.rows if r else '-':>8}  {(r or a).checksum[:16]:<16}  {mark}")
    total = sum(f.rows for f in at_backup.values())
    lines.append(f"{len(tables)} tables ({empty} empty ones not listed), {total} rows at backup; "
                 f"{same} identical after restore, {len(tables) - same} different")
    return "\n".join(lines)


# ---------------------------------------------------------------- the commands' refusals


@pytest.mark.django_db
def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.backup"))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a backup at all" * 100)
    with pytest.raises(backup.BackupError, match="备份"):
        backup.backup_fingerprints(bogus)
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")


@pytest.mark.django_db
def test_backup_into_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("backup", str(tmp_path / "no" / "such" / "dir" / "x.backup"))


def test_a_missing_pg_dump_is_explained_in_chinese():
    with mock.patch.object(backup.shutil, "which", return_value=None), \
            mock.patch.object(backup.Path, "exists", return_value=False), \
            pytest.raises(backup.BackupError, match="找不到 pg_dump.*postgresql-client-15"):
        backup.pg_tool("pg_dump", 15)


def test_a_pg_dump_older_than_the_server_is_explained_in_chinese():
    old = mock.Mock(stdout="pg_dump (PostgreSQL) 13.14\n")
    with mock.patch.object(backup.shutil, "which", return_value="/usr/bin/pg_dump"), \
            mock.patch.object(backup.Path, "exists", return_value=False), \
            mock.patch.object(backup.subprocess, "run", return_value=old), \
            pytest.raises(backup.BackupError, match="版本为 13，低于数据库服务器版本 15"):
        backup.pg_tool("pg_dump", 15)


def test_fingerprints_see_an_edit_that_keeps_the_row_count(tmp_path):
    db = sqlite3.connect(tmp_path / "f.sqlite3")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(2, "乙"), (1, "甲")])
    first = backup.fingerprints_of(db, "sqlite")
    db.execute("UPDATE t SET name = '丙' WHERE id = 2")
    second = backup.fingerprints_of(db, "sqlite")
    assert first["t"].rows == second["t"].rows == 2
    assert first["t"].checksum != second["t"].checksum
    rows = backup.compare(first, second)
    assert [r.verdict for r in rows] == ["内容不同"]
