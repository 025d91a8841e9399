"""The year report on the province data set: every registered indicator (``compute_all``, what
``pingan report --banner CODE --year 2024`` and the report page compute) for one banner and for the
whole province (the 14 generated banners), against the same high-volume aggregates as one
hand-written SQL query (the ratio). By hand, after ``bench/province.py generate``:

    .venv/bin/python bench/report_pg.py [--db URL …] [--write]

Per database: wall and CPU time of compute_all (median of 3 after a warm-up), its query count, the
slowest steps (an indicator, or a shared pass of several: registry.Pass); then the 10 incidents/
disputes/visits/cases figures as compute_all computes them (their passes shared) against one SQL
statement computing the same figures (checked equal).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import os
import statistics
import subprocess
import sys
import time

from _common import DEFAULT_URL, ROOT, cpu_s, db_cpu, load, machine, table, write_section

SUBSET = ("incidents.total", "incidents.theft", "incidents.fraud", "incidents.disputes", "incidents.repeat_clusters",
          "incidents.repeat_share_pct", "disputes.registered", "visits.total", "cases.criminal.accepted",
          "cases.administrative.accepted")

SQL = """
WITH inc AS (
  SELECT i.category_id, i.cluster_id FROM incidents_incident i JOIN areas_area b ON b.id = i.banner_id
  WHERE b.path LIKE %(p)s AND i.received_at >= %(s)s AND i.received_at < %(e)s
), cat AS (
  SELECT c.id, c.name, p.name AS top FROM incidents_incidentcategory c
  LEFT JOIN incidents_incidentcategory p ON p.id = c.parent_id
), agg AS (
  SELECT count(*) AS total,
         count(*) FILTER (WHERE cat.name = ANY(%(theft)s)) AS theft,
         count(*) FILTER (WHERE cat.name = ANY(%(fraud)s)) AS fraud,
         count(*) FILTER (WHERE cat.name = %(disp)s OR cat.top = %(disp)s) AS disputes,
         count(DISTINCT inc.cluster_id) AS clusters,
         count(inc.cluster_id) AS in_clusters
  FROM inc JOIN cat ON cat.id = inc.category_id
)
SELECT agg.*,
  (SELECT count(*) FROM disputes_dispute d JOIN areas_area a ON a.id = d.area_id
    WHERE a.path LIKE %(p)s AND d.registered_at >= %(s)s AND d.registered_at < %(e)s) AS disputes_registered,
  (SELECT count(*) FROM disputes_visit v JOIN areas_area a ON a.id = v.area_id
    WHERE a.path LIKE %(p)s AND v.visited_on BETWEEN %(d0)s AND %(d1)s) AS visits,
  (SELECT count(*) FILTER (WHERE c.kind = 'criminal') FROM cases_case c JOIN areas_area a ON a.id = c.area_id
    WHERE a.path LIKE %(p)s AND c.accepted_on BETWEEN %(d0)s AND %(d1)s) AS criminal,
  (SELECT count(*) FILTER (WHERE c.kind = 'administrative') FROM cases_case c JOIN areas_area a ON a.id = c.area_id
    WHERE a.path LIKE %(p)s AND c.accepted_on BETWEEN %(d0)s AND %(d1)s) AS administrative
