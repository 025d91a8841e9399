"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from pingan.areas.models import Area
from pingan.core import idcard
from pingan.core.pinyin import initials
from pingan.org.models import Agency, AgencyKind, Posting, Staff, StaffCategory

_seq = itertools.count(1)


def valid_id_number(region: str = "150824", born: dt.date = dt.date(1990, 5, 17)) -> str:
    return idcard.make(region, born, next(_seq))


def area(code: str) -> Area:
    return Area.objects.get(code=code)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = AgencyKind.POLICE_STATION
    area = factory.LazyFunction(lambda: area("150824000000"))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    name = factory.Iterator(["张海军", "李娜", "王建国", "巴特尔", "乌云其其格", "刘洋", "赵敏", "陈志刚"])
    name_initials = factory.LazyAttribute(lambda o: initials(o.name))
    category = StaffCategory.AUXILIARY
    agency = factory.SubFactory(AgencyFactory)
    area = factory.LazyAttribute(lambda o: o.agency.area)
    id_number = factory.LazyFunction(valid_id_number)
    phone = factory.Sequence(lambda n: f"1380471{n:04d}")
    gender = factory.LazyAttribute(lambda o: idcard.gender(o.id_number))
    ethnicity = "蒙古族"
    birth_date = factory.LazyAttribute(lambda o: idcard.birth_date(o.id_number))
    service_start = dt.date(2018, 3, 1)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    staff = factory.SubFactory(StaffFactory)
    agency = factory.LazyAttribute(lambda o: o.staff.agency)
    start = dt.date(2020, 1, 1)
    end = None
