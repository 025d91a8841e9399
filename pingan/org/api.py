"""The organisation in the JSON API: staff (the page's StaffFilter, personal data always masked),
staff detail with postings, assignments and seats, agencies, and 一村一警 coverage per area."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from pingan.areas.selectors import area_get
from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.org import selectors
from pingan.org.filters import StaffFilter
from pingan.org.models import Agency, AgencyKind, StaffCategory
from pingan.org.views import COVERAGE_READERS, STAFF_READERS

router = Router(tags=["组织机构"])

# Agencies are read by whoever reads the staff registry.
AGENCY_READERS = STAFF_READERS


class StaffOut(Schema):
    id: int
    name: str
    category: str
    agency: str
    agency_id: int
    area_code: str
    area: str
    gender: str
    ethnicity: str
    phone: str = Field(..., description="脱敏：138****1234")
    id_number: str = Field(..., description="脱敏：前6位和后4位")
    service_start: dt.date | None
    active: bool

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name

    # The API always masks; full values are revealed only on the audited page action.
    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj):
        return mask_id_number(obj.id_number)


class PostingOut(Schema):
    agency: str
    agency_kind: str
    start: dt.date
    end: dt.date | None
    note: str

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name

    @staticmethod
    def resolve_agency_kind(obj):
        return obj.agency.kind


class AssignmentOut(Schema):
    village_code: str
    village: str
    township: str
    role: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_village(obj):
        return obj.village.short_name

    @staticmethod
    def resolve_township(obj):
        return obj.village.parent.short_name if obj.village.parent_id else ""


class SeatOut(Schema):
    area_code: str
    area: str
    position: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name


class StaffDetailOut(StaffOut):
    """``history`` is selectors.staff_history(): each list already cut by the caller's scope."""

    grassroots_days: int = Field(..., description="在派出所、司法所的基层工作天数（由任职经历计算，重叠只计一次）")
    postings: list[PostingOut]
    assignments: list[AssignmentOut]
    seats: list[SeatOut]

    @staticmethod
    def resolve_grassroots_days(obj):
        return obj.history["grassroots_days"]

    @staticmethod
    def resolve_postings(obj):
        return obj.history["postings"]

    @staticmethod
    def resolve_assignments(obj):
        return obj.history["assignments"]

    @staticmethod
    def resolve_seats(obj):
        return obj.history["seats"]


class StaffQuery(Schema):
    q: str | None = Field(None, description="姓名、拼音首字母、手机号或身份证号后4位")
    category: StaffCategory | None = None
    area: str | None = Field(None, description="辖区代码：只列该单位下辖范围内的人员")
    active: bool | None = None


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_name: str
    line: str
    area_code: str
    area: str
    parent_id: int | None

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_area(obj):
        return obj.area.short_name


class AgencyQuery(Schema):
    kind: AgencyKind | None = None
    area: str | None = Field(None, description="辖区代码：只列该单位下辖范围内的单位")


class CoverageRowOut(Schema):
    township_code: str
    village_code: str
    village: str
    kind: str
    auxiliaries: list[str]
    assistants: list[str]
    police_rooms: list[str]
    covered: bool


class CoverageOut(Schema):
    root_code: str
    as_of: dt.date
    admin_villages: int = Field(..., description="行政村(村、嘎查)数")
    admin_villages_covered: int = Field(..., description="已配备驻村辅警的行政村数")
    gaps: int = Field(..., description="未配备驻村辅警的村级单位数（含社区和其他）")
    rows: list[CoverageRowOut]


@router.get("/staff", response=list[StaffOut], summary="人员台账")
@allow(STAFF_READERS)
@paginate(Pages)
def staff_list(request, filters: Query[StaffQuery]):
    """与页面相同的筛选（StaffFilter）和数据范围；手机号、身份证号一律脱敏。"""
    return filtered_or_400(StaffFilter, filters, selectors.staff_list(request.auth))


@router.get("/staff/{staff_id}", response=StaffDetailOut, summary="一名人员（含任职经历、驻村和进班子）")
@allow(STAFF_READERS)
def staff_detail(request, staff_id: int):
    staff = selectors.staff_get(request.auth, staff_id)
    staff.history = selectors.staff_history(request.auth, staff)
    return staff


@router.get("/agencies", response=list[AgencyOut], summary="单位")
@allow(AGENCY_READERS)
@paginate(Pages)
def agency_list(request, filters: Query[AgencyQuery]):
    qs = Agency.objects.visible_to(request.auth).select_related("area")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.area:
        code = filters.area.strip()
        qs = qs.filter(Q(area__path__startswith=f"{code}/") | Q(area__path__contains=f"/{code}/"))
    return qs.order_by("area__code", "kind", "name")


@router.get("/coverage/{code}", response=CoverageOut, summary="一村一警覆盖")
@allow(COVERAGE_READERS)
def coverage(request, code: str, date: dt.date | None = None):
    """该单位下每个村级单位在指定日期（默认今天）是否配备驻村辅警。"""
    root = area_get(request.auth, code)
    cov = selectors.coverage(request.auth, root, date or timezone.localdate())
    return {
        "root_code": root.code, "as_of": cov.as_of, "admin_villages": cov.admin_villages,
        "admin_villages_covered": cov.admin_villages_covered, "gaps": len(cov.gaps),
        "rows": [{"township_code": r.township.code, "village_code": r.village.code, "village": r.village.short_name,
                  "kind": r.village.kind, "auxiliaries": [s.name for s in r.auxiliaries],
                  "assistants": [s.name for s in r.assistants], "police_rooms": [room.name for room in r.rooms],
                  "covered": r.covered} for r in cov.rows],
    }
