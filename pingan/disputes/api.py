"""Disputes, visits and hazards in the JSON API (mounted at /api/disputes/). The lists use the pages'
FilterSets; every step of the closed loop calls the same service as the page. Parties' phones and
ID numbers are always masked here."""


import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.disputes import access, selectors, services
from pingan.disputes.filters import DisputeFilter, HazardFilter, VisitFilter
from pingan.disputes.models import Dispute, DisputeKind, FollowUpMethod

router = Router(tags=["矛盾纠纷与走访"])

RISK_DOC = "风险等级：1蓝、2黄、3橙、4红"


def _filtered(filter_class, request, filters: Schema, queryset):
    return filtered_or_400(filter_class, filters, queryset, request=request)


# ---- schemas --------------------------------------------------------------------------------


class DisputeOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    source: str
    area_code: str
    area: str
    township: str
    risk: int = Field(..., description=RISK_DOC)
    risk_name: str
    risk_reason: str
    status: str
    status_name: str
    registered_at: dt.datetime
    deadline: dt.date
    overdue: bool = Field(..., description="未办结且已过办结时限（按今天计算）")
    handler_agency: str
    handler_staff: str
    result: str
    people_involved: int

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_township(obj):
        return obj.area.parent.short_name if obj.area.parent_id else ""

    @staticmethod
    def resolve_risk_name(obj):
        return obj.get_risk_display()

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue

    @staticmethod
    def resolve_handler_agency(obj):
        return obj.assigned_agency.name if obj.assigned_agency_id else ""

    @staticmethod
    def resolve_handler_staff(obj):
        return obj.assigned_staff.name if obj.assigned_staff_id else ""


class DisputePartyOut(Schema):
    name: str
    role: str
    phone: str = Field(..., description="脱敏")
    id_number: str = Field(..., description="脱敏")

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj):
        return mask_id_number(obj.id_number)


class RiskChangeOut(Schema):
    at: dt.datetime
    from_risk: int
    to_risk: int
    signal: str
    reason: str


class StatusChangeOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    note: str


class SessionOut(Schema):
    held_on: dt.date
    outcome: str
    summary: str
    agreement: str


class FollowUpOut(Schema):
    on: dt.date
    method: str
    stable: bool
    satisfied: bool
    note: str


class ExtensionOut(Schema):
    at: dt.datetime
    days: int
    reason: str
    old_deadline: dt.date
    new_deadline: dt.date


class SupervisionOut(Schema):
    id: int
    at: dt.datetime
    by_name: str
    note: str
    answer: str
    answered_at: dt.datetime | None


class DisputeDetailOut(DisputeOut):
    description: str
    parties: list[DisputePartyOut]
    risk_changes: list[RiskChangeOut]
    status_changes: list[StatusChangeOut]
    sessions: list[SessionOut]
    follow_ups: list[FollowUpOut]
    extensions: list[ExtensionOut]
    supervisions: list[SupervisionOut]


class DisputeQuery(Schema):
    q: str | None = Field(None, description="编号、事由或当事人姓名")
    kind: DisputeKind | None = None
    risk: int | None = Field(None, ge=1, le=4, description=RISK_DOC)
    risk_min: int | None = Field(None, ge=1, le=4, description="风险不低于")
    status: str | None = Field(None, description="open(未办结)或registered/assessed/assigned/mediating/follow_up/closed")
    source: str | None = None
    result: str | None = None
    area: str | None = Field(None, description="辖区代码")
    overdue: bool | None = None
    mine: bool | None = Field(None, description="本单位(本人)承办")
    supervised: bool | None = None
    raised: bool | None = Field(None, description="系统预警升级过风险")
    registered_after: dt.date | None = None
    registered_before: dt.date | None = None


class PartyIn(Schema):
    name: str
    role: str = "当事人"
    id_number: str = ""
    phone: str = ""
    address: str = ""


