"""The real pages and queries against the province data set: time, query count and slowest query of
each page rendered in-process (Django test client, no network), then EXPLAIN (ANALYZE, BUFFERS) of
the queries that touch the whole incidents table. Run through ``bench/province.py explain``."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from _common import load, table, write_section

PERSONAS = (("bench_province", "自治区(14旗县)"), ("zhihui", "乌拉特中旗局领导"), ("suozhang", "海流图镇派出所所长"))


def page_timings(repeat: int = 5) -> list[list]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pingan.accounts.models import User
    from pingan.incidents.models import Incident

    rows = []
    for login, label in PERSONAS:
        user = User.objects.filter(username=login).first()
        if user is None:
            continue
        c = Client()
        c.force_login(user)
        one = Incident.objects.visible_to(user).order_by("-received_at").first()
        day = one.received_at.date() if one else dt.date(2024, 12, 31)
        pages = [
            ("首页 (dashboard)", "/"),
            ("警情列表 第1页", "/incidents/"),
            ("警情列表 第200页", "/incidents/?page=200"),
            ("警情列表 一周+类别", f"/incidents/?date_from={day - dt.timedelta(days=6)}&date_to={day}&category=盗窃"),
            ("警情列表 搜索“羊”", "/incidents/?q=羊"),
            ("警情详情", f"/incidents/{one.pk}/" if one else None),
            ("每日警情梳理", f"/incidents/daily/?date={day}"),
            ("矛盾纠纷台账", "/disputes/"),
            ("API 警情列表", "/api/incidents/?limit=50"),
            ("API 警情列表 offset 10000", "/api/incidents/?limit=50&offset=10000"),
        ]
        for name, url in pages:
            if url is None:
                continue
            walls, cpus, queries, slowest = [], [], 0, (0.0, "")
            for k in range(repeat + 1):
                with CaptureQueriesContext(connection) as ctx:
                    t, cpu = time.perf_counter(), time.process_time()
                    r = c.get(url)
                    wall = (time.perf_counter() - t) * 1000
                    cpu = (time.process_time() - cpu) * 1000
                if k:  # the first is a warm-up
                    walls.append(wall)
                    cpus.append(cpu)
                queries = len(ctx.captured_queries)
                for q in ctx.captured_queries:
                    if float(q["time"]) * 1000 > slowest[0]:
                        slowest = (float(q["time"]) * 1000, q["sql"][:90])
            rows.append([label, name, r.status_code, round(statistics.median(walls), 1),
                         round(statistics.median(cpus), 1), queries,
                         round(slowest[0], 1), slowest[1].replace("|", "¦")])
            print(rows[-1], flush=True)
    return rows


def explains() -> list[tuple[str, str]]:
    from django.db.models import Count

    from pingan.accounts.models import User
    from pingan.areas.models import Area
    from pingan.incidents.filters import IncidentFilter
    from pingan.incidents.indicators import _year
    from pingan.incidents.models import Incident
    from pingan.incidents.selectors import incident_list
    from pingan.reports.registry import ReportContext

    out = []
    province = User.objects.get(username="bench_province")
    zhihui = User.objects.get(username="zhihui")
    banner = Area.objects.get(code="150824000000")
    start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    cases = [
        ("province list, first page", IncidentFilter({}, queryset=incident_list(province)).qs.order_by("-received_at")[:50]),
        ("province list, COUNT(*)", Incident.objects.visible_to(province).values("pk")),
        ("banner list, first page", IncidentFilter({}, queryset=incident_list(zhihui)).qs.order_by("-received_at")[:50]),
        ("banner list, one week", Incident.objects.visible_to(zhihui).filter(
            received_at__gte=dt.datetime(2024, 6, 1, tzinfo=start.tzinfo),
            received_at__lt=dt.datetime(2024, 6, 8, tzinfo=start.tzinfo)).order_by("-received_at")[:50]),
        ("year report, banner: incidents by category (the indicators' queryset)",
         _year(ReportContext(banner, 2024)).values("category_id").annotate(n=Count("pk")).order_by()),
        ("year report, province: incidents by category (the indicators' queryset)",
         _year(ReportContext(Area.objects.get(code="150000000000"), 2024)).values("category_id")
         .annotate(n=Count("pk")).order_by()),
    ]
    for label, qs in cases:
        if "COUNT" in label:
            from django.db import connection

            sql, params = qs.query.sql_with_params()
            with connection.cursor() as cur:
                cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM ({sql}) s", params)
                plan = "\n".join(r[0] for r in cur.fetchall())
        else:
            plan = qs.explain(analyze=True, buffers=True)
        out.append((label, plan))
        print(f"--- {label}\n{plan}\n", flush=True)
    return out


def run(write: bool = False) -> None:
    from pingan.incidents.models import Incident

    n = Incident.objects.count()
    print(f"{n:,} incidents; load {load()}")
    rows = page_timings()
    plans = explains()
    if write:
        text = [f"## Pages on {n:,} incidents (in-process, `bench/province.py explain`)", "",
                f"Median of 5 renders through the Django test client after a warm-up; load average {load()}.", "",
                table(["reader", "page", "HTTP", "ms", "Python CPU ms", "queries", "slowest query ms", "slowest query"], rows), "",
                "<details><summary>EXPLAIN (ANALYZE, BUFFERS)</summary>", ""]
        for label, plan in plans:
            text += [f"**{label}**", "", "```", plan, "```", ""]
        text.append("</details>")
        write_section(f"pages-{n // 1000}k", "\n".join(text))
