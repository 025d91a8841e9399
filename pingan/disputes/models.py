"""矛盾纠纷 (disputes) with their closed loop and early warning, 走访 (field visits) and 隐患 (hazards).

Every record hangs on a village-level Area and is visible to the police, justice and grid lines
(``DISPUTE_LINES``): police stations find disputes, judicial offices mediate them, grid workers log
visits and leads. What a dispute may do next, its time limit and whether it is overdue are in
``pingan.disputes.rules``; overdue is always computed from the deadline, never stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, ScopedModel, ScopedQuerySet

# The lines that see disputes, visits and hazards: the police find them (110, 走访), the judicial
# offices and their mediators settle them, the grid workers log visits and leads.
DISPUTE_LINES = frozenset({Line.POLICE, Line.JUSTICE, Line.GRID})


class DisputeKind(models.TextChoices):
    MARRIAGE = "婚姻家庭", "婚姻家庭"
    NEIGHBOUR = "邻里", "邻里"
    LAND = "土地草场", "土地草场"
    LABOUR = "劳资", "劳资(欠薪)"
    EXPROPRIATION = "征地拆迁", "征地拆迁"
    DEBT = "债务", "债务"
    DAMAGES = "损害赔偿", "损害赔偿"
    CONTRACT = "合同", "合同"
    OTHER = "其他", "其他"


class DisputeSource(models.TextChoices):
    INCIDENT = "incident", "110警情"
    VISIT = "visit", "走访排查"
    HOTLINE = "hotline", "12345热线/来电"
    LEGAL_LITERATE = "legal_literate", "法律明白人上报"
    WALK_IN = "walk_in", "群众来访"
    OTHER = "other", "其他"


class RiskLevel(models.IntegerChoices):
    """Higher is graver, so a raise is ``new > old``."""

    BLUE = 1, "蓝"
    YELLOW = 2, "黄"
    ORANGE = 3, "橙"
    RED = 4, "红"


RISK_CSS = {RiskLevel.BLUE: "primary", RiskLevel.YELLOW: "warning", RiskLevel.ORANGE: "orange",
            RiskLevel.RED: "danger"}


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ASSESSED = "assessed", "已研判定级"
    ASSIGNED = "assigned", "已分派"
    MEDIATING = "mediating", "化解中"
    FOLLOW_UP = "follow_up", "待回访"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = tuple(s for s in DisputeStatus.values if s != DisputeStatus.CLOSED)


class MediationOutcome(models.TextChoices):
    SUCCESS = "success", "调解成功"
    FAILED = "failed", "未成功"
    LITIGATION = "litigation", "转诉讼"
    CASE = "case", "转案件"


# Outcomes that end mediation (the dispute goes on to 回访); 未成功 leaves it in mediation.
CONCLUDING_OUTCOMES = (MediationOutcome.SUCCESS, MediationOutcome.LITIGATION, MediationOutcome.CASE)


class PartyRole(models.TextChoices):
    APPLICANT = "申请人", "申请人(主张方)"
    RESPONDENT = "被申请人", "被申请人"
    PARTY = "当事人", "其他当事人"
    THIRD = "第三人", "第三人"


class RiskSignal(models.TextChoices):
    MANUAL = "manual", "人工研判"
    THREAT_WORDS = "threat_words", "威胁或暴力言语"
    MANY_PARTIES = "many_parties", "涉及人数众多"
    REPEAT_INCIDENT = "repeat_incident", "当事人重复报警"


class DisputeQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status=DisputeStatus.CLOSED)

    def overdue(self, on: dt.date | None = None):
        """Open and past the deadline on ``on`` (today by default): computed, never stored."""
        return self.open().filter(deadline__lt=on or timezone.localdate())

    def assigned_to(self, user):
        """What the user's own unit or the user in person was given to handle."""
        q = Q()
        if getattr(user, "agency_id", None):
            q |= Q(assigned_agency_id=user.agency_id)
        if getattr(user, "staff_id", None):
            q |= Q(assigned_staff_id=user.staff_id)
        return self.filter(q) if q else self.none()


