"""林草湖警长 in the JSON API (mounted at /api/ecology/). The lists use the pages' FilterSets; every
write calls the same service as the page. Phones of the chain are always masked here."""


import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pingan.areas.models import Area
from pingan.core.filters import filtered_or_400
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.core.scope import NotVisible
from pingan.ecology import access, selectors, services
from pingan.ecology.filters import ActionFilter, EcoCaseFilter, PatrolFilter, ZoneFilter
from pingan.ecology.models import FindingKind, Keeper, KeeperLevel, SizeUnit, ZoneKind

router = Router(tags=["林草湖警长"])

LEVEL_DOC = "层级：1旗级警长、2派出所所长、3驻村民警/辅警、4护林员/村干部"


# ---- schemas --------------------------------------------------------------------------------


class KeeperOut(Schema):
    id: int
    level: int = Field(..., description=LEVEL_DOC)
    level_name: str
    name: str
    post: str
    staff_id: int | None
    phone: str = Field(..., description="脱敏")
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_level_name(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_phone(obj):
        return obj.staff.phone_masked if obj.staff_id else obj.phone_masked


class ZoneOut(Schema):
    id: int
    name: str
    kind: str
    area_code: str
    area: str
    place_codes: list[str]
    size: Decimal
    size_unit: str
    size_mu: Decimal = Field(..., description="折合亩（1公顷=15亩）")
    established_on: dt.date
    ended_on: dt.date | None
    has_geometry: bool
    chain_complete: bool = Field(..., description="四级责任人是否都已落实（按今天）")

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_place_codes(obj):
        return [p.code for p in obj.places.all()]

    @staticmethod
    def resolve_has_geometry(obj):
        return bool(obj.geometry)

    @staticmethod
    def resolve_chain_complete(obj):
        keepers = getattr(obj, "current_keepers", None)
        if keepers is None:
            keepers = list(Keeper.objects.current().filter(zone=obj))
        return {k.level for k in keepers} >= set(KeeperLevel.values)


class ZoneDetailOut(ZoneOut):
    description: str
    geometry: dict | None = Field(None, description="GeoJSON几何对象")
    keepers: list[KeeperOut] = Field(..., description="当前责任链（按层级）")

    @staticmethod
    def resolve_geometry(obj):
        return json.loads(obj.geometry) if obj.geometry else None

    @staticmethod
    def resolve_keepers(obj):
        return list(Keeper.objects.current().filter(zone=obj).select_related("staff").order_by("level", "start", "id"))


class ZoneQuery(Schema):
    q: str | None = Field(None, description="责任区名称或覆盖的村(嘎查)")
    kind: ZoneKind | None = None
    area: str | None = Field(None, description="辖区代码")
    chain: str | None = Field(None, description="complete(四级完整)或incomplete(有缺级)")
    in_force: bool | None = Field(None, description="在册(未撤销)")


class ZoneIn(Schema):
    name: str
    kind: ZoneKind
    place_codes: list[str] = Field(..., description="覆盖的乡镇(苏木)或村(嘎查、社区)的12位区划代码")
    size: Decimal = Field(..., gt=0, le=Decimal("999999999.99"))
    size_unit: SizeUnit = SizeUnit.MU
    established_on: dt.date | None = Field(None, description="默认今天")
    geometry: dict[str, Any] | str | None = Field(None, description="可选：GeoJSON几何对象")
    description: str = ""


class KeeperIn(Schema):
    level: int = Field(..., ge=1, le=4, description=LEVEL_DOC)
    staff_id: int | None = Field(None, description="人员台账中的人员ID（1至3级必填）")
    name: str = Field("", description="不在人员台账的护林员、村干部的姓名")
    phone: str = ""
    post: str = ""
    start: dt.date | None = None


class KeeperEndIn(Schema):
    end: dt.date | None = Field(None, description="默认今天")
    reason: str = ""


class PatrolOut(Schema):
    id: int
    zone_id: int
    zone: str
    patrolled_on: dt.date
    people: list[str]
    others: str
    others_count: int
    route: str
    distance_km: Decimal | None
    finding_kind: str
    findings: str
    handling: str

    @staticmethod
    def resolve_zone(obj):
        return obj.zone.name

    @staticmethod
    def resolve_people(obj):
        return [k.name for k in obj.people.all()]


class PatrolQuery(Schema):
    q: str | None = None
    zone: int | None = Field(None, description="责任区ID")
    kind: ZoneKind | None = Field(None, description="责任区类型")
    finding_kind: FindingKind | None = None
    found: bool | None = Field(None, description="有发现问题")
    area: str | None = Field(None, description="辖区代码")
    after: dt.date | None = None
    before: dt.date | None = None


class PatrolIn(Schema):
    zone_id: int
    patrolled_on: dt.date | None = Field(None, description="默认今天")
    people_ids: list[int] = Field([], description="巡护人员（本责任区责任链上的人员ID）")
    others: str = ""
    others_count: int = Field(0, ge=0, le=10_000)
    route: str = ""
    distance_km: Decimal | None = Field(None, ge=0, le=Decimal("99999.9"))
    finding_kind: FindingKind = FindingKind.NONE
    findings: str = ""
    handling: str = ""


class ActionOut(Schema):
    id: int
    zone_id: int
    zone: str
    acted_on: dt.date
    title: str
    agencies: list[str]
    participants: int
    findings: str
    result: str
    case_numbers: list[str] = Field(..., description="本次执法立案的案件")

    @staticmethod
    def resolve_zone(obj):
        return obj.zone.name

    @staticmethod
    def resolve_agencies(obj):
        return [a.name for a in obj.agencies.all()]

    @staticmethod
    def resolve_case_numbers(obj):
        return [link.case.number for link in getattr(obj, "visible_cases", [])]


class ActionQuery(Schema):
    q: str | None = None
    zone: int | None = None
    agency: str | None = Field(None, description="参加部门名称")
    area: str | None = None
    after: dt.date | None = None
    before: dt.date | None = None


class ActionIn(Schema):
    zone_id: int
    acted_on: dt.date | None = Field(None, description="默认今天")
    title: str
    agency_ids: list[int] = Field(..., description="参加部门（行政机关单位ID）")
    participants: int = Field(0, ge=0, le=100_000)
    findings: str
    result: str = ""


class EcoCaseOut(Schema):
    id: int
    zone_id: int
    zone: str
    case_number: str
    case_title: str
    category: str
    accepted_on: dt.date
    status: str
    source: str
    joint_action_id: int | None
    patrol_id: int | None

    @staticmethod
    def resolve_zone(obj):
        return obj.zone.name

    @staticmethod
    def resolve_case_number(obj):
        return obj.case.number

    @staticmethod
    def resolve_case_title(obj):
        return obj.case.title

    @staticmethod
    def resolve_category(obj):
        return obj.case.category.name

    @staticmethod
    def resolve_accepted_on(obj):
        return obj.case.accepted_on

    @staticmethod
    def resolve_status(obj):
        return obj.case.get_status_display()


class EcoCaseQuery(Schema):
    q: str | None = None
    zone: int | None = None
    kind: ZoneKind | None = Field(None, description="责任区类型")
    source: str | None = Field(None, description="joint(联合执法)/patrol(巡护发现)/other")
    area: str | None = None
    after: dt.date | None = Field(None, description="受案日期自")
    before: dt.date | None = Field(None, description="受案日期至")


class CaseLinkIn(Schema):
    case_number: str = Field(..., description="案件编号")
    joint_action_id: int | None = Field(None, description="该案是某次联合执法中立的案")
    patrol_id: int | None = Field(None, description="发现该案的巡护")
    note: str = ""


# ---- zones and chains -----------------------------------------------------------------------


def _zone(request, zone_id: int):
    return selectors.zone_get(request.auth, zone_id)


def _places(request, codes: list[str]) -> list[Area]:
    found = {a.code: a for a in selectors.places_for(request.auth).filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:  # 404, as for any record outside the caller's jurisdiction
        raise NotVisible(f"辖区不存在、不是乡镇或村一级，或超出您的辖区范围：{'、'.join(missing)}")
    return [found[c] for c in codes]


@router.get("/zones", response=list[ZoneOut], summary="林草湖责任区")
@allow(access.READERS)
@paginate(Pages)
def zone_list(request, filters: Query[ZoneQuery]):
    """与页面相同的筛选（ZoneFilter）和数据范围。"""
    return filtered_or_400(ZoneFilter, filters, selectors.zone_list(request.auth), request=request)


@router.post("/zones", response={201: ZoneDetailOut}, summary="设立责任区")
@allow(access.MANAGERS)
def zone_create(request, payload: ZoneIn):
    """责任区归属于所覆盖的乡镇(苏木)、村(嘎查)的共同上级；geometry须为有效的GeoJSON几何对象。"""
    geometry = payload.geometry
    if isinstance(geometry, dict):
        geometry = json.dumps(geometry, ensure_ascii=False)
    zone = services.zone_create(
        actor=request.auth, name=payload.name, kind=payload.kind, places=_places(request, payload.place_codes),
        size=payload.size, size_unit=payload.size_unit, established_on=payload.established_on,
        geometry=geometry or "", description=payload.description)
    return Status(201, _zone(request, zone.pk))


@router.get("/zones/{int:zone_id}", response=ZoneDetailOut, summary="一个责任区（含当前责任链）")
@allow(access.READERS)
def zone_detail(request, zone_id: int):
    return _zone(request, zone_id)


@router.post("/zones/{int:zone_id}/keepers", response={201: ZoneDetailOut}, summary="责任链增加责任人")
@allow(access.MANAGERS)
def keeper_add(request, zone_id: int, payload: KeeperIn):
    """1至3级须为人员台账中的民警、辅警（staff_id）；4级护林员、村干部不在台账的，填写姓名和电话。"""
    zone = _zone(request, zone_id)
    staff = None
    if payload.staff_id is not None:
        staff = services.keeper_candidates(zone, payload.level).filter(pk=payload.staff_id).first()
        if staff is None:
            raise ValidationError({"staff_id": "该人员不能担任本责任区该层级的责任人"})
    services.keeper_add(actor=request.auth, zone=zone, level=payload.level, staff=staff, name=payload.name,
                        phone=payload.phone, post=payload.post, start=payload.start)
    return Status(201, _zone(request, zone_id))


@router.post("/keepers/{int:keeper_id}/end", response=KeeperOut, summary="调出责任链")
@allow(access.MANAGERS)
def keeper_end(request, keeper_id: int, payload: KeeperEndIn):
    keeper = selectors.keeper_get(request.auth, keeper_id)
    return services.keeper_end(actor=request.auth, keeper=keeper, end=payload.end, reason=payload.reason)


# ---- patrols --------------------------------------------------------------------------------


@router.get("/patrols", response=list[PatrolOut], summary="巡护记录")
@allow(access.READERS)
@paginate(Pages)
def patrol_list(request, filters: Query[PatrolQuery]):
    return filtered_or_400(PatrolFilter, filters, selectors.patrol_list(request.auth), request=request)


@router.post("/patrols", response={201: PatrolOut}, summary="记录巡护")
@allow(access.PATROL_WRITERS)
def patrol_log(request, payload: PatrolIn):
    zone = _zone(request, payload.zone_id)
    people = list(Keeper.objects.filter(zone=zone, pk__in=payload.people_ids))
    missing = sorted(set(payload.people_ids) - {k.pk for k in people})
    if missing:
        raise ValidationError({"people_ids": f"人员{missing}不在本责任区的责任链上"})
    data = payload.dict(exclude={"zone_id", "people_ids"})
    data["patrolled_on"] = data["patrolled_on"] or timezone.localdate()
    patrol = services.patrol_log(actor=request.auth, zone=zone, people=people, **data)
    return Status(201, selectors.patrol_list(request.auth).get(pk=patrol.pk))


# ---- joint enforcement ----------------------------------------------------------------------


def _with_cases(request, qs):
    """Each action with the cases it opened that the caller may see (``visible_cases``)."""
    cases = selectors.eco_case_list(request.auth).order_by("case__accepted_on", "id")
    return qs.prefetch_related(Prefetch("eco_cases", queryset=cases, to_attr="visible_cases"))


@router.get("/actions", response=list[ActionOut], summary="生态环保联合执法")
@allow(access.READERS)
@paginate(Pages)
def action_list(request, filters: Query[ActionQuery]):
    return filtered_or_400(ActionFilter, filters, _with_cases(request, selectors.action_list(request.auth)),
                           request=request)


@router.post("/actions", response={201: ActionOut}, summary="记录联合执法")
@allow(access.MANAGERS)
def action_record(request, payload: ActionIn):
    """参加部门须为责任区所在旗县(盟市)的行政机关（自然资源、林草、生态环境、水务等）。"""
    zone = _zone(request, payload.zone_id)
    agencies = list(services.partner_agencies(zone).filter(pk__in=payload.agency_ids))
    missing = sorted(set(payload.agency_ids) - {a.pk for a in agencies})
    if missing:
        raise ValidationError({"agency_ids": f"单位{missing}不是本责任区所在旗县(盟市)的行政机关"})
    action = services.joint_action_record(
        actor=request.auth, zone=zone, acted_on=payload.acted_on or timezone.localdate(),
        title=payload.title, agencies=agencies, participants=payload.participants, findings=payload.findings,
        result=payload.result)
    return Status(201, _with_cases(request, selectors.action_list(request.auth)).get(pk=action.pk))


# ---- ecological cases -----------------------------------------------------------------------


@router.get("/cases", response=list[EcoCaseOut], summary="生态环境案件（关联到责任区的案件）")
@allow(access.READERS)
@paginate(Pages)
def case_list(request, filters: Query[EcoCaseQuery]):
    return filtered_or_400(EcoCaseFilter, filters, selectors.eco_case_list(request.auth), request=request)


@router.post("/zones/{int:zone_id}/cases", response={201: EcoCaseOut}, summary="关联生态环境案件")
@allow(access.MANAGERS)
def case_link(request, zone_id: int, payload: CaseLinkIn):
    """案件须为调用者可见的生态环境类案件，发案地在责任区范围内。"""
    from pingan.cases.models import Case

    zone = _zone(request, zone_id)
    case = Case.objects.visible_to(request.auth).select_related("category__parent", "area").filter(
        number=payload.case_number.strip()).first()
    if case is None:
        raise ValidationError({"case_number": "案件不存在或超出您的辖区范围"})
    action = zone.joint_actions.filter(pk=payload.joint_action_id).first() if payload.joint_action_id else None
    if payload.joint_action_id and action is None:
        raise ValidationError({"joint_action_id": "联合执法记录不属于该责任区"})
    patrol = zone.patrols.filter(pk=payload.patrol_id).first() if payload.patrol_id else None
    if payload.patrol_id and patrol is None:
        raise ValidationError({"patrol_id": "巡护记录不属于该责任区"})
    link = services.eco_case_link(actor=request.auth, zone=zone, case=case, joint_action=action, patrol=patrol,
                                  note=payload.note)
    return Status(201, selectors.eco_case_list(request.auth).get(pk=link.pk))
