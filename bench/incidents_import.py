"""Import plus repeat analysis of a 110 export through the real importer, run by hand.

    .venv/bin/python bench/incidents_import.py --rows 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/incidents_import.py --rows 100000

Writes a year of synthetic 110 records of 乌拉特中旗 (planted repeats and hard negatives, addresses
written many ways) as a GBK CSV, imports it into a scratch database with
``pingan incidents import FILE --banner 150824`` (place resolution, the trail's first step, the
batch repeat analysis, groups and links written, one signal per incident, the audit row), then
imports the same file again (everything skipped, nothing changes) and prints the figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def write_csv(path: Path, rows: int) -> int:
    from pingan.incidents.repeats import evalset

    s = int(rows / 1.44)
    data = evalset.generate(9, singles=s, multi=s // 40, caller=s // 40, disputes=s // 50, negatives=s // 10,
                            days=365, start=dt.date(2024, 1, 1))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["警情编号", "接警时间", "报警人", "报警电话", "发生地址", "警情类别", "警情内容"])
    tz = dt.timezone(dt.timedelta(hours=8))
    sub_for = {"火灾": "房屋火灾", "求助": "其他求助", "涉赌": "涉赌举报"}
    for k, r in enumerate(data.records):
        when = dt.datetime.fromtimestamp(r.t, tz)
        stamp = when.strftime("%Y-%m-%d %H:%M:%S" if k % 2 else "%Y/%m/%d %H:%M")
        w.writerow([f"B{r.id:08d}", stamp, r.caller, r.phone, r.address, sub_for.get(r.sub, r.sub), r.content])
    path.write_bytes(buf.getvalue().encode("gb18030"))
    return len(data.records)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--with-receivers", action="store_true",
                        help="keep other apps' incident_registered receivers connected (their cost is theirs)")
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        db = out / "incidents.sqlite3"
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pingan.areas.services import areas_load_banner
    from pingan.incidents.models import Incident, RepeatCluster, RepeatLink
    from pingan.incidents.signals import incident_registered, incidents_imported

    if not args.with_receivers:
        incident_registered.receivers, incidents_imported.receivers = [], []
        incident_registered.sender_receivers_cache.clear()
        print("other apps' receivers disconnected (--with-receivers keeps them)")
    call_command("migrate", verbosity=0)
    areas_load_banner(banner_code="150824")
    Incident.objects.all().delete()
    path = out / f"110-{args.rows}.csv"
    t = time.perf_counter()
    n = write_csv(path, args.rows)
    print(f"generated {n:,} rows ({path.stat().st_size / 1e6:.1f} MB GBK CSV) in {time.perf_counter() - t:.1f} s")
    for label in ("first import", "same file again"):
        t, c = time.perf_counter(), time.process_time()
        call_command("incidents", "import", str(path), "--banner", "150824", "--format", "text",
                     stdout=io.StringIO())
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU ({n / wall:,.0f} rows/s); incidents "
              f"{Incident.objects.count():,}, groups {RepeatCluster.objects.count():,}, links "
              f"{RepeatLink.objects.count():,}, needs placement {Incident.objects.filter(needs_placement=True).count():,}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