class DisputeIn(Schema):
    area_code: str = Field(..., description="村(嘎查、社区)的12位区划代码")
    title: str
    kind: DisputeKind
    source: str = Field(..., description="incident/visit/hotline/legal_literate/walk_in/other")
    description: str = ""
    parties: list[PartyIn] = []
    risk: int | None = Field(None, ge=1, le=4, description="初步风险等级（" + RISK_DOC + "）")
    risk_reason: str = ""
    people_involved: int = Field(0, ge=0, le=100_000)
    amount: Decimal | None = Field(None, ge=0, le=Decimal("9999999999.99"))
    incident_id: int | None = Field(None, description="来源警情ID")


class GradeIn(Schema):
    risk: int = Field(..., ge=1, le=4, description=RISK_DOC)
    reason: str


class AssignIn(Schema):
    agency_id: int | None = None
    staff_id: int | None = None
    note: str = ""


class SessionIn(Schema):
    held_on: dt.date
    outcome: str = Field(..., description="success(调解成功)/failed(未成功)/litigation(转诉讼)/case(转案件)")
    summary: str
    mediator_id: int | None = None
    participants: str = ""
    place: str = ""
    agreement: str = ""


class FollowUpIn(Schema):
    on: dt.date
    stable: bool
    satisfied: bool = True
    method: FollowUpMethod = FollowUpMethod.PHONE
    note: str = ""


class CloseIn(Schema):
    note: str = ""


class ExtendIn(Schema):
    days: int = Field(..., ge=1, le=30)
    reason: str


class SuperviseIn(Schema):
    note: str


# ---- disputes -------------------------------------------------------------------------------


def _detail(request, dispute_id: int) -> Dispute:
    return selectors.dispute_get(request.auth, dispute_id)


def _fresh(request, dispute: Dispute) -> Dispute:
    return selectors.dispute_get(request.auth, dispute.pk)


@router.get("/", response=list[DisputeOut], summary="矛盾纠纷台账")
@allow(access.READERS)
@paginate(Pages)
def dispute_list(request, filters: Query[DisputeQuery]):
    """与页面相同的筛选（DisputeFilter）和数据范围。"""
    return _filtered(DisputeFilter, request, filters, selectors.dispute_list(request.auth))


@router.post("/", response={201: DisputeDetailOut}, summary="登记矛盾纠纷")
@allow(access.REGISTRARS)
def dispute_register(request, payload: DisputeIn):
    """登记后按预警信号（威胁暴力言语、涉及人数、当事人重复报警）自动升级风险，升级理由见risk_changes。"""
    area = selectors.village_get(request.auth, payload.area_code)
    incident = None
    if payload.incident_id is not None:
        from pingan.core.scope import get_visible_or_404
        from pingan.incidents.models import Incident

        incident = get_visible_or_404(Incident, request.auth, pk=payload.incident_id)
    dispute = services.dispute_register(
        actor=request.auth, area=area, title=payload.title, kind=payload.kind, source=payload.source,
        description=payload.description, parties=[services.PartyIn(**p.dict()) for p in payload.parties],
        risk=payload.risk, risk_reason=payload.risk_reason, people_involved=payload.people_involved,
        amount=payload.amount, source_incident=incident)
    return Status(201, _fresh(request, dispute))


@router.get("/{int:dispute_id}", response=DisputeDetailOut, summary="一件矛盾纠纷（含当事人、风险变化、状态记录）")
@allow(access.READERS)
def dispute_detail(request, dispute_id: int):
    return _detail(request, dispute_id)


