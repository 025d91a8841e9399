"""Builders for the 林草湖警长 tests: zones through the service (as the system), chains with
police from the staff register and rangers who are not, patrols, actions, ecological cases."""

from __future__ import annotations

import datetime as dt
import itertools

from pingan.areas.models import Area
from pingan.ecology import services
from pingan.ecology.models import KeeperLevel
from pingan.org.models import AgencyKind, StaffCategory
from pingan.testing.factories import StaffFactory, area
from pingan.testing.personas import BANNER, SIBLING_TOWNSHIP, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, agency_for

OTHER_TOWNSHIP_VILLAGE = "150824101201"  # 双荣村, 乌加河镇 (the sibling township)
START = dt.date(2022, 3, 1)
_seq = itertools.count(1)

__all__ = ["BANNER", "TOWNSHIP", "VILLAGE", "SIBLING_VILLAGE", "SIBLING_TOWNSHIP", "OTHER_TOWNSHIP_VILLAGE"]


def places(*codes: str) -> list[Area]:
    return [area(c) for c in codes]


def zone(*codes: str, name: str | None = None, kind: str = "草", size="1000", unit="亩", actor=None,
         established_on=START, **kw):
    codes = codes or (VILLAGE,)
    return services.zone_create(actor=actor, name=name or f"测试责任区{next(_seq)}", kind=kind, places=places(*codes),
                                size=size, size_unit=unit, established_on=established_on, **kw)


def station(code: str = TOWNSHIP):
    return agency_for(AgencyKind.POLICE_STATION, area(code))


def bureau():
    return agency_for(AgencyKind.POLICE_BUREAU, area(BANNER))


SHORT_NAMES = {"乌拉特中旗林业和草原局": "林草局", "乌拉特中旗自然资源局": "自然资源局", "乌拉特中旗水务局": "水务局"}


def partner(name: str = "乌拉特中旗林业和草原局"):
    from pingan.org.models import Agency

    agency, _ = Agency.objects.get_or_create(name=name, area=area(BANNER), defaults={
        "kind": AgencyKind.ADMIN_AGENCY, "short_name": SHORT_NAMES.get(name, "")})
    return agency


def officer(category=StaffCategory.POLICE_OFFICER, at: str = TOWNSHIP, agency=None, **kw):
    where = area(at)
    if agency is None:
        agency = bureau() if where.level == 2 else station(where.code if where.level == 3 else where.parent.code)
    return StaffFactory(category=category, agency=agency, area=where, **kw)


def full_chain(z, *, start=START, village_at: str = VILLAGE):
    """One person at every level: the banner's deputy chief, the station chief, the village's
    auxiliary officer, a ranger with a phone."""
    chief = officer(at=BANNER, name="旗级警长甲")
    station_chief = officer(at=area(village_at).parent.code, name="所长乙")
    aux = officer(StaffCategory.AUXILIARY, at=village_at, name="辅警丙")
    out = [services.keeper_add(actor=None, zone=z, level=KeeperLevel.BANNER, staff=chief, start=start),
           services.keeper_add(actor=None, zone=z, level=KeeperLevel.STATION, staff=station_chief, start=start),
           services.keeper_add(actor=None, zone=z, level=KeeperLevel.VILLAGE, staff=aux, start=start),
           services.keeper_add(actor=None, zone=z, level=KeeperLevel.GUARD, name="护林员丁", phone="13947800001",
                               post="护林员", start=start)]
    return out


def eco_case(at: str = VILLAGE, *, accepted_on=dt.date(2024, 5, 3), code: str = "eco_grassland", number=None):
    from pingan.cases.models import Case, CaseCategory

    return Case.objects.create(number=number or f"ECO{next(_seq):06d}", kind="administrative",
                               category=CaseCategory.objects.get(code=code), title="非法开垦草原案", area=area(at),
                               accepted_on=accepted_on)
