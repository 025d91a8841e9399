"""Dissuasion and publicity indicators: successes only, the calendar year, the reader's scope."""

import datetime as dt
from decimal import Decimal

import pytest

from pingan.antifraud.indicators import _summary
from pingan.antifraud.tests import builders as b
from pingan.areas.models import Area
from pingan.reports.registry import ReportContext, compute_all, indicator

pytestmark = pytest.mark.django_db


def ctx(actor=None):
    return ReportContext(Area.objects.get(code="150824000000"), 2024, actor=actor)


def value(code, actor=None):
    return indicator(f"antifraud.{code}").compute(ctx(actor))


def test_person_times_count_successes_of_the_year_in_the_readers_scope(persona):
    b.dissuasion(b.VILLAGE, on=dt.date(2024, 1, 1), amount="1000.00")
    b.dissuasion(b.VILLAGE, on=dt.date(2024, 12, 31), amount="2500.50")
    b.dissuasion(b.VILLAGE, on=dt.date(2023, 12, 31), amount="9999.00")  # last year
    b.dissuasion(b.VILLAGE, on=dt.date(2025, 1, 1), amount="9999.00")  # next year
    b.dissuasion(b.VILLAGE, outcome="defrauded")
    b.dissuasion(b.VILLAGE, outcome="unreachable")
    b.dissuasion(b.OTHER_TOWNSHIP_VILLAGE, amount="700.00")
    assert value("dissuasion_person_times") == 3
    assert value("dissuaded_amount_yuan") == Decimal("4200.50")
    assert value("dissuasion_person_times", persona("station_chief")) == 2
    assert value("dissuaded_amount_yuan", persona("station_chief")) == Decimal("3500.50")
    assert value("dissuasion_person_times", persona("prosecutor")) == 0


def test_warnings_and_publicity_are_counted_in_the_year(persona):
    b.warning(b.VILLAGE, at=dt.datetime(2024, 12, 31, 23, 30))  # Asia/Shanghai: still 2024
    b.warning(b.VILLAGE, at=dt.datetime(2025, 1, 1, 0, 10))
    b.event(b.VILLAGE, posters=10, handbooks=40, people_reached=100)
    b.event(b.TOWNSHIP, posters=5, handbooks=10, people_reached=50, place_type="宾馆")
    b.event(b.OTHER_TOWNSHIP_VILLAGE, on=dt.date(2023, 5, 1))
    assert value("warnings_received") == 1
    assert (value("publicity_events"), value("publicity_posters"), value("publicity_handbooks"),
            value("publicity_people_reached")) == (2, 15, 50, 150)
    assert value("publicity_events", persona("village_officer")) == 1  # the township's event is above the village


def test_the_township_summary_speaks_of_the_township_and_its_station(persona):
    b.event(b.VILLAGE)
    b.dissuasion(b.VILLAGE, amount="56000.00")
    reader = ctx(persona("station_chief"))
    [text] = _summary(reader, compute_all(reader))
    assert "海流图镇始终坚持" in text and "辖区派出所民警深入超市等人员密集场所" in text
    assert "进行反诈线下预警现场劝阻群众1人次，预警劝阻转账资金5余万元" in text


def test_no_records_no_summary():
    assert _summary(ctx(), compute_all(ctx())) == []
