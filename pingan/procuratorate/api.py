"""检护民生 in the JSON API: the lists (with the pages' FilterSets), details with their trails, and
the two writes an agency system or the procuratorate's own tools need — a suggestion's next step and
the agency's reply. Personal data (worker ID numbers, phones) is always masked here."""


import datetime as dt
import decimal
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from pingan.core.filters import filtered_or_400
from pingan.core.masking import mask_id_number
from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.procuratorate import selectors, services
from pingan.procuratorate.filters import (
    ClaimFilter,
    FraudFilter,
    LeadFilter,
    PublicityFilter,
    SuggestionFilter,
)
from pingan.procuratorate.views.common import READERS, REPLIERS, WRITERS

router = Router(tags=["检护民生"])


def _filtered(filterset_class, filters, queryset):
    return filtered_or_400(filterset_class, filters, queryset)


class TrailEventOut(Schema):
    on: dt.date
    action: str
    from_status: str
    to_status: str
    actor: str
    note: str

    @staticmethod
    def resolve_from_status(obj):
        return obj.from_label

    @staticmethod
    def resolve_to_status(obj):
        return obj.to_label

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_name


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj):
        from django.urls import reverse

        return reverse("procuratorate:attachment", args=[obj.pk])


# ---------------------------------------------------------------------------------------- leads

class LeadOut(Schema):
    id: int
    number: str
    field: str
    source: str
    subject: str
    area_code: str
    received_on: dt.date
    status: str
    status_name: str

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()


class LeadDetailOut(LeadOut):
    description: str
    place: str
    assessment: str
    case_ref: str
    closed_reason: str
    trail: list[TrailEventOut]


class LeadQuery(Schema):
    q: str | None = None
    field: str | None = None
    source: str | None = None
    status: str | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="年度")
    area: str | None = None


@router.get("/leads", response=list[LeadOut], summary="检察线索")
@allow(READERS)
@paginate(Pages)
def lead_list(request, filters: Query[LeadQuery]):
    return _filtered(LeadFilter, filters, selectors.lead_list(request.auth))


@router.get("/leads/{lead_id}", response=LeadDetailOut, summary="一条线索及办理经过")
@allow(READERS)
def lead_detail(request, lead_id: int):
    lead = selectors.lead_get(request.auth, lead_id)
    lead.trail = selectors.trail(request.auth, lead)
    return lead


# ---------------------------------------------------------------------------------------- suggestions

