"""The read replica in a simulation: a hot standby of the bench cluster (streaming replication) on
127.0.0.1:54334, ``PINGAN_REPLICA_DATABASE_URL`` pointing at it, and the year report page read as
乌拉特中旗局领导: which database served what, counted by PostgreSQL itself (pg_stat_database). By hand:

    R=/tmp/pingan-bench-pg-replica; mkdir -p $R && chown postgres $R
    runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p 54333 -U postgres -D $R/data -R -X stream -c fast
    runuser -u postgres -- pg_ctl -D $R/data -l $R/log -w -o "-c listen_addresses=127.0.0.1 -p 54334 -k $R" start
    PINGAN_REPLICA_DATABASE_URL=postgres://pingan:pingan@127.0.0.1:54334/pingan .venv/bin/python bench/replica.py --write
"""

from __future__ import annotations

import argparse
import os
import time

from _common import DEFAULT_URL, load, setup, table, write_section

STATS = "SELECT xact_commit, tup_returned + tup_fetched, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()"


def counters(url: str) -> tuple[int, int, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        return conn.execute(STATS).fetchone()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    primary = os.environ.get("DATABASE_URL") or DEFAULT_URL
    replica = os.environ.get("PINGAN_REPLICA_DATABASE_URL")
    if not replica:
        raise SystemExit("set PINGAN_REPLICA_DATABASE_URL (see the docstring)")
    setup(primary)
    from django.conf import settings
    from django.test import Client

    from pingan.accounts.models import User

    assert "replica" in settings.DATABASES, "the settings did not add the replica"
    c = Client()
    c.force_login(User.objects.get(username="zhihui"))
    c.get("/")  # warm-up
    time.sleep(1)  # statistics are flushed by the backends about once a second
    p0, r0 = counters(primary), counters(replica)
    rows = []
    for label, url in (("year report page /reports/150824000000/2024/", "/reports/150824000000/2024/"),
                       ("drill-down page incidents.total", "/reports/150824000000/2024/incidents.total/"),
                       ("incident list /incidents/ (not a report)", "/incidents/")):
        t = time.perf_counter()
        status = c.get(url).status_code
        ms = (time.perf_counter() - t) * 1000
        time.sleep(1.5)
        p1, r1 = counters(primary), counters(replica)
        rows.append([label, status, round(ms), p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2], r1[0] - r0[0],
                     r1[1] - r0[1]])
        p0, r0 = counters(primary), counters(replica)
        print(rows[-1], flush=True)
    import psycopg

    with psycopg.connect(primary.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        lag = conn.execute("SELECT max(replay_lag) FROM pg_stat_replication").fetchone()[0]
    text = table(["request", "HTTP", "ms", "primary: transactions", "primary: rows read", "primary: rows written",
                  "replica: transactions", "replica: rows read"], rows)
    print(text, f"\nreplay lag {lag}")
    if args.write:
        write_section("replica", "\n".join([
            "## Read replica (streaming hot standby) in a simulation", "",
            "`PINGAN_REPLICA_DATABASE_URL=postgres://…:54334/pingan .venv/bin/python bench/replica.py --write`: a hot "
            "standby of the bench cluster made with `pg_basebackup -R` on 127.0.0.1:54334, the settings' replica "
            "and `pingan.core.db_routers.ReportReplicaRouter`; each page read once as 乌拉特中旗局领导 on 1,000,000 "
            "incidents, and the work each database did for it as PostgreSQL counts it (`pg_stat_database`; the "
            "counters include the statistics queries themselves, a few rows). Replay lag at the end: "
            f"{lag}; load {load()}.", "", text, "",
            "The report's figures, chart and drill-down rows are read on the replica; the session, the user and "
            "the reader's banners stay on the primary (the queries Django sent to `default` during the report "
            "page were only those, a few ms; the primary's other rows read in that second are background work "
            "such as autovacuum of the freshly generated tables), and so does every non-report page."]))


if __name__ == "__main__":
    main()
