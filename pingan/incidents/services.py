"""Writes of the incidents app: registration (form, API, import), the disposition trail, placement,
people's decisions on repeat groups, and command tasks (情指行). Each runs in one transaction,
re-checks the actor's scope on the saved object and writes the audit row."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import NotVisible, ensure_visible, scope_of
from pingan.incidents import analysis
from pingan.incidents.models import (
    TRANSITIONS,
    ClusterStatus,
    CommandTask,
    Incident,
    IncidentCategory,
    IncidentEvent,
    IncidentSource,
    IncidentStatus,
    RepeatCluster,
    RepeatDecision,
    RepeatLink,
    TaskSource,
    TaskStatus,
)
from pingan.incidents.signals import incident_registered
from pingan.org.models import Agency, AgencyKind, Staff


@dataclass
class Registered:
    incident: Incident
    repeats: list[Incident] = field(default_factory=list)
    reasons: dict[int, list[str]] = field(default_factory=dict)  # earlier incident id → reasons


def banner_of(area: Area) -> Area:
    if area.level == Level.BANNER:
        return area
    banner = area.banner()
    if banner is None:
        raise ValidationError("辖区不属于任何旗县")
    return banner


def station_for(area: Area) -> Agency | None:
    """The 派出所 whose area covers ``area`` (the township's station)."""
    codes = area.ancestor_codes()
    return (Agency.objects.filter(kind=AgencyKind.POLICE_STATION, area__code__in=codes)
            .order_by("-area__level", "pk").first())


def _actor_area(actor, banner: Area) -> Area | None:
    """The actor's jurisdiction when it lies inside the banner (a station chief's township)."""
    if actor is None:
        return None
    scope = scope_of(actor)
    if scope.unrestricted or not scope.path or not scope.path.startswith(banner.path) or scope.path == banner.path:
        return None
    return getattr(actor, "jurisdiction", None)


def place_for(actor, banner: Area, address: str, area: Area | None = None) -> tuple[Area, bool, str]:
    """Where an incident hangs: the area given, or the village the address names; what cannot be
    resolved stays at the township (if named) or the banner, or at the actor's own jurisdiction
    when that is deeper — always flagged for a person to place."""
    if area is not None:
        if not area.path.startswith(banner.path):
            raise ValidationError({"area": "所选村(社区)不在该旗县"})
        return area, area.level < Level.VILLAGE, ""
    place, needs, note, _ = analysis.resolve_place(banner, address)
    own = _actor_area(actor, banner)
    if own is not None and not place.path.startswith(own.path):
        if own.path.startswith(place.path):
            return own, True, note or "地址未能识别到村，暂挂登记人辖区"
        raise ValidationError({"address": f"地址对应“{place.short_name}”，不在您的辖区"})
    return place, needs, note


def _save_new(actor, banner: Area, *, number: str, received_at: dt.datetime, category: IncidentCategory,
              caller_name: str, caller_phone: str, address: str, content: str, source: str, raw_category: str,
              area: Area | None) -> Incident:
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    place, needs, note = place_for(actor, banner, address, area)
    incident = Incident(
        number=number.strip(), banner=banner, area=place, needs_placement=needs, placement_note=note[:100],
        received_at=received_at, caller_name=caller_name.strip()[:40], caller_phone=caller_phone.strip()[:20],
        address=address.strip()[:200], category=category, raw_category=raw_category[:40], content=content.strip(),
        source=source, station=station_for(place),
        people=analysis.people_of(caller_name, content),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    incident.full_clean(exclude=["cluster", "station", "created_by"])
    incident.save()
    IncidentEvent.objects.create(incident=incident, status=IncidentStatus.RECEIVED, at=received_at,
                                 by=incident.created_by, note="接警登记")
    return incident


def _repeats(incident: Incident) -> Registered:
    links = analysis.find_repeats(incident)
    analysis.attach(incident, links)
    earlier = {i.pk: i for i in Incident.objects.filter(pk__in=[link.earlier for link in links])}
    return Registered(incident, [earlier[link.earlier] for link in links if link.earlier in earlier],
                      {link.earlier: list(link.reasons) for link in links})


@transaction.atomic
def incident_register(*, actor, banner: Area, number: str, received_at: dt.datetime, category: IncidentCategory,
                      caller_name: str = "", caller_phone: str = "", address: str = "", content: str = "",
                      source: str = IncidentSource.FORM, raw_category: str = "", area: Area | None = None) -> Registered:
    """Register one incident (form or API): place it, open its trail, find the earlier incidents it
    repeats, group it with them, audit, and tell the listeners (incident_registered)."""
    if Incident.objects.filter(banner=banner, number=number.strip()).exists():
        raise ValidationError({"number": f"警情编号{number}已存在"})
    incident = _save_new(actor, banner, number=number, received_at=received_at, category=category,
                         caller_name=caller_name, caller_phone=caller_phone, address=address, content=content,
                         source=source, raw_category=raw_category, area=area)
    if actor is not None:
        ensure_visible(actor, incident)
    result = _repeats(incident)
    audit_record(actor, AuditAction.CREATE, incident, after=snapshot(incident),
                 detail=f"登记警情；发现重复{len(result.repeats)}起" if result.repeats else "登记警情")
    incident_registered.send(sender=Incident, incident=incident, repeats=result.repeats, actor=actor)
    return result


@transaction.atomic
def incident_transition(*, actor, incident: Incident, status: str, note: str = "",
                        at: dt.datetime | None = None) -> IncidentEvent:
    """Move an incident along its trail (received → dispatched → on scene → concluded, or to a case
    or a dispute); a step the trail does not allow is refused."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if actor is not None:
        ensure_visible(actor, incident)
    allowed = TRANSITIONS.get(incident.status, ())
    if status not in allowed:
        names = "、".join(IncidentStatus(s).label for s in allowed) or "无（已结束）"
        raise ValidationError({"status": f"当前状态“{incident.get_status_display()}”不能转为"
                                         f"“{IncidentStatus(status).label if status in IncidentStatus.values else status}”；"
                                         f"可转为：{names}"})
    at = at or timezone.now()
    last = incident.events.order_by("-at").first()
    if last is not None and at < last.at:
        raise ValidationError({"at": "处置时间不能早于上一步"})
    before = snapshot(incident)
    incident.status = status
    incident.save(update_fields=["status", "updated_at"])
    event = IncidentEvent.objects.create(incident=incident, status=status, at=at,
                                         by=actor if getattr(actor, "is_authenticated", False) else None,
                                         note=note.strip()[:200])
    audit_record(actor, AuditAction.UPDATE, incident, before=before, after=snapshot(incident),
                 detail=f"处置：{IncidentStatus(status).label}")
    return event


@transaction.atomic
def incident_place(*, actor, incident: Incident, area: Area) -> Incident:
    """A person places an incident the address did not resolve: on a village-level unit of its banner."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    ensure_visible(actor, incident)
    if area.level != Level.VILLAGE or not area.path.startswith(incident.banner.path):
        raise ValidationError({"area": "请选择本旗县内的村(嘎查、社区)"})
    if not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise ValidationError({"area": "所选村(嘎查、社区)不在您的辖区"})
    before = snapshot(incident)
    incident.area, incident.needs_placement, incident.placement_note = area, False, ""
    incident.station = station_for(area)
    incident.save(update_fields=["area", "needs_placement", "placement_note", "station", "updated_at"])
    audit_record(actor, AuditAction.UPDATE, incident, before=before, after=snapshot(incident),
                 detail=f"人工定位到{area.short_name}")
    if incident.cluster_id is None:
        analysis.attach(incident, analysis.find_repeats(incident))
    return incident


# --- repeat groups: people's decisions -------------------------------------------------------

def _decide(actor, banner_id: int, a: int, b: int, together: bool, note: str = "") -> None:
    a, b = min(a, b), max(a, b)
    RepeatDecision.objects.update_or_create(a_id=a, b_id=b, defaults={
        "banner_id": banner_id, "together": together, "by": actor if getattr(actor, "is_authenticated", False) else None,
        "note": note[:200]})


@transaction.atomic
def cluster_confirm(*, actor, cluster: RepeatCluster, note: str = "") -> RepeatCluster:
    """Confirm a group: its members (those the actor may see) are one matter, and stay together on
    every re-analysis."""
    cluster = RepeatCluster.objects.select_for_update().get(pk=cluster.pk)
    visible = list(Incident.objects.visible_to(actor).filter(cluster=cluster).values_list("pk", flat=True))
    if not visible:
        raise NotVisible("记录不存在或超出您的辖区范围")
    for a, b in itertools.combinations(sorted(visible), 2):
        _decide(actor, cluster.banner_id, a, b, True, note)
    cluster.status, cluster.decided_by, cluster.decided_at = ClusterStatus.CONFIRMED, actor, timezone.now()
    cluster.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor, AuditAction.UPDATE, cluster, after={"status": "confirmed", "members": visible},
                 detail="确认重复警情组")
    return cluster


@transaction.atomic
def cluster_split(*, actor, cluster: RepeatCluster, incident_ids: list[int], note: str = "") -> RepeatCluster | None:
    """Take incidents out of a group: they are not the same matter as those left, now or on any
    re-analysis. Two or more taken out together form a group of their own. Returns that group."""
    cluster = RepeatCluster.objects.select_for_update().get(pk=cluster.pk)
    members = list(Incident.objects.filter(cluster=cluster).values_list("pk", flat=True))
    visible = set(Incident.objects.visible_to(actor).filter(cluster=cluster).values_list("pk", flat=True))
    if not visible:
        raise NotVisible("记录不存在或超出您的辖区范围")
    out = sorted(set(incident_ids) & visible)
    if not out:
        raise ValidationError("请选择要拆出的警情")
    rest = [m for m in members if m not in out]
    if not rest:
        raise ValidationError("不能拆出全部警情；如整组都不是重复警情，请保留其中一起")
    for a in out:
        for b in rest:
            _decide(actor, cluster.banner_id, a, b, False, note)
    RepeatLink.objects.filter(cluster=cluster, earlier_id__in=out).delete()
    RepeatLink.objects.filter(cluster=cluster, later_id__in=out).delete()
    new = None
    if len(out) >= 2:
        for a, b in itertools.combinations(out, 2):
            _decide(actor, cluster.banner_id, a, b, True, note)
        times = list(Incident.objects.filter(pk__in=out).values_list("received_at", flat=True))
        new = RepeatCluster.objects.create(banner_id=cluster.banner_id, kind=cluster.kind, status=ClusterStatus.CONFIRMED,
                                           first_at=min(times), last_at=max(times), size=len(out), decided_by=actor,
                                           decided_at=timezone.now())
    Incident.objects.filter(pk__in=out).update(cluster=new)
    analysis.refresh_cluster(cluster)
    audit_record(actor, AuditAction.UPDATE, cluster, after={"split_out": out, "new_cluster": new.pk if new else None},
                 detail=f"拆分重复警情组：拆出{len(out)}起")
    return new


# --- command tasks (情指行) --------------------------------------------------------------------

@transaction.atomic
def task_issue(*, actor, title: str, instruction: str, deadline: dt.datetime, station: Agency | None = None,
               officer: Staff | None = None, source_type: str = TaskSource.OTHER, source_id: str = "",
               source_label: str = "", cluster: RepeatCluster | None = None) -> CommandTask:
    """The command centre sends a task to a station or an officer, with a deadline; an answer is required."""
    if (station is None) == (officer is None):
        raise ValidationError({"station": "请指定承办派出所或承办民警（二选一）"})
    if station is not None and station.kind != AgencyKind.POLICE_STATION:
        raise ValidationError({"station": "承办单位应为派出所"})
    for obj in (station, officer):
        if obj is not None and actor is not None and not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
            raise NotVisible("承办单位或人员不存在或超出您的辖区范围")
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= timezone.now():
        raise ValidationError({"deadline": "反馈期限应晚于当前时间"})
    if not title.strip() or not instruction.strip():
        raise ValidationError({"instruction": "请填写任务名称和工作要求"})
    area = officer.area if officer is not None else station.area
    if cluster is not None:
        source_type, source_id = TaskSource.CLUSTER, str(cluster.pk)
        source_label = source_label or str(cluster)
    task = CommandTask.objects.create(
        title=title.strip()[:100], instruction=instruction.strip(), source_type=source_type, source_id=str(source_id)[:40],
        source_label=source_label[:200], cluster=cluster, banner=banner_of(area), area=area, station=station,
        officer=officer, deadline=deadline, issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        issued_at=timezone.now())
    if actor is not None:
        ensure_visible(actor, task)
    audit_record(actor, AuditAction.CREATE, task, after=snapshot(task), detail=f"下发情指行任务：{task.receiver}")
    return task


@transaction.atomic
def task_answer(*, actor, task: CommandTask, feedback: str) -> CommandTask:
    """The station (or officer) answers; an answer after the deadline is recorded as late."""
    task = CommandTask.objects.select_for_update().get(pk=task.pk)
    ensure_visible(actor, task)
    if task.status != TaskStatus.ISSUED:
        raise ValidationError({"feedback": f"任务{task.get_status_display()}，不能再反馈"})
    if not feedback.strip():
        raise ValidationError({"feedback": "请填写反馈情况"})
    before = snapshot(task)
    task.feedback, task.status = feedback.strip(), TaskStatus.ANSWERED
    task.answered_by, task.answered_at = actor, timezone.now()
    task.save()
    audit_record(actor, AuditAction.UPDATE, task, before=before, after=snapshot(task),
                 detail="反馈任务" + ("（逾期）" if task.answered_at > task.deadline else ""))
    return task


@transaction.atomic
def task_cancel(*, actor, task: CommandTask, reason: str) -> CommandTask:
    task = CommandTask.objects.select_for_update().get(pk=task.pk)
    ensure_visible(actor, task)
    if task.status != TaskStatus.ISSUED:
        raise ValidationError("只能撤回尚未反馈的任务")
    before = snapshot(task)
    task.status = TaskStatus.CANCELLED
    task.feedback = f"撤回：{reason.strip()}"
    task.save()
    audit_record(actor, AuditAction.UPDATE, task, before=before, after=snapshot(task), detail="撤回任务")
    return task
