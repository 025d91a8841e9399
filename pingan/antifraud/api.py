"""Anti-fraud in the JSON API (mounted at /api/antifraud/): warnings and dissuasions (lists with the
pages' FilterSets, and creation through the same services as the pages) and the year's app
installation rates per village. Names, phones and ID numbers are always masked here."""


import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pingan.areas.models import Area
from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.org.models import Staff

from . import selectors, services
from .access import READERS, WARNING_WRITERS, WRITERS
from .filters import DissuasionFilter, WarningFilter
from .models import DissuasionChannel, Outcome, RiskType, WarningChannel, mask_name

router = Router(tags=["反电信网络诈骗"])


def _user(request):
    return getattr(request, "auth", None) or request.user


def _area(user, code: str | None) -> Area | None:
    if not code:
        return None
    area = Area.objects.visible_to(user).filter(code=code).first()
    if area is None:
        raise HttpError(404, "辖区不存在或超出您的辖区范围")
    return area


# ---- schemas --------------------------------------------------------------------------------


class WarningOut(Schema):
    id: int
    number: str
    received_at: dt.datetime
    channel: str
    risk_type: str
    target_name: str = Field(..., description="脱敏：张*、王*国")
    target_phone: str = Field(..., description="脱敏：138****1234")
    area_code: str
    area: str
    station: str
    answered: bool = Field(..., description="已有劝阻记录")
    content: str

    @staticmethod
    def resolve_target_name(obj):
        return mask_name(obj.target_name)

    @staticmethod
    def resolve_target_phone(obj):
        return mask_phone(obj.target_phone)

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_station(obj):
        return obj.station.name if obj.station_id else ""

    @staticmethod
    def resolve_answered(obj):
        return bool(getattr(obj, "answered", False))


class WarningQuery(Schema):
    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str | None = None
    risk_type: str | None = None
    state: str | None = Field(None, description="pending 待劝阻、answered 已劝阻")
    area: str | None = Field(None, description="辖区代码")


class WarningIn(Schema):
    number: str = Field("", max_length=40, description="预警编号；留空自动编号")
    received_at: dt.datetime
    channel: WarningChannel = WarningChannel.CENTRE
    risk_type: RiskType
    area_code: str = Field(..., description="预警对象所在村级区划代码")
    target_name: str = Field("", max_length=40)
    target_phone: str = Field("", max_length=20)
    content: str = ""


class DissuasionOut(Schema):
    id: int
    on: dt.date
    area_code: str
    area: str
    person_name: str = Field(..., description="脱敏")
    id_number: str = Field(..., description="脱敏")
    phone: str = Field(..., description="脱敏")
    channel: str
    risk_type: str
    outcome: str
    outcome_name: str
    amount_kept: Decimal = Field(..., description="避免转账金额(元)")
    officer: str
    warning_id: int | None

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    @staticmethod
    def resolve_person_name(obj):
        return mask_name(obj.person_name)

    @staticmethod
    def resolve_id_number(obj):
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_outcome_name(obj):
        return obj.get_outcome_display()

    @staticmethod
    def resolve_officer(obj):
        return obj.officer.name if obj.officer_id else ""


class DissuasionQuery(Schema):
    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outcome: str | None = None
    channel: str | None = None
    risk_type: str | None = None
    area: str | None = Field(None, description="辖区代码")


class DissuasionIn(Schema):
    on: dt.date
    person_name: str = Field(..., min_length=1, max_length=40)
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    channel: DissuasionChannel
    outcome: Outcome = Outcome.SUCCESS
    amount_kept: Decimal = Field(Decimal("0.00"), ge=0, max_digits=14, decimal_places=2)
    risk_type: RiskType | None = None
    warning_id: int | None = Field(None, description="对应预警；填写时村和风险类型默认取预警的")
    area_code: str | None = Field(None, description="村级区划代码；对应预警时可省略")
    officer_id: int | None = None
    note: str = ""


class VillageRateOut(Schema):
    area_code: str
    area: str
    township: str
    start_on: dt.date
    start_registered: int
    start_population: int
    start_rate_pct: Decimal | None
    end_on: dt.date
    end_registered: int
    end_population: int
    end_rate_pct: Decimal | None
    new_registrations: int
    change_pp: Decimal | None


class RatesQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    area: str | None = Field(None, description="乡镇或村的区划代码；留空为调用者的全部辖区")


class RatesOut(Schema):
    year: int
    new_registrations: int
    start_rate_pct: Decimal | None
    end_rate_pct: Decimal | None
    change_pp: Decimal = Field(..., description="较年初变化(个百分点)")
    villages: list[VillageRateOut]


# ---- operations -------------------------------------------------------------------------------


@router.get("/warnings", response=list[WarningOut], summary="反诈预警列表")
@allow(READERS)
@paginate(Pages)
def warning_list(request, filters: Query[WarningQuery]):
    """与页面相同的筛选（WarningFilter）和数据范围；姓名、电话一律脱敏。"""
    return filtered_or_400(WarningFilter, filters, selectors.warning_list(_user(request)))


@router.post("/warnings", response={201: WarningOut}, summary="登记反诈预警")
@allow(WARNING_WRITERS)
def warning_create(request, payload: WarningIn):
    user = _user(request)
    warning = services.warning_register(
        actor=user, number=payload.number, received_at=payload.received_at, channel=payload.channel,
        risk_type=payload.risk_type, area=_area(user, payload.area_code), target_name=payload.target_name,
        target_phone=payload.target_phone, content=payload.content)
    return Status(201, selectors.warning_get(user, warning.pk))


@router.get("/dissuasions", response=list[DissuasionOut], summary="反诈劝阻列表")
@allow(READERS)
@paginate(Pages)
def dissuasion_list(request, filters: Query[DissuasionQuery]):
    """与页面相同的筛选（DissuasionFilter）和数据范围；姓名、身份证号码、电话一律脱敏。"""
    return filtered_or_400(DissuasionFilter, filters, selectors.dissuasion_list(_user(request)))


@router.post("/dissuasions", response={201: DissuasionOut}, summary="登记反诈劝阻")
@allow(WRITERS)
def dissuasion_create(request, payload: DissuasionIn):
    """成功劝阻的记录计一人次；同一人（身份证号码，无则手机号码）同一天只能有一条成功劝阻记录。"""
    user = _user(request)
    warning = selectors.warning_get(user, payload.warning_id) if payload.warning_id else None
    officer = None
    if payload.officer_id:
        officer = Staff.objects.visible_to(user).filter(pk=payload.officer_id).first()
        if officer is None:
            raise HttpError(404, "劝阻民(辅)警不存在或超出您的辖区范围")
    record = services.dissuasion_record(
        actor=user, on=payload.on, area=_area(user, payload.area_code), warning=warning,
        person_name=payload.person_name, id_number=payload.id_number, phone=payload.phone, channel=payload.channel,
        outcome=payload.outcome, amount_kept=payload.amount_kept, risk_type=payload.risk_type or "",
        officer=officer, note=payload.note)
    return Status(201, selectors.dissuasion_get(user, record.pk))


@router.get("/registrations/rates", response=RatesOut, summary="国家反诈中心APP安装率（按村）")
@allow(READERS)
def registration_rates(request, params: Query[RatesQuery]):
    """年初取1月1日前最后一次统计（当年才开始统计的村取当年第一次统计），年末取12月31日及以前最后一次统计。"""
    user = _user(request)
    year = params.year
    under = _area(user, params.area)
    figures = selectors.registration_rates(user, year, under=under)
    return {
        "year": year, "new_registrations": figures.new_registrations, "start_rate_pct": figures.start_rate,
        "end_rate_pct": figures.end_rate, "change_pp": figures.change_pp,
        "villages": [{
            "area_code": v.area.code, "area": v.area.short_name,
            "township": v.area.parent.short_name if v.area.parent_id else "",
            "start_on": v.start.on, "start_registered": v.start.registered, "start_population": v.start.population,
            "start_rate_pct": v.start_rate, "end_on": v.end.on, "end_registered": v.end.registered,
            "end_population": v.end.population, "end_rate_pct": v.end_rate, "new_registrations": v.new,
            "change_pp": v.change_pp} for v in figures.villages if v.area is not None],
    }
