"""Chart series: grouped in SQL for counts, value() per bucket otherwise; every bar adds up."""

import datetime as dt

import pytest

from pingan.reports import charts
from pingan.reports.registry import ReportContext, indicator
from pingan.testing import org_builders as b
from pingan.testing.factories import area

pytestmark = pytest.mark.django_db


def ctx(actor=None, year=2024):
    return ReportContext(banner=area(b.BANNER), year=year, actor=actor)


def test_areas_themselves_are_grouped_by_their_township_ancestor():
    data = charts.by_township(indicator("org.admin_villages"), ctx())
    by_name = dict(zip(data["labels"], data["values"], strict=True))
    assert by_name["海流图镇"] == 2  # 巴仁宝勒格村, 巴彦塔拉村 (its communities are not 村/嘎查)
    assert by_name["乌加河镇"] == 7
    assert sum(data["values"]) == 87
    assert data["codes"] == sorted(data["codes"])


def test_records_dated_before_the_year_are_one_leading_bucket_so_the_bars_add_up():
    b.room(b.OWN_VILLAGES[0], opened=dt.date(2022, 5, 1))
    b.room(b.SIBLING_VILLAGES[0], opened=dt.date(2024, 9, 10))
    data = charts.by_month(indicator("org.police_rooms_high_standard"), ctx())
    assert data["labels"][0] == "2024年以前" and data["labels"][1:] == [f"{m}月" for m in range(1, 13)]
    assert data["values"][0] == 1 and data["values"][9] == 1  # earlier, September
    assert sum(data["values"]) == indicator("org.police_rooms_high_standard").compute(ctx()) == 2


def test_an_indicator_that_counts_people_not_rows_is_computed_per_bucket():
    person = b.officer(b.station(b.OWN_TOWNSHIP), "民警")
    b.seat(b.OWN_TOWNSHIP, staff=person, start=dt.date(2024, 2, 1))
    b.seat(b.OWN_VILLAGES[0], staff=person, start=dt.date(2024, 2, 20))
    b.seat(b.SIBLING_VILLAGES[0], start=dt.date(2024, 7, 1))
    ind = indicator("org.team_seat_officers")
    months = charts.by_month(ind, ctx())
    assert months["values"][1] == 1 and months["values"][6] == 1  # February counts the person once
    towns = charts.by_township(ind, ctx())
    assert dict(zip(towns["labels"], towns["values"], strict=True)) == {"海流图镇": 1, "乌加河镇": 1}


def test_records_on_the_banner_itself_are_shown_as_banner_level():
    b.recruit(b.hq(), started=dt.date(2024, 3, 1))
    b.recruit(b.station(b.OWN_TOWNSHIP), started=dt.date(2024, 3, 1))
    data = charts.by_township(indicator("org.new_recruits"), ctx())
    assert dict(zip(data["labels"], data["values"], strict=True)) == {"海流图镇": 1, charts.BANNER_LEVEL: 1}


def test_an_indicator_without_a_date_has_no_month_series():
    assert charts.by_month(indicator("org.admin_villages"), ctx()) is None


def test_the_township_table_has_one_row_per_township_with_records(persona):
    b.assign(b.OWN_VILLAGES[0])
    b.assign(b.SIBLING_VILLAGES[0])
    inds = [indicator("org.auxiliary_officers_assigned"), indicator("org.villages_with_officer")]
    columns, rows = charts.township_table(ctx(persona("station_chief")), inds)
    assert columns == inds
    assert rows == [["150824100000", "海流图镇", 1, 1]]
