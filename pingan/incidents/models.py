"""警情: incidents received by the 110 system, placed on the jurisdiction tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pingan.areas.models import Area
from pingan.core.masking import mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, ScopedModel


class IncidentCategory(models.Model):
    """The 110 category dictionary: top level (刑事, 治安, 纠纷 …) and subcategories (入户盗窃 …)."""

    name = models.CharField("名称", max_length=30, unique=True)
    parent = models.ForeignKey("self", verbose_name="上级类别", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    order = models.PositiveSmallIntegerField("排序", default=0)

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
                             related_name="incidents")
    needs_placement = models.BooleanField("待人工定位", default=False,
                                          help_text="地址无法对应到村级单位，暂挂旗县，待人工确认")
    received_at = models.DateTimeField("接警时间", db_index=True)
    caller_name = models.CharField("报警人", max_length=40, blank=True)
    caller_phone = models.CharField("报警电话", max_length=20, blank=True)
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = frozenset({Line.POLICE})
    PII_MASKS = {"caller_phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "警情"
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["banner", "number"], name="incident_number_unique_in_banner")]
        indexes = [models.Index(fields=["banner", "received_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"


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
