"""反电信网络诈骗: publicity events (宣传活动), 国家反诈中心 app registration statistics per village,
warnings (预警) received from the anti-fraud centre and the dissuasions (劝阻) that answer them.

Every record hangs on a village-level (or township) Area and belongs to the police line. The year's
figures — new registrations, the installation rate and its change in percentage points, dissuasion
person-times, the amount kept from transfer — are computed from these rows (``selectors`` and
``indicators``), never stored as totals. Losses recovered per case (追赃挽损) belong to the cases app.
"""

from __future__ import annotations

import decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from pingan.areas.models import Area
from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField, TailField
from pingan.core.masking import mask_id_number, mask_name, mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, ScopedModel

POLICE = frozenset({Line.POLICE})
MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = decimal.Decimal("0.00")


class PlaceType(models.TextChoices):
    SUPERMARKET = "超市", "超市"
    STREET = "街道", "街道"
    HOTEL = "宾馆", "宾馆"
    SCHOOL = "学校", "学校"
    VILLAGE_OFFICE = "村部", "村部(嘎查部)"
    ENTERPRISE = "企业", "企业"
    MARKET = "集市", "集市"
    BANK = "银行网点", "银行网点"
    SQUARE = "广场", "广场"
    COMMUNITY = "社区", "社区"
    STATION = "车站", "车站"
    OTHER = "其他", "其他"


