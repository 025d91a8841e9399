"""The organisation's indicators are computed from individual records (assignments, rooms, seats,
postings), read at year end — never typed in."""

import datetime as dt

import pytest

from pingan.areas.models import Area
from pingan.org.models import AgencyKind, AssignmentRole, Posting, StaffCategory
from pingan.reports.registry import ReportContext, compute_all, indicator
from pingan.testing.factories import AgencyFactory, area
from pingan.testing.org_builders import (
    BANNER,
    OWN_TOWNSHIP,
    OWN_VILLAGES,
    SIBLING_TOWNSHIP,
    SIBLING_VILLAGES,
    assign,
    hq,
    move_to_station,
    officer,
    posting,
    recruit,
    room,
    seat,
    station,
)

pytestmark = pytest.mark.django_db

COMMUNITY = "150824100001"  # 乌兰大街社区, a village-level unit that is not an administrative village


def values(year=2024, actor=None):
    return compute_all(ReportContext(banner=area(BANNER), year=year, actor=actor))


def value(code, year=2024, actor=None):
    return indicator(code).compute(ReportContext(banner=area(BANNER), year=year, actor=actor))


# ---- 一村一警 ---------------------------------------------------------------------------------

def test_admin_villages_are_the_cun_and_gacha_of_the_banner_and_not_its_communities():
    expected = Area.objects.filter(path__startswith=area(BANNER).path, kind__in=["村", "嘎查"]).count()
    assert value("org.admin_villages") == expected == 87
    assert not indicator("org.admin_villages").scoped_records(
        ReportContext(area(BANNER), 2024)).filter(code=COMMUNITY).exists()


def test_an_assignment_running_at_year_end_counts_the_officer_and_the_village():
    assign(OWN_VILLAGES[0])
    v = values()
    assert v["org.auxiliary_officers_assigned"] == 1
    assert v["org.villages_with_officer"] == 1


def test_a_village_assignment_ending_before_year_end_is_not_counted():
    assign(OWN_VILLAGES[0], start=dt.date(2023, 1, 1), end=dt.date(2024, 11, 30))
    v = values()
    assert v["org.auxiliary_officers_assigned"] == 0
    assert v["org.villages_with_officer"] == 0
    assert values(2023)["org.auxiliary_officers_assigned"] == 1  # it did run at the end of 2023


def test_the_count_is_point_in_time_at_year_end():
    assign(OWN_VILLAGES[0], start=dt.date(2022, 1, 1), end=dt.date(2024, 12, 31))  # still there on 31 Dec
    assign(OWN_VILLAGES[1], start=dt.date(2025, 1, 2))  # arrives after the year
    assert value("org.auxiliary_officers_assigned") == 1
    assert value("org.villages_with_officer") == 1
    assert value("org.auxiliary_officers_assigned", year=2025) == 1


def test_a_village_with_two_officers_counts_once_and_a_community_is_not_an_admin_village():
    assign(OWN_VILLAGES[0])
    assign(OWN_VILLAGES[0])
    assign(COMMUNITY)
    v = values()
    assert v["org.auxiliary_officers_assigned"] == 3
    assert v["org.villages_with_officer"] == 1


def test_part_time_assistants_are_counted_apart_from_auxiliary_officers():
    assign(OWN_VILLAGES[0])
    assign(OWN_VILLAGES[1], role=AssignmentRole.PART_TIME)
    assign(SIBLING_VILLAGES[0], role=AssignmentRole.PART_TIME)
    v = values()
    assert (v["org.auxiliary_officers_assigned"], v["org.part_time_assistants"]) == (1, 2)
    assert v["org.villages_with_officer"] == 1  # a part-time assistant does not cover a village


def test_only_high_standard_rooms_in_use_at_year_end_count():
    room(OWN_VILLAGES[0])
    room(OWN_VILLAGES[1], high_standard=False)
    room(SIBLING_VILLAGES[0], closed=dt.date(2024, 10, 1))
    room(SIBLING_VILLAGES[1], opened=dt.date(2025, 3, 1))
    assert value("org.police_rooms_high_standard") == 1


# ---- 进班子 ----------------------------------------------------------------------------------

