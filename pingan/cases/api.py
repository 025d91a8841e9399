"""Cases in the JSON API (mounted at /api/cases/): the list (the page's CaseFilter), a case with its
trail, persons (ID numbers and phones always masked), dispositions and recoveries, 受案登记, the
status steps; campaigns with their computed results; operations as the caller may see them."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pingan.areas.models import Area
from pingan.cases import selectors, services
from pingan.cases.filters import CaseFilter
from pingan.cases.models import Campaign, CaseCategory, CaseKind, CaseStatus
from pingan.cases.roles import READERS, WRITERS
from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.pagination import Pages
from pingan.core.permissions import allow

router = Router(tags=["案件与专项行动"])


def _user(request):
    return getattr(request, "auth", None) or request.user


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    kind_name: str
    category: str
    category_code: str
    title: str
    area_code: str
    area: str
    station: str
    accepted_on: dt.date
    filed_on: dt.date | None
    solved_on: dt.date | None
    closed_on: dt.date | None
    status: str
    status_name: str
    operation_id: int | None

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_category(obj):
        return obj.category.label

    @staticmethod
    def resolve_category_code(obj):
        return obj.category.code

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_station(obj):
        return str(obj.station) if obj.station_id else ""

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()


class EventOut(Schema):
    from_status: str
    to_status: str
    on: dt.date
    note: str


class DispositionOut(Schema):
    kind: str
    kind_name: str
    decided_on: dt.date
    amount: Decimal | None
    days: int | None


class PartyOut(Schema):
    name: str
    role: str
    role_name: str
    id_number: str = Field(..., description="脱敏：150824********1234")
    phone: str = Field(..., description="脱敏：138****1234")
    caught_on: dt.date | None
    dispositions: list[DispositionOut]


class RecoveryOut(Schema):
    recovered_on: dt.date
    amount: Decimal
    description: str


class CaseDetailOut(Schema):
    id: int
    number: str
    kind: str
    kind_name: str
    category: str
    category_code: str
    title: str
    area_code: str
    area: str
    station: str
    accepted_on: dt.date
    filed_on: dt.date | None
    solved_on: dt.date | None
    closed_on: dt.date | None
    status: str
    status_name: str
    operation_id: int | None
    summary: str
    events: list[EventOut]
    parties: list[PartyOut]
    loss_total: Decimal
    recoveries: list[RecoveryOut]
    campaigns: list[int]


class CaseQuery(Schema):
    q: str | None = None
    kind: CaseKind | None = None
    category: str | None = Field(None, description="类别代码或名称（大类含其细类），如 theft、盗窃")
    status: str | None = Field(None, description="open 在办，或状态代码")
    area: str | None = Field(None, description="辖区代码")
    station: int | None = None
    accepted_from: dt.date | None = None
    accepted_to: dt.date | None = None
    solved: bool | None = None
    campaign: int | None = None
    operation: int | None = None
    goods: str | None = None


class CaseIn(Schema):
    kind: CaseKind
    category: str = Field(..., description="类别代码（如 theft_livestock）或名称（如 盗窃牲畜家禽）")
    title: str = Field(..., min_length=1, max_length=100)
    area_code: str = Field(..., description="发案地：村级或乡镇区划代码")
    accepted_on: dt.date
    number: str = ""
    summary: str = ""
    address: str = ""
    occurred_at: dt.datetime | None = None
    method: str = ""
    goods: str = ""
    station_id: int | None = None
    incident_ids: list[int] = Field(default_factory=list, description="来源警情ID")
    campaign_ids: list[int] = Field(default_factory=list)


class TransitionIn(Schema):
    status: CaseStatus
    on: dt.date | None = None
    note: str = ""


class GoalOut(Schema):
    label: str
    target: Decimal
    actual: Decimal


class CampaignOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    area_code: str
    start: dt.date
    end: dt.date
    phase: str

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_phase(obj):
        return obj.phase()


class CampaignResultsOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    area_code: str
    start: dt.date
    end: dt.date
    phase: str
    targets: str
    cases: int
    criminal: int
    administrative: int
    persons_dealt: int
    person_times_dealt: int
    suspects_caught: int
    inspections: int
    seized: dict[str, Decimal] = Field(..., description="物品类别代码 → 数量")
    recovered_yuan: Decimal
    goals: list[GoalOut]
    partial: bool = Field(..., description="true：只按调用者辖区内的记录计算")


class OperationOut(Schema):
    id: int
    name: str
    area_code: str
    opened_on: dt.date
    status: str

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code


class OperationDetailOut(Schema):
    id: int
    name: str
    area_code: str
    opened_on: dt.date
    status: str
    full: bool = Field(..., description="false：只含调用者辖区内的案件")
    cases: list[CaseOut]
    suspects_caught: int
    recovered_yuan: Decimal


def _category(value: str) -> CaseCategory:
    category = (CaseCategory.objects.filter(code=value).first() or CaseCategory.objects.filter(name=value).first())
    if category is None:
        raise HttpError(400, f"类别“{value}”不在字典中")
    return category


@router.get("/", response=list[CaseOut], summary="案件列表")
@allow(READERS)
@paginate(Pages)
def case_list(request, filters: Query[CaseQuery]):
    """与页面相同的筛选（CaseFilter）和数据范围。"""
    return filtered_or_400(CaseFilter, filters, selectors.case_list(_user(request)))


@router.post("/", response={201: CaseOut}, summary="受案登记")
@allow(WRITERS)
def case_create(request, payload: CaseIn):
    """来源警情在处置流程允许时记为“转为案件”。"""
    from pingan.incidents.models import Incident
    from pingan.org.models import Agency

    user = _user(request)
    area = Area.objects.visible_to(user).filter(code=payload.area_code).first()
    if area is None:
        raise HttpError(404, "辖区不存在或超出您的辖区范围")
    incidents = list(Incident.objects.visible_to(user).filter(pk__in=payload.incident_ids))
    campaigns = list(Campaign.objects.visible_to(user).filter(pk__in=payload.campaign_ids))
    if len(incidents) != len(set(payload.incident_ids)) or len(campaigns) != len(set(payload.campaign_ids)):
        raise HttpError(404, "来源警情或专项行动不存在或超出您的辖区范围")
    station = None
    if payload.station_id:
        station = Agency.objects.visible_to(user).filter(pk=payload.station_id).first()
        if station is None:
            raise HttpError(404, "主办单位不存在或超出您的辖区范围")
    case = services.case_register(
        actor=user, kind=payload.kind, category=_category(payload.category), title=payload.title, area=area,
        accepted_on=payload.accepted_on, number=payload.number, summary=payload.summary, address=payload.address,
        occurred_at=payload.occurred_at, method=payload.method, goods=payload.goods, station=station,
        incidents=incidents, campaigns=campaigns)
    return Status(201, selectors.case_get(user, case.pk))


@router.get("/campaigns", response=list[CampaignOut], summary="专项行动")
@allow(READERS)
def campaign_list(request):
    return list(selectors.campaign_list(_user(request)).order_by("-start", "-pk")[:500])


@router.get("/campaigns/{campaign_id}", response=CampaignResultsOut, summary="一项专项行动及其战果")
@allow(READERS)
def campaign_detail(request, campaign_id: int):
    """战果由调用者可见的案件、检查、收缴记录计算。"""
    user = _user(request)
    campaign = selectors.campaign_get(user, campaign_id)
    r = selectors.campaign_results(user, campaign)
    return {"id": campaign.pk, "name": campaign.name, "kind": campaign.kind, "kind_name": campaign.get_kind_display(),
            "area_code": campaign.area.code, "start": campaign.start, "end": campaign.end, "phase": campaign.phase(),
            "targets": campaign.targets, "cases": r.cases, "criminal": r.criminal, "administrative": r.administrative,
            "persons_dealt": r.persons, "person_times_dealt": r.person_times, "suspects_caught": r.caught,
            "inspections": r.inspections, "seized": r.seized_by_kind, "recovered_yuan": r.recovered,
            "goals": [{"label": g.label, "target": g.target, "actual": Decimal(g.actual)} for g in r.goals],
            "partial": r.partial}


@router.get("/operations", response=list[OperationOut], summary="合成作战")
@allow(READERS)
def operation_list(request):
    return list(selectors.operation_list(_user(request)).order_by("-opened_on", "-pk")[:500])


@router.get("/operations/{operation_id}", response=OperationDetailOut, summary="一次合成作战")
@allow(READERS)
def operation_detail(request, operation_id: int):
    """派出所只看到本所辖区内的串并案件及其抓获、挽损；指挥中心看到全部。"""
    user = _user(request)
    view = selectors.operation_view(user, selectors.operation_get(user, operation_id))
    o = view.operation
    return {"id": o.pk, "name": o.name, "area_code": o.area.code, "opened_on": o.opened_on, "status": o.status,
            "full": view.full, "cases": view.cases, "suspects_caught": view.caught_persons,
            "recovered_yuan": view.recovered_total}


@router.get("/{case_id}", response=CaseDetailOut, summary="一起案件（含办案经过、涉案人员、处理措施、追赃挽损）")
@allow(READERS)
def case_detail(request, case_id: int):
    """身份证号码和联系电话一律脱敏。"""
    user = _user(request)
    case = selectors.case_get(user, case_id)
    data = selectors.case_detail(user, case)
    out = {"id": case.pk, "number": case.number, "kind": case.kind, "kind_name": case.get_kind_display(),
           "category": case.category.label, "category_code": case.category.code, "title": case.title,
           "area_code": case.area.code, "area": case.area.short_name, "station": str(case.station or ""),
           "accepted_on": case.accepted_on, "filed_on": case.filed_on, "solved_on": case.solved_on,
           "closed_on": case.closed_on, "status": case.status, "status_name": case.get_status_display(),
           "operation_id": case.operation_id}
    out.update(
        summary=case.summary, loss_total=data["loss_total"], campaigns=[c.pk for c in data["campaigns"]],
        events=[{"from_status": e.from_status, "to_status": e.to_status, "on": e.on, "note": e.note}
                for e in data["events"]],
        recoveries=[{"recovered_on": r.recovered_on, "amount": r.amount, "description": r.description}
                    for r in data["recoveries"]],
        parties=[{"name": p.person.name, "role": p.role, "role_name": p.get_role_display(),
                  "id_number": mask_id_number(p.person.id_number), "phone": mask_phone(p.person.phone),
                  "caught_on": p.caught_on,
                  "dispositions": [{"kind": d.kind, "kind_name": d.get_kind_display(), "decided_on": d.decided_on,
                                    "amount": d.amount, "days": d.days} for d in p.dispositions.all()]}
                 for p in data["parties"]])
    return out


@router.post("/{case_id}/transitions", response=EventOut, summary="办理步骤（刑事：受案→立案→侦查→破案→移送起诉/结案；行政：受案→调查→处罚决定→结案）")
@allow(WRITERS)
def case_transition(request, case_id: int, payload: TransitionIn):
    user = _user(request)
    case = selectors.case_get(user, case_id)
    return services.case_transition(actor=user, case=case, status=payload.status, on=payload.on, note=payload.note)
