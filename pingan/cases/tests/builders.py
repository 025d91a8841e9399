"""Test builders: records made through the services (as the system), at named places of the tree."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools

from pingan.areas.models import Area
from pingan.cases import services
from pingan.cases.models import Campaign, Case, CaseCategory, CaseKind, CaseParty, Operation
from pingan.core import idcard
from pingan.testing.personas import agency_for

VILLAGE = "150824100201"  # 巴仁宝勒格村, 海流图镇
SIBLING_VILLAGE = "150824100202"  # 巴彦塔拉村, same township
TOWNSHIP = "150824100000"
SIBLING_TOWNSHIP = "150824101000"  # 乌加河镇
SIBLING_TOWNSHIP_VILLAGE = "150824101201"
BANNER = "150824000000"
OTHER_BANNER_VILLAGE_PARENT = "152922000000"

_seq = itertools.count(1)


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def category(code: str) -> CaseCategory:
    return CaseCategory.objects.get(code=code)


def station(code: str):
    """The township's police station (made if missing)."""
    township = area(code[:9] + "000")
    return agency_for("police_station", township)


def id_number(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return idcard.make("150824", dt.date(1980, 1, 1) + dt.timedelta(days=n), (n * 2 + 1) % 1000)


def person(name: str = "张三", number: str | None = None, phone: str = "13912345678") -> services.PersonIn:
    return services.PersonIn(name=name, id_number=id_number() if number is None else number, phone=phone)


def case(*, code: str = VILLAGE, kind: str = CaseKind.CRIMINAL, cat: str = "theft_livestock",
         accepted: dt.date = dt.date(2024, 3, 1), title: str = "测试案件", actor=None, **kw) -> Case:
    place = area(code)
    return services.case_register(actor=actor, kind=kind, category=category(cat), title=title, area=place,
                                  accepted_on=accepted, station=kw.pop("station", None) or station(
                                      code if place.level >= 3 else TOWNSHIP), **kw)


def party(c: Case, role: str, who: services.PersonIn | None = None, caught: dt.date | None = None) -> CaseParty:
    return services.party_add(actor=None, case=c, person=who or person(), role=role, caught_on=caught)


def dispose(p: CaseParty, kind: str, on: dt.date, amount=None, days=None):
    return services.disposition_add(actor=None, party=p, kind=kind, decided_on=on,
                                    amount=decimal.Decimal(amount) if amount is not None else None, days=days)


def walk(c: Case, *steps: tuple[str, dt.date]) -> Case:
    for status, on in steps:
        services.case_transition(actor=None, case=c, status=status, on=on)
    c.refresh_from_db()
    return c


def campaign(*, code: str = BANNER, start=dt.date(2024, 3, 1), end=dt.date(2024, 11, 30), name="测试专项行动",
             goals=()) -> Campaign:
    return services.campaign_create(actor=None, name=name, kind="clearance", area=area(code), start=start, end=end,
                                    goals=list(goals))


def operation(cases=(), *, code: str = BANNER, name="测试合成作战") -> Operation:
    return services.operation_create(actor=None, name=name, area=area(code), opened_on=dt.date(2024, 3, 10),
                                     cases=list(cases))
