"""Small builders for the anti-fraud tests: records straight in the database at a given village."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.antifraud.models import Dissuasion, FraudWarning, PublicityEvent, RegistrationSnapshot
from pingan.areas.models import Area
from pingan.testing.personas import SIBLING_TOWNSHIP, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, agency_for

_seq = itertools.count(1)
OTHER_TOWNSHIP_VILLAGE = "150824101201"  # a village of 乌加河镇 (the sibling township)


def area(code: str = VILLAGE) -> Area:
    return Area.objects.get(code=code)


def station(code: str = TOWNSHIP):
    return agency_for("police_station", area(code))


def snap(code: str, on: dt.date, registered: int, population: int = 1000) -> RegistrationSnapshot:
    return RegistrationSnapshot.objects.create(area=area(code), on=on, registered=registered, population=population)


def event(code: str = VILLAGE, on: dt.date = dt.date(2024, 5, 1), **kw) -> PublicityEvent:
    a = area(code)
    township = a if a.level == 3 else a.parent
    fields = {"place_type": "超市", "place": f"测试超市{next(_seq)}", "posters": 10, "handbooks": 50,
              "people_reached": 80, "participants": 3, **kw}
    return PublicityEvent.objects.create(held_on=on, area=a, organiser=agency_for("police_station", township), **fields)


def warning(code: str = VILLAGE, at: dt.datetime | None = None, **kw) -> FraudWarning:
    n = next(_seq)
    at = at or dt.datetime(2024, 5, 1, 10)
    fields = {"risk_type": "刷单返利", "target_name": "张三丰", "target_phone": "13812345678", **kw}
    return FraudWarning.objects.create(number=f"TYJ{n:06d}", received_at=timezone.make_aware(at), area=area(code),
                                       **fields)


def dissuasion(code: str = VILLAGE, on: dt.date = dt.date(2024, 5, 1), outcome: str = "success",
               amount: str = "0.00", phone: str | None = None, **kw) -> Dissuasion:
    phone = phone or f"139{next(_seq):08d}"
    return Dissuasion.objects.create(on=on, area=area(code), person_name="李四", phone=phone, person_key=phone,
                                     channel="电话劝阻", outcome=outcome, amount_kept=amount, **kw)


__all__ = ["SIBLING_TOWNSHIP", "SIBLING_VILLAGE", "TOWNSHIP", "VILLAGE", "OTHER_TOWNSHIP_VILLAGE"]


def agency_for_kind(kind: str, code: str = TOWNSHIP):
    return agency_for(kind, area(code))
