"""放管服 / 一窗通办: police stations made one-stop stations (一站式派出所), and the service requests
(户政, 车驾管, 出入境 …) registered at a station's window, by channel (窗口, 一网通办, 跨省通办), with
the time they took and their outcome.

Both hang on the station (``org.Agency`` of kind 派出所) and are seen by the police whose scope covers
the station's area. The time to completion is computed from the two timestamps, never stored.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, ScopedModel, ScopedQuerySet

SERVICE_LINES = frozenset({Line.POLICE})


class ServiceKind(models.TextChoices):
    HOUSEHOLD = "户政", "户政"
    VEHICLE = "车驾管", "车驾管"
    EXIT_ENTRY = "出入境", "出入境"
    PUBLIC_ORDER = "治安管理", "治安管理"
    OTHER = "其他", "其他"


# Common items (事项) per kind, offered as suggestions on the window form.
ITEMS = {
    ServiceKind.HOUSEHOLD: ("身份证首次申领", "身份证换领", "身份证补领", "临时身份证", "出生登记", "户口迁入", "户口迁出",
                            "户籍证明", "户口簿补换", "姓名变更", "居住证办理"),
    ServiceKind.VEHICLE: ("驾驶证期满换证", "驾驶证补证", "驾驶证审验", "机动车注册登记", "机动车转移登记",
                          "检验合格标志核发", "交通违法处理", "农用车(拖拉机)登记"),
    ServiceKind.EXIT_ENTRY: ("普通护照", "往来港澳通行证", "港澳签注", "往来台湾通行证"),
    ServiceKind.PUBLIC_ORDER: ("无犯罪记录证明", "旅馆业特种行业许可", "大型活动安全许可", "保安员证", "犬只登记"),
    ServiceKind.OTHER: ("政策咨询", "开具其他证明"),
}


class Channel(models.TextChoices):
    WINDOW = "窗口", "窗口"
    ONLINE = "一网通办", "一网通办"
    CROSS_PROVINCE = "跨省通办", "跨省通办"


class Outcome(models.TextChoices):
    DONE = "办结", "办结"
    REFUSED = "不予受理", "不予受理"
    TRANSFERRED = "转办", "转办"


class OneStopStation(ScopedModel, TimeStampedModel):
    """A station that became a one-stop station (一站式派出所), from ``since``, with what its
    comprehensive window (综窗) offers."""

    station = models.OneToOneField("org.Agency", verbose_name="派出所", on_delete=models.PROTECT,
                                   related_name="one_stop")
    since = models.DateField("成为一站式派出所日期", db_index=True)
    services = models.JSONField("综窗办理业务", default=list, help_text="户政、车驾管、出入境、治安管理等")
    windows = models.PositiveSmallIntegerField("综合窗口数", default=1)
    note = models.CharField("说明", max_length=200, blank=True)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "station__area"
    scope_lines = SERVICE_LINES

    class Meta:
        verbose_name = verbose_name_plural = "一站式派出所"
        ordering = ["since", "station__area__code"]

    def __str__(self) -> str:
        return f"{self.station}（{self.since:%Y-%m-%d}起）"

    @property
    def services_text(self) -> str:
        return "、".join(self.services or [])


class ServiceRequestQuerySet(ScopedQuerySet):
    def completed(self):
        return self.filter(outcome=Outcome.DONE)

    def pending(self):
        return self.filter(completed_at__isnull=True)


class ServiceRequest(ScopedModel, TimeStampedModel):
    """A matter handled for a resident at a station's window (or online, across provinces)."""

    number = models.CharField("受理编号", max_length=30, unique=True)
    station = models.ForeignKey("org.Agency", verbose_name="受理派出所", on_delete=models.PROTECT,
                                related_name="service_requests")
    kind = models.CharField("业务类别", max_length=4, choices=ServiceKind.choices)
    item = models.CharField("办理事项", max_length=40)
    channel = models.CharField("受理渠道", max_length=4, choices=Channel.choices, default=Channel.WINDOW)
    received_at = models.DateTimeField("受理时间", db_index=True)
    completed_at = models.DateTimeField("办结(答复)时间", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=4, choices=Outcome.choices, blank=True)
    transferred_to = models.CharField("转办单位", max_length=100, blank=True)
    applicant_name = models.CharField("申请人", max_length=40)
    # Encrypted at rest; exact look-ups through the keyed hashes.
    applicant_id_number = EncryptedCharField("申请人身份证号码", max_length=18, kind=crypto.ID_NUMBER)
    applicant_id_number_hash = LookupHashField(source="applicant_id_number")
    applicant_phone = EncryptedCharField("联系电话", max_length=20, blank=True, kind=crypto.PHONE)
    applicant_phone_hash = LookupHashField(source="applicant_phone")
    handler = models.ForeignKey("org.Staff", verbose_name="经办人", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="service_requests")
    note = models.CharField("备注", max_length=300, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "station__area"
    scope_lines = SERVICE_LINES
    objects = ServiceRequestQuerySet.as_manager()
    PII_MASKS = {"applicant_id_number": mask_id_number, "applicant_phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "窗口业务"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["station", "received_at"]), models.Index(fields=["kind", "received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(completed_at__isnull=True) | Q(completed_at__gte=models.F("received_at")),
                                   name="service_request_completed_after_received"),
            models.CheckConstraint(condition=(Q(completed_at__isnull=True) & Q(outcome=""))
                                   | (Q(completed_at__isnull=False) & ~Q(outcome="")),
                                   name="service_request_outcome_with_completion"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item}"

    @property
    def is_pending(self) -> bool:
        return self.completed_at is None

    @property
    def duration(self) -> dt.timedelta | None:
        if self.completed_at is None:
            return None
        return self.completed_at - self.received_at

    @property
    def hours(self) -> decimal.Decimal | None:
        """Time to completion in hours, one decimal."""
        d = self.duration
        if d is None:
            return None
        return (decimal.Decimal(d.total_seconds()) / 3600).quantize(decimal.Decimal("0.1"))

    @property
    def duration_text(self) -> str:
        return duration_text(self.duration)

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def received_on(self) -> dt.date:
        return timezone.localdate(self.received_at)


def duration_text(d: dt.timedelta | None) -> str:
    """3分钟 · 2小时15分 · 3天4小时."""
    if d is None:
        return ""
    minutes = int(d.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}分钟"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时" if hours else f"{days}天"
