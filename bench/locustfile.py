"""Locust users for bench/load.py: each uses the session of (or signs in as) a non-admin persona (police leader 乌拉特中旗 or a
station chief) and requests one page over and over: without think time, or with BENCH_THINK="MIN,MAX" seconds
between two pages (an officer reading the page before the next click; each user's first page comes at a random
moment within the first MAX seconds, as readers who are already at work, not 20 clicks in the same millisecond).
BENCH_TARGET picks the page:

    list       /incidents/                the scoped incident list (first page, 50 rows)
    dashboard  /                          the home page with the role's items
    api        /api/incidents/?limit=50   the API list (session auth)
    login      /login/                    the trivial view (not signed in): the ratio's base
"""

from __future__ import annotations

import os
import random
import re

import gevent
from locust import FastHttpUser, between, constant, task

TARGET = os.environ.get("BENCH_TARGET", "list")
PATHS = {"list": "/incidents/", "dashboard": "/", "api": "/api/incidents/?limit=50", "login": "/login/"}
PERSONAS = [p for p in os.environ.get("BENCH_PERSONAS", "zhihui,suozhang").split(",") if p]
PASSWORD = os.environ.get("BENCH_PASSWORD", "Pingan@2024")
THINK = [float(x) for x in os.environ.get("BENCH_THINK", "").split(",") if x]
_next = iter(range(10**9))


class Reader(FastHttpUser):  # geventhttpclient: the load generator shares the 2 cores, keep its CPU small
    wait_time = between(*THINK) if THINK else constant(0)
    headers: dict = {}

    def on_start(self):
        if THINK and not os.environ.get("BENCH_TOGETHER"):  # officers do not all click in the same millisecond:
            gevent.sleep(random.uniform(0, THINK[-1]))  # each starts at a random point of its reading time
        if TARGET == "login":
            return
        k = next(_next)
        sessions = [s for s in os.environ.get("BENCH_SESSIONS", "").split("|") if s]
        if sessions:  # signed in once by bench/load.py: the run measures pages, not password hashing
            self.headers = {"Cookie": "; ".join(sessions[k % len(sessions)].split(";"))}
            return
        login = PERSONAS[k % len(PERSONAS)]
        page = self.client.get("/login/", name="(sign-in)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        r = self.client.post("/login/", {"username": login, "password": PASSWORD,
                                         "csrfmiddlewaretoken": token.group(1) if token else ""},
                             headers={"Referer": self.host + "/login/"}, name="(sign-in)", allow_redirects=False)
        if r.status_code != 302:
            raise RuntimeError(f"sign-in as {login} failed: HTTP {r.status_code}")

    @task
    def read(self):
        with self.client.get(PATHS[TARGET], name=TARGET, headers=self.headers, catch_response=True,
                             allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
