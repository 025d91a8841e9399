"""The HTTP side of scripts/prod-smoke.sh: a person's import and export through the production stack.

    prod-smoke-client.py URL1 URL2 LOGIN PASSWORD ROWS [NGINX_URL]

Signs in on app server 1, uploads a 110 CSV of ROWS rows there (more than the job threshold, so it
becomes a job), polls the job on app server 2 (same session: sessions live in the database) until
it succeeds, and checks its counts; then asks app server 2 for a large xlsx export (a job), polls it
on app server 1 and downloads the workbook there (the result lies in the shared media directory).
With NGINX_URL, also checks a static file and the proxying through nginx. Standard library only.

The requests say X-Forwarded-Proto: https, as nginx would behind TLS: the stack runs with
PINGAN_ENV=production (secure cookies, SSL redirect). Cookies are kept by hand because the standard
cookie jar never sends a Secure cookie over plain http.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import sys
import time
import uuid
from urllib.parse import urlencode, urlsplit


class Browser:
    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        url = urlsplit(base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        h = {"Host": url.netloc, "X-Forwarded-Proto": "https", "User-Agent": "pingan-prod-smoke"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data

    def get(self, base, path, **kw):
        return self.request(base, "GET", path, **kw)

    def post_form(self, base, path, fields: dict):
        body = urlencode(fields).encode()
        return self.request(base, "POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{urlsplit(base).netloc}",
            "Referer": f"https://{urlsplit(base).netloc}{path}"})

    def post_file(self, base, path, fields: dict, name: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = []
        for k, v in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(base, "POST", path, b"".join(parts), {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"https://{urlsplit(base).netloc}",
            "Referer": f"https://{urlsplit(base).netloc}{path}"})

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def fail(message: str) -> None:
    print(f"  ✗ {message}", flush=True)
    sys.exit(1)


def ok(message: str) -> None:
    print(f"  ✓ {message}", flush=True)


def incident_csv(n: int) -> bytes:
    start = dt.datetime(2024, 5, 1, 7, 0)
    names = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
    cats = ("入户盗窃", "邻里纠纷", "殴打他人", "治安")
    lines = ["警情编号,接警时间,报警人,报警电话,发生地址,警情类别,警情内容"]
    for i in range(n):
        who = names[i % 20] + names[(i * 7 + 3) % 20] + "某"
        lines.append(f"SMOKE{i:06d},{start + dt.timedelta(minutes=17 * i):%Y-%m-%d %H:%M},{who},139{i:08d},"
                     f"海流图镇巴仁宝勒格村{i % 9 + 1}组,{cats[i % 4]},冒烟测试第{i}号警情，{who}报警求助。")
    return ("\n".join(lines) + "\n").encode()


def wait_job(b: Browser, base: str, job_id: int, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    seen = set()
    while time.monotonic() < deadline:
        status, _, data = b.get(base, f"/api/jobs/{job_id}")
        if status != 200:
            fail(f"GET /api/jobs/{job_id} on {base} answered {status}: {data[:200]!r}")
        job = json.loads(data)
        label = f"{job['status']} {job['done']}/{job['total']}"
        if label not in seen:
            seen.add(label)
            print(f"    job {job_id} on {base}: {label} {job['stage']}", flush=True)
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.5)
    fail(f"job {job_id} not finished after {seconds}s")
    return {}


def main() -> None:
    app1, app2, login, password, rows = sys.argv[1:6]
    nginx = sys.argv[6] if len(sys.argv) > 6 else ""
    rows = int(rows)
    b = Browser()

    status, _, page = b.get(app1, "/login/")
    if status != 200 or not b.csrf():
        fail(f"GET /login/ on app server 1: {status}")
    status, headers, _ = b.post_form(app1, "/login/", {"username": login, "password": password,
                                                        "csrfmiddlewaretoken": b.csrf(), "next": "/"})
    if status != 302 or "sessionid" not in b.cookies:
        fail(f"sign-in as {login} on app server 1 answered {status} {headers.get('location', '')}")
    ok(f"signed in as {login} on app server 1 ({app1})")
    status, _, _ = b.get(app2, "/jobs/")
    if status != 200:
        fail(f"the same session on app server 2 answered {status} for /jobs/ (sessions not shared?)")
    ok("the session works on app server 2 (sessions in the database)")

    b.get(app1, "/incidents/import/")
    started = time.monotonic()
    status, headers, data = b.post_file(app1, "/incidents/import/", {"csrfmiddlewaretoken": b.csrf()},
                                        "file", "smoke-110.csv", incident_csv(rows))
    location = headers.get("location", "")
    m = re.match(r"^/jobs/(\d+)/$", location)
    if status != 302 or not m:
        fail(f"upload of {rows} rows on app server 1: expected a redirect to the job, got {status} {location}")
    job_id = int(m.group(1))
    ok(f"upload of {rows} rows on app server 1 became job {job_id}")
    job = wait_job(b, app2, job_id)
    if job["status"] != "succeeded":
        fail(f"import job failed: {job['message']}")
    counts = job["counts"]
    if counts.get("rows") != rows or counts.get("imported") != rows or counts.get("rejected") != 0:
        fail(f"import counts: {counts}")
    ok(f"import job succeeded in {time.monotonic() - started:.1f}s, polled on app server 2: {job['message']}")

    status, _, data = b.get(app2, f"/jobs/{job_id}/")
    if status != 200 or f"导入{rows}条".encode() not in data:
        fail(f"job page on app server 2: {status}")
    ok("the job page on app server 2 shows the counts")

    status, headers, _ = b.get(app2, "/incidents/?q=SMOKE&export=xlsx")
    m = re.match(r"^/jobs/(\d+)/$", headers.get("location", ""))
    if status != 302 or not m:
        fail(f"large export on app server 2: expected a redirect to a job, got {status}")
    export_id = int(m.group(1))
    job = wait_job(b, app1, export_id)
    if job["status"] != "succeeded" or not job["download_url"]:
        fail(f"export job: {job['status']} {job['message']}")
    status, headers, data = b.get(app1, job["download_url"])
    if status != 200 or not data.startswith(b"PK\x03\x04"):
        fail(f"download of the export on app server 1: {status}, {len(data)} bytes")
    ok(f"export job {export_id} made on app server 2's request, downloaded from app server 1 ({len(data)} bytes xlsx)")

    if nginx:
        status, headers, _ = b.get(nginx, "/login/")
        if status != 301 or not headers.get("location", "").startswith("https://"):
            fail(f"GET /login/ through nginx (plain http): expected the app's redirect to https, got {status}")
        status, _, page = Browser().get(app1, "/login/")  # signed out: the login page itself
        css = re.search(rb'href="(/static/[^"]+\.css)"', page or b"")
        if not css:
            fail("no stylesheet link on the login page")
        status, headers, _ = b.get(nginx, css.group(1).decode())
        if status != 200 or "immutable" not in headers.get("cache-control", ""):
            fail(f"static file through nginx: {status} {headers.get('cache-control')}")
        ok(f"nginx proxies to the app servers (X-Forwarded-Proto reaches the app) and serves {css.group(1).decode()} itself")

if __name__ == "__main__":
    main()
