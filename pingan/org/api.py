import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from pingan.core.masking import mask_id_number, mask_phone
from pingan.org import selectors
from pingan.org.filters import StaffFilter

router = Router(tags=["组织机构"])


class StaffOut(Schema):
    id: int
    name: str
    category: str
    agency: str
    area_code: str
    gender: str
    ethnicity: str
    phone: str
    id_number: str
    active: bool

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    # The API always masks; full values are revealed only on the audited page action.
    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj):
        return mask_id_number(obj.id_number)


class StaffQuery(Schema):
    q: str | None = None
    category: str | None = None
    area: str | None = None


@router.get("/staff", response=list[StaffOut], summary="人员台账")
@paginate(LimitOffsetPagination)
def staff_list(request, filters: Query[StaffQuery]):
    data = {k: v for k, v in filters.dict().items() if v}
    return StaffFilter(data, queryset=selectors.staff_list(request.auth)).qs


@router.get("/staff/{staff_id}", response=StaffOut, summary="一名人员")
def staff_detail(request, staff_id: int):
    return selectors.staff_get(request.auth, staff_id)


class CoverageRowOut(Schema):
    township_code: str
    village_code: str
    village: str
    kind: str
    auxiliaries: list[str]
    assistants: list[str]
    covered: bool


class CoverageOut(Schema):
    root_code: str
    as_of: dt.date
    admin_villages: int
    admin_villages_covered: int
    gaps: int
    rows: list[CoverageRowOut]


@router.get("/coverage/{code}", response=CoverageOut, summary="一村一警覆盖")
def coverage(request, code: str, date: dt.date | None = None):
    from django.utils import timezone

    from pingan.areas.selectors import area_get

    root = area_get(request.auth, code)
    cov = selectors.coverage(request.auth, root, date or timezone.localdate())
    return {
        "root_code": root.code, "as_of": cov.as_of, "admin_villages": cov.admin_villages,
        "admin_villages_covered": cov.admin_villages_covered, "gaps": len(cov.gaps),
        "rows": [{"township_code": r.township.code, "village_code": r.village.code, "village": r.village.short_name,
                  "kind": r.village.kind, "auxiliaries": [s.name for s in r.auxiliaries],
                  "assistants": [s.name for s in r.assistants], "covered": r.covered} for r in cov.rows],
    }
