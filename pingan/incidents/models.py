"""警情: incidents received by the 110 system, placed on the jurisdiction tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pingan.areas.models import Area
from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField, TailField
from pingan.core.masking import mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, ScopedModel


class IncidentCategory(models.Model):
    """The 110 category dictionary: top level (刑事, 治安, 纠纷 …) and subcategories (入户盗窃 …)."""

    name = models.CharField("名称", max_length=30, unique=True)
    parent = models.ForeignKey("self", verbose_name="上级类别", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    order = models.PositiveSmallIntegerField("排序", default=0)
    aliases = models.CharField("别名", max_length=200, blank=True,
                               help_text="110系统中的其他写法，用“、”分隔（如 入室盗窃、盗窃牛羊）")

    class Meta:
        verbose_name = verbose_name_plural = "警情类别"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def top(self) -> IncidentCategory:
        return self.parent or self


class IncidentStatus(models.TextChoices):
    RECEIVED = "received", "已接警"
    DISPATCHED = "dispatched", "已派警"
    ON_SCENE = "on_scene", "已到场"
    CONCLUDED = "concluded", "已办结"
    TO_CASE = "to_case", "转为案件"
    TO_DISPUTE = "to_dispute", "转为矛盾纠纷"


class IncidentSource(models.TextChoices):
    FORM = "form", "手工登记"
    API = "api", "接口"
    IMPORT = "import", "110导入"


class Incident(ScopedModel, TimeStampedModel):
    number = models.CharField("警情编号", max_length=40)
    banner = models.ForeignKey(Area, verbose_name="旗县", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="发生地(村级单位或旗县)", on_delete=models.PROTECT,
                             related_name="incidents", db_index=False)  # incident_area_time_idx leads with it
    needs_placement = models.BooleanField("待人工定位", default=False,
                                          help_text="地址无法对应到村级单位，暂挂旗县，待人工确认")
    received_at = models.DateTimeField("接警时间", db_index=True)
    caller_name = models.CharField("报警人", max_length=40, blank=True)
    caller_phone = EncryptedCharField("报警电话", max_length=20, blank=True, kind=crypto.PHONE)  # encrypted at rest
    caller_phone_tail = TailField(source="caller_phone")  # the list's "last four digits" search
    address = models.CharField("发生地址", max_length=200, blank=True)
    category = models.ForeignKey(IncidentCategory, verbose_name="警情类别", on_delete=models.PROTECT,
                                 related_name="incidents")
    raw_category = models.CharField("原始类别", max_length=40, blank=True)
    content = models.TextField("警情内容", blank=True)
    status = models.CharField("处置状态", max_length=12, choices=IncidentStatus.choices,
                              default=IncidentStatus.RECEIVED)
    station = models.ForeignKey("org.Agency", verbose_name="处置派出所", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="incidents")
    source = models.CharField("来源", max_length=8, choices=IncidentSource.choices, default=IncidentSource.FORM)
    placement_note = models.CharField("定位说明", max_length=100, blank=True)
    # Keyed hash (HMAC) of the normalised caller phone: repeat calls and the dispute early warning only
    # need equality of phones, so they compare this, never the phone itself.
    phone_key = LookupHashField("报警电话(散列)", source="caller_phone")
    people = models.CharField("涉及人员(检索用)", max_length=200, blank=True, editable=False,
                              help_text="报警人及内容中提到的人名，以“|”分隔，供重复警情检索")
    cluster = models.ForeignKey("RepeatCluster", verbose_name="重复警情组", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="incidents")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = frozenset({Line.POLICE})
    PII_MASKS = {"caller_phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "警情"
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["banner", "number"], name="incident_number_unique_in_banner")]
        indexes = [  # the year report's counts are index-only scans of a banner's year (bench/RESULTS.md)
                   models.Index(fields=["banner", "received_at"], include=["category", "cluster"],
                                name="incident_banner_year_idx"),
                   # a township's or village's newest first: the list reads a page's ids from this index
                   # alone (the ids, then their 50 rows; IncidentTable.page_by_ids), not every row of the scope
                   models.Index(fields=["area", "received_at"], include=["id"], name="incident_area_time_idx"),
                   # the home page's "待人工定位" count: proportional to the backlog, not to the table
                   models.Index(fields=["area"], condition=models.Q(needs_placement=True), name="incident_to_place_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.caller_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (IncidentStatus.RECEIVED, IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE)
# The disposition trail: which status may follow which.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    IncidentStatus.RECEIVED: (IncidentStatus.DISPATCHED, IncidentStatus.CONCLUDED, IncidentStatus.TO_DISPUTE),
    IncidentStatus.DISPATCHED: (IncidentStatus.ON_SCENE, IncidentStatus.CONCLUDED),
    IncidentStatus.ON_SCENE: (IncidentStatus.CONCLUDED, IncidentStatus.TO_CASE, IncidentStatus.TO_DISPUTE),
    IncidentStatus.CONCLUDED: (),
    IncidentStatus.TO_CASE: (),
    IncidentStatus.TO_DISPUTE: (),
}


class RepeatKind(models.TextChoices):
    MULTI_CALLER = "multi_caller", "同一事件多人报警"
    SAME_CALLER = "same_caller", "同一报警人重复报警"
    RECURRING_DISPUTE = "recurring_dispute", "同一当事人/户反复纠纷"


class ClusterStatus(models.TextChoices):
    AUTO = "auto", "系统研判"
    CONFIRMED = "confirmed", "已人工确认"


class RepeatCluster(TimeStampedModel):
    """重复警情组: incidents found to be one matter. Not scoped itself: a reader sees a group through
    the member incidents they may see (selectors.cluster_members)."""

    banner = models.ForeignKey(Area, verbose_name="旗县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=RepeatKind.choices)
    status = models.CharField("状态", max_length=10, choices=ClusterStatus.choices, default=ClusterStatus.AUTO)
    first_at = models.DateTimeField("最早接警", db_index=True)
    last_at = models.DateTimeField("最近接警", db_index=True)
    size = models.PositiveIntegerField("警情数", default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "重复警情组"
        ordering = ["-last_at", "-id"]
        indexes = [models.Index(fields=["banner", "last_at"])]

    def __str__(self) -> str:
        return f"重复警情组#{self.pk} {self.get_kind_display()}（{self.size}起）"


class RepeatLink(models.Model):
    """One found repeat: ``later`` repeats ``earlier``, for the reasons listed (in words)."""

    cluster = models.ForeignKey(RepeatCluster, verbose_name="重复警情组", on_delete=models.CASCADE,
                                related_name="links")
    earlier = models.ForeignKey(Incident, verbose_name="先前警情", on_delete=models.CASCADE, related_name="+")
    later = models.ForeignKey(Incident, verbose_name="后续警情", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=20, choices=RepeatKind.choices)
    score = models.FloatField("强度", default=0)
    reasons = models.JSONField("依据", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "重复警情关联"
        ordering = ["earlier_id", "later_id"]
        constraints = [models.UniqueConstraint(fields=["earlier", "later"], name="repeat_link_unique_pair")]

    def __str__(self) -> str:
        return f"{self.later_id}→{self.earlier_id} {self.get_kind_display()}"


class RepeatDecision(models.Model):
    """A person's word on two incidents: one matter (confirm) or not (split). Kept across re-analysis."""

    banner = models.ForeignKey(Area, verbose_name="旗县", on_delete=models.PROTECT, related_name="+")
    a = models.ForeignKey(Incident, verbose_name="警情A", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Incident, verbose_name="警情B", on_delete=models.CASCADE, related_name="+")
    together = models.BooleanField("同一事项")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "重复警情人工研判"
        constraints = [models.UniqueConstraint(fields=["a", "b"], name="repeat_decision_unique_pair")]

    def __str__(self) -> str:
        return f"{self.a_id}/{self.b_id} {'同一事项' if self.together else '不同事项'}"


