"""Shared by the province-scale benchmarks: Django on the bench PostgreSQL, timing, machine facts,
and writing one section of ``bench/RESULTS.md`` (each script owns its section, between markers)."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "RESULTS.md"
# The bench cluster (bench/README.md: how to start it); never the test suite's ports.
DEFAULT_URL = "postgres://pingan:pingan@127.0.0.1:54333/pingan"


def setup(url: str | None = None) -> None:
    os.environ["DATABASE_URL"] = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit("these benchmarks run on PostgreSQL: DATABASE_URL=postgres://…")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
    import django

    django.setup()


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def db_cpu() -> float:
    """CPU seconds used so far by every process of the bench PostgreSQL cluster (backends, parallel
    workers): the database's share of a measurement, whatever else the machine is doing."""
    import psutil

    pidfile = Path(os.environ.get("PINGAN_BENCH_PGDATA", "/tmp/pingan-bench-pg/data")) / "postmaster.pid"
    try:
        master = psutil.Process(int(pidfile.read_text().split()[0]))
    except (OSError, ValueError, psutil.Error):
        return 0.0
    total = 0.0
    for p in [master, *master.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return total


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process) over ``repeat`` runs after one warm-up."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), cpu_s()
        fn()
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((cpu_s() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        pg = subprocess.run(["/usr/lib/postgresql/15/bin/postgres", "--version"], capture_output=True,
                            text=True).stdout.strip()
    except OSError:
        pg = "PostgreSQL ?"
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, {pg}")


def table(headers: list[str], rows: list[list]) -> str:
    def fmt(v):
        if isinstance(v, float):
            return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|"]
    out += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(out)


def write_section(key: str, text: str) -> None:
    """Replace (or append) the part of RESULTS.md between ``<!-- key -->`` and ``<!-- /key -->``."""
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    body = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Province-scale benchmarks\n"
    block = f"{start}\n{text.strip()}\n{end}"
    if start in body and end in body:
        head, rest = body.split(start, 1)
        body = head + block + rest.split(end, 1)[1]
    else:
        body = body.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(body, encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)} [{key}]")
