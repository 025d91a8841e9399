"""Backup and restore of the whole database, and per-table fingerprints to prove a restore.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists --single-transaction
--no-owner`` with the credentials of DATABASE_URL (the password goes through PGPASSWORD, never the
command line). The client must not be older than the server: pg_dump refuses a newer server, so the
version is checked first and explained in Chinese. SQLite: the online backup API
(``sqlite3.Connection.backup``) both ways — a consistent copy while the site keeps running, and a
restore that replaces every page of the live database.

``table_fingerprints`` gives, for every table, the row count and a sha256 over all rows in primary-key
order (column names included), so two databases — or one before a backup and after a restore — are
compared table by table: nothing lost, nothing extra, nothing changed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger("pingan.backup")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator, in Chinese."""


# ---------------------------------------------------------------- fingerprints


@dataclass(frozen=True)
class Fingerprint:
    rows: int
    checksum: str  # sha256 hex over the column names and every row in primary-key order


def _canon(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return "b:" + bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "t:" + value.isoformat()
    if isinstance(value, decimal.Decimal):
        return "d:" + str(value)
    if isinstance(value, uuid.UUID):
        return "u:" + str(value)
    if isinstance(value, float):
        return "f:" + repr(value)
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' "
                       "ORDER BY name")
    return [r[0] for r in cursor.fetchall()]


