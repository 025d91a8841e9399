"""Incidents in the JSON API: list (the page's IncidentFilter; the caller's phone always masked),
detail with the trail and the repeat group (visible members only), registration, the trail,
repeat groups, and 情指行 tasks. Mounted at /api/incidents/."""


import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pingan.areas.models import Area
from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_phone
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.incidents import selectors, services
from pingan.incidents.categories import CategoryResolver
from pingan.incidents.filters import IncidentFilter
from pingan.incidents.models import IncidentCategory, IncidentSource, IncidentStatus
from pingan.incidents.roles import READERS, TASK_ANSWERERS, TASK_ISSUERS, WRITERS
from pingan.org.models import Agency, Staff

router = Router(tags=["警情"])


def _user(request):
    return getattr(request, "auth", None) or request.user


class IncidentOut(Schema):
    id: int
    number: str
    received_at: dt.datetime
    area_code: str
    area: str
    needs_placement: bool
    category: str
    category_top: str
    caller_name: str
    caller_phone: str = Field(..., description="脱敏：138****1234")
    address: str
    content: str
    status: str
    status_name: str
    cluster_id: int | None
    repeat_kind: str

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_category(obj):
        return obj.category.name

    @staticmethod
    def resolve_category_top(obj):
        return obj.category.top.name

    @staticmethod
    def resolve_caller_phone(obj):
        return mask_phone(obj.caller_phone)

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_repeat_kind(obj):
        return obj.cluster.kind if obj.cluster_id else ""


class IncidentEventOut(Schema):
    status: str
    at: dt.datetime
    note: str


class MemberOut(Schema):
    id: int
    number: str
    received_at: dt.datetime
    area: str


class ClusterOut(Schema):
    id: int
    kind: str
    kind_name: str
    status: str
    incidents: list[MemberOut]
    hidden: int = Field(..., description="辖区外的成员数（不显示其内容）")
    reasons: list[str]


class IncidentDetailOut(IncidentOut):
    events: list[IncidentEventOut]
    repeat_group: ClusterOut | None = Field(None, description="重复警情组：只列调用者可见的成员，辖区外的只给数量")

    @staticmethod
    def resolve_events(obj):
        return obj.events_list

    @staticmethod
    def resolve_repeat_group(obj):
        return obj.group_data


class IncidentQuery(Schema):
    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    area: str | None = Field(None, description="辖区代码")
    category: str | None = Field(None, description="类别名称（一级或二级）")
    status: IncidentStatus | None = None
    needs_placement: bool | None = None
    repeats: str | None = Field(None, description="any，或 multi_caller / same_caller / recurring_dispute")


class IncidentIn(Schema):
    number: str = Field(..., min_length=1, max_length=40)
    received_at: dt.datetime
    category: str = Field(..., description="类别名称（一级或二级，按110系统写法）")
    caller_name: str = ""
    caller_phone: str = ""
    address: str = ""
    content: str = ""
    area_code: str | None = Field(None, description="村级区划代码；留空按地址识别")


class RegisteredOut(Schema):
    incident: IncidentOut
    repeats: list[str] = Field(..., description="本警情重复的先前警情编号")


class IncidentTransitionIn(Schema):
    status: IncidentStatus
    note: str = ""


class TaskOut(Schema):
    id: int
    title: str
    instruction: str
    receiver: str
    deadline: dt.datetime
    status: str
    overdue: bool
    source_type: str
    source_id: str
    source_label: str
    feedback: str
    answered_at: dt.datetime | None


class TaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=100)
    instruction: str = Field(..., min_length=1)
    deadline: dt.datetime
    station_id: int | None = None
    officer_id: int | None = None
    source_type: str = "other"
    source_id: str = ""
    source_label: str = ""


class AnswerIn(Schema):
    feedback: str = Field(..., min_length=1)


def _cluster_out(view) -> dict:
    return {"id": view.cluster.pk, "kind": view.cluster.kind, "kind_name": view.cluster.get_kind_display(),
            "status": view.cluster.status, "hidden": view.hidden, "reasons": view.reasons,
            "incidents": [{"id": m.pk, "number": m.number, "received_at": m.received_at, "area": m.area.short_name}
                          for m in view.members]}


@router.get("/", response=list[IncidentOut], summary="警情列表")
@allow(READERS)
@paginate(Pages)
def incident_list(request, filters: Query[IncidentQuery]):
    """与页面相同的筛选（IncidentFilter）和数据范围；报警电话一律脱敏。"""
    return filtered_or_400(IncidentFilter, filters, selectors.incident_rows(_user(request)))


