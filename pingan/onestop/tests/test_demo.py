"""The demo of 乌拉特中旗 2024: exactly 2 stations became one-stop in 2024 (德岭山, 甘其毛都); 石哈河,
one-stop since 2023, and the two town stations of 2021/2022 do not count."""

import datetime as dt
import io

import pytest

from pingan.areas.models import Area
from pingan.demo import build_police
from pingan.demo.base import DemoContext
from pingan.onestop import demo
from pingan.onestop.models import OneStopStation, ServiceRequest
from pingan.reports.registry import ReportContext, compute_all, indicator
from pingan.reports.text import report_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def values():
    build_police.build(DemoContext())
    demo.build()
    ctx = ReportContext(Area.objects.get(code="150824000000"), 2024)
    return ctx, compute_all(ctx)


def test_exactly_two_stations_became_one_stop_in_2024(values):
    ctx, v = values
    assert v["services.one_stop_stations_added"] == 2
    added = indicator("services.one_stop_stations_added").scoped_records(ctx)
    assert sorted(s.station.short_name for s in added) == ["德岭山派出所", "甘其毛都派出所"]
    shihahe = OneStopStation.objects.get(station__short_name="石哈河派出所")
    assert shihahe.since.year == 2023 and shihahe.station.one_stop_since == shihahe.since
    assert v["services.one_stop_stations"] == 5


def test_the_requests_of_the_year_are_computed_from_the_rows(values):
    ctx, v = values
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    rows = ServiceRequest.objects.filter(received_at__date__gte=start, received_at__date__lte=end)
    assert v["services.requests"] == rows.count() > 4000
    assert v["services.requests_completed"] == rows.filter(outcome="办结").count()
    assert 15 <= v["services.requests_online_share_pct"] <= 30
    assert 0 < v["services.avg_completion_hours"] < 72
    # 车驾管 is handled only where the window offers it: the town's station and one-stop stations
    late = rows.filter(kind="车驾管", station__short_name="德岭山派出所", received_at__date__lt=dt.date(2024, 5, 20))
    assert not late.exists()


def test_the_summary_reads_as_the_bureau_wrote_it(values):
    ctx, v = values
    text = report_text(ctx, v)
    assert "新增2个派出所（德岭山派出所、甘其毛都派出所）为一站式派出所" in text
    assert "实现户政、车驾管等高频事项业务“一窗通办”" in text


def test_the_demo_is_idempotent(values):
    count = ServiceRequest.objects.count()
    out = io.StringIO()
    demo.build(stdout=out)
    assert "已存在，跳过" in out.getvalue() and ServiceRequest.objects.count() == count
