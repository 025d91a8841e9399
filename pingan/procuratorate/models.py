"""检护民生: leads, procuratorial suggestions, wage claims, fraud early intervention, publicity.

Scope (one place: ``ProcScoped.scope_q``, used by every ``.visible_to(user)``):
- the procuratorate line sees the records whose area lies in its jurisdiction;
- an administrative agency's liaison (agency-bound, ADMIN line) sees a suggestion only once it has
  been served on *their* agency — never a draft, never another agency's, nothing else of the app;
- every other line (police, justice, grid) sees a record only while it is shared with that line
  (or, for agency-bound roles, with that agency) through an active ``Share`` — still cut by area.
Child rows (workers, replies, events, attachments…) are visible exactly when their parent is.
"""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, Scope, ScopedModel, ScopedQuerySet
from pingan.org.models import Agency

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = decimal.Decimal("0.00")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; a day the target month lacks becomes its last day (1月31日 → 3月31日,
    12月31日 + 2 → 2月28/29日)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


class Field(models.TextChoices):
    FOOD_DRUG = "food_drug", "食品药品安全"
    LABOUR = "labour", "劳动者权益"
    ECOLOGY = "ecology", "生态环境"
    MINORS = "minors", "未成年人保护"
    TELECOM_FRAUD = "telecom_fraud", "电信诈骗"
    FUNDRAISING = "fundraising", "非法集资"
    STATE_PROPERTY = "state_property", "国有财产保护"
    OTHER = "other", "其他"


# ---------------------------------------------------------------------------------------- scope

class ProcScoped(ScopedModel):
    """Base of the app's top-level records: scoped by ``area``, the procuratorate line, shares,
    and (for suggestions) the addressed agency."""

    scope_area_field = "area"
    scope_lines = frozenset({Line.PROCURATORATE})
    record_type: str = ""  # the key in Share/Event/Attachment rows

    class Meta:
        abstract = True

    @classmethod
    def agency_q(cls, scope: Scope) -> Q | None:
        """What an agency-bound ADMIN role sees of this model besides shares (None: nothing)."""
        return None

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        in_area = Q(**{f"{cls.scope_area_field}__path__startswith": scope.path})
        q = Q(pk__in=[])
        if Line.PROCURATORATE in scope.lines:
            q |= in_area
        if scope.agency_id is not None and Line.ADMIN in scope.lines:
            own = cls.agency_q(scope)
            if own is not None:
                q |= in_area & own
        shares = Share.objects.filter(record_type=cls.record_type, revoked_at__isnull=True)
        target = Q(line__in=sorted(set(scope.lines) - {Line.PROCURATORATE, Line.ADMIN}))
        if scope.agency_id is not None:
            target |= Q(agency_id=scope.agency_id)
        q |= in_area & Q(pk__in=shares.filter(target).values("record_id"))
        return q


class ChildScoped(ScopedModel):
    """A row that belongs to one parent record and is visible exactly when the parent is."""

    scope_parent: str = ""  # FK name of the parent
    scope_area_field = ""

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        parent = cls._meta.get_field(cls.scope_parent).related_model
        return Q(**{f"{cls.scope_parent}__in": parent.objects.filter(parent.scope_q(scope)).values("pk")})


def record_models() -> dict[str, type[ScopedModel]]:
    """record_type → model, for the generic rows (shares, events, attachments)."""
    return {m.record_type: m for m in (Lead, Suggestion, SuggestionReply, WageClaim, SupportSuit, AidReferral,
                                       FraudIntervention, PublicityEvent)}


class RecordType(models.TextChoices):
    LEAD = "lead", "线索"
    SUGGESTION = "suggestion", "检察建议"
    REPLY = "reply", "检察建议回复"
    CLAIM = "claim", "农民工讨薪"
    SUPPORT_SUIT = "support_suit", "支持起诉"
    AID_REFERRAL = "aid_referral", "司法救助移送"
    FRAUD = "fraud", "提前介入"
    PUBLICITY = "publicity", "防范非法集资宣传"