class SuggestionOut(Schema):
    id: int
    number: str
    title: str
    matter: str
    field: str
    addressed_agency: str
    area_code: str
    status: str
    status_name: str
    served_on: dt.date | None
    reply_deadline: dt.date | None
    overdue: bool
    verification: str

    @staticmethod
    def resolve_addressed_agency(obj):
        return obj.addressed_agency.name

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_status_name(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue()


class ReplyOut(Schema):
    id: int
    replied_on: dt.date
    reply: str
    rectification: str
    via: str
    replied_by: str
    on_time: bool

    @staticmethod
    def resolve_replied_by(obj):
        return obj.replied_by_name


class SuggestionDetailOut(SuggestionOut):
    facts: str
    legal_basis: str
    requirements: str
    reply_period_months: int
    litigation_ref: str
    replies: list[ReplyOut]
    trail: list[TrailEventOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_replies(obj):
        return obj.visible_replies


class SuggestionQuery(Schema):
    q: str | None = None
    status: str | None = None
    field: str | None = None
    agency: int | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="年度")
    awaiting: bool | None = None
    overdue: bool | None = None
    area: str | None = None


def _suggestion_detail(user, suggestion):
    suggestion.visible_replies = [r for r, _ in selectors.suggestion_replies(user, suggestion)]
    suggestion.trail = selectors.trail(user, suggestion)
    suggestion.attachments = selectors.attachments(user, suggestion)
    return suggestion


@router.get("/suggestions", response=list[SuggestionOut], summary="检察建议")
@allow(READERS)
@paginate(Pages)
def suggestion_list(request, filters: Query[SuggestionQuery]):
    """行政机关联络员只得到送达本单位的检察建议；公安、司法、网格只得到共享给本条线的。"""
    return _filtered(SuggestionFilter, filters, selectors.suggestion_list(request.auth))


@router.get("/suggestions/{suggestion_id}", response=SuggestionDetailOut, summary="一份检察建议：回复、办理经过、附件")
@allow(READERS)
def suggestion_detail(request, suggestion_id: int):
    return _suggestion_detail(request.auth, selectors.suggestion_get(request.auth, suggestion_id))


class SuggestionActionIn(Schema):
    action: Literal["submit", "return", "approve", "serve", "verify", "verify_result", "litigate", "remind"]
    on: dt.date | None = None
    note: str = ""
    number: str = ""
    reply_deadline: dt.date | None = None
    result: Literal["done", "partial", "none"] | None = None
    litigation_ref: str = ""


@router.post("/suggestions/{suggestion_id}/actions", response=SuggestionDetailOut, summary="检察建议的下一步办理")
@allow(WRITERS)
def suggestion_action(request, suggestion_id: int, payload: SuggestionActionIn):
    """submit 提请审批 · return 退回修改 · approve 批准制发(number 文号可选) · serve 送达(on 送达日期；
    reply_deadline 可选，默认送达后两个月) · verify 开始核查 · verify_result 核查结论(result) ·
    litigate 转诉讼(litigation_ref) · remind 催告回复。不允许的状态转换返回400。"""
    user = request.auth
    s = selectors.suggestion_get(user, suggestion_id)
    p = payload
    calls = {
        "submit": lambda: services.suggestion_submit(actor=user, suggestion=s, on=p.on, note=p.note),
        "return": lambda: services.suggestion_return(actor=user, suggestion=s, on=p.on, note=p.note),
        "approve": lambda: services.suggestion_approve(actor=user, suggestion=s, on=p.on, note=p.note,
                                                       number=p.number),
        "serve": lambda: services.suggestion_serve(actor=user, suggestion=s, served_on=p.on, note=p.note,
                                                   reply_deadline=p.reply_deadline),
        "verify": lambda: services.suggestion_start_verification(actor=user, suggestion=s, on=p.on, note=p.note),
        "verify_result": lambda: services.suggestion_verify(actor=user, suggestion=s, on=p.on, note=p.note,
                                                            result=p.result or "", reply_deadline=p.reply_deadline),
        "litigate": lambda: services.suggestion_litigate(actor=user, suggestion=s, on=p.on, note=p.note,
                                                         litigation_ref=p.litigation_ref),
        "remind": lambda: services.suggestion_remind(actor=user, suggestion=s, on=p.on, note=p.note),
    }
    calls[p.action]()
    return _suggestion_detail(user, selectors.suggestion_get(user, suggestion_id))


class ReplyIn(Schema):
    reply: str
    rectification: str = ""
    replied_on: dt.date | None = None


@router.post("/suggestions/{suggestion_id}/reply", response=ReplyOut, summary="被建议单位回复检察建议")
@allow(REPLIERS)
def suggestion_reply(request, suggestion_id: int, payload: ReplyIn):
    """被建议单位的联络员回复（附件请在页面上传）；检察院人员可录入书面回复。"""
    s = selectors.suggestion_get(request.auth, suggestion_id)
    return services.suggestion_reply(actor=request.auth, suggestion=s, reply=payload.reply,
                                     rectification=payload.rectification, replied_on=payload.replied_on)


# ---------------------------------------------------------------------------------------- wage claims

class ClaimOut(Schema):
    id: int
    number: str
    project: str
    employer: str
    contractor: str
    area_code: str
    received_on: dt.date
    status: str
    worker_count: int

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code

    @staticmethod
    def resolve_worker_count(obj):
        return getattr(obj, "worker_count", None) or obj.workers.count()


class WorkerOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    amount_owed: decimal.Decimal
    aid_amount: decimal.Decimal
    aided: bool


class ProsecutionOut(Schema):
    case_ref: str
    defendant: str
    charge: str
    court: str
    filed_on: dt.date
    judgment: str
    judged_on: dt.date | None


class SupportSuitOut(Schema):
    id: int
    status: str
    applied_on: dt.date
    document_ref: str
    court: str
    court_case_ref: str
    outcome: str
    workers: int

    @staticmethod
    def resolve_workers(obj):
        return obj.n_workers


class ReferralOut(Schema):
    id: int
    referred_to: str
    referred_on: dt.date
    decided_on: dt.date | None
    workers: int
    granted: int

    @staticmethod
    def resolve_referred_to(obj):
        return obj.referred_to.name

    @staticmethod
    def resolve_workers(obj):
        return obj.n_workers

    @staticmethod
    def resolve_granted(obj):
        return sum(1 for g in obj.grants.all() if g.granted)


class EnforcementOut(Schema):
    on: dt.date
    court: str
    action: str
    amount_recovered: decimal.Decimal


class ClaimDetailOut(ClaimOut):
    summary: str
    owed_total: decimal.Decimal
    aid_total: decimal.Decimal
    aided_count: int
    recovered_total: decimal.Decimal
    workers: list[WorkerOut]
    prosecutions: list[ProsecutionOut]
    support_suits: list[SupportSuitOut]
    aid_referrals: list[ReferralOut]
    enforcements: list[EnforcementOut]
    trail: list[TrailEventOut]

    # The figures and lists come from the selector (cut to the caller's scope), not the relations.
    @staticmethod
    def resolve_owed_total(obj):
        return obj.detail["owed_total"]

    @staticmethod
    def resolve_aid_total(obj):
        return obj.detail["aid_total"]

    @staticmethod
    def resolve_aided_count(obj):
        return obj.detail["aided_count"]

    @staticmethod
    def resolve_recovered_total(obj):
        return obj.detail["recovered_total"]

    @staticmethod
    def resolve_workers(obj):
        return [{"id": r.worker.pk, "name": r.worker.name, "id_number": mask_id_number(r.worker.id_number),
                 "amount_owed": r.worker.amount_owed, "aid_amount": r.aid_amount, "aided": r.aided}
                for r in obj.detail["workers"]]

    @staticmethod
    def resolve_prosecutions(obj):
        return obj.detail["prosecutions"]

    @staticmethod
    def resolve_support_suits(obj):
        return obj.detail["suits"]

    @staticmethod
    def resolve_aid_referrals(obj):
        return obj.detail["referrals"]

    @staticmethod
    def resolve_enforcements(obj):
        return obj.detail["enforcements"]

    @staticmethod
    def resolve_trail(obj):
        return obj.detail["trail"]


class ClaimQuery(Schema):
    q: str | None = None
    status: str | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="年度")
    area: str | None = None


