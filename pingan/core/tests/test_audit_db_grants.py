"""``pingan db_grants``: on PostgreSQL the application's role reads and writes rows but cannot
UPDATE, DELETE or TRUNCATE the audit log, nor own, alter or drop anything (so it cannot drop or
disable the audit triggers either). The real thing is tested: a role is made, the grants applied,
and the test switches to it (SET ROLE) — all inside the test's transaction, rolled back after."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from pingan.accounts.models import ApiToken
from pingan.core.audit import audit_record
from pingan.core.auditchain import TABLE, verify
from pingan.core.management.commands.db_grants import grant_statements
from pingan.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db


def test_the_statements_leave_the_audit_log_read_and_append_only():
    sql = grant_statements(owner="pingan", app="pingan_app", database="pingan")
    grant_all = sql.index('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "pingan_app"')
    revoke_audit = sql.index(f'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "public"."{TABLE}" '
                             f'FROM "pingan_app"')
    assert grant_all < revoke_audit  # the audit restriction comes after the blanket grant
    assert not any("TRUNCATE" in s and s.startswith("GRANT") for s in sql)
    assert not any("OWNER" in s or "CREATE ON" in s and s.startswith("GRANT") for s in sql)
    assert 'REVOKE CREATE ON SCHEMA "public" FROM "pingan_app"' in sql


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
def test_on_sqlite_the_command_says_it_is_for_postgresql():
    with pytest.raises(CommandError, match="只适用于 PostgreSQL"):
        call_command("db_grants")


# ---------------------------------------------------------------- PostgreSQL, for real


def _can_create_roles() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


@pytest.fixture
def app_role():
    """A fresh NOLOGIN role the test's user may SET ROLE to, granted by ``db_grants --apply``."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no roles")
    if not _can_create_roles():
        pytest.skip("the test database user needs CREATEROLE (scripts/pg-test.sh gives it)")
    role = f"pingan_app_t{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT {role} TO CURRENT_USER")
    out = io.StringIO()
    call_command("db_grants", "--app", role, "--apply", stdout=out)
    assert "已授权" in out.getvalue()
    return role


class AsRole:
    def __init__(self, role):
        self.role = role

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {self.role}")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(sql: str, params=()) -> str:
    """Runs ``sql`` in a savepoint; returns PostgreSQL's refusal (the test fails if it is allowed)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    raise AssertionError(f"allowed: {sql}")


def test_the_app_role_cannot_change_the_audit_log_but_does_its_normal_work(app_role, persona):
    user = persona("station_chief")
    audit_record(user, AuditAction.UPDATE, user, detail="before the switch")
    with AsRole(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
        # normal work: read, insert, update, delete rows, and append to the audit log
        row = audit_record(user, AuditAction.UPDATE, user, detail="as the app role")
        assert AuditLog.objects.filter(pk=row.pk).exists()
        token = ApiToken.objects.create(user=user, name="t", prefix="pa_x", key_hash=uuid.uuid4().hex)
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        user.full_name = "改名"
        user.save(update_fields=["full_name"])
        ApiToken.objects.filter(pk=token.pk).delete()
        assert verify().ok
        # the audit log: no UPDATE, DELETE, TRUNCATE — refused by the grants, before any trigger
        for sql in (f"UPDATE {TABLE} SET detail = 'forged' WHERE id = %s",
                    f"DELETE FROM {TABLE} WHERE id = %s"):
            assert "permission denied" in refused(sql, [row.pk])
        assert "permission denied" in refused(f"TRUNCATE {TABLE}")
        # nor may it get rid of the guard or the table: it owns nothing
        assert "must be owner" in refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER core_auditlog_append_only")
        assert "must be owner" in refused(f"DROP TRIGGER core_auditlog_append_only ON {TABLE}")
        assert "must be owner" in refused(f"DROP TABLE {TABLE}")
        assert "permission denied" in refused("CREATE TABLE pingan_sneaky (id int)")
    assert AuditLog.objects.get(pk=row.pk).detail == "as the app role"


def test_check_passes_after_apply_and_fails_for_the_owner(app_role):
    out = io.StringIO()
    call_command("db_grants", "--app", app_role, "--check", stdout=out)
    assert "错误" not in out.getvalue() and "审计日志 UPDATE：不可以" in out.getvalue()
    with AsRole(app_role):  # the app role can run the check on itself (its own DATABASE_URL)
        call_command("db_grants", "--app", app_role, "--check", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE ON {TABLE} TO {app_role}")
    with pytest.raises(CommandError, match="权限不符合要求"):
        call_command("db_grants", "--app", app_role, "--check", stdout=io.StringIO())


def test_printing_shows_the_sql_and_refuses_bad_or_missing_roles(app_role):
    out = io.StringIO()
    call_command("db_grants", "--app", app_role, stdout=out)
    text = out.getvalue()
    assert text.count("BEGIN;") == 1 and f'"{TABLE}" FROM "{app_role}";' in text
    with pytest.raises(CommandError, match="没有角色"):
        call_command("db_grants", "--app", "pingan_no_such_role")
    with pytest.raises(CommandError, match="不合规"):
        call_command("db_grants", "--app", "x; DROP TABLE core_auditlog")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="不能就是所有者"):
        call_command("db_grants", "--app", me)