def test_seats_dedupe_officers_and_count_townships_and_villages_apart():
    chief = officer(station(OWN_TOWNSHIP), StaffCategory.POLICE_OFFICER)
    seat(OWN_TOWNSHIP, staff=chief, position="党委委员")
    seat(OWN_VILLAGES[0], staff=chief)
    seat(OWN_VILLAGES[0])  # a second officer on the same village team
    seat(SIBLING_VILLAGES[0])
    v = values()
    assert v["org.team_seat_officers"] == 3
    assert v["org.team_seat_townships"] == 1
    assert v["org.team_seat_villages"] == 2


def test_a_seat_held_during_the_year_counts_one_that_ended_before_it_does_not():
    seat(OWN_VILLAGES[0], start=dt.date(2022, 1, 1), end=dt.date(2024, 2, 1))  # served part of 2024
    seat(OWN_VILLAGES[1], start=dt.date(2021, 1, 1), end=dt.date(2023, 12, 31))
    assert value("org.team_seat_officers") == 1
    assert value("org.team_seat_villages") == 1


def test_seats_of_people_outside_the_police_do_not_count():
    office = AgencyFactory(name="海流图司法所", kind=AgencyKind.JUDICIAL_OFFICE, area=area(OWN_TOWNSHIP))
    seat(OWN_VILLAGES[0], staff=officer(office, StaffCategory.JUSTICE_STAFF))
    assert value("org.team_seat_officers") == 0


# ---- 警力下沉 ---------------------------------------------------------------------------------

def test_a_hq_to_station_move_during_the_year_counts():
    move_to_station(moved_on=dt.date(2024, 4, 15))
    assert value("org.staff_moved_to_stations") == 1


def test_a_hq_to_station_move_in_2023_does_not_count_for_2024():
    move_to_station(moved_on=dt.date(2023, 11, 1))
    assert value("org.staff_moved_to_stations") == 0
    assert value("org.staff_moved_to_stations", year=2023) == 1


def test_a_station_to_station_move_does_not_count():
    person = officer(station(OWN_TOWNSHIP), StaffCategory.POLICE_OFFICER)
    posting(person, station(OWN_TOWNSHIP), dt.date(2020, 1, 1), dt.date(2024, 5, 31))
    posting(person, station(SIBLING_TOWNSHIP), dt.date(2024, 6, 1))
    assert value("org.staff_moved_to_stations") == 0


def test_a_person_sent_down_twice_in_a_year_counts_once():
    person = move_to_station(moved_on=dt.date(2024, 3, 1))
    Posting.objects.filter(staff=person, agency=station(OWN_TOWNSHIP)).update(end=dt.date(2024, 4, 30))
    posting(person, hq(), dt.date(2024, 5, 1), dt.date(2024, 8, 31))  # called back to HQ
    posting(person, station(SIBLING_TOWNSHIP), dt.date(2024, 9, 1))  # and sent down again
    assert indicator("org.staff_moved_to_stations").scoped_records(ReportContext(area(BANNER), 2024)).count() == 2
    assert value("org.staff_moved_to_stations") == 1


def test_new_recruits_count_first_postings_and_those_sent_to_stations():
    recruit(station(OWN_TOWNSHIP))
    recruit(station(SIBLING_TOWNSHIP), started=dt.date(2024, 2, 1))
    recruit(hq(), started=dt.date(2024, 7, 1))
    recruit(station(OWN_TOWNSHIP), started=dt.date(2023, 9, 1))  # last year's
    v = values()
    assert (v["org.new_recruits"], v["org.new_recruits_to_stations"]) == (3, 2)


# ---- scope -----------------------------------------------------------------------------------

def test_a_station_chief_counts_only_the_records_of_their_township(persona):
    assign(OWN_VILLAGES[0])
    assign(SIBLING_VILLAGES[0])
    assign(SIBLING_VILLAGES[1])
    chief, leader = persona("station_chief"), persona("hq_officer")
    assert value("org.auxiliary_officers_assigned", actor=chief) == 1
    assert value("org.auxiliary_officers_assigned", actor=leader) == 3
    assert value("org.villages_with_officer", actor=chief) == 1


def test_a_grid_worker_sees_their_village_but_not_whether_the_police_cover_it(persona):
    assign(OWN_VILLAGES[0])  # the grid worker's own village
    grid = persona("grid_worker")
    assert value("org.admin_villages", actor=grid) == 1
    assert value("org.villages_with_officer", actor=grid) == 0
