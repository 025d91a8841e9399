"""Builders of organisation records (stations, officers, 一村一警 assignments, police rooms, team seats,
postings and HQ→station moves) shared by the org, report and other apps' tests.

They sit on the real tree loaded for the test session (乌拉特中旗 150824)."""

from __future__ import annotations

import datetime as dt

from pingan.org.models import (
    Agency,
    AgencyKind,
    AssignmentRole,
    PoliceRoom,
    Posting,
    StaffCategory,
    TeamSeat,
    VillageAssignment,
)
from pingan.testing.factories import StaffFactory, area

BANNER = "150824000000"
OWN_TOWNSHIP = "150824100000"  # 海流图镇
SIBLING_TOWNSHIP = "150824101000"  # 乌加河镇
OWN_VILLAGES = ("150824100201", "150824100202")  # 巴仁宝勒格村, 巴彦塔拉村
SIBLING_VILLAGES = ("150824101201", "150824101202", "150824101203")  # 双荣村, 石兰计村, 宏丰村


def _agency(name: str, kind: str, code: str) -> Agency:
    agency, _ = Agency.objects.get_or_create(name=name, area=area(code), defaults={"kind": kind})
    return agency


def station(township: str = OWN_TOWNSHIP) -> Agency:
    """The police station of a township (one per township)."""
    return _agency(f"{area(township).short_name}派出所", AgencyKind.POLICE_STATION, township)


def hq() -> Agency:
    return _agency("乌拉特中旗公安局指挥中心", AgencyKind.POLICE_HQ, BANNER)


def officer(agency=None, category=StaffCategory.AUXILIARY, **kwargs):
    agency = agency or station()
    return StaffFactory(agency=agency, area=agency.area, category=category, **kwargs)


def assign(village: str, *, role=AssignmentRole.AUXILIARY, start=dt.date(2023, 3, 1), end=None, staff=None):
    township = area(village).parent.code
    staff = staff or officer(station(township), StaffCategory.PART_TIME_ASSISTANT
                             if role == AssignmentRole.PART_TIME else StaffCategory.AUXILIARY)
    return VillageAssignment.objects.create(staff=staff, village=area(village), role=role, start=start, end=end)


def room(village: str, *, high_standard=True, opened=dt.date(2024, 5, 20), closed=None):
    township = area(village).parent.code
    return PoliceRoom.objects.create(name=f"{area(village).short_name}警务室", village=area(village),
                                     station=station(township), high_standard=high_standard, opened=opened,
                                     closed=closed)


def seat(where: str, *, staff=None, start=dt.date(2024, 3, 1), end=None, position="班子成员"):
    township = where[:9] + "000"
    staff = staff or officer(station(township), StaffCategory.POLICE_OFFICER)
    return TeamSeat.objects.create(staff=staff, area=area(where), position=position, start=start, end=end)


def posting(staff, agency, start, end=None):
    return Posting.objects.create(staff=staff, agency=agency, start=start, end=end)


def move_to_station(*, moved_on=dt.date(2024, 6, 1), township=OWN_TOWNSHIP, since=dt.date(2019, 7, 1)):
    """A 机关 officer sent down to a township station on ``moved_on`` (postings, not a number)."""
    person = officer(hq(), StaffCategory.POLICE_OFFICER, service_start=since)
    posting(person, hq(), since, moved_on - dt.timedelta(days=1))
    posting(person, station(township), moved_on)
    person.agency, person.area = station(township), area(township)  # where they work now
    person.save()
    return person


def recruit(agency, *, started=dt.date(2024, 9, 1)):
    person = officer(agency, StaffCategory.AUXILIARY, service_start=started)
    posting(person, agency, started)
    return person
