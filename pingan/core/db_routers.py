"""Report reads on a PostgreSQL read replica.

With ``PINGAN_REPLICA_DATABASE_URL`` set (a hot standby of the primary, streaming replication), the
settings add the ``replica`` database and this router. Everything reads and writes the primary
(``default``) except the reads made inside ``replica_reads()``: the year report's figures
(``reports.registry.compute_all``), the drill-down and chart data of the report pages — so a
province's year-end reporting does not compete with the morning's 110 imports and list pages.
A report may be a few seconds behind the primary (replication lag); nothing written is ever read
back from the replica. Without the variable nothing changes: one database, no router.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("pingan_reading_reports", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (also usable as a decorator)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReportReplicaRouter:
    """Reads inside ``replica_reads()`` → ``replica``; every other read, every write and every
    migration → ``default`` (the replica gets its schema and rows by replication)."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both: a relation between them is fine

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
