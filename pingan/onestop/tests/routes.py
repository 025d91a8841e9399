"""放管服一站式 routes in the permission matrix (see pingan/testing/matrix.py).

Targets are a police station at the place the matrix names (its node: the station covers it), with
what a route needs (its one-stop record, a pending request at its window). Only the police line sees
them; the other lines are refused by role, so no route is ``line_scoped``.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.accounts.roles import POLICIES, Role
from pingan.core import idcard
from pingan.testing.matrix import MARKER, Route, Target

READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
CLERKS = READERS
DESIGNATORS = frozenset({Role.POLICE_LEADER})
PII_READERS = frozenset(r for r in READERS if POLICIES[r].full_personal_data)

_seq = itertools.count(1)
ID_NUMBER = idcard.make("150824", dt.date(1985, 4, 12), 321)


def _station(place):
    from pingan.org.models import Agency
    from pingan.testing.personas import agency_for

    station = agency_for("police_station", place.node)
    Agency.objects.filter(pk=station.pk).update(short_name=f"{MARKER}派出所")
    station.short_name = f"{MARKER}派出所"
    return station


def station_target(key: str | None = "pk", one_stop: bool = False):
    def build(place):
        from pingan.onestop.models import OneStopStation

        station = _station(place)
        if one_stop:
            OneStopStation.objects.create(station=station, since=dt.date(2024, 5, 20), services=["户政"])
        return Target({key: station.pk} if key else {}, marker=station.short_name, obj=station)

    return build


def request_target(key: str | None = "pk"):
    def build(place):
        from pingan.onestop.models import ServiceRequest

        station = _station(place)
        row = ServiceRequest.objects.create(
            number=f"MATRIXFW{next(_seq):08d}", station=station, kind="户政", item=f"{MARKER}户籍证明",
            channel="窗口", received_at=timezone.now() - dt.timedelta(hours=2), applicant_name="矩阵申请人",
            applicant_id_number=ID_NUMBER, applicant_phone="13800000009")
        return Target({key: row.pk} if key else {}, marker=row.item, obj=row)

    return build


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _request_state(target):
    from pingan.onestop.models import ServiceRequest

    return list(ServiceRequest.objects.filter(pk=target.obj.pk).values_list("outcome", "completed_at"))


def _one_stop_state(target):
    from pingan.onestop.models import OneStopStation

    return list(OneStopStation.objects.filter(station=target.obj).values_list("since", "windows"))


ROUTES = [
    Route("onestop:station_list", roles=READERS, target=station_target(None), list=True),
    Route("onestop:station_detail", roles=READERS, target=station_target()),
    Route("onestop:station_designate", roles=DESIGNATORS, target=station_target()),
    Route("onestop:request_list", roles=READERS, target=request_target(None), list=True),
    Route("onestop:request_new", roles=CLERKS),
    Route("onestop:request_detail", roles=READERS, target=request_target()),
    Route("onestop:request_complete", roles=CLERKS, method="POST", target=request_target(), ok=302,
          body=lambda t: {"outcome": "办结", "completed_at": _now()}, state=_request_state, writes=True),
    # Revealing the applicant's full ID number writes a VIEW_PII audit row: that is the write checked.
    Route("onestop:request_reveal", roles=PII_READERS, method="POST", target=request_target(), writes=True),
]

API_ROUTES = [
    Route("GET /api/onestop/stations", roles=READERS, target=station_target(None, one_stop=True), list=True),
    Route("GET /api/onestop/stations/{station_id}/window", roles=READERS, target=station_target("station_id")),
    Route("POST /api/onestop/stations/{station_id}/one-stop", roles=DESIGNATORS, target=station_target("station_id"),
          body=lambda t: {"since": "2024-05-20", "services": ["户政", "车驾管"], "windows": 2},
          state=_one_stop_state, writes=True),
    Route("GET /api/onestop/requests", roles=READERS, target=request_target(None), list=True),
    Route("POST /api/onestop/requests", roles=CLERKS, target=station_target("station_id"), ok=201, writes=True,
          body=lambda t: {"station_id": t.obj.pk, "kind": "户政", "item": "户籍证明", "applicant_name": "矩阵申请人",
                          "applicant_id_number": ID_NUMBER, "outcome": "办结",
                          "received_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
                          "completed_at": timezone.now().isoformat()}),
    Route("GET /api/onestop/requests/{request_id}", roles=READERS, target=request_target("request_id")),
    Route("POST /api/onestop/requests/{request_id}/complete", roles=CLERKS, target=request_target("request_id"),
          body=lambda t: {"outcome": "办结"}, state=_request_state, writes=True),
]

ROUTES += API_ROUTES
