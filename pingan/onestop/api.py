"""放管服一站式 in the JSON API (mounted at /api/onestop/). The request list uses the page's
FilterSet; writes call the same services as the pages. Applicants' ID numbers and phones are always
masked here."""


import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pingan.core.filters import EARLIEST, LATEST, filtered_or_400
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.onestop import access, selectors, services
from pingan.onestop.filters import RequestFilter
from pingan.onestop.models import Channel, Outcome, ServiceKind
from pingan.org.models import Staff

router = Router(tags=["放管服一站式"])


class OneStopOut(Schema):
    station_id: int
    station: str
    area_code: str
    since: dt.date
    services: list[str]
    windows: int
    note: str

    @staticmethod
    def resolve_station(obj):
        return obj.station.short_name or obj.station.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.station.area.code


class OneStopQuery(Schema):
    since_year: int | None = Field(None, ge=2000, le=2100, description="成为一站式派出所的年份")


class DesignateIn(Schema):
    since: dt.date
    services: list[ServiceKind] = Field(..., description="综窗办理的业务")
    windows: int = Field(1, ge=1, le=50)
    note: str = ""


class KindSummary(Schema):
    kind: str
    total: int
    by_channel: dict[str, int]
    done: int
    refused: int
    transferred: int
    pending: int
    average_hours: Decimal | None = Field(None, description="办结业务的平均办结用时(小时)")


class WindowOut(Schema):
    station_id: int
    station: str
    one_stop_since: dt.date | None
    period_from: dt.date
    period_to: dt.date
    total: int
    by_channel: dict[str, int]
    done: int
    refused: int
    transferred: int
    pending: int
    average_hours: Decimal | None = Field(None, description="办结业务的平均办结用时(小时)")
    online_share_pct: Decimal | None = Field(None, description="一网通办占比(%)")
    by_kind: list[KindSummary]


class RequestOut(Schema):
    id: int
    number: str
    station_id: int
    station: str
    kind: str
    item: str
    channel: str
    received_at: dt.datetime
    completed_at: dt.datetime | None
    outcome: str = Field(..., description="办结/不予受理/转办；空为未办结")
    hours: Decimal | None = Field(None, description="用时(小时)，按受理与办结时间计算")
    transferred_to: str
    applicant_name: str
    applicant_id_number: str = Field(..., description="脱敏")
    applicant_phone: str = Field(..., description="脱敏")
    handler: str

    @staticmethod
    def resolve_station(obj):
        return obj.station.short_name or obj.station.name

    @staticmethod
    def resolve_hours(obj):
        return obj.hours

    @staticmethod
    def resolve_applicant_id_number(obj):
        return obj.id_masked

    @staticmethod
    def resolve_applicant_phone(obj):
        return obj.phone_masked

    @staticmethod
    def resolve_handler(obj):
        return obj.handler.name if obj.handler_id else ""


class RequestQuery(Schema):
    q: str | None = Field(None, description="受理编号、事项或申请人姓名")
    station: int | None = Field(None, description="派出所(单位ID)")
    kind: ServiceKind | None = None
    channel: Channel | None = None
    outcome: str | None = Field(None, description="办结/不予受理/转办，或pending(未办结)")
    area: str | None = Field(None, description="辖区代码")
    after: dt.date | None = Field(None, description="受理日期自")
    before: dt.date | None = Field(None, description="受理日期至")


class RequestIn(Schema):
    station_id: int
    kind: ServiceKind
    item: str
    channel: Channel = Channel.WINDOW
    received_at: dt.datetime | None = Field(None, description="默认现在")
    applicant_name: str
    applicant_id_number: str = Field(..., description="18位居民身份证号码（校验）")
    applicant_phone: str = ""
    handler_id: int | None = Field(None, description="经办人(本所人员ID)")
    note: str = ""
    completed_at: dt.datetime | None = Field(None, description="已办结(答复)时填写，不能早于受理时间")
    outcome: Outcome | None = None
    transferred_to: str = ""


class CompleteIn(Schema):
    outcome: Outcome
    completed_at: dt.datetime | None = Field(None, description="默认现在；不能早于受理时间")
    transferred_to: str = ""
    note: str = ""


@router.get("/stations", response=list[OneStopOut], summary="一站式派出所")
@allow(access.READERS)
@paginate(Pages)
def one_stop_list(request, filters: Query[OneStopQuery]):
    qs = selectors.one_stop_list(request.auth)
    if filters.since_year:
        qs = qs.filter(since__year=filters.since_year)
    return qs


