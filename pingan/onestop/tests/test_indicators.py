"""放管服 figures from records: a station counts as added in the year it became one-stop (not the year
its record was written or edited); requests by their receipt; the online share and the average time
to completion (办结 only) computed."""

import datetime as dt
import decimal

import pytest

from pingan.areas.models import Area
from pingan.onestop import services
from pingan.onestop.tests import builders as b
from pingan.reports.registry import ReportContext, compute_all, indicator
from pingan.reports.text import report_text

pytestmark = pytest.mark.django_db
TOWNSHIPS = ("150824100000", "150824101000", "150824102000", "150824103000", "150824104000")


@pytest.fixture
def ctx():
    return ReportContext(Area.objects.get(code=b.BANNER), 2024)


def value(code, ctx):
    return indicator(code).compute(ctx)


def test_only_stations_made_one_stop_within_the_year_are_added(ctx):
    for code, since in zip(TOWNSHIPS, (dt.date(2021, 6, 1), dt.date(2023, 12, 31), dt.date(2024, 1, 1),
                                       dt.date(2024, 12, 31), dt.date(2025, 1, 1)), strict=True):
        services.one_stop_designate(actor=None, station=b.station(code), since=since, services=["户政"])
    assert value("services.one_stop_stations_added", ctx) == 2
    assert value("services.one_stop_stations", ctx) == 4
    added = indicator("services.one_stop_stations_added").scoped_records(ctx)
    assert sorted(s.since for s in added) == [dt.date(2024, 1, 1), dt.date(2024, 12, 31)]


def test_requests_count_by_receipt_and_channel(ctx):
    st = b.station()
    b.request(st, received=b.at(2023, 12, 31, 16), hours=20)  # done in 2024, received in 2023: not counted
    b.request(st, received=b.at(2024, 1, 2), channel="一网通办", item="户籍证明")
    b.request(st, received=b.at(2024, 6, 1), channel="跨省通办", item="身份证换领")
    b.request(st, received=b.at(2024, 7, 1), kind="车驾管", item="驾驶证期满换证")
    b.request(st, received=b.at(2024, 12, 31, 17), hours=None)  # still open
    assert value("services.requests", ctx) == 4
    assert value("services.requests_household", ctx) == 3 and value("services.requests_vehicle", ctx) == 1
    assert value("services.requests_online", ctx) == 1 and value("services.requests_cross_province", ctx) == 1
    assert value("services.requests_online_share_pct", ctx) == decimal.Decimal("25.0")


def test_the_average_time_counts_completed_requests_only(ctx):
    st = b.station()
    b.request(st, hours=1)
    b.request(st, hours=4)
    b.request(st, hours=100, outcome="不予受理")
    b.request(st, hours=30, outcome="转办", transferred_to="旗公安局户政科")
    b.request(st, hours=None)
    assert value("services.requests_completed", ctx) == 2
    assert value("services.avg_completion_hours", ctx) == decimal.Decimal("2.5")


def test_the_summary_names_the_stations_added(ctx):
    services.one_stop_designate(actor=None, station=b.station("150824102000"), since=dt.date(2024, 5, 20),
                                services=["户政"])
    services.one_stop_designate(actor=None, station=b.station("150824100000"), since=dt.date(2021, 6, 1),
                                services=["户政"])
    b.request(b.station(), hours=2)
    text = report_text(ctx, compute_all(ctx))
    assert "全年受理群众办事1件，其中户政1件" in text
    assert "并新增1个派出所（德岭山镇派出所）为一站式派出所，一站式派出所达到2个" in text
