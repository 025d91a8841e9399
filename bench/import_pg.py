"""Import throughput on PostgreSQL: N incidents of a 110 export through the real import path
(``pingan incidents import FILE --banner 150824``: parsing, place resolution, the trail's first step,
the batch repeat analysis, groups and links, signals, the audit row) against a bare insert of the
same rows (Django ``bulk_create`` and COPY) as the ratio. By hand:

    .venv/bin/python bench/import_pg.py --rows 100000 [--rows 300000] [--write]

Each size runs in a scratch database ``pingan_import`` on the bench cluster (dropped and made anew),
so the province data set is left alone. Other apps' receivers of ``incident_registered`` stay
connected (``--without-receivers`` disconnects them, as ``bench/incidents_import.py`` does by default).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import resource
import time

from _common import DEFAULT_URL, ROOT, cpu_s, load, machine, table, write_section


def scratch_url() -> str:
    import psycopg

    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS pingan_import WITH (FORCE)")
        conn.execute("CREATE DATABASE pingan_import")
    return base.rsplit("/", 1)[0] + "/pingan_import"


def read_rows(path):
    from pingan.incidents.importer import parse_received_at

    text = path.read_bytes().decode("gb18030")
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return [(r[0], parse_received_at(r[1]), r[2], r[3], r[4], r[5], r[6]) for r in reader]


def bare(rows, banner, mode: str) -> float:
    from django.db import connection, transaction

    from pingan.incidents.models import Incident, IncidentCategory

    Incident.objects.all().delete()
    cats = {c.name: c.pk for c in IncidentCategory.objects.all()}
    other = cats.get("其他警情") or next(iter(cats.values()))
    t = time.perf_counter()
    with transaction.atomic():
        if mode == "bulk_create":
            objs = [Incident(number=n, banner=banner, area=banner, received_at=at, caller_name=name, caller_phone=phone,
                             phone_key=phone, address=addr, category_id=cats.get(cat, other), raw_category=cat,
                             content=content, source="import") for n, at, name, phone, addr, cat, content in rows]
            Incident.objects.bulk_create(objs, batch_size=2000)
        else:
            from province import Copier

            cur = connection.connection.cursor()
            with Copier(cur, Incident, ["number", "banner", "area", "received_at", "caller_name", "caller_phone",
                                        "phone_key", "address", "category", "raw_category", "content", "source"],
                        dt.datetime.now(dt.UTC)) as cp:
                for n, at, name, phone, addr, cat, content in rows:
                    cp.write(n, banner.pk, banner.pk, at, name, phone, phone, addr, cats.get(cat, other), cat, content,
                             "import")
    return time.perf_counter() - t


def one_size(rows_wanted: int, with_receivers: bool) -> dict:
    os.environ["DATABASE_URL"] = scratch_url()
    from _common import setup

    setup(os.environ["DATABASE_URL"])
    from django.core.management import call_command
    from incidents_import import write_csv

    from pingan.areas.models import Area
    from pingan.areas.services import areas_load_banner
    from pingan.incidents.models import Incident, RepeatCluster
    from pingan.incidents.signals import incident_registered, incidents_imported

    if not with_receivers:
        incident_registered.receivers, incidents_imported.receivers = [], []
        incident_registered.sender_receivers_cache.clear()
    call_command("migrate", verbosity=0)
    areas_load_banner(banner_code="150824")
    banner = Area.objects.get(code="150824000000")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"110-{rows_wanted}.csv"
    n = write_csv(path, rows_wanted)
    result = {"rows": n, "load_before": load()}
    t, c = time.perf_counter(), cpu_s()
    call_command("incidents", "import", str(path), "--banner", "150824", "--format", "text", stdout=io.StringIO())
    result["import_s"], result["import_cpu_s"] = time.perf_counter() - t, cpu_s() - c
    result["imported"] = Incident.objects.count()
    result["groups"] = RepeatCluster.objects.count()
    rows = read_rows(path)
    result["bulk_create_s"] = bare(rows, banner, "bulk_create")
    result["copy_s"] = bare(rows, banner, "copy")
    result["load_after"] = load()
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(result, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--without-receivers", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    sizes = args.rows or [100_000]
    import json
    import subprocess
    import sys

    results = []
    for size in sizes:  # one process per size: Django's setup, peak memory and receivers are its own
        code = ("import sys, json; sys.path.insert(0, 'bench'); import import_pg; "
                f"print('RESULT', json.dumps(import_pg.one_size({size}, {not args.without_receivers})))")
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            sys.exit(proc.stderr[-3000:])
        line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1]
        results.append(json.loads(line[7:]))
    rows = []
    for r in results:
        rows.append([r["rows"], round(r["import_s"], 1), round(r["import_cpu_s"], 1), round(r["rows"] / r["import_s"]),
                     r["groups"], round(r["bulk_create_s"], 1), round(r["rows"] / r["bulk_create_s"]),
                     round(r["copy_s"], 1), round(r["rows"] / r["copy_s"]),
                     f"{r['import_s'] / r['bulk_create_s']:.1f}×", f"{r['import_s'] / r['copy_s']:.1f}×",
                     round(r["peak_mb"]), f"{r['load_before']} → {r['load_after']}"])
    text = table(["rows", "import wall s", "import CPU s", "import rows/s", "repeat groups", "bulk_create s",
                  "bulk_create rows/s", "COPY s", "COPY rows/s", "import ÷ bulk_create", "import ÷ COPY",
                  "peak RSS MB", "load avg (1/5/15 min)"], rows)
    print(text)
    if args.write:
        recv = "other apps' receivers disconnected" if args.without_receivers else "every app's receivers connected"
        write_section("import", "\n".join([
            "## Import throughput (110 export → incidents, PostgreSQL)", "",
            f"`.venv/bin/python bench/import_pg.py {' '.join('--rows ' + str(s) for s in sizes)} --write` "
            f"({recv}); scratch database on the bench cluster; {machine()}.", "",
            "The real path is `pingan incidents import FILE --banner 150824` (GBK CSV of 乌拉特中旗, a year, planted "
            "repeats): parse and check each row, resolve the place, write the incident and its first trail step, "
            "the batch repeat analysis with its groups and links, the signals, the audit row. The bare inserts "
            "write the same rows (parsed beforehand, not timed) straight into the incidents table.", "",
            text]))


if __name__ == "__main__":
    main()