class GenericScoped(ScopedModel):
    """Rows that point at any record by (record_type, record_id): visible when that record is."""

    scope_area_field = ""

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        q = Q(pk__in=[])
        for key, model in record_models().items():
            q |= Q(record_type=key, record_id__in=model.objects.filter(model.scope_q(scope)).values("pk"))
        return q

    @property
    def record(self):
        return record_models()[self.record_type].objects.filter(pk=self.record_id).first()


class Share(GenericScoped):
    """A record shared with another line (公安, 司法, 网格) or with one agency (行政机关联络员)."""

    record_type = models.CharField("记录类型", max_length=20, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField("记录ID")
    line = models.CharField("共享给条线", max_length=16, choices=Line.choices, blank=True)
    agency = models.ForeignKey(Agency, verbose_name="共享给单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="共享人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField("共享时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)
    revoked_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "共享"
        ordering = ["-shared_at"]
        indexes = [models.Index(fields=["record_type", "record_id"])]
        constraints = [models.CheckConstraint(
            condition=(Q(line="") & Q(agency__isnull=False)) | (~Q(line="") & Q(agency__isnull=True)),
            name="proc_share_line_xor_agency")]

    def __str__(self) -> str:
        target = self.agency.name if self.agency_id else self.get_line_display()
        return f"{self.get_record_type_display()}#{self.record_id} → {target}"


class Event(GenericScoped):
    """One row of a record's trail: a status change, a reminder, a verification, a note."""

    record_type = models.CharField("记录类型", max_length=20, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField("记录ID")
    on = models.DateField("日期")
    at = models.DateTimeField("录入时间", default=timezone.now)
    action = models.CharField("事项", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("经办人", max_length=60, blank=True)
    note = models.TextField("说明", blank=True)
    internal = models.BooleanField("院内事项", default=False, help_text="起草、审批等院内环节，行政机关看不到")

    class Meta:
        verbose_name = verbose_name_plural = "办理经过"
        ordering = ["on", "at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.on} {self.action}"

    def _label(self, code: str) -> str:
        choices = {"lead": LeadStatus, "suggestion": SuggestionStatus, "claim": ClaimStatus,
                   "support_suit": SupportStatus, "fraud": FraudStage}.get(self.record_type)
        if not code or choices is None or code not in choices.values:
            return code
        return choices(code).label

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


def _upload_to(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"procuratorate/{timezone.localdate():%Y/%m}/{uuid4().hex}{suffix}"


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", "证据材料"
    DOCUMENT = "document", "法律文书"
    REPLY = "reply", "回复函"
    RECTIFICATION = "rectification", "整改报告及佐证"
    OTHER = "other", "其他"


class Attachment(GenericScoped):
    """A file kept under MEDIA_ROOT; served only through the scoped download view."""

    record_type = models.CharField("记录类型", max_length=20, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField("记录ID")
    kind = models.CharField("类别", max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.EVIDENCE)
    file = models.FileField("文件", upload_to=_upload_to, max_length=200)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return self.name


class OwnedRecord(ProcScoped, TimeStampedModel):
    """Common fields: which procuratorate keeps the record and where (in the tree) it happened."""

    procuratorate = models.ForeignKey(Agency, verbose_name="检察院", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


# ---------------------------------------------------------------------------------------- leads

class LeadSource(models.TextChoices):
    OWN = "own", "自行发现"
    PINGAN = "pingan", "平安乡村事件/案件"
    COMPLAINT = "complaint", "群众控告举报"
    HOTLINE = "hotline", "12309检察服务热线"
    MEDIA = "media", "媒体报道"
    REFERRAL = "referral", "有关机关移送"
    OTHER = "other", "其他"


class LeadStatus(models.TextChoices):
    NEW = "new", "待评估"
    SUGGESTION = "suggestion", "转检察建议"
    CASE = "case", "立案办理"
    CLOSED = "closed", "不予立案(结束)"


class Lead(OwnedRecord):
    """线索: a public-interest or livelihood lead and how it was assessed."""

    record_type = RecordType.LEAD

    number = models.CharField("线索编号", max_length=40, unique=True)
    field = models.CharField("领域", max_length=20, choices=Field.choices)
    source = models.CharField("来源", max_length=16, choices=LeadSource.choices)
    source_ref = models.CharField("来源编号/说明", max_length=100, blank=True,
                                  help_text="如平安乡村事件编号、举报件号、报道标题")
    subject = models.CharField("事由", max_length=200)
    description = models.TextField("线索内容", blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    received_on = models.DateField("受理日期")
    status = models.CharField("状态", max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    assessment = models.TextField("评估意见", blank=True)
    case_ref = models.CharField("案号", max_length=60, blank=True)
    closed_reason = models.TextField("结束理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "线索"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


# ---------------------------------------------------------------------------------------- suggestions

class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", "起草"
    REVIEW = "review", "审批"
    TO_SERVE = "to_serve", "送达"
    AWAITING_REPLY = "awaiting", "待回复"
    REPLIED = "replied", "已回复"
    VERIFYING = "verifying", "核查"
    RECTIFIED = "rectified", "整改完毕"
    FOLLOW_UP = "follow_up", "跟进监督"
    LITIGATION = "litigation", "转诉讼"


# The agency sees a suggestion once it has been served on it.
SERVED_STATUSES = (SuggestionStatus.AWAITING_REPLY, SuggestionStatus.REPLIED, SuggestionStatus.VERIFYING,
                   SuggestionStatus.RECTIFIED, SuggestionStatus.FOLLOW_UP, SuggestionStatus.LITIGATION)
# A reply is owed (and can be overdue) in these.
AWAITING_STATUSES = (SuggestionStatus.AWAITING_REPLY, SuggestionStatus.FOLLOW_UP)
CLOSED_STATUSES = (SuggestionStatus.RECTIFIED, SuggestionStatus.LITIGATION)


class Verification(models.TextChoices):
    DONE = "done", "整改到位"
    PARTIAL = "partial", "部分整改"
    NONE = "none", "未整改"


DEFAULT_REPLY_MONTHS = 2


class SuggestionQuerySet(ScopedQuerySet):
    def overdue(self, today: dt.date | None = None):
        """Still owing a reply after the deadline (computed, never stored)."""
        today = today or timezone.localdate()
        return self.filter(status__in=AWAITING_STATUSES, reply_deadline__lt=today)

    def awaiting_reply(self):
        return self.filter(status__in=AWAITING_STATUSES)


class Suggestion(OwnedRecord):
    """检察建议 to an administrative agency, followed until the problem is fixed."""

    record_type = RecordType.SUGGESTION

    number = models.CharField("文号", max_length=60, blank=True)
    addressed_agency = models.ForeignKey(Agency, verbose_name="被建议单位", on_delete=models.PROTECT,
                                         related_name="procuratorial_suggestions")
    field = models.CharField("领域", max_length=20, choices=Field.choices)
    title = models.CharField("标题", max_length=200)
    matter = models.CharField("违法情形(概述)", max_length=100, help_text="一句话概述，用于工作总结，如“村医非法售卖假药”")
    facts = models.TextField("查明的事实")
    legal_basis = models.TextField("法律依据", blank=True)
    requirements = models.TextField("建议事项(整改要求)", blank=True)
    status = models.CharField("状态", max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.DRAFT,
                              db_index=True)
    reply_period_months = models.PositiveSmallIntegerField("回复期限(月)", default=DEFAULT_REPLY_MONTHS)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True, db_index=True)
    reply_deadline = models.DateField("回复期限", null=True, blank=True)
    verification = models.CharField("核查结论", max_length=10, choices=Verification.choices, blank=True)
    verified_on = models.DateField("核查日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    litigation_ref = models.CharField("公益诉讼案号", max_length=60, blank=True)
    lead = models.ForeignKey(Lead, verbose_name="来源线索", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="suggestions")
    wage_claim = models.ForeignKey("WageClaim", verbose_name="相关讨薪案件", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="suggestions")
    previous = models.ForeignKey("self", verbose_name="前一份建议(再次制发)", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="reissues")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检察建议"
        ordering = ["-served_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["number"], condition=~Q(number=""),
                                               name="proc_suggestion_unique_number")]

    def __str__(self) -> str:
        return f"{self.number or '（未编号）'} {self.title}"

    @classmethod
    def agency_q(cls, scope: Scope) -> Q:
        return Q(addressed_agency_id=scope.agency_id, status__in=SERVED_STATUSES)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in AWAITING_STATUSES and self.reply_deadline is not None and self.reply_deadline < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def overdue_days(self) -> int:
        left = self.days_left()
        return -left if left is not None and left < 0 else 0

    def days_left(self, today: dt.date | None = None) -> int | None:
        if self.status not in AWAITING_STATUSES or self.reply_deadline is None:
            return None
        return (self.reply_deadline - (today or timezone.localdate())).days


class SuggestionReply(ChildScoped, TimeStampedModel):
    """The agency's reply: what it did (回复) and its rectification report (整改报告)."""

    record_type = RecordType.REPLY
    scope_parent = "suggestion"

    suggestion = models.ForeignKey(Suggestion, verbose_name="检察建议", on_delete=models.CASCADE,
                                   related_name="replies")
    replied_on = models.DateField("回复日期")
    reply = models.TextField("回复内容")
    rectification = models.TextField("整改情况报告", blank=True)
    via = models.CharField("回复方式", max_length=10, default="平安乡村", help_text="平安乡村 / 书面")
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    replied_by_name = models.CharField("回复人", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检察建议回复"
        ordering = ["replied_on", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion.number} 回复 {self.replied_on}"

    @property
    def on_time(self) -> bool:
        deadline = self.suggestion.reply_deadline
        return deadline is None or self.replied_on <= deadline


# ---------------------------------------------------------------------------------------- wage claims

class ClaimStatus(models.TextChoices):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


class WageClaim(OwnedRecord):
    """农民工讨薪: one project's unpaid workers and everything done for them."""

    record_type = RecordType.CLAIM

    number = models.CharField("案件编号", max_length=40, unique=True)
    project = models.CharField("建设工程项目", max_length=200)
    employer = models.CharField("建设单位(发包方)", max_length=100, blank=True)
    contractor = models.CharField("施工承包人", max_length=100)
    # The contractor is often a person (包工头): encrypted at rest, found by its keyed hash, shown masked.
    contractor_code = EncryptedCharField("承包人证件/统一社会信用代码", max_length=30, blank=True, kind=crypto.CODE)
    contractor_code_hash = LookupHashField(source="contractor_code")
    received_on = models.DateField("受理日期")
    summary = models.TextField("基本案情", blank=True)
    status = models.CharField("状态", max_length=8, choices=ClaimStatus.choices, default=ClaimStatus.OPEN)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_note = models.CharField("办结说明", max_length=200, blank=True)
    lead = models.ForeignKey(Lead, verbose_name="来源线索", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="wage_claims")

    PII_MASKS = {"contractor_code": mask_id_number}

    class Meta:
        verbose_name = verbose_name_plural = "农民工讨薪"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.project}"

    @property
    def contractor_code_masked(self) -> str:
        return mask_id_number(self.contractor_code)


class WageWorker(ChildScoped, TimeStampedModel):
    scope_parent = "claim"

    claim = models.ForeignKey(WageClaim, verbose_name="讨薪案件", on_delete=models.CASCADE, related_name="workers")
    name = models.CharField("姓名", max_length=40)
    # Encrypted at rest; once per claim and counted by the keyed hash of the ID number.
    id_number = EncryptedCharField("身份证号码", max_length=18, kind=crypto.ID_NUMBER)
    id_number_hash = LookupHashField(source="id_number")
    phone = EncryptedCharField("手机号码", max_length=20, blank=True, kind=crypto.PHONE)
    phone_hash = LookupHashField(source="phone")
    hometown = models.CharField("籍贯/住址", max_length=100, blank=True)
    amount_owed = models.DecimalField("被拖欠工资(元)", **MONEY)

    PII_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "讨薪农民工"
        ordering = ["claim", "id"]
        constraints = [models.UniqueConstraint(fields=["claim", "id_number_hash"], name="proc_worker_once_per_claim"),
                       models.CheckConstraint(condition=Q(amount_owed__gte=0), name="proc_worker_amount_nonneg")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)


class Prosecution(ChildScoped, TimeStampedModel):
    """提起公诉 of the contractor for 拒不支付劳动报酬罪, linked to its case."""

    scope_parent = "claim"
    CHARGE = "拒不支付劳动报酬罪"

    claim = models.ForeignKey(WageClaim, verbose_name="讨薪案件", on_delete=models.CASCADE, related_name="prosecutions")
    case_ref = models.CharField("案号(起诉书文号)", max_length=60)
    police_case_ref = models.CharField("公安机关案件编号", max_length=60, blank=True)
    defendant = models.CharField("被告人", max_length=100)
    charge = models.CharField("罪名", max_length=40, default=CHARGE)
    court = models.CharField("审判法院", max_length=60)
    filed_on = models.DateField("提起公诉日期")
    judgment = models.CharField("判决结果", max_length=200, blank=True)
    judged_on = models.DateField("判决日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "提起公诉"
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_ref} {self.defendant}"


class SupportStatus(models.TextChoices):
    APPLIED = "applied", "申请"
    REVIEW = "review", "审查"
    ISSUED = "issued", "制发支持起诉书"
    IN_COURT = "in_court", "法院受理"
    DECIDED = "decided", "已结案"
    REFUSED = "refused", "不予支持"


class SupportSuit(ChildScoped, TimeStampedModel):
    """支持起诉: the workers' civil suit, supported by the procuratorate."""

    record_type = RecordType.SUPPORT_SUIT
    scope_parent = "claim"

    claim = models.ForeignKey(WageClaim, verbose_name="讨薪案件", on_delete=models.CASCADE, related_name="support_suits")
    workers = models.ManyToManyField(WageWorker, verbose_name="申请人", related_name="support_suits")
    status = models.CharField("状态", max_length=10, choices=SupportStatus.choices, default=SupportStatus.APPLIED)
    applied_on = models.DateField("申请日期")
    document_ref = models.CharField("支持起诉书文号", max_length=60, blank=True)
    issued_on = models.DateField("制发日期", null=True, blank=True)
    court = models.CharField("受理法院", max_length=60, blank=True)
    court_case_ref = models.CharField("法院案号", max_length=60, blank=True)
    outcome = models.CharField("结果", max_length=200, blank=True)
    decided_on = models.DateField("结案日期", null=True, blank=True)
    amount_awarded = models.DecimalField("判决/调解确认金额(元)", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "支持起诉"
        ordering = ["applied_on", "id"]

    def __str__(self) -> str:
        return f"支持起诉 {self.document_ref or self.applied_on}"


class AidReferral(ChildScoped, TimeStampedModel):
    """司法救助线索 passed to 控申 (控告申诉检察部门) for a group of workers."""

    record_type = RecordType.AID_REFERRAL
    scope_parent = "claim"

    claim = models.ForeignKey(WageClaim, verbose_name="讨薪案件", on_delete=models.CASCADE, related_name="aid_referrals")
    referred_to = models.ForeignKey(Agency, verbose_name="移送部门", on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField("移送日期")
    workers = models.ManyToManyField(WageWorker, verbose_name="移送人员", related_name="aid_referrals")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "司法救助移送"
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"司法救助移送 {self.referred_on}"


class AidGrant(ChildScoped, TimeStampedModel):
    """控申's decision for one worker of a referral: aid granted (with amount) or refused."""

    scope_parent = "referral"

    referral = models.ForeignKey(AidReferral, verbose_name="移送", on_delete=models.CASCADE, related_name="grants")
    worker = models.ForeignKey(WageWorker, verbose_name="农民工", on_delete=models.CASCADE, related_name="aid_grants")
    granted = models.BooleanField("给予救助")
    amount = models.DecimalField("救助金额(元)", default=ZERO, **MONEY)
    decided_on = models.DateField("决定日期")
    reason = models.CharField("理由", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "司法救助决定"
        ordering = ["referral", "worker_id"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "worker"], name="proc_grant_once_per_referral"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="proc_grant_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} {'救助' if self.granted else '不予救助'} {self.amount}"


class Enforcement(ChildScoped, TimeStampedModel):
    """执行跟进: one step in following the court's enforcement against the contractor's property."""

    scope_parent = "claim"

    claim = models.ForeignKey(WageClaim, verbose_name="讨薪案件", on_delete=models.CASCADE, related_name="enforcements")
    on = models.DateField("日期")
    court = models.CharField("执行法院", max_length=60, blank=True)
    action = models.CharField("跟进事项", max_length=200)
    amount_recovered = models.DecimalField("执行到位金额(元)", default=ZERO, **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "执行跟进"
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_recovered__gte=0), name="proc_enf_amount_nonneg")]

    def __str__(self) -> str:
        return f"{self.on} {self.action}"


# ---------------------------------------------------------------------------------------- fraud, fundraising

class FraudStage(models.TextChoices):
    INTERVENING = "intervening", "提前介入"
    REVIEW = "review", "审查起诉"
    PROSECUTED = "prosecuted", "已起诉"
    JUDGED = "judged", "已判决"


class FraudIntervention(OwnedRecord):
    """提前介入 in a telecom-fraud case (or a related crime), incl. cross-border (缅北) cases."""

    record_type = RecordType.FRAUD

    case_ref = models.CharField("公安机关案件编号", max_length=60)
    case_name = models.CharField("案件名称", max_length=200)
    police_agency = models.CharField("侦查机关", max_length=60)
    crime = models.CharField("涉嫌罪名", max_length=60, default="诈骗罪")
    cross_border = models.BooleanField("跨境案件", default=False)
    region = models.CharField("境外地区", max_length=30, blank=True, help_text="如：缅北")
    intervened_on = models.DateField("介入日期")
    opinion = models.TextField("介入意见(引导取证)", blank=True)
    stage = models.CharField("阶段", max_length=12, choices=FraudStage.choices, default=FraudStage.INTERVENING)

    class Meta:
        verbose_name = verbose_name_plural = "提前介入"
        ordering = ["-intervened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case_ref} {self.case_name}"


class FraudVictim(ChildScoped, TimeStampedModel):
    scope_parent = "intervention"

    intervention = models.ForeignKey(FraudIntervention, verbose_name="提前介入", on_delete=models.CASCADE,
                                     related_name="victims")
    name = models.CharField("被害人", max_length=40)
    loss = models.DecimalField("被骗金额(元)", **MONEY)
    recovered = models.DecimalField("挽回损失(元)", default=ZERO, **MONEY)
    recovered_on = models.DateField("返还日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "被害人及挽损"
        ordering = ["intervention", "id"]
        constraints = [models.CheckConstraint(condition=Q(recovered__gte=0) & Q(loss__gte=0),
                                              name="proc_victim_amounts_nonneg")]

    def __str__(self) -> str:
        return self.name


class PublicityEvent(OwnedRecord):
    """防范非法集资宣传."""

    record_type = RecordType.PUBLICITY

    held_on = models.DateField("日期")
    place = models.CharField("地点", max_length=100)
    forms = models.CharField("形式", max_length=100, help_text="如：发放宣传资料、现场答疑解惑")
    materials = models.PositiveIntegerField("发放资料(份)", default=0)
    audience = models.PositiveIntegerField("受众(人次)", default=0)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "防范非法集资宣传"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"