@router.get("/repeats", response=list[ClusterOut], summary="重复警情组")
@allow(READERS)
def cluster_list(request, kind: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    """调用者可见的成员；辖区外的成员只给出数量。"""
    return [_cluster_out(v) for v in selectors.cluster_list(_user(request), kind=kind, start=date_from, end=date_to)]


@router.get("/repeats/{cluster_id}", response=ClusterOut, summary="一个重复警情组")
@allow(READERS)
def cluster_detail(request, cluster_id: int):
    return _cluster_out(selectors.cluster_get(_user(request), cluster_id))


@router.get("/tasks", response=list[TaskOut], summary="情指行任务")
@allow(READERS)
def task_list(request, state: str = ""):
    """state：open 待反馈、overdue 已逾期、answered 已反馈，空为全部。"""
    return list(selectors.task_list(_user(request), state=state)[:500])


@router.post("/tasks", response={201: TaskOut}, summary="下发情指行任务")
@allow(TASK_ISSUERS)
def task_create(request, payload: TaskIn):
    user = _user(request)
    station = Agency.objects.visible_to(user).filter(pk=payload.station_id).first() if payload.station_id else None
    officer = Staff.objects.visible_to(user).filter(pk=payload.officer_id).first() if payload.officer_id else None
    if (payload.station_id and station is None) or (payload.officer_id and officer is None):
        raise HttpError(404, "承办单位或人员不存在或超出您的辖区范围")
    cluster = None
    if payload.source_type == "cluster" and payload.source_id.isdigit():
        cluster = selectors.cluster_get(user, int(payload.source_id)).cluster
    task = services.task_issue(actor=user, title=payload.title, instruction=payload.instruction,
                               deadline=payload.deadline, station=station, officer=officer,
                               source_type=payload.source_type, source_id=payload.source_id,
                               source_label=payload.source_label, cluster=cluster)
    return Status(201, task)


@router.post("/tasks/{task_id}/answer", response=TaskOut, summary="反馈情指行任务")
@allow(TASK_ANSWERERS)
def task_answer(request, task_id: int, payload: AnswerIn):
    user = _user(request)
    return services.task_answer(actor=user, task=selectors.task_get(user, task_id), feedback=payload.feedback)


@router.get("/{incident_id}", response=IncidentDetailOut, summary="一起警情（含处置记录和重复警情组）")
@allow(READERS)
def incident_detail(request, incident_id: int):
    user = _user(request)
    incident = selectors.incident_get(user, incident_id)
    incident.events_list = list(selectors.incident_events(incident))
    incident.group_data = _cluster_out(selectors.cluster_get(user, incident.cluster_id)) if incident.cluster_id else None
    return incident


@router.post("/", response={201: RegisteredOut}, summary="登记警情")
@allow(WRITERS)
def incident_create(request, payload: IncidentIn):
    """登记后立即研判重复警情，返回本警情重复的先前警情编号。"""
    user = _user(request)
    banner = selectors.banner_for(user)
    category = CategoryResolver(list(IncidentCategory.objects.all())).resolve(payload.category)
    if category is None:
        raise ValidationError({"category": f"类别“{payload.category}”不在字典中"})
    area = None
    if payload.area_code:
        area = Area.objects.visible_to(user).filter(code=payload.area_code).first()
        if area is None:
            raise HttpError(404, "辖区不存在或超出您的辖区范围")
    result = services.incident_register(
        actor=user, banner=banner, number=payload.number, received_at=payload.received_at, category=category,
        caller_name=payload.caller_name, caller_phone=payload.caller_phone, address=payload.address,
        content=payload.content, source=IncidentSource.API, raw_category=payload.category, area=area)
    incident = selectors.incident_get(user, result.incident.pk)
    return Status(201, {"incident": incident, "repeats": [i.number for i in result.repeats]})


@router.post("/{incident_id}/events", response=IncidentEventOut, summary="处置（接警→派警→到场→办结，或转案件、转纠纷）")
@allow(WRITERS)
def incident_transition(request, incident_id: int, payload: IncidentTransitionIn):
    user = _user(request)
    incident = selectors.incident_get(user, incident_id)
    return services.incident_transition(actor=user, incident=incident, status=payload.status, note=payload.note)
