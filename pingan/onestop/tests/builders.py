"""Builders for the 放管服 tests: stations at a place, requests at their windows."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.core import idcard
from pingan.onestop import services
from pingan.org.models import AgencyKind
from pingan.testing.factories import area
from pingan.testing.personas import BANNER, SIBLING_TOWNSHIP, TOWNSHIP, VILLAGE, agency_for

_seq = itertools.count(1)

__all__ = ["BANNER", "TOWNSHIP", "SIBLING_TOWNSHIP", "VILLAGE"]


def station(code: str = TOWNSHIP):
    return agency_for(AgencyKind.POLICE_STATION, area(code))


def id_number(n: int | None = None) -> str:
    return idcard.make("150824", dt.date(1980, 1, 1) + dt.timedelta(days=n or next(_seq)), 101)


def at(year, month, day, hour=9, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def request(st=None, *, received=None, hours: float | None = 1, outcome="办结", kind="户政", channel="窗口",
            item="户籍证明", actor=None, **kw):
    received = received or at(2024, 5, 6)
    completed = received + dt.timedelta(hours=hours) if hours is not None else None
    return services.request_register(
        actor=actor, station=st or station(), kind=kind, item=item, channel=channel, received_at=received,
        applicant_name=kw.pop("applicant_name", "张海军"), applicant_id_number=kw.pop("applicant_id_number", id_number()),
        completed_at=completed, outcome=outcome if completed else "", **kw)