@router.get("/claims", response=list[ClaimOut], summary="农民工讨薪案件")
@allow(READERS)
@paginate(Pages)
def claim_list(request, filters: Query[ClaimQuery]):
    return _filtered(ClaimFilter, filters, selectors.claim_list(request.auth))


@router.get("/claims/{claim_id}", response=ClaimDetailOut, summary="一件讨薪案件：农民工(身份证号脱敏)、公诉、支持起诉、司法救助、执行")
@allow(READERS)
def claim_detail(request, claim_id: int):
    user = request.auth
    claim = selectors.claim_get(user, claim_id)
    claim.detail = selectors.claim_detail(user, claim) | {"trail": selectors.trail(user, claim)}
    claim.worker_count = len(claim.detail["workers"])
    return claim


# ---------------------------------------------------------------------------------------- fraud, publicity

class FraudOut(Schema):
    id: int
    case_ref: str
    case_name: str
    police_agency: str
    crime: str
    cross_border: bool
    region: str
    intervened_on: dt.date
    stage: str
    victims: int
    recovered_total: decimal.Decimal

    @staticmethod
    def resolve_victims(obj):
        return obj.victim_count

    @staticmethod
    def resolve_recovered_total(obj):
        return obj.recovered_total or decimal.Decimal("0.00")


class FraudQuery(Schema):
    q: str | None = None
    cross_border: bool | None = None
    stage: str | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="年度")
    area: str | None = None


@router.get("/fraud", response=list[FraudOut], summary="提前介入电信诈骗案件")
@allow(READERS)
@paginate(Pages)
def fraud_list(request, filters: Query[FraudQuery]):
    return _filtered(FraudFilter, filters, selectors.fraud_list(request.auth))


class PublicityOut(Schema):
    id: int
    held_on: dt.date
    area_code: str
    place: str
    forms: str
    materials: int
    audience: int

    @staticmethod
    def resolve_area_code(obj):
        return obj.area.code


class PublicityQuery(Schema):
    q: str | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="年度")
    area: str | None = None


@router.get("/publicity", response=list[PublicityOut], summary="防范非法集资宣传活动")
@allow(READERS)
@paginate(Pages)
def publicity_list(request, filters: Query[PublicityQuery]):
    return _filtered(PublicityFilter, filters, selectors.publicity_list(request.auth))