def _columns(cursor, vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(all columns in table order, primary-key columns in key order)."""
    if vendor == "postgresql":
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                       "AND table_name = %s ORDER BY ordinal_position", [table])
        columns = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                       "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
                       "ORDER BY array_position(i.indkey, a.attnum)", [_quote(table)])
        return columns, [r[0] for r in cursor.fetchall()]
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    info = cursor.fetchall()  # cid, name, type, notnull, default, pk
    return [r[1] for r in info], [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fingerprints_of(raw_connection, vendor: str, chunk: int = 2000) -> dict[str, Fingerprint]:
    """Fingerprints of every table of a DB-API connection (psycopg or sqlite3)."""
    result: dict[str, Fingerprint] = {}
    cursor = raw_connection.cursor()
    try:
        if vendor == "postgresql":
            # Every value as the server's text (::text), in UTC: the same whatever the client's type
            # loaders (Django's connection loads jsonb as text, a plain psycopg one as dicts).
            cursor.execute("SET TIME ZONE 'UTC'")
        for table in _tables(cursor, vendor):
            columns, key = _columns(cursor, vendor, table)
            order = ", ".join(_quote(c) for c in (key or columns))
            digest = hashlib.sha256(json.dumps(columns, ensure_ascii=False).encode())
            cast = "::text" if vendor == "postgresql" else ""
            cursor.execute(f"SELECT {', '.join(_quote(c) + cast for c in columns)} FROM {_quote(table)} "
                           f"ORDER BY {order}")
            count = 0
            while rows := cursor.fetchmany(chunk):
                for row in rows:
                    digest.update(json.dumps([_canon(v) for v in row], ensure_ascii=False, default=str).encode())
                    digest.update(b"\n")
                count += len(rows)
            result[table] = Fingerprint(count, digest.hexdigest())
    finally:
        cursor.close()
    return result


def table_fingerprints(using: str = DEFAULT_DB_ALIAS) -> dict[str, Fingerprint]:
    """Fingerprints of every table of the Django database ``using``."""
    conn = connections[using]
    conn.ensure_connection()
    return fingerprints_of(conn.connection, conn.vendor)


@dataclass(frozen=True)
class TableComparison:
    table: str
    expected: Fingerprint | None
    actual: Fingerprint | None

    @property
    def same(self) -> bool:
        return self.expected == self.actual

    @property
    def verdict(self) -> str:
        if self.expected is None:
            return "多出的表"
        if self.actual is None:
            return "缺失的表"
        if self.same:
            return "一致"
        if self.expected.rows != self.actual.rows:
            return f"行数不同({self.actual.rows - self.expected.rows:+d})"
        return "内容不同"


def compare(expected: dict[str, Fingerprint], actual: dict[str, Fingerprint]) -> list[TableComparison]:
    return [TableComparison(t, expected.get(t), actual.get(t)) for t in sorted(set(expected) | set(actual))]


def comparison_table(rows: list[TableComparison], *, only_nonempty: bool = False) -> str:
    """A plain-text table: table, rows before, rows after, checksum, verdict; and a total line."""
    width = max([len(r.table) for r in rows] + [5])
    lines = [f"{'table':<{width}}  {'before':>8}  {'after':>8}  {'checksum':<16}  result"]
    for r in rows:
        if only_nonempty and r.same and r.expected and not r.expected.rows:
            continue
        before = r.expected.rows if r.expected else "-"
        after = r.actual.rows if r.actual else "-"
        checksum = (r.actual or r.expected).checksum[:16]
        lines.append(f"{r.table:<{width}}  {before:>8}  {after:>8}  {checksum:<16}  {r.verdict}")
    same = sum(r.same for r in rows)
    total = sum(r.expected.rows for r in rows if r.expected)
    lines.append(f"{len(rows)} tables, {total} rows; {same} identical, {len(rows) - same} different")
    return "\n".join(lines)


# ---------------------------------------------------------------- SQLite


def _sqlite_backup(conn, path: Path) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    conn.ensure_connection()
    target = sqlite3.connect(tmp)
    try:
        conn.connection.backup(target)
    finally:
        target.close()
    os.replace(tmp, path)


def _sqlite_check(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = source.execute("PRAGMA integrity_check").fetchone()[0]
            has_migrations = source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} 不是SQLite备份文件：{exc}") from exc
    if ok != "ok" or not has_migrations:
        raise BackupError(f"{path} 不是完整的平安乡村SQLite备份（integrity_check: {ok}）")


def _sqlite_restore(conn, path: Path) -> None:
    _sqlite_check(path)
    conn.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(conn.connection)
    finally:
        source.close()


def _sqlite_file_fingerprints(path: Path) -> dict[str, Fingerprint]:
    _sqlite_check(path)
    # Django's sqlite connection converts declared types (datetime, decimal, bool) with the converters
    # it registers in the sqlite3 module: read the file the same way, or equal rows would differ.
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                             detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        return fingerprints_of(source, "sqlite")
    finally:
        source.close()


# ---------------------------------------------------------------- PostgreSQL


def _server_major(conn) -> int:
    conn.ensure_connection()
    return conn.pg_version // 10000


def pg_tool(name: str, server_major: int) -> str:
    """The pg_dump / pg_restore to use: the server's own major version if installed (Debian keeps one
    per version under /usr/lib/postgresql), else the one on PATH — checked not older than the server."""
    own = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    path = str(own) if own.exists() else shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}：请安装与数据库服务器同版本的PostgreSQL客户端"
                          f"（如 apt-get install postgresql-client-{server_major}）")
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError as exc:
        raise BackupError(f"无法运行 {path}：{exc}") from exc
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    major = int(found.group(1)) if found else 0
    if major < server_major:
        raise BackupError(f"{name} 版本为 {major}，低于数据库服务器版本 {server_major}：{name} 不能处理更新版本的服务器，"
                          f"请安装 postgresql-client-{server_major}")
    return path


def _pg_args(settings_dict: dict, dbname: str | None = None) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--dbname", dbname or settings_dict["NAME"], "--no-password"]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：" + "；".join(detail[-5:]))


def _pg_backup(conn, path: Path) -> None:
    tool = pg_tool("pg_dump", _server_major(conn))
    args, env = _pg_args(conn.settings_dict)
    tmp = path.with_name(path.name + ".part")
    _run([tool, "--format=custom", "--file", str(tmp), *args], env, "pg_dump 备份")
    os.replace(tmp, path)


def _pg_check(path: Path, tool: str) -> None:
    result = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True)
    if result.returncode != 0 or "django_migrations" not in result.stdout:
        raise BackupError(f"{path} 不是平安乡村的 pg_dump 备份（自定义格式）：{result.stderr.strip()[:200]}")


def _pg_restore(conn, path: Path, dbname: str | None = None) -> None:
    tool = pg_tool("pg_restore", _server_major(conn))
    _pg_check(path, tool)
    args, env = _pg_args(conn.settings_dict, dbname)
    if dbname is None:
        conn.close()  # our own idle connection must not hold locks the DROPs wait for
    _run([tool, "--clean", "--if-exists", "--single-transaction", "--no-owner", "--exit-on-error", *args,
          str(path)], env, "pg_restore 恢复")


def _pg_file_fingerprints(conn, path: Path) -> dict[str, Fingerprint]:
    """Restore the dump into a scratch database (the role needs CREATEDB), fingerprint it, drop it."""
    import psycopg

    scratch = f"pingan_verify_{uuid.uuid4().hex[:12]}"
    conn.ensure_connection()
    with conn.cursor() as cursor:
        try:
            cursor.execute(f"CREATE DATABASE {_quote(scratch)}")
        except Exception as exc:
            raise BackupError(f"校验备份需要临时数据库，但当前账号不能建库（需 CREATEDB 权限）：{exc}") from exc
    try:
        _pg_restore(conn, path, dbname=scratch)
        s = conn.settings_dict
        with psycopg.connect(host=s.get("HOST") or None, port=s.get("PORT") or None, user=s.get("USER") or None,
                             password=s.get("PASSWORD") or None, dbname=scratch) as raw:
            return fingerprints_of(raw, "postgresql")
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)}")


# ---------------------------------------------------------------- the entry points


def backup_database(path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a consistent backup of the whole database to ``path`` (replaced if it exists)."""
    conn = connections[using]
    path = Path(path).resolve()
    if not path.parent.is_dir():
        raise BackupError(f"目录 {path.parent} 不存在")
    if conn.in_atomic_block:
        raise BackupError("不能在事务中备份")
    if conn.vendor == "postgresql":
        _pg_backup(conn, path)
    elif conn.vendor == "sqlite":
        _sqlite_backup(conn, path)
    else:
        raise BackupError(f"不支持的数据库：{conn.vendor}")
    log.info("backup written to %s (%d bytes)", path, path.stat().st_size)
    return path


def restore_database(path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the whole database content with the backup at ``path``."""
    conn = connections[using]
    path = Path(path).resolve()
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在")
    if conn.in_atomic_block:
        raise BackupError("不能在事务中恢复")
    if conn.vendor == "postgresql":
        _pg_restore(conn, path)
    elif conn.vendor == "sqlite":
        _sqlite_restore(conn, path)
    else:
        raise BackupError(f"不支持的数据库：{conn.vendor}")
    log.warning("database %s restored from %s", conn.settings_dict["NAME"], path)


def backup_fingerprints(path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> dict[str, Fingerprint]:
    """Fingerprints of the database inside a backup file (read without touching the live database)."""
    conn = connections[using]
    path = Path(path).resolve()
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在")
    if conn.vendor == "postgresql":
        return _pg_file_fingerprints(conn, path)
    return _sqlite_file_fingerprints(path)


def scratch_path(suffix: str = ".backup") -> Path:
    handle, name = tempfile.mkstemp(prefix="pingan-", suffix=suffix)
    os.close(handle)
    return Path(name)