@router.post("/{int:dispute_id}/assess", response=DisputeDetailOut, summary="研判定级")
@allow(access.MANAGERS)
def dispute_assess(request, dispute_id: int, payload: GradeIn):
    dispute = services.dispute_assess(actor=request.auth, dispute=_detail(request, dispute_id), risk=payload.risk,
                                      reason=payload.reason)
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/regrade", response=DisputeDetailOut, summary="调整风险等级")
@allow(access.MANAGERS)
def dispute_regrade(request, dispute_id: int, payload: GradeIn):
    dispute = services.dispute_regrade(actor=request.auth, dispute=_detail(request, dispute_id), risk=payload.risk,
                                       reason=payload.reason)
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/assign", response=DisputeDetailOut, summary="分派（或改派）")
@allow(access.MANAGERS)
def dispute_assign(request, dispute_id: int, payload: AssignIn):
    """承办单位须覆盖纠纷所在村（派出所、司法所、综治中心、村(居)委会）；承办人须在纠纷所在乡镇(苏木)工作。"""
    dispute = _detail(request, dispute_id)
    agency = staff = None
    if payload.agency_id is not None:
        agency = selectors.assignable_agencies(dispute).filter(pk=payload.agency_id).first()
        if agency is None:
            raise ValidationError({"agency_id": "承办单位不在可分派范围内"})
    if payload.staff_id is not None:
        staff = selectors.assignable_staff(dispute).filter(pk=payload.staff_id).first()
        if staff is None:
            raise ValidationError({"staff_id": "承办人不在可分派范围内"})
    dispute = services.dispute_assign(actor=request.auth, dispute=dispute, agency=agency, staff=staff,
                                      note=payload.note)
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/sessions", response=DisputeDetailOut, summary="记录调解")
@allow(access.HANDLERS)
def dispute_session(request, dispute_id: int, payload: SessionIn):
    dispute = _detail(request, dispute_id)
    mediator = None
    if payload.mediator_id is not None:
        mediator = selectors.mediators(dispute).filter(pk=payload.mediator_id).first()
        if mediator is None:
            raise ValidationError({"mediator_id": "调解人不在可选范围内"})
    data = payload.dict(exclude={"mediator_id"})
    services.dispute_record_session(actor=request.auth, dispute=dispute, mediator=mediator, **data)
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/follow-ups", response=DisputeDetailOut, summary="记录回访")
@allow(access.FOLLOW_UP_WRITERS)
def dispute_follow_up(request, dispute_id: int, payload: FollowUpIn):
    dispute = _detail(request, dispute_id)
    services.dispute_follow_up(actor=request.auth, dispute=dispute, **payload.dict())
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/close", response=DisputeDetailOut, summary="办结")
@allow(access.MANAGERS)
def dispute_close(request, dispute_id: int, payload: CloseIn):
    dispute = services.dispute_close(actor=request.auth, dispute=_detail(request, dispute_id), note=payload.note)
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/extend", response=DisputeDetailOut, summary="延期")
@allow(access.MANAGERS)
def dispute_extend(request, dispute_id: int, payload: ExtendIn):
    dispute = _detail(request, dispute_id)
    services.dispute_extend(actor=request.auth, dispute=dispute, days=payload.days, reason=payload.reason)
    return _fresh(request, dispute)


@router.post("/{int:dispute_id}/supervise", response=DisputeDetailOut, summary="督办")
@allow(access.MANAGERS)
def dispute_supervise(request, dispute_id: int, payload: SuperviseIn):
    """督办须由承办单位(人)的上级提出。"""
    dispute = _detail(request, dispute_id)
    services.dispute_supervise(actor=request.auth, dispute=dispute, note=payload.note)
    return _fresh(request, dispute)


# ---- visits and hazards ---------------------------------------------------------------------


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    area_code: str
    area: str
    place_kind: str
    place_name: str
    team: list[str]
    findings: str
    dispute_ids: list[int]
    hazard_ids: list[int]

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_team(obj):
        return [s.name for s in obj.team.all()]

    @staticmethod
    def resolve_dispute_ids(obj):
        return [d.pk for d in obj.disputes.all()]

    @staticmethod
    def resolve_hazard_ids(obj):
        return [h.pk for h in obj.hazards.all()]


