"""Does declarative partitioning of incidents by year pay? By hand, after ``bench/province.py generate``:

    .venv/bin/python bench/partition.py [--years 5] [--write]

Copies the generated year (2024) of ``incidents_incident`` back over ``--years`` years into two scratch
tables in schema ``bench_part`` of the bench database — one plain table, one PARTITION BY RANGE
(received_at) with a partition per year — with the same indexes ((banner_id, received_at) INCLUDE
(category_id, cluster_id) as incidents has, (received_at), (area_id)), then times the real query shapes on both (EXPLAIN ANALYZE, median of 3
executions): the year report's aggregate for a banner and for the province, the scoped list's first
page, a week of a banner. The schema is dropped at the end.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from _common import load, machine, setup, table, write_section

COLS = "id, banner_id, area_id, received_at, category_id, cluster_id, status, caller_name, address, content"
BANNER = "150000000000/150800000000/150824000000/%"
PROVINCE = "150000000000/%"
BANNERS_IN = ("SELECT id FROM areas_area WHERE level = 2 AND path LIKE '{}'")
QUERIES = {
    "year by category, one banner (banner_id IN banners: the report's query)": f"""SELECT i.category_id, count(*)
        FROM {{t}} i WHERE i.banner_id IN ({BANNERS_IN.format(BANNER)}) AND i.received_at >= '2024-01-01 00:00+08'
        AND i.received_at < '2025-01-01 00:00+08' GROUP BY 1""",
    "year by category, province (banner_id IN banners: the report's query)": f"""SELECT i.category_id, count(*)
        FROM {{t}} i WHERE i.banner_id IN ({BANNERS_IN.format(PROVINCE)}) AND i.received_at >= '2024-01-01 00:00+08'
        AND i.received_at < '2025-01-01 00:00+08' GROUP BY 1""",
    "year by category, one banner (join on the area path: the query before)": f"""SELECT i.category_id, count(*) FROM {{t}} i JOIN areas_area b ON b.id = i.banner_id
        WHERE b.path LIKE '{BANNER}' AND i.received_at >= '2024-01-01 00:00+08' AND i.received_at < '2025-01-01 00:00+08'
        GROUP BY 1""",
    "year by category, province (join on the area path: the query before)": f"""SELECT i.category_id, count(*) FROM {{t}} i JOIN areas_area b ON b.id = i.banner_id
        WHERE b.path LIKE '{PROVINCE}' AND i.received_at >= '2024-01-01 00:00+08' AND i.received_at < '2025-01-01 00:00+08'
        GROUP BY 1""",
    "list first page, one banner": f"""SELECT i.* FROM {{t}} i JOIN areas_area a ON a.id = i.area_id
        WHERE a.path LIKE '{BANNER}' ORDER BY i.received_at DESC LIMIT 50""",
    "list first page, province": f"""SELECT i.* FROM {{t}} i JOIN areas_area a ON a.id = i.area_id
        WHERE a.path LIKE '{PROVINCE}' ORDER BY i.received_at DESC LIMIT 50""",
    "one week, one banner": f"""SELECT i.* FROM {{t}} i JOIN areas_area a ON a.id = i.area_id
        WHERE a.path LIKE '{BANNER}' AND i.received_at >= '2024-06-01 00:00+08' AND i.received_at < '2024-06-08 00:00+08'
        ORDER BY i.received_at DESC LIMIT 50""",
}


def build(cur, years: int) -> tuple[int, float]:
    cur.execute("DROP SCHEMA IF EXISTS bench_part CASCADE; CREATE SCHEMA bench_part")
    cur.execute(f"""CREATE TABLE bench_part.plain AS SELECT {COLS} FROM incidents_incident WITH NO DATA""")
    cur.execute("""CREATE TABLE bench_part.parted (LIKE bench_part.plain) PARTITION BY RANGE (received_at)""")
    for k in range(years):
        y = 2024 - k
        cur.execute(f"""CREATE TABLE bench_part.parted_{y} PARTITION OF bench_part.parted
                        FOR VALUES FROM ('{y}-01-01 00:00+08') TO ('{y + 1}-01-01 00:00+08')""")
    t = time.perf_counter()
    for name in ("plain", "parted"):
        for k in range(years):
            cur.execute(f"""INSERT INTO bench_part.{name} SELECT id + {k} * 100000000, banner_id, area_id,
                            received_at - interval '{k} year', category_id, cluster_id, status, caller_name, address,
                            content FROM incidents_incident WHERE received_at >= '2024-01-01 00:00+08'""")
        for cols in ("banner_id, received_at) INCLUDE (category_id, cluster_id", "received_at", "area_id"):
            cur.execute(f"CREATE INDEX ON bench_part.{name} ({cols})")
        cur.execute(f"ANALYZE bench_part.{name}")
    cur.execute("SELECT count(*) FROM bench_part.plain")
    return cur.fetchone()[0], time.perf_counter() - t


def timing(cur, sql: str) -> tuple[float, str]:
    times, plan = [], ""
    for _ in range(4):
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [r[0] for r in cur.fetchall()]
        times.append(float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1)))
        plan = "\n".join(lines)
    return statistics.median(times[1:]), plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench_part schema")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    setup()
    from django.db import connection

    connection.ensure_connection()
    connection.connection.autocommit = True
    cur = connection.connection.cursor()
    rows_n, build_s = build(cur, args.years)
    print(f"{rows_n:,} rows in each table ({args.years} years), built in {build_s:.0f} s; load {load()}", flush=True)
    rows, plans = [], []
    for label, sql in QUERIES.items():
        plain, plain_plan = timing(cur, sql.format(t="bench_part.plain"))
        parted, parted_plan = timing(cur, sql.format(t="bench_part.parted"))
        rows.append([label, round(plain, 1), round(parted, 1), f"{plain / parted:.2f}×"])
        plans.append((label, plain_plan, parted_plan))
        print(rows[-1], flush=True)
    sizes = {}
    for name in ("plain", "parted"):
        cur.execute(f"SELECT pg_size_pretty(pg_total_relation_size('bench_part.{name}'))" if name == "plain" else
                    "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_inherits JOIN pg_class c "
                    "ON c.oid = inhrelid WHERE inhparent = 'bench_part.parted'::regclass")
        sizes[name] = cur.fetchone()[0]
    if not args.keep:
        cur.execute("DROP SCHEMA bench_part CASCADE")
    text = table(["query", f"one table of {rows_n:,} ms", f"{args.years} yearly partitions ms",
                  "plain ÷ partitioned"], rows)
    print(text)
    if args.write:
        body = ["## Partitioning incidents by year: measured", "",
                f"`.venv/bin/python bench/partition.py --years {args.years} --write`; {machine()}; load {load()}.",
                "", f"The generated year copied back over {args.years} years ({rows_n:,} rows, ~{rows_n // args.years:,} a "
                "year — a league-size year; a province's 5–10M a year is 5–10× that per partition), into one plain "
                f"table ({sizes['plain']}) and one partitioned by year ({sizes['parted']}), same indexes. Execution "
                "time from EXPLAIN ANALYZE, median of 3 after a warm-up.", "", text, "",
                "<details><summary>plans (plain, then partitioned)</summary>", ""]
        for label, a, b in plans:
            body += [f"**{label}**", "", "```", a, "```", "```", b, "```", ""]
        body.append("</details>")
        write_section("partition", "\n".join(body))


if __name__ == "__main__":
    main()
