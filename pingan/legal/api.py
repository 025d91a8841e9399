"""The 法律明白人 programme over the JSON API (mounted at /api/legal/): persons (personal data
always masked), activities and coverage — the same selectors, FilterSets and scope as the pages."""

import datetime as dt
import decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.legal import selectors
from pingan.legal.filters import ActivityFilter, PersonFilter
from pingan.legal.models import mask_names
from pingan.legal.views.common import MANAGERS, READERS, root_area

router = Router(tags=["法律明白人"])


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    ethnicity: str
    birth_year: int
    phone: str
    id_number: str
    township_code: str
    village_code: str
    village: str
    source_category: str
    channel: str
    political_status: str
    education: str
    status: str
    status_since: dt.date
    nominated_on: dt.date
    selected_on: dt.date | None
    serving_on: dt.date | None
    exited_on: dt.date | None

    @staticmethod
    def resolve_name(obj):
        return obj.staff.name

    @staticmethod
    def resolve_gender(obj):
        return obj.staff.get_gender_display()

    @staticmethod
    def resolve_ethnicity(obj):
        return obj.staff.ethnicity

    @staticmethod
    def resolve_birth_year(obj):
        return obj.staff.birth_date.year

    # The API always masks; full values are only for the audited page export.
    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.staff.phone)

    @staticmethod
    def resolve_id_number(obj):
        return mask_id_number(obj.staff.id_number)

    @staticmethod
    def resolve_township_code(obj):
        return obj.village.parent.code

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_village(obj):
        return obj.village.short_name


class CheckOut(Schema):
    criterion: str
    label: str
    passed: bool | None
    checked_on: dt.date | None


class PersonDetailOut(PersonOut):
    """The file (建档): resolved from the person and its ``archive`` (selectors.archive)."""

    checks: list[CheckOut]
    assessment_passed: bool | None
    certificate_no: str
    exit_reason: str
    training_hours: decimal.Decimal
    training_sessions: int
    adviser: str | None
    activities: dict[str, int]
    missing: list[str]

    @staticmethod
    def resolve_checks(obj):
        return [{"criterion": c, "label": label, "passed": None if check is None else check.passed,
                 "checked_on": None if check is None else check.checked_on} for c, label, check in obj.archive.checks]

    @staticmethod
    def resolve_training_hours(obj):
        return obj.archive.hours

    @staticmethod
    def resolve_training_sessions(obj):
        return len(obj.archive.attendances)

    @staticmethod
    def resolve_adviser(obj):
        return obj.archive.pairing.adviser.name if obj.archive.pairing else None

    @staticmethod
    def resolve_activities(obj):
        return obj.archive.activity_counts

    @staticmethod
    def resolve_missing(obj):
        return obj.archive.missing


class PersonQuery(Schema):
    q: str | None = None
    status: str | None = None
    source_category: str | None = None
    area: str | None = None
    counted: bool | None = None


@router.get("/persons", response=list[PersonOut], summary="法律明白人(含候选人)")
@allow(MANAGERS)
@paginate(Pages)
def person_list(request, filters: Query[PersonQuery]):
    """按辖区裁剪；身份证号、手机号脱敏。"""
    return filtered_or_400(PersonFilter, filters, selectors.person_list(request.auth))


@router.get("/persons/{person_id}", response=PersonDetailOut, summary="一名法律明白人的档案")
@allow(READERS)
def person_detail(request, person_id: int):
    """法律明白人本人只能查看自己的档案。"""
    person = selectors.person_get(request.auth, person_id)
    person.archive = selectors.archive(request.auth, person, timezone.localdate())
    return person


class ActivityOut(Schema):
    id: int
    kind: str
    kind_name: str
    date: dt.date
    township_code: str
    village_code: str
    village: str
    title: str
    place: str
    audience: str
    audience_count: int
    materials: str
    parties: str
    outcome: str
    summary: str
    participants: list[str]
    adviser: str | None

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_township_code(obj):
        return obj.village.parent.code

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_village(obj):
        return obj.village.short_name

    @staticmethod
    def resolve_parties(obj):
        return mask_names(obj.parties)

    @staticmethod
    def resolve_participants(obj):
        return [p.staff.name for p in obj.participants.all()]

    @staticmethod
    def resolve_adviser(obj):
        return obj.adviser.name if obj.adviser_id else None


class ActivityQuery(Schema):
    q: str | None = None
    kind: str | None = None
    area: str | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="年度")
    month: str | None = None


@router.get("/activities", response=list[ActivityOut], summary="法治活动(宣传、调解、咨询、走访)")
@allow(READERS)
@paginate(Pages)
def activity_list(request, filters: Query[ActivityQuery]):
    """当事人姓名脱敏；法律明白人只看到本村的活动。"""
    return filtered_or_400(ActivityFilter, filters, selectors.activity_list(request.auth))


@router.get("/activities/{activity_id}", response=ActivityOut, summary="一项法治活动")
@allow(READERS)
def activity_detail(request, activity_id: int):
    return selectors.activity_get(request.auth, activity_id)


class LegalCoverageRowOut(Schema):
    township_code: str
    village_code: str
    village: str
    kind: str
    quota: int | None
    persons: int
    meets: bool
    shortfall: int


class LegalCoverageOut(Schema):
    root_code: str
    as_of: dt.date
    quotas: dict[str, int]
    units: int
    meeting: int
    below: int
    persons: int
    rows: list[LegalCoverageRowOut]


@router.get("/coverage/{code}", response=LegalCoverageOut, summary="法律明白人覆盖(按定额)")
@allow(MANAGERS)
def coverage(request, code: str, date: dt.date | None = None):
    """辖区内每个嘎查(社区)的法律明白人人数与定额：达到定额、未达定额及缺额。"""
    root = root_area(request.auth, code)
    cov = selectors.coverage(request.auth, root, date or timezone.localdate())
    return {
        "root_code": root.code, "as_of": cov.as_of, "quotas": cov.quotas, "units": len(cov.rows),
        "meeting": len(cov.meeting), "below": len(cov.below), "persons": cov.persons,
        "rows": [{"township_code": r.township.code, "village_code": r.village.code, "village": r.village.short_name,
                  "kind": r.village.kind, "quota": r.quota, "persons": r.count, "meets": r.meets,
                  "shortfall": r.shortfall} for r in cov.rows],
    }