FROM agg
"""


def hand_sql(area, year: int) -> dict:
    from django.db import connection

    from pingan.incidents.categories import DISPUTES_TOP, FRAUD, THEFT

    tz = dt.timezone(dt.timedelta(hours=8))
    params = {"p": area.path + "%", "s": dt.datetime(year, 1, 1, tzinfo=tz), "e": dt.datetime(year + 1, 1, 1, tzinfo=tz),
              "d0": dt.date(year, 1, 1), "d1": dt.date(year, 12, 31), "theft": list(THEFT), "fraud": list(FRAUD),
              "disp": DISPUTES_TOP}
    with connection.cursor() as cur:
        cur.execute(SQL, params)
        total, theft, fraud, disputes, clusters, in_clusters, registered, visits, criminal, admin = cur.fetchone()
    share = (decimal.Decimal(in_clusters * 100) / total).quantize(decimal.Decimal("0.1")) if total else decimal.Decimal("0.0")
    return dict(zip(SUBSET, (total, theft, fraud, disputes, clusters, share, registered, visits, criminal, admin),
                    strict=True))


def measure(url: str) -> list[dict]:
    from _common import setup

    setup(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pingan.areas.models import Area
    from pingan.incidents.models import Incident
    from pingan.reports.registry import ReportContext, all_indicators, compute, compute_all, indicator

    n = Incident.objects.count()
    out = []
    for code, label in (("150824000000", "one banner (乌拉特中旗)"), ("150000000000", "province (14 banners)")):
        area = Area.objects.get(code=code)
        ctx = ReportContext(banner=area, year=2024)
        compute_all(ctx)  # warm-up (plans, caches)
        walls, cpus, dbs = [], [], []
        for _ in range(3):
            t, c, d = time.perf_counter(), cpu_s(), db_cpu()
            with CaptureQueriesContext(connection) as q:
                values = compute_all(ctx)
            walls.append(time.perf_counter() - t)
            cpus.append(cpu_s() - c)
            dbs.append(db_cpu() - d)
        steps: dict[str, float] = {}  # an indicator, or a shared pass (registry.Pass) as compute_all runs it
        compute(ctx, all_indicators(), timings=steps)
        slow = sorted(((sec * 1000, step) for step, sec in steps.items()), reverse=True)
        sub_walls, sql_walls = [], []
        for _ in range(3):
            t = time.perf_counter()
            orm = compute(ctx, [indicator(c) for c in SUBSET])  # as compute_all: passes shared
            sub_walls.append(time.perf_counter() - t)
            t = time.perf_counter()
            sql = hand_sql(area, 2024)
            sql_walls.append(time.perf_counter() - t)
        mismatch = {c: (orm[c], sql[c]) for c in SUBSET if orm[c] != sql[c]}
        row = {"incidents": n, "scope": label, "indicators": len(values), "queries": len(q.captured_queries),
               "report_ms": statistics.median(walls) * 1000, "report_cpu_ms": statistics.median(cpus) * 1000,
               "report_db_ms": statistics.median(dbs) * 1000,
               "subset_ms": statistics.median(sub_walls) * 1000, "sql_ms": statistics.median(sql_walls) * 1000,
               "total": values["incidents.total"], "slowest": [f"{c} {ms:.0f}" for ms, c in slow[:4]],
               "mismatch": {k: [str(a), str(b)] for k, (a, b) in mismatch.items()}, "load": load()}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append", help="database URLs (default: the 100k, 300k and 1M bench databases)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    base = (os.environ.get("DATABASE_URL") or DEFAULT_URL).rsplit("/", 1)[0]
    urls = args.db or [f"{base}/pingan_100k", f"{base}/pingan_300k", f"{base}/pingan"]
    rows = []
    for url in urls:  # one process per database
        code = f"import sys, json; sys.path.insert(0, 'bench'); import report_pg; print('RESULT', json.dumps(report_pg.measure({url!r})))"
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            sys.exit(proc.stderr[-3000:])
        rows += json.loads([x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1][7:])
    headers = ["incidents in DB", "report of", "incidents in scope", "indicators", "queries", "compute_all ms",
               "compute_all CPU ms (Python + PostgreSQL)", "10 high-volume indicators, ORM ms", "same as one SQL ms", "ratio ORM/SQL",
               "slowest steps: indicator or shared pass (ms)", "load avg"]
    body = [[r["incidents"], r["scope"], r["total"], r["indicators"], r["queries"], round(r["report_ms"]),
             f"{r['report_cpu_ms'] + r['report_db_ms']:,.0f} ({r['report_cpu_ms']:,.0f} + {r['report_db_ms']:,.0f})",
             round(r["subset_ms"]), round(r["sql_ms"]), f"{r['subset_ms'] / r['sql_ms']:.1f}×",
             "; ".join(r["slowest"]), r["load"]] for r in rows]
    text = table(headers, body)
    print(text)
    bad = [r for r in rows if r["mismatch"]]
    if bad:
        print("MISMATCH between the ORM and the SQL:", [r["mismatch"] for r in bad])
    if args.write:
        write_section("report", "\n".join([
            "## Year report on PostgreSQL (`pingan report` / `compute_all`)", "",
            f"`.venv/bin/python bench/report_pg.py --write`; {machine()}.", "",
            "compute_all: all registered indicators of every programme for 2024, as the command line computes "
            "them (system scope), median of 3 after a warm-up. The ratio compares the 10 indicators that read the "
            "big tables (incidents ×6, disputes registered, visits, criminal and administrative cases accepted), "
            "computed as compute_all computes them (the incidents' five counts in one shared pass, the cases' and "
            "disputes' in theirs; `reports.registry.Pass`), with one hand-written SQL statement that computes the "
            "same 10 figures. *Slowest steps* are compute_all's own: an indicator, or a pass named by its records "
            "(`incidents.year`, `cases.accepted` …) "
            "(`SQL` in the script; the figures are checked equal" + (", **they differed**: "
                                                                    f"{[r['mismatch'] for r in bad]}" if bad else "") + ").",
            "", text]))


if __name__ == "__main__":
    main()
