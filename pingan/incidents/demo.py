"""Demo data: a year (2024) of 乌拉特中旗 110 incidents — about 4,000 for a banner of about 140,000
people — written the way callers and operators write them, with planted repeats of the three kinds
(several callers about one event, one caller again, the same parties over weeks), hard look-alikes
that are not repeats, a disposition trail for each, the repeat analysis run over them, and 情指行
tasks from the command centre to the stations (most answered on time, some late, a few overdue).

Idempotent (nothing is added when the 2024 demo incidents are there) and deterministic
(random.Random(2024), and the generator's own seed).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.incidents import analysis
from pingan.incidents.models import (
    CommandTask,
    Incident,
    IncidentCategory,
    IncidentEvent,
    IncidentSource,
    IncidentStatus,
    RepeatCluster,
    TaskSource,
    TaskStatus,
)
from pingan.incidents.repeats import evalset
from pingan.org.models import Agency, AgencyKind

BANNER = "150824000000"
PREFIX = "J1508242024"
SUB_FOR = {"火灾": "房屋火灾", "求助": "其他求助", "涉赌": "涉赌举报"}
TASKS = 72


def is_present() -> bool:
    return Incident.objects.filter(banner__code=BANNER, number__startswith=PREFIX).exists()


def _stations(banner: Area) -> dict[int, Agency]:
    """Township id → its 派出所: the foundation demo's, or made here when it is not there."""
    out = {}
    for township in Area.objects.filter(parent=banner, level=Level.TOWNSHIP).order_by("code"):
        station = Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area=township).first()
        if station is None:
            stem = township.short_name.removesuffix("镇").removesuffix("苏木")[:8]
            station, _ = Agency.objects.get_or_create(
                name=f"乌拉特中旗公安局{stem}派出所", area=township,
                defaults={"kind": AgencyKind.POLICE_STATION, "short_name": f"{stem}派出所"})
        out[township.pk] = station
    return out


def _trail(rng: random.Random, incident: Incident, now: dt.datetime) -> list[IncidentEvent]:
    t = incident.received_at
    events = [IncidentEvent(incident=incident, status=IncidentStatus.RECEIVED, at=t, note="接警")]
    steps = [(IncidentStatus.DISPATCHED, rng.randint(2, 15), "派警"), (IncidentStatus.ON_SCENE, rng.randint(10, 60), "民警到场")]
    top = incident.category.top.name
    if top == "纠纷":
        last = (IncidentStatus.TO_DISPUTE, "转矛盾纠纷调处") if rng.random() < 0.35 else (IncidentStatus.CONCLUDED, "现场调解")
    elif top == "刑事":
        last = (IncidentStatus.TO_CASE, "受案侦查") if rng.random() < 0.45 else (IncidentStatus.CONCLUDED, "已处置")
    else:
        last = (IncidentStatus.CONCLUDED, "已处置")
    open_until = now - dt.timedelta(days=4)
    for status, minutes, note in steps:
        t = t + dt.timedelta(minutes=minutes)
        events.append(IncidentEvent(incident=incident, status=status, at=t, note=note))
    if incident.received_at < open_until or rng.random() < 0.5:
        t = t + dt.timedelta(hours=rng.uniform(0.5, 30))
        events.append(IncidentEvent(incident=incident, status=last[0], at=t, note=last[1]))
    incident.status = events[-1].status
    return events