class Dispute(ScopedModel, TimeStampedModel):
    number = models.CharField("纠纷编号", max_length=30, unique=True)
    title = models.CharField("纠纷事由", max_length=100)
    description = models.TextField("基本情况", blank=True)
    kind = models.CharField("纠纷类型", max_length=8, choices=DisputeKind.choices)
    source = models.CharField("来源", max_length=16, choices=DisputeSource.choices)
    source_incident = models.ForeignKey("incidents.Incident", verbose_name="来源警情", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="disputes")
    source_visit = models.ForeignKey("disputes.Visit", verbose_name="来源走访", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="disputes")
    reporter = models.ForeignKey("org.Staff", verbose_name="上报人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="reported_disputes",
                                 help_text="法律明白人、网格员等上报线索的人员")
    area = models.ForeignKey(Area, verbose_name="所在村(嘎查、社区)", on_delete=models.PROTECT, related_name="disputes")
    people_involved = models.PositiveIntegerField("涉及人数", default=0,
                                                  help_text="群体性纠纷(如欠薪)的涉及总人数；0表示按登记的当事人计")
    amount = models.DecimalField("涉及金额(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    risk = models.PositiveSmallIntegerField("风险等级", choices=RiskLevel.choices, default=RiskLevel.BLUE)
    risk_reason = models.CharField("定级理由", max_length=300, blank=True)
    status = models.CharField("办理状态", max_length=12, choices=DisputeStatus.choices,
                              default=DisputeStatus.REGISTERED)
    registered_at = models.DateTimeField("登记时间", db_index=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField("办结时限", help_text="按风险等级的时限计算，延期顺延；超期与否按此日期计算")
    assigned_agency = models.ForeignKey("org.Agency", verbose_name="承办单位", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="assigned_disputes")
    assigned_staff = models.ForeignKey("org.Staff", verbose_name="承办人", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="assigned_disputes")
    assigned_at = models.DateTimeField("分派时间", null=True, blank=True)
    result = models.CharField("化解结果", max_length=12, choices=MediationOutcome.choices, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办结人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    close_note = models.CharField("办结说明", max_length=300, blank=True)

    scope_lines = DISPUTE_LINES
    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷"
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != DisputeStatus.CLOSED

    @property
    def registered_on(self) -> dt.date:
        return timezone.localdate(self.registered_at)

    def overdue_on(self, on: dt.date | None = None) -> bool:
        return self.is_open and self.deadline < (on or timezone.localdate())

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on()

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.deadline).days if self.is_overdue else 0

    @property
    def days_left(self) -> int | None:
        return (self.deadline - timezone.localdate()).days if self.is_open else None

    @property
    def closed_late(self) -> bool:
        return self.closed_at is not None and timezone.localdate(self.closed_at) > self.deadline

    @property
    def risk_css(self) -> str:
        return RISK_CSS[RiskLevel(self.risk)]

    @property
    def head_count(self) -> int:
        """涉及人数: the stated number, or the parties registered when none was stated."""
        return max(self.people_involved, len(self.parties.all()))

    @property
    def handler(self) -> str:
        parts = [str(x) for x in (self.assigned_agency, self.assigned_staff and self.assigned_staff.name) if x]
        return " / ".join(parts)


class DisputeParty(ScopedModel):
    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="parties")
    name = models.CharField("姓名(名称)", max_length=40)
    role = models.CharField("身份", max_length=8, choices=PartyRole.choices, default=PartyRole.PARTY)
    # Encrypted at rest; exact look-ups (the early warning's phone match) go through the keyed hashes.
    id_number = EncryptedCharField("身份证号码", max_length=18, blank=True, kind=crypto.ID_NUMBER)
    id_number_hash = LookupHashField(source="id_number")
    phone = EncryptedCharField("联系电话", max_length=20, blank=True, help_text="只存数字", kind=crypto.PHONE)
    phone_hash = LookupHashField(source="phone")
    address = models.CharField("住址", max_length=100, blank=True)

    scope_area_field = "dispute__area"
    scope_lines = DISPUTE_LINES
    PII_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "纠纷当事人"
        ordering = ["dispute", "id"]

    def __str__(self) -> str:
        return f"{self.name}({self.role})"

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class StatusChange(models.Model):
    """The status history: one row per transition of the closed loop."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=12, choices=DisputeStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=DisputeStatus.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "纠纷状态记录"
        ordering = ["dispute", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class RiskChange(models.Model):
    """Every change of a dispute's risk level, with its reason and the signal behind it."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="risk_changes")
    from_risk = models.PositiveSmallIntegerField("原等级", choices=RiskLevel.choices)
    to_risk = models.PositiveSmallIntegerField("新等级", choices=RiskLevel.choices)
    signal = models.CharField("依据", max_length=16, choices=RiskSignal.choices)
    reason = models.CharField("理由", max_length=300)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+", help_text="空为系统自动预警")
    incident = models.ForeignKey("incidents.Incident", verbose_name="触发警情", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "风险等级变化"
        ordering = ["dispute", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_risk_display()} → {self.get_to_risk_display()}：{self.reason}"

    @property
    def is_raise(self) -> bool:
        return self.to_risk > self.from_risk

    @property
    def automatic(self) -> bool:
        return self.signal != RiskSignal.MANUAL


class Extension(models.Model):
    """延期: extends the deadline by ``days``, with the reason."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延期天数")
    reason = models.CharField("延期理由", max_length=300)
    old_deadline = models.DateField("原时限")
    new_deadline = models.DateField("新时限")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "延期记录"
        ordering = ["dispute", "at", "id"]

    def __str__(self) -> str:
        return f"延期{self.days}天：{self.reason}"


class Supervision(models.Model):
    """督办: a note from a higher level, shown on the dispute and the handler's home page until answered."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="supervisions")
    note = models.CharField("督办意见", max_length=300)
    at = models.DateTimeField("督办时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="督办人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField("督办人(单位)", max_length=100)
    answer = models.CharField("反馈", max_length=300, blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "督办"
        ordering = ["dispute", "at", "id"]

    def __str__(self) -> str:
        return f"督办：{self.note}"


class MediationSession(models.Model):
    """化解: one mediation session and its outcome."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    mediator = models.ForeignKey("org.Staff", verbose_name="主持调解人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="mediation_sessions")
    participants = models.CharField("参与人员", max_length=200, blank=True)
    place = models.CharField("调解地点", max_length=100, blank=True)
    outcome = models.CharField("调解结果", max_length=12, choices=MediationOutcome.choices)
    summary = models.TextField("调解经过")
    agreement = models.CharField("协议内容", max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解记录"
        ordering = ["dispute", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_outcome_display()}"


class FollowUpMethod(models.TextChoices):
    PHONE = "电话", "电话回访"
    VISIT = "上门", "上门回访"
    OTHER = "其他", "其他"


class FollowUp(models.Model):
    """回访: is the settlement holding? An unstable answer sends the dispute back to mediation."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField("回访日期")
    method = models.CharField("方式", max_length=4, choices=FollowUpMethod.choices, default=FollowUpMethod.PHONE)
    stable = models.BooleanField("纠纷已平稳化解", default=True)
    satisfied = models.BooleanField("当事人满意", default=True)
    note = models.CharField("回访情况", max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回访人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "回访记录"
        ordering = ["dispute", "on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {'平稳' if self.stable else '反复'}"


class DisputeIncident(models.Model):
    """An incident (警情) found to concern an open dispute's parties, with the reasons in words."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="incident_links")
    incident = models.ForeignKey("incidents.Incident", verbose_name="警情", on_delete=models.CASCADE,
                                 related_name="dispute_links")
    reasons = models.CharField("关联理由", max_length=300)
    linked_at = models.DateTimeField("关联时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "纠纷关联警情"
        ordering = ["dispute", "incident__received_at"]
        constraints = [models.UniqueConstraint(fields=["dispute", "incident"], name="dispute_incident_once")]

    def __str__(self) -> str:
        return f"{self.dispute.number} ← {self.incident.number}"


class NotificationKind(models.TextChoices):
    RISK_RAISED = "risk_raised", "风险升级"
    ASSIGNED = "assigned", "新分派"
    SUPERVISED = "supervised", "督办"


class Notification(ScopedModel):
    """A notice for a unit or a person, shown on their home page until read."""

    dispute = models.ForeignKey(Dispute, verbose_name="纠纷", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=12, choices=NotificationKind.choices)
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    agency = models.ForeignKey("org.Agency", verbose_name="接收单位", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="dispute_notifications")
    staff = models.ForeignKey("org.Staff", verbose_name="接收人", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="dispute_notifications")
    read_at = models.DateTimeField("已阅时间", null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="阅读人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "dispute__area"
    scope_lines = DISPUTE_LINES

    class Meta:
        verbose_name = verbose_name_plural = "纠纷提醒"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(agency__isnull=False) | Q(staff__isnull=False),
                                              name="notification_has_recipient")]

    def __str__(self) -> str:
        return self.text


# ---- 走访 and 隐患 ----------------------------------------------------------------------------


class PlaceKind(models.TextChoices):
    ENTERPRISE = "企业", "企业"
    SITE = "工地", "工地"
    SCHOOL = "学校", "学校"
    VILLAGE = "村居", "村居(农牧户)"
    COMMUNITY = "社区", "社区"
    OTHER = "其他", "其他"


class Visit(ScopedModel, TimeStampedModel):
    """走访: a team's visit to a place; what was found may open a dispute or a hazard."""

    area = models.ForeignKey(Area, verbose_name="村(嘎查、社区)", on_delete=models.PROTECT, related_name="visits")
    place_kind = models.CharField("走访对象类型", max_length=4, choices=PlaceKind.choices)
    place_name = models.CharField("走访对象", max_length=100)
    visited_on = models.DateField("走访日期", db_index=True)
    team = models.ManyToManyField("org.Staff", verbose_name="走访人员", related_name="visits")
    findings = models.TextField("走访情况", blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    scope_lines = DISPUTE_LINES

    class Meta:
        verbose_name = verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["area", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.place_name}"


class HazardCategory(models.TextChoices):
    FIRE = "消防", "消防安全"
    TRAFFIC = "交通", "道路交通"
    PRODUCTION = "生产", "生产经营安全"
    FOOD_DRUG = "食药", "食品药品"
    CAMPUS = "校园", "校园及周边"
    ORDER = "治安", "治安隐患"
    NATURAL = "自然灾害", "防汛、地质等自然灾害"
    OTHER = "其他", "其他"


class HazardSeverity(models.TextChoices):
    MINOR = "一般", "一般"
    SERIOUS = "较大", "较大"
    MAJOR = "重大", "重大"


class HazardStatus(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFIED = "rectified", "已整改"


class HazardQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=HazardStatus.OPEN)

    def overdue(self, on: dt.date | None = None):
        return self.open().filter(deadline__lt=on or timezone.localdate())


class Hazard(ScopedModel, TimeStampedModel):
    """隐患: tracked to rectification by a deadline (overdue computed)."""

    area = models.ForeignKey(Area, verbose_name="村(嘎查、社区)", on_delete=models.PROTECT, related_name="hazards")
    visit = models.ForeignKey(Visit, verbose_name="发现于走访", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="hazards")
    place_kind = models.CharField("场所类型", max_length=4, choices=PlaceKind.choices)
    place_name = models.CharField("场所", max_length=100)
    category = models.CharField("隐患类别", max_length=8, choices=HazardCategory.choices)
    severity = models.CharField("隐患等级", max_length=4, choices=HazardSeverity.choices, default=HazardSeverity.MINOR)
    description = models.TextField("隐患描述")
    found_on = models.DateField("发现日期", db_index=True)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    responsible = models.CharField("整改责任单位(人)", max_length=100, blank=True)
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    evidence = models.TextField("整改情况及佐证", blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="验收人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    scope_lines = DISPUTE_LINES
    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "隐患"
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [models.CheckConstraint(
            condition=Q(rectified_on__isnull=True) | Q(rectified_on__gte=models.F("found_on")),
            name="hazard_rectified_after_found")]

    def __str__(self) -> str:
        return f"{self.place_name}：{self.get_category_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.status == HazardStatus.OPEN and self.deadline < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.deadline).days if self.is_overdue else 0
