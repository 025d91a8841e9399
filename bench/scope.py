"""What the jurisdiction scope costs: scoped vs unscoped list pages, subtree and coverage queries.

Builds N staff spread over the three demo banners' village-level units in a scratch database,
then times each query (median of repeated runs) and prints the scoped/unscoped ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        db = out / "scope.sqlite3"
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.staff)
    run(args.repeat, args.staff)


def build(n: int) -> None:
    import datetime as dt
    import random

    from django.db import transaction

    from pingan.areas.models import Area, Level
    from pingan.areas.services import areas_load_banner
    from pingan.core import idcard
    from pingan.org.models import Agency, AgencyKind, Staff

    rng = random.Random(7)
    for code in ("150824", "152922", "150627"):
        areas_load_banner(banner_code=code)
    Staff.objects.all().delete()
    stations = {}
    for township in Area.objects.filter(level=Level.TOWNSHIP):
        stations[township.pk], _ = Agency.objects.get_or_create(
            name=f"{township.short_name}派出所", area=township, defaults={"kind": AgencyKind.POLICE_STATION})
    villages = list(Area.objects.filter(level=Level.VILLAGE))
    started = time.perf_counter()
    with transaction.atomic():
        batch = []
        for i in range(n):
            v = rng.choice(villages)
            number = idcard.make(v.code[:6], dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), i)
            batch.append(Staff(name=f"人员{i}", name_initials=f"ry{i}", category="辅警", agency=stations[v.parent_id],
                               area=v, id_number=_unique(number, i),
                               phone=f"13{i:09d}", gender="M", ethnicity="汉族", birth_date=dt.date(1980, 1, 1)))
            if len(batch) == 5000:
                Staff.objects.bulk_create(batch)
                batch = []
        Staff.objects.bulk_create(batch)
    print(f"built {n} staff in {time.perf_counter() - started:.1f}s")


def _unique(number: str, i: int) -> str:
    # 18 characters, unique per row (the bench does not need valid check digits for every row)
    return f"{number[:6]}{i:011d}X"


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def run(repeat: int, n: int) -> None:
    from django.utils import timezone

    from pingan.accounts.models import User
    from pingan.areas.models import Area
    from pingan.org.models import Staff
    from pingan.org.selectors import coverage

    township = Area.objects.get(code="150824100000")
    banner = Area.objects.get(code="150824000000")
    chief = User(username="bench_chief", role="station_chief", jurisdiction=township)
    leader = User(username="bench_leader", role="police_leader", jurisdiction=banner)
    rows = [
        ("unscoped first page (50 rows)", lambda: list(Staff.objects.select_related("agency", "area")
                                                       .order_by("name")[:50])),
        ("station chief first page", lambda: list(Staff.objects.visible_to(chief).select_related("agency", "area")
                                                  .order_by("name")[:50])),
        ("station chief count", lambda: Staff.objects.visible_to(chief).count()),
        ("banner leader count", lambda: Staff.objects.visible_to(leader).count()),
        ("subtree of a banner (areas)", lambda: Area.objects.filter(path__startswith=banner.path).count()),
        ("coverage of a banner", lambda: coverage(leader, banner, timezone.localdate())),
    ]
    results = [(label, timed(fn, repeat)) for label, fn in rows]
    base = results[0][1]
    from django.db import connection

    print(f"\n{connection.vendor}, {n} staff, median of {repeat} runs")
    print(f"{'query':<34} {'ms':>9} {'× unscoped page':>16}")
    for label, ms in results:
        print(f"{label:<34} {ms:>9.2f} {ms / base:>16.2f}")


if __name__ == "__main__":
    main()
