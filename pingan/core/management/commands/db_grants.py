"""``pingan db_grants``: the two PostgreSQL roles of a production install.

* the **owner** role owns the schema's tables and runs ``pingan migrate`` (and ``pingan restore``,
  ``pingan audit purge``); it is the role that created the tables, by default the one this command
  connects as;
* the **app** role (default ``pingan_app``) is what the web servers and workers connect as: it may
  read and write rows (SELECT, INSERT, UPDATE, DELETE) but owns nothing and creates nothing — and on
  the audit log (``core_auditlog``) it has only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE.
  Not being the owner, it can neither drop nor disable the audit log's append-only triggers
  (migration core 0006, pingan/core/auditchain.py), which remain a second line of defence.

``pingan db_grants`` prints the SQL; ``--apply`` runs it in one transaction (as the owner: a
role cannot grant on tables it does not own); ``--check`` reports what the app role can do and
fails if it can change the audit log, owns a table or may create in the schema. The app role itself
is made by the database administrator (``sudo -u postgres createuser -P pingan_app``), so that no
password passes through here. Run ``--apply`` again after each ``migrate``: default privileges
cover new tables, the command re-asserts the audit log's restriction whatever happened since.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from pingan.core.auditchain import TABLE as AUDIT_TABLE

ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
DML = "SELECT, INSERT, UPDATE, DELETE"
AUDIT_FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE")


def grant_statements(*, owner: str, app: str, database: str, schema: str = "public",
                     quote=lambda name: '"' + name.replace('"', '""') + '"') -> list[str]:
    """The statements, in order, that leave ``app`` with row access only and read/append only on the
    audit log. Idempotent: every run first revokes what it then grants."""
    o, a, d, s, audit = quote(owner), quote(app), quote(database), quote(schema), quote(AUDIT_TABLE)
    return [
        # nobody but the owner creates objects in the schema (PostgreSQL < 15 let PUBLIC do it)
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {d} TO {a}",
        f"REVOKE CREATE ON SCHEMA {s} FROM {a}",
        f"GRANT USAGE ON SCHEMA {s} TO {a}",
        # rows of every table, nothing else (no TRUNCATE, REFERENCES, TRIGGER)
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {a}",
        f"GRANT {DML} ON ALL TABLES IN SCHEMA {s} TO {a}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {a}",
        # the audit log: read and append only
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {s}.{audit} FROM {a}",
        # tables and sequences the owner's future migrations create
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT {DML} ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]


@dataclass
class Finding:
    ok: bool
    text: str


def check_app_role(cursor, *, app: str, schema: str) -> list[Finding]:
    """What the app role can do, as PostgreSQL answers it (has_*_privilege, pg_tables)."""
    qualified = f"{schema}.{AUDIT_TABLE}"
    findings = []
    for privilege in AUDIT_FORBIDDEN:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app, qualified, privilege])
        can = cursor.fetchone()[0]
        findings.append(Finding(not can, f"审计日志 {privilege}：{'可以（不应当）' if can else '不可以'}"))
    for privilege in ("SELECT", "INSERT"):
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [app, qualified, privilege])
        can = cursor.fetchone()[0]
        findings.append(Finding(can, f"审计日志 {privilege}：{'可以' if can else '不可以（应用无法写审计日志）'}"))
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tableowner = %s ORDER BY 1",
                   [schema, app])
    owned = [row[0] for row in cursor.fetchall()]
    findings.append(Finding(not owned, f"拥有的表：{'、'.join(owned[:5]) + ('…' if len(owned) > 5 else '') if owned else '无'}"))
    cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [app, schema])
    can = cursor.fetchone()[0]
    findings.append(Finding(not can, f"在模式 {schema} 中建表：{'可以（不应当）' if can else '不可以'}"))
    cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [app])
    row = cursor.fetchone()
    findings.append(Finding(not (row and row[0]), f"超级用户或绕过行级安全：{'是（不应当）' if row and row[0] else '否'}"))
    return findings


class Command(BaseCommand):
    help = ("生产数据库的角色与权限（仅 PostgreSQL）：打印 SQL；--apply 以表的所有者执行；"
            "--check 检查应用角色（不能修改、删除、清空审计日志，不拥有表）")

    def add_arguments(self, parser):
        parser.add_argument("--app", default="pingan_app", help="应用（网站、后台任务）连接数据库所用的角色，默认 pingan_app")
        parser.add_argument("--owner", default="", help="表的所有者、执行迁移的角色；默认为本命令连接所用的角色")
        parser.add_argument("--apply", action="store_true", help="在一个事务中执行（须以所有者角色连接）")
        parser.add_argument("--check", action="store_true", help="只检查应用角色的权限，有问题则以非零状态退出")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Django 数据库别名，默认 default")

    def handle(self, *args, app: str, owner: str, apply: bool, check: bool, database: str, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("db_grants 只适用于 PostgreSQL（嵌入式 SQLite 没有数据库角色）")
        for name in (app, owner):
            if name and not ROLE_NAME.match(name):
                raise CommandError(f"角色名 {name!r} 不合规：只能用字母、数字和下划线，且不以数字开头")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            me, dbname, schema = cursor.fetchone()
            owner = owner or me
            cursor.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [[app, owner]])
            found = {row[0] for row in cursor.fetchall()}
            for name in (app,) if check else (owner, app):
                if name not in found:
                    raise CommandError(f"数据库中没有角色 {name}：请数据库管理员先执行 sudo -u postgres createuser -P {name}")
            if check:  # any role may ask, the app role itself included
                return self.check(cursor, app=app, schema=schema)
            if app == owner:
                raise CommandError(f"应用角色不能就是所有者角色 {owner}：请另建一个角色（createuser -P pingan_app）"
                                   f"，并以所有者角色连接执行本命令")
        statements = grant_statements(owner=owner, app=app, database=dbname, schema=schema,
                                      quote=connection.ops.quote_name)
        if not apply:
            self.stdout.write(f"-- 平安乡村：数据库 {dbname} 的角色权限。所有者 {owner}（执行迁移），应用 {app}（只读写数据行，"
                              f"审计日志只可查询与追加）。\n-- 以 {owner} 连接执行（或 pingan db_grants --apply），"
                              f"每次 pingan migrate 之后再执行一次。")
            self.stdout.write("BEGIN;")
            for sql in statements:
                self.stdout.write(sql + ";")
            self.stdout.write("COMMIT;")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tableowner <> %s "
                           "ORDER BY 1", [schema, owner])
            foreign = [row[0] for row in cursor.fetchall()]
        if foreign:
            raise CommandError(f"有 {len(foreign)} 张表不归 {owner} 所有（如 {foreign[0]}），无法授权：请数据库管理员执行 "
                               f"REASSIGN OWNED BY 原所有者 TO {owner}，然后以 {owner} 执行迁移与本命令")
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            findings = check_app_role(cursor, app=app, schema=schema)
            bad = [f.text for f in findings if not f.ok]
            if bad:
                raise CommandError("授权后检查未通过（已回滚）：" + "；".join(bad))
        self.stdout.write(self.style.SUCCESS(f"已授权：{app} 可读写数据行，审计日志只可查询与追加；表归 {owner} 所有"))

    def check(self, cursor, *, app: str, schema: str) -> None:
        findings = check_app_role(cursor, app=app, schema=schema)
        for f in findings:
            self.stdout.write(f"{'OK  ' if f.ok else '错误'} {app} {f.text}")
        if not all(f.ok for f in findings):
            raise CommandError(f"应用角色 {app} 的权限不符合要求：请以所有者角色执行 pingan db_grants --apply --app {app}")