class VisitQuery(Schema):
    q: str | None = None
    place_kind: str | None = Field(None, description="企业/工地/学校/村居/社区/其他")
    area: str | None = Field(None, description="辖区代码")
    visited_after: dt.date | None = None
    visited_before: dt.date | None = None
    found: str | None = Field(None, description="any/dispute/hazard/none")
    mine: bool | None = None


class HazardFound(Schema):
    category: str = Field(..., description="消防/交通/生产/食药/校园/治安/自然灾害/其他")
    description: str
    severity: str = Field("一般", description="一般/较大/重大")
    responsible: str = ""
    deadline: dt.date | None = None


class VisitIn(Schema):
    area_code: str
    place_kind: str = Field(..., description="企业/工地/学校/村居/社区/其他")
    place_name: str
    team_ids: list[int] = Field(..., description="走访人员(人员ID)")
    visited_on: dt.date | None = Field(None, description="默认今天")
    findings: str = ""
    dispute_title: str = Field("", description="发现的矛盾纠纷线索（填写即登记纠纷）")
    dispute_kind: DisputeKind = DisputeKind.OTHER
    hazard: HazardFound | None = Field(None, description="发现的隐患（填写即登记隐患）")


class HazardOut(Schema):
    id: int
    found_on: dt.date
    area_code: str
    area: str
    place_kind: str
    place_name: str
    category: str
    severity: str
    description: str
    responsible: str
    deadline: dt.date
    status: str
    overdue: bool
    rectified_on: dt.date | None
    evidence: str
    visit_id: int | None

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue


class HazardQuery(Schema):
    q: str | None = None
    category: str | None = None
    severity: str | None = None
    status: str | None = Field(None, description="open(待整改)/rectified(已整改)")
    place_kind: str | None = None
    area: str | None = None
    overdue: bool | None = None
    found_after: dt.date | None = None
    found_before: dt.date | None = None


class RectifyIn(Schema):
    rectified_on: dt.date
    evidence: str


@router.get("/visits", response=list[VisitOut], summary="走访记录")
@allow(access.READERS)
@paginate(Pages)
def visit_list(request, filters: Query[VisitQuery]):
    return _filtered(VisitFilter, request, filters, selectors.visit_list(request.auth))


@router.post("/visits", response={201: VisitOut}, summary="记录走访（可同时登记纠纷线索和隐患）")
@allow(access.VISIT_WRITERS)
def visit_log(request, payload: VisitIn):
    area = selectors.village_get(request.auth, payload.area_code)
    candidates = {s.pk: s for s in selectors.team_candidates(area).filter(pk__in=payload.team_ids)}
    missing = [i for i in payload.team_ids if i not in candidates]
    if missing:
        raise ValidationError({"team_ids": f"人员{missing}不能参加该村的走访"})
    hazard = services.HazardIn(**payload.hazard.dict()) if payload.hazard else None
    visit = services.visit_log(
        actor=request.auth, area=area, place_kind=payload.place_kind, place_name=payload.place_name,
        team=[candidates[i] for i in payload.team_ids], visited_on=payload.visited_on, findings=payload.findings,
        dispute_title=payload.dispute_title, dispute_kind=payload.dispute_kind, hazard=hazard)
    return Status(201, selectors.visit_list(request.auth).get(pk=visit.pk))


@router.get("/hazards", response=list[HazardOut], summary="隐患")
@allow(access.READERS)
@paginate(Pages)
def hazard_list(request, filters: Query[HazardQuery]):
    return _filtered(HazardFilter, request, filters, selectors.hazard_list(request.auth))


@router.post("/hazards/{int:hazard_id}/rectify", response=HazardOut, summary="隐患整改销号")
@allow(access.VISIT_WRITERS)
def hazard_rectify(request, hazard_id: int, payload: RectifyIn):
    hazard = selectors.hazard_get(request.auth, hazard_id)
    services.hazard_rectify(actor=request.auth, hazard=hazard, rectified_on=payload.rectified_on,
                            evidence=payload.evidence)
    return selectors.hazard_get(request.auth, hazard_id)

