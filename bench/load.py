"""Loopback load test: gunicorn on 127.0.0.1 against the province data set, locust with 20 concurrent
users on the scoped incident list, the dashboard and the API list, and on the sign-in page (a trivial
view of the same server) as the ratio. Each page twice: with think time (``--think 1-3``: each user
waits 1–3 s between two pages, as an officer reads a page before the next click; the latency users
see) and without (``0``: every user fires again as soon as an answer arrives; the server's capacity). By hand, after ``bench/province.py generate``:

    .venv/bin/pip install -e '.[bench]'            # locust
    .venv/bin/python bench/load.py [--db URL …] [--seconds 60] [--workers 5] [--think 1-3 --think 0] [--write]

Per database: one gunicorn (``--workers`` gthread workers of 2 threads, as deploy/gunicorn.conf.py, persistent connections) on 127.0.0.1:8141,
then one bounded locust run per page; requests/s, p50/p99, failures, and the CPU the app server's
workers spent per request (steadier than wall time on a shared machine) with the load average.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _common import DEFAULT_URL, ROOT, db_cpu, load, machine, table, write_section

PORT = 8141
TARGETS = ("list", "dashboard", "api", "login")
BIN = Path(sys.executable).parent


def server_cpu(master: int) -> float:
    import psutil

    total = 0.0
    for p in psutil.Process(master).children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def start_server(url: str, workers: int, worker_class: str = "gthread", threads: int = 2,
                 extra: tuple[str, ...] = ()) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PINGAN_ENV": "embedded", "PINGAN_DEBUG": "0",
           "PINGAN_DB_CONN_MAX_AGE": "60", "PINGAN_LOG_LEVEL": "WARNING"}
    log = open(ROOT / "bench" / "out" / "gunicorn.log", "a")  # noqa: SIM115 - the server's lifetime
    proc = subprocess.Popen([str(BIN / "gunicorn"), "pingan.wsgi:application", "--chdir", str(ROOT), "--bind",
                             f"127.0.0.1:{PORT}", "--workers", str(workers), "--timeout", "120",
                             "--worker-class", worker_class, "--threads", str(threads),  # as deploy/gunicorn.conf.py
                             "--log-level", "warning", *extra], env=env, stdout=log, stderr=log)
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login/", timeout=5).status == 200:
                return proc
        except OSError:
            time.sleep(1)
    proc.terminate()
    raise SystemExit("gunicorn did not answer on /login/ (bench/out/gunicorn.log)")


def sign_in(login: str, password: str = "Pingan@2024") -> str:
    """The session cookies of one sign-in, as "name=value;name=value" for the locust users."""
    import http.cookiejar
    import re
    import urllib.parse

    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    base = f"http://127.0.0.1:{PORT}"
    page = opener.open(base + "/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": login, "password": password, "csrfmiddlewaretoken": token}).encode()
    try:
        opener.open(urllib.request.Request(base + "/login/", data=data, headers={"Referer": base + "/login/"}),
                    timeout=60)
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise
    cookies = ";".join(f"{c.name}={c.value}" for c in jar)
    if "session" not in cookies:
        raise SystemExit(f"sign-in as {login} failed")
    return cookies


def run_locust(target: str, seconds: int, users: int, prefix: Path, think: str = "0", together: bool = False) -> dict:
    env = {**os.environ, "BENCH_TARGET": target, "BENCH_THINK": "" if think == "0" else think.replace("-", ","),
           "BENCH_TOGETHER": "1" if together else ""}
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--users",
                    str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--host",
                    f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                   env=env, check=False, capture_output=True, text=True, timeout=seconds + 120)
    if not os.path.exists(f"{prefix}_stats.csv"):
        return {}
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            if row["Name"] == target:
                return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                        "rps": float(row["Requests/s"]), "p50": float(row["50%"]), "p99": float(row["99%"]),
                        "avg": float(row["Average Response Time"])}
    return {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--think", action="append", help="seconds between two pages of a user, MIN-MAX or 0")
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--gunicorn-arg", action="append", default=[], metavar="ARG",
                        help="passed on to gunicorn, e.g. --gunicorn-arg=--keep-alive=0")
    parser.add_argument("--page", action="append", choices=TARGETS[:-1],
                        help="only these pages (the sign-in page, the ratio's base, always runs)")
    parser.add_argument("--together", action="store_true",
                        help="with think time, all users' first page at the same moment (as before 2026-11-30)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    targets = [t for t in TARGETS[:-1] if not args.page or t in args.page] + ["login"]
    thinks = args.think or ["1-3", "0"]
    base = (os.environ.get("DATABASE_URL") or DEFAULT_URL).rsplit("/", 1)[0]
    urls = args.db or [f"{base}/pingan_100k", f"{base}/pingan_300k", f"{base}/pingan"]
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for url in urls:
        import psycopg

        with psycopg.connect(url) as conn:
            n = conn.execute("SELECT count(*) FROM incidents_incident").fetchone()[0]
        server = start_server(url, args.workers, args.worker_class, args.threads, tuple(args.gunicorn_arg))
        try:
            os.environ["BENCH_SESSIONS"] = "|".join(sign_in(login) for login in ("zhihui", "suozhang"))
            results = {}
            for target in targets[:-1]:  # warm-up: every worker imports, compiles templates, connects
                run_locust(target, 10, args.users, out / f"locust-warmup-{target}")
            for think in thinks:
                for target in targets:
                    cpu0, db0 = server_cpu(server.pid), db_cpu()
                    r = run_locust(target, args.seconds, args.users, out / f"locust-{n}-think{think}-{target}", think,
                                   args.together)
                    if not r:
                        raise SystemExit(f"no locust stats for {target} (bench/out/locust-{n}-think{think}-{target}_stats.csv)")
                    r["cpu_ms"] = (server_cpu(server.pid) - cpu0) * 1000 / max(r["requests"], 1)
                    r["db_ms"] = (db_cpu() - db0) * 1000 / max(r["requests"], 1)
                    r["load"] = load()
                    results[think, target] = r
                    print(n, think, target, r, flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
        for think in thinks:
            base_r = results[think, "login"]
            for target in targets:
                r = results[think, target]
                rows.append([n, target, "none" if think == "0" else f"{think} s", args.users, r["requests"],
                             r["failures"], round(r["rps"], 1), round(r["p50"]), round(r["p99"]), round(r["cpu_ms"], 1),
                             round(r["db_ms"], 1),
                             "1.0×" if target == "login" else f"{r['p99'] / max(base_r['p99'], 1):.1f}×",
                             "1.0×" if target == "login" else f"{r['cpu_ms'] / max(base_r['cpu_ms'], 0.1):.1f}×",
                             r["load"]])
    text = table(["incidents", "page", "think time", "users", "requests", "failures", "req/s", "p50 ms", "p99 ms",
                  "app CPU ms/request", "DB CPU ms/request", "p99 ÷ sign-in page", "CPU ÷ sign-in page", "load avg after"], rows)
    print(text)
    if args.write:
        write_section("load", "\n".join([
            "## Loopback load test (gunicorn + locust, 20 concurrent users)", "",
            f"`.venv/bin/python bench/load.py --seconds {args.seconds} --workers {args.workers} "
            f"{' '.join('--think ' + t for t in thinks)} --write`; "
            f"{machine()}. One gunicorn with {args.workers} gthread workers of 2 threads on 127.0.0.1:{PORT} "
            "(`PINGAN_DB_CONN_MAX_AGE=60`), PostgreSQL on the same machine, locust (FastHttpUser) on the same machine too "
            f"(it takes CPU from the server); {args.users} users, {args.seconds} s per page, once with think time "
            "(each user waits the given seconds between two pages: the latency an officer sees; each user's first "
            "page comes at a random moment of its first think time, not all 20 in the same millisecond) and once without "
            "(each user asks again the moment an answer arrives: the server's capacity, where latency is only "
            "the queue). "
            "The script signs in once as 乌拉特中旗局领导 `zhihui` and once as 海流图镇派出所所长 `suozhang` and "
            "the users share those two sessions in turn (the runs measure pages, not password hashing). `list` = "
            "`/incidents/` (first page of 50, capped count), `dashboard` = `/`, `api` = `/api/incidents/?limit=50`, "
            "`login` = `GET /login/` unauthenticated (the trivial view). Each page is warmed up for 10 s first. "
            "*app CPU ms/request* is the CPU time of the gunicorn workers, *DB CPU ms/request* that of the "
            "PostgreSQL cluster, divided by the requests served — the figures that do not depend on what "
            "else the shared machine is doing.", "", text]))


if __name__ == "__main__":
    main()
