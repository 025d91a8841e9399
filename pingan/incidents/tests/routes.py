"""Incidents, repeat groups, 情指行 tasks and the daily review in the permission matrix
(see pingan/testing/matrix.py).

Targets are made straight in the state a route needs, at the place the matrix names: an incident
(or one waiting to be placed) on the place's village, a repeat group of two such incidents, a task
for the place's station. Incidents are police records only, so no route is ``line_scoped``. The API
operations are declared once the router is mounted at /api/incidents/ (pingan/api.py).
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
IMPORTERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})
DECIDERS = IMPORTERS
REVEALERS = frozenset({Role.POLICE_LEADER, Role.STATION_CHIEF})  # readers with full_personal_data
TASK_ISSUERS = frozenset({Role.POLICE_LEADER})
TASK_ANSWERERS = frozenset({Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})


def _banner(area):
    from pingan.areas.models import Area, Level

    if area.level == Level.BANNER:
        return area
    if area.level < Level.BANNER:  # the league above a banner persona: any banner of it
        return Area.objects.filter(path__startswith=area.path, level=Level.BANNER).order_by("code").first()
    return area.banner()


def _incident(place, *, unplaced: bool = False, minute: int = 0, cluster=None):
    from pingan.incidents.models import Incident, IncidentCategory

    area = place.node if unplaced else (place.village or place.node)
    n = next(_seq)
    return Incident.objects.create(
        number=f"MX{n:07d}", banner=_banner(area), area=area, needs_placement=unplaced,
        received_at=timezone.make_aware(dt.datetime.combine(DAY, dt.time(9, minute))), caller_name="矩阵报警人",
        caller_phone="13800000000", address=f"{MARKER}地址", category=IncidentCategory.objects.get(name="殴打他人"),
        content=f"{MARKER}{n}号警情", cluster=cluster)


def incident_target(key: str | None = "pk", **kw):
    def build(place) -> Target:
        incident = _incident(place, **kw)
        return Target({key: incident.pk} if key else {}, marker=incident.content, obj=incident)

    return build


def cluster_target(key: str | None = "pk"):
    def build(place) -> Target:
        from pingan.incidents.models import RepeatCluster, RepeatKind, RepeatLink

        at = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9)))
        first = _incident(place)
        cluster = RepeatCluster.objects.create(banner=first.banner, kind=RepeatKind.MULTI_CALLER, first_at=at,
                                               last_at=at, size=2)
        second = _incident(place, minute=10, cluster=cluster)
        first.cluster = cluster
        first.save(update_fields=["cluster"])
        RepeatLink.objects.create(cluster=cluster, earlier=first, later=second, kind=RepeatKind.MULTI_CALLER,
                                  reasons=["同一事件多人报警"])
        kwargs = {key: cluster.pk} if key else {}
        return Target(kwargs, marker=first.number, obj=(cluster, first, second))

    return build


def _station(place):
    from pingan.testing.personas import agency_for

    return agency_for("police_station", place.node)


def task_target(key: str | None = "pk"):
    def build(place) -> Target:
        from pingan.incidents.models import CommandTask

        station = _station(place)
        task = CommandTask.objects.create(
            title=f"{MARKER}任务{next(_seq)}", instruction="核查", banner=_banner(station.area), area=station.area,
            station=station, deadline=timezone.now() + dt.timedelta(days=2), issued_at=timezone.now())
        return Target({key: task.pk} if key else {}, marker=task.title, obj=task)

    return build


def station_target():
    def build(place) -> Target:
        station = _station(place)
        return Target({}, obj=station)

    return build


def _village_pk(target) -> int:
    from pingan.areas.models import Area, Level

    area = target.obj.area
    return Area.objects.filter(path__startswith=area.path, level=Level.VILLAGE).order_by("code").values_list(
        "pk", flat=True).first() or area.pk


ROUTES = [
    Route("incidents:list", roles=READERS, target=incident_target(None), list=True),
    Route("incidents:create", roles=WRITERS),
    Route("incidents:import", roles=IMPORTERS),
    Route("incidents:daily", roles=READERS, target=incident_target(None), list=True,
          query=lambda t: {"date": DAY.isoformat()}),
    Route("incidents:detail", roles=READERS, target=incident_target()),
    # Revealing the caller's full phone writes a VIEW_PII audit row: that is the write checked.
    Route("incidents:reveal", roles=REVEALERS, method="POST", target=incident_target(), writes=True),
    Route("incidents:transition", roles=WRITERS, method="POST", ok=302, target=incident_target(),
          body=lambda t: {"status": "dispatched"}, writes=True),
    Route("incidents:place", roles=DECIDERS, method="POST", ok=302, target=incident_target(unplaced=True),
          body=lambda t: {"area": _village_pk(t)}, writes=True),
    Route("incidents:clusters", roles=READERS, target=cluster_target(None), list=True),
    Route("incidents:cluster", roles=READERS, target=cluster_target()),
    Route("incidents:cluster_confirm", roles=DECIDERS, method="POST", ok=302, target=cluster_target(), writes=True),
    Route("incidents:cluster_split", roles=DECIDERS, method="POST", ok=302, target=cluster_target(),
          body=lambda t: {"incident": t.obj[2].pk}, writes=True),
    Route("incidents:tasks", roles=READERS, target=task_target(None), list=True),
    Route("incidents:task_create", roles=TASK_ISSUERS),
    Route("incidents:task", roles=READERS, target=task_target()),
    Route("incidents:task_answer", roles=TASK_ANSWERERS, method="POST", ok=302, target=task_target(),
          body=lambda t: {"feedback": "已核查"}, writes=True),
]

API_ROUTES = [
    Route("GET /api/incidents/", roles=READERS, target=incident_target(None), list=True),
    Route("POST /api/incidents/", roles=WRITERS, ok=201, writes=True,
          body=lambda t: {"number": f"MXAPI{next(_seq):06d}", "received_at": "2024-03-05T09:00:00+08:00",
                          "category": "殴打他人", "address": "巴仁宝勒格村1组", "content": "有人打架"}),
    Route("GET /api/incidents/{incident_id}", roles=READERS, target=incident_target("incident_id")),
    Route("POST /api/incidents/{incident_id}/events", roles=WRITERS, target=incident_target("incident_id"),
          body=lambda t: {"status": "dispatched"}, writes=True),
    Route("GET /api/incidents/repeats", roles=READERS, target=cluster_target(None), list=True),
    Route("GET /api/incidents/repeats/{cluster_id}", roles=READERS, target=cluster_target("cluster_id")),
    Route("GET /api/incidents/tasks", roles=READERS, target=task_target(None), list=True),
    Route("POST /api/incidents/tasks", roles=TASK_ISSUERS, ok=201, target=station_target(), writes=True,
          body=lambda t: {"title": "核查", "instruction": "核查并反馈", "station_id": t.obj.pk,
                          "deadline": (timezone.now() + dt.timedelta(days=2)).isoformat()}),
    Route("POST /api/incidents/tasks/{task_id}/answer", roles=TASK_ANSWERERS, target=task_target("task_id"),
          body=lambda t: {"feedback": "已核查"}, writes=True),
]


def _mounted() -> bool:
    try:
        from pingan.api import api

        return any(path.startswith("/api/incidents/") for path in api.get_openapi_schema()["paths"])
    except Exception:  # noqa: BLE001 - the API shell may not import in a broken tree; pages still count
        return False


if _mounted():
    ROUTES += API_ROUTES