class TaskSource(models.TextChoices):
    CLUSTER = "cluster", "重复警情组"
    DISPUTE = "dispute", "矛盾纠纷"
    HOTSPOT = "hotspot", "警情热点"
    INCIDENT = "incident", "警情"
    OTHER = "other", "其他研判"


class TaskStatus(models.TextChoices):
    ISSUED = "issued", "已下发"
    ANSWERED = "answered", "已反馈"
    CANCELLED = "cancelled", "已撤回"


class CommandTask(ScopedModel, TimeStampedModel):
    """情指行: a task the command centre sends to a station or an officer, with a deadline and a
    required answer. ``area`` is the station's area or the officer's, so the receiver sees it.
    The source is referenced generically (type, id, label) — a repeat group, a dispute of the
    disputes app, a hotspot — so no app depends on another's models."""

    title = models.CharField("任务", max_length=100)
    instruction = models.TextField("工作要求")
    source_type = models.CharField("来源类型", max_length=10, choices=TaskSource.choices, default=TaskSource.OTHER)
    source_id = models.CharField("来源编号", max_length=40, blank=True)
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    cluster = models.ForeignKey(RepeatCluster, verbose_name="重复警情组", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tasks")
    banner = models.ForeignKey(Area, verbose_name="旗县", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="责任辖区", on_delete=models.PROTECT, related_name="command_tasks")
    station = models.ForeignKey("org.Agency", verbose_name="承办派出所", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="command_tasks")
    officer = models.ForeignKey("org.Staff", verbose_name="承办民警", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="command_tasks")
    deadline = models.DateTimeField("反馈期限", db_index=True)
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="下发人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField("下发时间")
    feedback = models.TextField("反馈情况", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)

    scope_lines = frozenset({Line.POLICE})

    class Meta:
        verbose_name = verbose_name_plural = "情指行任务"
        ordering = ["deadline", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def receiver(self) -> str:
        return str(self.officer.name if self.officer_id else self.station)

    def is_overdue(self, now=None) -> bool:
        """Computed, never stored: still unanswered after the deadline."""
        from django.utils import timezone

        return self.status == TaskStatus.ISSUED and self.deadline < (now or timezone.now())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.deadline


class IncidentEvent(models.Model):
    """The disposition trail: received → dispatched → on scene → concluded (or to a case/dispute)."""

    incident = models.ForeignKey(Incident, verbose_name="警情", on_delete=models.CASCADE, related_name="events")
    status = models.CharField("状态", max_length=12, choices=IncidentStatus.choices)
    at = models.DateTimeField("时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "处置记录"
        ordering = ["incident", "at", "id"]

    def __str__(self) -> str:
        return f"{self.incident.number} {self.get_status_display()}"