@transaction.atomic
def build(stdout=None) -> None:
    out = (stdout.write if stdout is not None else (lambda s: None))
    if is_present():
        out("警情演示数据已存在，跳过\n")
        return
    banner = Area.objects.filter(code=BANNER).first()
    if banner is None:
        out("乌拉特中旗辖区不存在，跳过警情演示数据\n")
        return
    rng = random.Random(2024)
    g = analysis.gazetteer(banner)
    data = evalset.generate(2024, singles=3000, multi=110, caller=100, disputes=85, negatives=260, days=365,
                            gazetteer=g, start=dt.date(2024, 1, 1))
    categories = {c.name: c for c in IncidentCategory.objects.select_related("parent")}
    areas = Area.objects.in_bulk({r.village or r.township for r in data.records if r.village or r.township})
    stations = _stations(banner)
    now = min(timezone.now(), timezone.make_aware(dt.datetime(2025, 1, 5)))
    incidents = []
    for k, r in enumerate(data.records, start=1):
        received = dt.datetime.fromtimestamp(r.t, dt.UTC)
        if received.year != 2024 or timezone.localtime(received).year != 2024:
            continue
        area = areas.get(r.village) or areas.get(r.township) or banner
        township_id = area.pk if area.level == Level.TOWNSHIP else area.parent_id if area.level == Level.VILLAGE else None
        incidents.append(Incident(
            number=f"{PREFIX}{k:05d}", banner=banner, area=area, needs_placement=area.level != Level.VILLAGE,
            placement_note="" if area.level == Level.VILLAGE else "地址未能识别到村，待人工定位",
            received_at=received, caller_name=r.caller, caller_phone=r.phone, address=r.address,
            category=categories[SUB_FOR.get(r.sub, r.sub)], raw_category=r.sub, content=r.content,
            source=IncidentSource.IMPORT, station=stations.get(township_id),
            people=analysis.people_of(r.caller, r.content)))
    incidents = Incident.objects.bulk_create(incidents, batch_size=1000)
    events = []
    for incident in incidents:
        events += _trail(rng, incident, now)
    IncidentEvent.objects.bulk_create(events, batch_size=2000)
    for status in IncidentStatus.values:
        ids = [i.pk for i in incidents if i.status == status]
        for k in range(0, len(ids), 900):
            Incident.objects.filter(pk__in=ids[k:k + 900]).update(status=status)
    result = analysis.reanalyse(banner)
    tasks = _tasks(rng, banner, stations, now)
    audit_record(None, AuditAction.IMPORT, banner, object_type="incidents.Incident", login="demo",
                 object_repr="演示数据：乌拉特中旗2024年警情",
                 detail=f"演示数据：警情{len(incidents)}起，重复警情组{result['clusters']}个，情指行任务{tasks}项",
                 after={"incidents": len(incidents), "clusters": result["clusters"], "tasks": tasks})
    out(f"乌拉特中旗2024年警情{len(incidents)}起，重复警情组{result['clusters']}个，情指行任务{tasks}项\n")


def _tasks(rng: random.Random, banner: Area, stations: dict[int, Agency], now: dt.datetime) -> int:
    clusters = list(RepeatCluster.objects.filter(banner=banner).order_by("first_at", "pk"))
    chosen = sorted(rng.sample(clusters, min(TASKS, len(clusters))), key=lambda c: c.last_at)
    rows = []
    for k, cluster in enumerate(chosen):
        member = Incident.objects.filter(cluster=cluster).select_related("area").order_by("received_at").first()
        area = member.area
        township_id = area.pk if area.level == Level.TOWNSHIP else area.parent_id
        station = stations.get(township_id)
        if station is None:
            continue
        issued = cluster.last_at + dt.timedelta(hours=rng.uniform(6, 30))
        deadline = issued + dt.timedelta(days=rng.choice((2, 3, 3, 5, 7)))
        task = CommandTask(
            title=f"核查{cluster.get_kind_display()}（{cluster.size}起）", source_type=TaskSource.CLUSTER,
            instruction="请对该组重复警情逐起核实，查明是否同一事项，开展矛盾排查化解，按期反馈处置结果。",
            source_id=str(cluster.pk), source_label=str(cluster), cluster=cluster, banner=banner, area=station.area,
            station=station, deadline=deadline, issued_at=issued)
        late = k % 9 == 4
        if deadline < now - dt.timedelta(days=1) or rng.random() < 0.3:
            if k % 17 == 8 and deadline < now:
                pass  # never answered: overdue
            else:
                answered = deadline + dt.timedelta(hours=rng.uniform(2, 48)) if late else \
                    issued + (deadline - issued) * rng.uniform(0.2, 0.95)
                if answered < now:
                    task.status, task.answered_at = TaskStatus.ANSWERED, answered
                    task.feedback = rng.choice((
                        "经核实系同一事项，已组织双方调解，达成协议。", "已上门走访，建立台账，纳入重点关注。",
                        "已查明报警原因，现场处置完毕，无后续隐患。", "已联合司法所调处，持续跟踪回访。"))
        rows.append(task)
    CommandTask.objects.bulk_create(rows)
    return len(rows)