class PublicityEvent(ScopedModel, TimeStampedModel):
    """One 反诈宣传 event: where, who organised it, what was handed out, how many people it reached."""

    held_on = models.DateField("活动日期", db_index=True)
    place_type = models.CharField("场所类型", max_length=8, choices=PlaceType.choices)
    place = models.CharField("活动地点", max_length=100, help_text="如 海流图镇华联超市、乌加河镇集市")
    area = models.ForeignKey(Area, verbose_name="所在村(社区)或乡镇", on_delete=models.PROTECT,
                             related_name="antifraud_publicity")
    organiser = models.ForeignKey("org.Agency", verbose_name="组织单位", on_delete=models.PROTECT,
                                  related_name="antifraud_publicity")
    theme = models.CharField("主题", max_length=100, blank=True, help_text="如 防范刷单返利诈骗")
    posters = models.PositiveIntegerField("张贴海报(张)", default=0)
    handbooks = models.PositiveIntegerField("发放手册(份)", default=0)
    people_reached = models.PositiveIntegerField("受教育群众(人次)", default=0)
    participants = models.PositiveIntegerField("参与民辅警(人)", default=0)
    note = models.TextField("活动情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE

    class Meta:
        verbose_name = verbose_name_plural = "反诈宣传活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["area", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class SnapshotSource(models.TextChoices):
    FORM = "form", "手工录入"
    IMPORT = "import", "统计表导入"
    DEMO = "demo", "演示数据"


class RegistrationSnapshot(ScopedModel, TimeStampedModel):
    """The anti-fraud centre's statistics for one village on one date: the cumulative number of
    people registered on the 国家反诈中心 app and the population the rate is a share of (as the
    centre gave it, or the village's population in the tree when it gave none — kept as stored)."""

    area = models.ForeignKey(Area, verbose_name="村(嘎查、社区)", on_delete=models.PROTECT,
                             related_name="antifraud_snapshots")
    on = models.DateField("统计日期", db_index=True)
    registered = models.PositiveIntegerField("累计注册人数")
    population = models.PositiveIntegerField("人口基数", help_text="安装率的分母")
    population_from_area = models.BooleanField("人口取自辖区", default=False,
                                               help_text="统计表未给人口时，取录入时辖区登记的人口")
    source = models.CharField("来源", max_length=8, choices=SnapshotSource.choices, default=SnapshotSource.FORM)
    source_file = models.CharField("导入文件", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE

    class Meta:
        verbose_name = verbose_name_plural = "国家反诈中心APP注册统计"
        ordering = ["-on", "area__code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "on"], name="antifraud_snapshot_one_per_village_day"),
            models.CheckConstraint(condition=Q(population__gt=0), name="antifraud_snapshot_population_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.on} 累计注册{self.registered}人"

    @property
    def rate_pct(self) -> decimal.Decimal:
        """安装率 (%), 2 decimals."""
        return (decimal.Decimal(self.registered * 100) / self.population).quantize(
            decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


class WarningChannel(models.TextChoices):
    CENTRE = "国家反诈中心", "国家反诈中心预警指令"
    PROVINCE = "上级公安机关", "公安部/自治区厅/市局推送"
    HOTLINE = "96110", "96110劝阻专线"
    BANK = "银行机构", "银行机构"
    TELECOM = "通信运营商", "通信运营商"
    PUBLIC = "群众举报", "群众举报"
    OTHER = "其他", "其他"


class RiskType(models.TextChoices):
    REBATE = "刷单返利", "刷单返利"
    INVESTMENT = "虚假投资理财", "虚假投资理财"
    LOAN = "虚假网络贷款", "虚假网络贷款"
    CUSTOMER_SERVICE = "冒充电商物流客服", "冒充电商物流客服"
    POLICE = "冒充公检法", "冒充公检法"
    CREDIT = "虚假征信", "虚假征信"
    GAME = "网络游戏虚假交易", "网络游戏虚假交易"
    ROMANCE = "网络婚恋交友", "网络婚恋交友"
    ACQUAINTANCE = "冒充领导熟人", "冒充领导熟人"
    OTHER = "其他", "其他"


class FraudWarning(ScopedModel, TimeStampedModel):
    """预警: a person the anti-fraud centre (or a bank, a carrier…) flags as being defrauded right now,
    sent to the station of their village for dissuasion. Handled or not is computed from the
    dissuasion records that answer it."""

    number = models.CharField("预警编号", max_length=40, unique=True)
    received_at = models.DateTimeField("接收时间", db_index=True)
    channel = models.CharField("预警来源", max_length=10, choices=WarningChannel.choices,
                               default=WarningChannel.CENTRE)
    risk_type = models.CharField("风险类型", max_length=10, choices=RiskType.choices)
    target_name = models.CharField("预警对象", max_length=40, blank=True)
    target_phone = EncryptedCharField("预警对象电话", max_length=20, blank=True, kind=crypto.PHONE)  # encrypted at rest
    target_phone_hash = LookupHashField(source="target_phone")
    target_phone_tail = TailField(source="target_phone")  # the list's "last four digits" search
    area = models.ForeignKey(Area, verbose_name="所在村(社区)", on_delete=models.PROTECT,
                             related_name="antifraud_warnings")
    station = models.ForeignKey("org.Agency", verbose_name="承办派出所", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="antifraud_warnings")
    content = models.TextField("预警内容", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE
    PII_MASKS = {"target_name": mask_name, "target_phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "反诈预警"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["area", "received_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.risk_type}"

    @property
    def name_masked(self) -> str:
        return mask_name(self.target_name)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.target_phone)


class DissuasionChannel(models.TextChoices):
    PHONE = "电话劝阻", "电话劝阻"
    VISIT = "上门劝阻", "上门劝阻"
    FACE = "见面劝阻", "见面劝阻"
    SMS = "短信劝阻", "短信劝阻"
    VIDEO = "视频劝阻", "视频劝阻"
    BANK = "网点现场劝阻", "银行网点现场劝阻"


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功劝阻"
    DEFRAUDED = "defrauded", "劝阻无效(已被骗)"
    UNREACHABLE = "unreachable", "无法联系"
    NOT_FRAUD = "not_fraud", "核实非诈骗"


class Dissuasion(ScopedModel, TimeStampedModel):
    """劝阻: one occasion on which an officer talked one person out of a transfer (or tried to). A
    successful record is one person-time; a person has at most one successful record a day."""

    warning = models.ForeignKey(FraudWarning, verbose_name="对应预警", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="dissuasions")
    on = models.DateField("劝阻日期", db_index=True)
    area = models.ForeignKey(Area, verbose_name="所在村(社区)", on_delete=models.PROTECT,
                             related_name="antifraud_dissuasions")
    person_name = models.CharField("劝阻对象", max_length=40)
    # Encrypted at rest; the tails serve the list's "last four digits" search (shown masked anyway).
    id_number = EncryptedCharField("身份证号码", max_length=18, blank=True, kind=crypto.ID_NUMBER)
    id_number_hash = LookupHashField(source="id_number")
    id_number_tail = TailField(source="id_number")
    phone = EncryptedCharField("手机号码", max_length=20, blank=True, kind=crypto.PHONE)
    phone_hash = LookupHashField(source="phone")
    phone_tail = TailField(source="phone")
    person_key = models.CharField("对象标识", max_length=64, editable=False, db_index=True,
                                  help_text="身份证号码（无则手机号码）的密钥散列：同一人同一天只计一人次")
    channel = models.CharField("劝阻方式", max_length=8, choices=DissuasionChannel.choices)
    risk_type = models.CharField("风险类型", max_length=10, choices=RiskType.choices, blank=True)
    outcome = models.CharField("劝阻结果", max_length=12, choices=Outcome.choices, default=Outcome.SUCCESS)
    amount_kept = models.DecimalField("避免转账金额(元)", default=ZERO, **MONEY,
                                      help_text="经劝阻未转出的资金；劝阻未成功的填0")
    officer = models.ForeignKey("org.Staff", verbose_name="劝阻民(辅)警", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="antifraud_dissuasions")
    station = models.ForeignKey("org.Agency", verbose_name="所属派出所", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="antifraud_dissuasions")
    note = models.TextField("劝阻经过", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE
    PII_MASKS = {"person_name": mask_name, "id_number": mask_id_number, "phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "反诈劝阻"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["area", "on"]), models.Index(fields=["outcome", "on"])]
        constraints = [
            models.UniqueConstraint(fields=["person_key", "on"], condition=Q(outcome="success"),
                                    name="antifraud_one_success_per_person_day"),
            models.CheckConstraint(condition=Q(amount_kept__gte=0), name="antifraud_amount_not_negative"),
            models.CheckConstraint(condition=Q(outcome="success") | Q(amount_kept=0),
                                   name="antifraud_amount_only_when_success"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {mask_name(self.person_name)} {self.get_outcome_display()}"

    @property
    def name_masked(self) -> str:
        return mask_name(self.person_name)

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def succeeded(self) -> bool:
        return self.outcome == Outcome.SUCCESS