@router.get("/stations/{int:station_id}/window", response=WindowOut, summary="派出所窗口统计")
@allow(access.READERS)
def station_window(request, station_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None):
    """受理、办结、不予受理、转办、未办结与平均办结用时；期间默认为最近有受理记录的年度。"""
    station = selectors.station_get(request.auth, station_id)
    year = selectors.default_year(request.auth)
    first = date_from or dt.date(year, 1, 1)
    last = date_to or min(dt.date(year, 12, 31), timezone.localdate())
    for name, day in (("date_from", first), ("date_to", last)):
        if not EARLIEST <= day <= LATEST:  # a day's bounds in Asia/Shanghai overflow beyond these
            raise ValidationError({name: f"日期应在{EARLIEST:%Y-%m-%d}至{LATEST:%Y-%m-%d}之间"})
    if last < first:
        raise ValidationError({"date_to": "结束日期不能早于开始日期"})
    s = selectors.window_summary(request.auth, station, first, last)
    one = selectors.one_stop_get(station)
    return {
        "station_id": station.pk, "station": station.name, "one_stop_since": one.since if one else None,
        "period_from": first, "period_to": last, "total": s["total"],
        "by_channel": dict(zip(s["channels"], s["by_channel"], strict=True)), "done": s["done"],
        "refused": s["refused"], "transferred": s["transferred"], "pending": s["pending"],
        "average_hours": s["average"], "online_share_pct": s["online_share"],
        "by_kind": [{"kind": r.kind, "total": r.total, "by_channel": dict(zip(s["channels"], r.by_channel, strict=True)),
                     "done": r.done, "refused": r.refused, "transferred": r.transferred, "pending": r.pending,
                     "average_hours": r.average} for r in s["rows"]],
    }


@router.post("/stations/{int:station_id}/one-stop", response=OneStopOut, summary="登记(修改)一站式派出所")
@allow(access.DESIGNATORS)
def station_designate(request, station_id: int, payload: DesignateIn):
    station = selectors.station_get(request.auth, station_id)
    return services.one_stop_designate(actor=request.auth, station=station, since=payload.since,
                                       services=[str(s) for s in payload.services], windows=payload.windows,
                                       note=payload.note)


@router.get("/requests", response=list[RequestOut], summary="窗口业务台账")
@allow(access.READERS)
@paginate(Pages)
def request_list(request, filters: Query[RequestQuery]):
    """与页面相同的筛选（RequestFilter）和数据范围。"""
    return filtered_or_400(RequestFilter, filters, selectors.request_list(request.auth), request=request)


@router.post("/requests", response={201: RequestOut}, summary="窗口登记")
@allow(access.CLERKS)
def request_register(request, payload: RequestIn):
    """身份证号码按GB 11643校验；办结(答复)时间不能早于受理时间。"""
    station = selectors.station_get(request.auth, payload.station_id)
    handler = None
    if payload.handler_id is not None:
        handler = Staff.objects.filter(agency=station, pk=payload.handler_id).first()
        if handler is None:
            raise ValidationError({"handler_id": "经办人不是该派出所的人员"})
    row = services.request_register(
        actor=request.auth, station=station, kind=payload.kind, item=payload.item, channel=payload.channel,
        received_at=payload.received_at or timezone.now(), applicant_name=payload.applicant_name,
        applicant_id_number=payload.applicant_id_number, applicant_phone=payload.applicant_phone, handler=handler,
        note=payload.note, completed_at=payload.completed_at, outcome=payload.outcome or "",
        transferred_to=payload.transferred_to)
    return Status(201, selectors.request_get(request.auth, row.pk))


@router.get("/requests/{int:request_id}", response=RequestOut, summary="一件窗口业务")
@allow(access.READERS)
def request_detail(request, request_id: int):
    return selectors.request_get(request.auth, request_id)


@router.post("/requests/{int:request_id}/complete", response=RequestOut, summary="办结(不予受理、转办)")
@allow(access.CLERKS)
def request_complete(request, request_id: int, payload: CompleteIn):
    row = selectors.request_get(request.auth, request_id)
    services.request_complete(actor=request.auth, request=row, completed_at=payload.completed_at or timezone.now(),
                              outcome=payload.outcome, transferred_to=payload.transferred_to, note=payload.note)
    return selectors.request_get(request.auth, request_id)
