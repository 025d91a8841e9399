"""反电信网络诈骗 routes in the permission matrix (see pingan/testing/matrix.py).

Targets are made straight at the place the matrix names: a publicity event, an app-statistics
snapshot, a warning or a dissuasion on the place's village (or, for "parent", on the node itself).
All of them are police records, so no route is ``line_scoped``. The role sets are written out here
as a statement of policy, independent of ``pingan.antifraud.access``.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.accounts.roles import Role
from pingan.testing.matrix import MARKER, Route, Target

_seq = itertools.count(1)
DAY = dt.date(2024, 3, 5)

READERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})
WRITERS = READERS
WARNING_WRITERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
STATISTICS_WRITERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
REVEALERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})


def _village(place):
    return place.village or place.node


def _station(place):
    from pingan.testing.personas import agency_for

    return agency_for("police_station", place.node)


def publicity_target(key: str | None = "pk"):
    def build(place) -> Target:
        from pingan.antifraud.models import PublicityEvent

        event = PublicityEvent.objects.create(
            held_on=DAY, place_type="超市", place=f"{MARKER}超市{next(_seq)}", area=_village(place),
            organiser=_station(place), posters=3, handbooks=20, people_reached=40)
        return Target({key: event.pk} if key else {}, marker=event.place, obj=event)

    return build


def snapshot_target(key: str | None = "pk"):
    def build(place) -> Target:
        from pingan.antifraud.models import RegistrationSnapshot

        n = next(_seq)
        snap = RegistrationSnapshot.objects.create(area=_village(place), on=DAY + dt.timedelta(days=n),
                                                   registered=700 + n, population=2000)
        return Target({key: snap.pk} if key else {}, marker=f"{snap.on:%Y-%m-%d}", obj=snap)

    return build


def rates_target():
    """A village with figures in 2024; the rates page lists the village by name."""

    def build(place) -> Target:
        from pingan.antifraud.models import RegistrationSnapshot
        from pingan.areas.models import Area

        village = _village(place)
        Area.objects.filter(pk=village.pk).update(short_name=f"{MARKER}{village.code}")
        RegistrationSnapshot.objects.create(area=village, on=dt.date(2023, 12, 31), registered=500, population=2000)
        RegistrationSnapshot.objects.create(area=village, on=dt.date(2024, 12, 31), registered=700, population=2000)
        return Target({}, marker=f"{MARKER}{village.code}", obj=village)

    return build


def _warning(place):
    from pingan.antifraud.models import FraudWarning

    n = next(_seq)
    return FraudWarning.objects.create(
        number=f"MXYJ{n:06d}", received_at=timezone.make_aware(dt.datetime.combine(DAY, dt.time(10, n % 60))),
        risk_type="刷单返利", target_name="矩阵对象", target_phone="13800000000", area=_village(place),
        station=_station(place), content=f"{MARKER}预警{n}")


def warning_target(key: str | None = "pk"):
    def build(place) -> Target:
        warning = _warning(place)
        return Target({key: warning.pk} if key else {}, marker=warning.number, obj=warning)

    return build


def dissuasion_target(key: str | None = "pk"):
    def build(place) -> Target:
        from pingan.antifraud.models import Dissuasion

        n = next(_seq)
        phone = f"139{n:08d}"
        record = Dissuasion.objects.create(
            on=DAY, area=_village(place), person_name=f"{MARKER}{n}", phone=phone, person_key=phone, channel="电话劝阻",
            outcome="success", amount_kept="500.00", station=_station(place), note=f"{MARKER}劝阻{n}")
        # The list shows the phone masked: 139****0042 is unique to this record.
        return Target({key: record.pk} if key else {}, marker=phone[:3] + "****" + phone[-4:], obj=record)

    return build


ROUTES = [
    Route("antifraud:index", roles=READERS),
    Route("antifraud:publicity_list", roles=READERS, target=publicity_target(None), list=True),
    Route("antifraud:publicity_create", roles=WRITERS),
    Route("antifraud:publicity_detail", roles=READERS, target=publicity_target()),
    Route("antifraud:publicity_edit", roles=WRITERS, target=publicity_target()),
    Route("antifraud:registration_list", roles=READERS, target=snapshot_target(None), list=True),
    Route("antifraud:registration_create", roles=STATISTICS_WRITERS),
    Route("antifraud:registration_import", roles=STATISTICS_WRITERS),
    Route("antifraud:registration_template", roles=STATISTICS_WRITERS),
    Route("antifraud:registration_rates", roles=READERS, target=rates_target(), list=True,
          query=lambda t: {"year": 2024}),
    Route("antifraud:registration_edit", roles=STATISTICS_WRITERS, target=snapshot_target()),
    Route("antifraud:registration_delete", roles=STATISTICS_WRITERS, method="POST", ok=302, target=snapshot_target(),
          writes=True),
    Route("antifraud:warning_list", roles=READERS, target=warning_target(None), list=True),
    Route("antifraud:warning_create", roles=WARNING_WRITERS),
    Route("antifraud:warning_detail", roles=READERS, target=warning_target()),
    # Revealing full personal data writes a VIEW_PII audit row: that is the write checked.
    Route("antifraud:warning_reveal", roles=REVEALERS, method="POST", target=warning_target(), writes=True),
    Route("antifraud:dissuasion_list", roles=READERS, target=dissuasion_target(None), list=True),
    Route("antifraud:dissuasion_create", roles=WRITERS),
    Route("antifraud:dissuasion_detail", roles=READERS, target=dissuasion_target()),
    Route("antifraud:dissuasion_reveal", roles=REVEALERS, method="POST", target=dissuasion_target(), writes=True),
    # API
    Route("GET /api/antifraud/warnings", roles=READERS, target=warning_target(None), list=True),
    Route("POST /api/antifraud/warnings", roles=WARNING_WRITERS, ok=201, target=warning_target(None), writes=True,
          body=lambda t: {"received_at": "2024-03-05T10:00:00+08:00", "risk_type": "虚假投资理财",
                          "area_code": t.obj.area.code, "target_name": "矩阵", "target_phone": "13900000000"}),
    Route("GET /api/antifraud/dissuasions", roles=READERS, target=dissuasion_target(None), list=True),
    Route("POST /api/antifraud/dissuasions", roles=WRITERS, ok=201, target=warning_target(None), writes=True,
          body=lambda t: {"on": "2024-03-05", "person_name": "矩阵对象", "phone": f"137{next(_seq):08d}",
                          "channel": "电话劝阻", "outcome": "success", "amount_kept": "1200.50",
                          "warning_id": t.obj.pk}),
    Route("GET /api/antifraud/registrations/rates", roles=READERS, target=rates_target(), list=True,
          query=lambda t: {"year": 2024}),
]
