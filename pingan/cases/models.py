"""案件与专项行动: criminal and administrative cases with their persons, dispositions, losses and
recoveries; campaigns (专项行动) with the inspections and seizures tagged to them; synthetic
operations (合成作战) that handle a series of theft cases across stations as one.

Scope (one place per model, ``scope_q``; every ``.visible_to(user)`` goes through it):
- a case is police-line data, visible where its place (``area``) or its handling station's area lies
  in the reader's subtree — a village officer sees their village's cases, a station chief the
  township's (and those their station handles elsewhere), the banner's leaders all of the banner;
- the rows of a case (persons in it, dispositions, losses, recoveries, its trail) are visible
  exactly when the case is; a person (人员) is visible through the cases they are in;
- a campaign is visible inside the subtree it covers and to everyone under it (a banner campaign
  to every station of the banner); its results are computed from the tagged records the reader
  may see, so each station sees its own share and the command centre the whole;
- an operation is visible in full to the subtree it hangs on (the banner's command centre) and to a
  station only through its cases the station may see — never the others.
"""

from __future__ import annotations

import decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, Scope, ScopedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = decimal.Decimal("0.00")
POLICE_ONLY = frozenset({Line.POLICE})


def _no_police(scope: Scope) -> bool:
    return Line.POLICE not in scope.lines


def ancestor_paths(path: str) -> list[str]:
    """"a/b/c/" → ["a/", "a/b/", "a/b/c/"]: the paths of the nodes above (and at) a path."""
    codes = [c for c in (path or "").split("/") if c]
    return ["".join(f"{c}/" for c in codes[:i]) for i in range(1, len(codes) + 1)]


# ------------------------------------------------------------------------------------ dictionary

class CaseCategory(models.Model):
    """案件类别: top level (涉黄, 盗窃 …) and kinds (入户盗窃 …). Seeded by migration 0002."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    parent = models.ForeignKey("self", verbose_name="上级类别", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "案件类别"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def top(self) -> CaseCategory:
        return self.parent or self

    @property
    def label(self) -> str:
        return f"{self.parent.name}·{self.name}" if self.parent_id else self.name


# ------------------------------------------------------------------------------------ cases

class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", "刑事"
    ADMINISTRATIVE = "administrative", "行政(治安)"


class CaseStatus(models.TextChoices):
    ACCEPTED = "accepted", "受案"
    FILED = "filed", "立案"
    INVESTIGATING = "investigating", "侦查"
    SOLVED = "solved", "破案"
    PROSECUTED = "prosecuted", "移送起诉"
    INQUIRY = "inquiry", "调查"
    DECIDED = "decided", "处罚决定"
    CLOSED = "closed", "结案"
    DROPPED = "dropped", "不予立案/撤销"


S = CaseStatus
# Which status may follow which, per kind of case. Anything else is refused.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    CaseKind.CRIMINAL: {
        S.ACCEPTED: (S.FILED, S.DROPPED),
        S.FILED: (S.INVESTIGATING, S.DROPPED),
        S.INVESTIGATING: (S.SOLVED, S.DROPPED),
        S.SOLVED: (S.PROSECUTED, S.CLOSED),
        S.PROSECUTED: (S.CLOSED,),
        S.CLOSED: (),
        S.DROPPED: (),
    },
    CaseKind.ADMINISTRATIVE: {
        S.ACCEPTED: (S.INQUIRY, S.DROPPED),
        S.INQUIRY: (S.DECIDED, S.DROPPED),
        S.DECIDED: (S.CLOSED,),
        S.CLOSED: (),
        S.DROPPED: (),
    },
}
# The steps of each kind in order, for the progress line on the case page.
STEPS = {
    CaseKind.CRIMINAL: (S.ACCEPTED, S.FILED, S.INVESTIGATING, S.SOLVED, S.PROSECUTED, S.CLOSED),
    CaseKind.ADMINISTRATIVE: (S.ACCEPTED, S.INQUIRY, S.DECIDED, S.CLOSED),
}
FINAL_STATUSES = (S.CLOSED, S.DROPPED)
# The date field a step stamps on the case (the trail keeps every step with its date too).
STATUS_DATE = {S.FILED: "filed_on", S.SOLVED: "solved_on", S.PROSECUTED: "prosecuted_on", S.DECIDED: "decided_on",
               S.CLOSED: "closed_on", S.DROPPED: "closed_on"}


class TheftMethod(models.TextChoices):
    """作案手段 (for theft series: same method)."""

    PRY_LOCK = "pry_lock", "撬锁入室"
    WINDOW = "window", "翻窗入室"
    UNLOCKED = "unlocked", "趁无人溜门入室"
    NIGHT_HERD = "night_herd", "夜间驱赶(牲畜)"
    CUT_FENCE = "cut_fence", "剪断围栏"
    VEHICLE = "vehicle", "驾车运输盗窃"
    REAP = "reap", "盗割盗收"
    PICKPOCKET = "pickpocket", "扒窃"
    OTHER = "other", "其他手段"


class Goods(models.TextChoices):
    """侵害物品 (for theft series: same goods)."""

    SHEEP = "sheep", "羊"
    CATTLE = "cattle", "牛"
    HORSE_CAMEL = "horse_camel", "马、骆驼"
    POULTRY = "poultry", "鸡鸭鹅等家禽"
    GRAIN = "grain", "粮食(玉米、葵花等)"
    FORAGE = "forage", "草料"
    CASH = "cash", "现金、首饰"
    PHONE = "phone", "手机、电子产品"
    VEHICLE = "vehicle", "电动车、摩托车"
    CABLE = "cable", "电缆、铁器"
    FUEL = "fuel", "柴油、汽油"
    OTHER = "other", "其他物品"


class Case(ScopedModel, TimeStampedModel):
    number = models.CharField("案件编号", max_length=40, unique=True)
    kind = models.CharField("案件性质", max_length=16, choices=CaseKind.choices)
    category = models.ForeignKey(CaseCategory, verbose_name="案件类别", on_delete=models.PROTECT, related_name="cases")
    title = models.CharField("案件名称", max_length=100)
    summary = models.TextField("简要案情", blank=True)
    area = models.ForeignKey(Area, verbose_name="发案地(村或乡镇)", on_delete=models.PROTECT, related_name="cases")
    address = models.CharField("发案地址", max_length=200, blank=True)
    station = models.ForeignKey("org.Agency", verbose_name="主办派出所", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handled_cases")
    unit = models.ForeignKey("org.Agency", verbose_name="协办单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="assisted_cases", help_text="如刑事侦查大队、治安管理大队")
    occurred_at = models.DateTimeField("发案时间", null=True, blank=True)
    accepted_on = models.DateField("受案日期", db_index=True)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    solved_on = models.DateField("破案日期", null=True, blank=True, db_index=True)
    prosecuted_on = models.DateField("移送起诉日期", null=True, blank=True)
    decided_on = models.DateField("处罚决定日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    status = models.CharField("办理状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACCEPTED)
    method = models.CharField("作案手段", max_length=16, choices=TheftMethod.choices, blank=True)
    goods = models.CharField("侵害物品", max_length=16, choices=Goods.choices, blank=True)
    incidents = models.ManyToManyField("incidents.Incident", verbose_name="来源警情", blank=True, related_name="cases")
    campaigns = models.ManyToManyField("Campaign", verbose_name="专项行动", blank=True, related_name="cases")
    operation = models.ForeignKey("Operation", verbose_name="合成作战", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_area_field = ("area", "station__area")
    scope_lines = POLICE_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-accepted_on", "-id"]
        indexes = [models.Index(fields=["kind", "accepted_on"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def is_theft(self) -> bool:
        return self.category.top.code == "theft"

    def allowed_next(self) -> tuple[str, ...]:
        return TRANSITIONS[self.kind].get(self.status, ())


class CaseChild(ScopedModel):
    """A row of one case: visible exactly when its case is."""

    scope_case_field = "case"
    scope_area_field = ""
    scope_lines = POLICE_ONLY

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if _no_police(scope):
            return Q(pk__in=[])
        return Q(**{f"{cls.scope_case_field}__in": Case.objects.filter(Case.scope_q(scope)).values("pk")})


class CaseEvent(CaseChild):
    """The case's dated trail: 受案 → 立案 → …, who recorded each step and why."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField("原状态", max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=CaseStatus.choices)
    on = models.DateField("日期")
    at = models.DateTimeField("录入时间", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办案经过"
        ordering = ["case", "on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_to_status_display()}"


# ------------------------------------------------------------------------------------ persons

class Person(ScopedModel, TimeStampedModel):
    """A person as the police know them, identified by the ID number: one row however many cases
    they are in, so persons dealt with (人数) and person-times (人次) can both be counted."""

    name = models.CharField("姓名", max_length=40)
    # Encrypted at rest; one person per ID number through the unique keyed hash (NULL when none).
    id_number = EncryptedCharField("身份证号码", max_length=18, null=True, blank=True, kind=crypto.ID_NUMBER)
    id_number_hash = LookupHashField(source="id_number", unique=True, null=True, default=None)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True, kind=crypto.PHONE)
    phone_hash = LookupHashField(source="phone")
    gender = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")], blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)

    scope_area_field = ""
    scope_lines = POLICE_ONLY
    PII_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "涉案人员"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if _no_police(scope):
            return Q(pk__in=[])
        cases = Case.objects.filter(Case.scope_q(scope)).values("pk")
        return Q(pk__in=CaseParty.objects.filter(case__in=cases).values("person_id"))

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class PartyRole(models.TextChoices):
    SUSPECT = "suspect", "犯罪嫌疑人"
    OFFENDER = "offender", "违法行为人"
    VICTIM = "victim", "被害人"
    WITNESS = "witness", "证人"


ROLES_BY_KIND = {
    CaseKind.CRIMINAL: (PartyRole.SUSPECT, PartyRole.VICTIM, PartyRole.WITNESS),
    CaseKind.ADMINISTRATIVE: (PartyRole.OFFENDER, PartyRole.VICTIM, PartyRole.WITNESS),
}
DEALT_ROLES = (PartyRole.SUSPECT, PartyRole.OFFENDER)


class CaseParty(CaseChild):
    """A person in one case with their role; ``caught_on`` is the day a suspect was caught (抓获)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="parties")
    role = models.CharField("身份", max_length=10, choices=PartyRole.choices)
    caught_on = models.DateField("抓获日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件人员"
        ordering = ["case", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="case_party_once")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_role_display()}）"


class DispositionKind(models.TextChoices):
    CRIMINAL_DETENTION = "criminal_detention", "刑事拘留"
    ARREST = "arrest", "逮捕"
    BAIL = "bail", "取保候审"
    SURVEILLANCE = "surveillance", "监视居住"
    PROSECUTION = "prosecution", "移送审查起诉"
    ADMIN_DETENTION = "admin_detention", "行政拘留"
    FINE = "fine", "罚款"
    WARNING = "warning", "警告"
    CONFISCATION = "confiscation", "没收违法所得"
    COMPULSORY_REHAB = "compulsory_rehab", "强制隔离戒毒"
    COMMUNITY_REHAB = "community_rehab", "社区戒毒"


D = DispositionKind
DISPOSITIONS_BY_KIND = {
    CaseKind.CRIMINAL: (D.CRIMINAL_DETENTION, D.ARREST, D.BAIL, D.SURVEILLANCE, D.PROSECUTION),
    CaseKind.ADMINISTRATIVE: (D.ADMIN_DETENTION, D.FINE, D.WARNING, D.CONFISCATION, D.COMPULSORY_REHAB,
                              D.COMMUNITY_REHAB),
}
WITH_AMOUNT = (D.FINE, D.CONFISCATION)
WITH_DAYS = (D.ADMIN_DETENTION,)


class Disposition(CaseChild):
    """One measure taken against a person in a case (拘留, 罚款 …), dated. A person with at least one
    is dealt with (打击处理) in that case: one person-time (人次) per person per case."""

    scope_case_field = "party__case"

    party = models.ForeignKey(CaseParty, verbose_name="人员", on_delete=models.CASCADE, related_name="dispositions")
    kind = models.CharField("处理措施", max_length=20, choices=DispositionKind.choices)
    decided_on = models.DateField("决定日期", db_index=True)
    amount = models.DecimalField("金额(元)", null=True, blank=True, **MONEY)
    days = models.PositiveSmallIntegerField("拘留天数", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "处理措施"
        ordering = ["party", "decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}"

    @property
    def detail(self) -> str:
        if self.amount is not None:
            return f"{self.amount}元"
        if self.days:
            return f"{self.days}日"
        return ""


class Loss(CaseChild):
    """被盗(被骗)财物 or other loss, with its value in yuan."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="losses")
    item = models.CharField("物品(损失)", max_length=100)
    quantity = models.CharField("数量", max_length=40, blank=True)
    value = models.DecimalField("价值(元)", **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "损失财物"
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.item} {self.value}元"


class Recovery(CaseChild):
    """追赃挽损: what was recovered (returned, frozen and refunded) on a day, in yuan."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="recoveries")
    loss = models.ForeignKey(Loss, verbose_name="对应损失", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="recoveries")
    recovered_on = models.DateField("挽损日期", db_index=True)
    amount = models.DecimalField("金额(元)", **MONEY)
    description = models.CharField("说明", max_length=200, blank=True, help_text="如 追回羊12只并发还；冻结返还被骗资金")
    returned_to = models.CharField("发还对象", max_length=60, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "追赃挽损"
        ordering = ["case", "recovered_on", "id"]

    def __str__(self) -> str:
        return f"{self.recovered_on} {self.amount}元"


# ------------------------------------------------------------------------------------ campaigns

class CampaignKind(models.TextChoices):
    CLEARANCE = "clearance", "大清查大整治大收缴"
    SUMMER = "summer", "夏季治安打击整治行动"
    OTHER = "other", "其他专项行动"


class Campaign(ScopedModel, TimeStampedModel):
    name = models.CharField("行动名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=CampaignKind.choices)
    area = models.ForeignKey(Area, verbose_name="行动范围", on_delete=models.PROTECT, related_name="police_campaigns")
    organizer = models.ForeignKey("org.Agency", verbose_name="牵头单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="organized_campaigns")
    units = models.ManyToManyField("org.Agency", verbose_name="参战单位", blank=True, related_name="joined_campaigns")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    targets = models.TextField("工作目标", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "专项行动"
        ordering = ["-start", "-id"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="campaign_end_after_start")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """Inside the reader's subtree, or covering it (a banner campaign for every station under it)."""
        if _no_police(scope):
            return Q(pk__in=[])
        return Q(area__path__startswith=scope.path) | Q(area__path__in=ancestor_paths(scope.path))

    @classmethod
    def managed_q(cls, scope: Scope) -> Q:
        """Only those inside the reader's subtree may be changed by them."""
        if _no_police(scope):
            return Q(pk__in=[])
        return Q(area__path__startswith=scope.path)

    def phase(self, today=None) -> str:
        today = today or timezone.localdate()
        if today < self.start:
            return "未开始"
        return "进行中" if today <= self.end else "已结束"


class Metric(models.TextChoices):
    """What a campaign's numeric target counts (computed from the tagged records)."""

    CASES = "cases", "查处案件(起)"
    CRIMINAL = "criminal", "刑事案件(起)"
    ADMINISTRATIVE = "administrative", "行政案件(起)"
    PERSONS = "persons", "打击处理(人)"
    PERSON_TIMES = "person_times", "打击处理(人次)"
    CAUGHT = "caught", "抓获犯罪嫌疑人(人)"
    INSPECTIONS = "inspections", "检查场所(处次)"
    SEIZED = "seized", "收缴物品(按类)"


class CampaignTarget(ScopedModel):
    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField("指标", max_length=16, choices=Metric.choices)
    item_kind = models.CharField("收缴物品", max_length=16, blank=True, help_text="指标为收缴物品时填写")
    value = models.DecimalField("目标值", max_digits=12, decimal_places=2)

    scope_area_field = ""
    scope_lines = POLICE_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "行动目标"
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.value}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if _no_police(scope):
            return Q(pk__in=[])
        return Q(campaign__in=Campaign.objects.filter(Campaign.scope_q(scope)).values("pk"))


class PlaceKind(models.TextChoices):
    HOTEL = "hotel", "宾馆旅店"
    ENTERTAINMENT = "entertainment", "歌舞娱乐场所"
    BATH = "bath", "洗浴足疗按摩"
    INTERNET_CAFE = "internet_cafe", "网吧"
    RENTAL = "rental", "出租房屋"
    SCRAP = "scrap", "废品收购站"
    LOGISTICS = "logistics", "寄递物流"
    EXPLOSIVES = "explosives", "民爆物品单位"
    FUEL = "fuel", "加油站"
    CHESS = "chess", "棋牌室"
    SCHOOL = "school", "学校周边"
    OTHER = "other", "其他场所"


class Inspection(ScopedModel, TimeStampedModel):
    """检查: a place checked on a day, what was found; tagged to a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="inspections")
    area = models.ForeignKey(Area, verbose_name="所在村(乡镇)", on_delete=models.PROTECT, related_name="police_inspections")
    station = models.ForeignKey("org.Agency", verbose_name="检查单位", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="police_inspections")
    place = models.CharField("检查场所", max_length=100)
    place_kind = models.CharField("场所类型", max_length=16, choices=PlaceKind.choices)
    inspected_on = models.DateField("检查日期", db_index=True)
    findings = models.TextField("检查情况", blank=True)
    problems = models.PositiveSmallIntegerField("发现问题(处)", default=0)
    inspectors = models.CharField("检查人员", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "检查记录"
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.place}"


class ItemKind(models.TextChoices):
    GUN = "gun", "枪支"
    AMMO = "ammo", "弹药"
    KNIFE = "knife", "管制刀具"
    EXPLOSIVE = "explosive", "炸药"
    DETONATOR = "detonator", "雷管"
    GAMBLING = "gambling", "赌具"
    DRUGS = "drugs", "毒品"
    PORN = "porn", "淫秽物品"
    OTHER = "other", "其他违禁物品"


UNITS = {ItemKind.GUN: "支", ItemKind.AMMO: "发", ItemKind.KNIFE: "把", ItemKind.EXPLOSIVE: "千克",
         ItemKind.DETONATOR: "枚", ItemKind.GAMBLING: "套", ItemKind.DRUGS: "克", ItemKind.PORN: "件",
         ItemKind.OTHER: "件"}


class Seizure(ScopedModel, TimeStampedModel):
    """收缴: items taken in (guns, ammunition, knives …), how many, when, where; tagged to a campaign."""

    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="seizures")
    case = models.ForeignKey(Case, verbose_name="关联案件", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="seizures")
    area = models.ForeignKey(Area, verbose_name="所在村(乡镇)", on_delete=models.PROTECT, related_name="police_seizures")
    station = models.ForeignKey("org.Agency", verbose_name="收缴单位", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="police_seizures")
    seized_on = models.DateField("收缴日期", db_index=True)
    item_kind = models.CharField("物品类别", max_length=16, choices=ItemKind.choices)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    description = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "收缴记录"
        ordering = ["-seized_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="seizure_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.seized_on} {self.get_item_kind_display()}{self.quantity_text}"

    @property
    def unit(self) -> str:
        return UNITS.get(self.item_kind, "件")

    @property
    def quantity_text(self) -> str:
        return f"{format(self.quantity.normalize(), 'f')}{self.unit}"


# ------------------------------------------------------------------------------------ operations

class OperationStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Operation(ScopedModel, TimeStampedModel):
    """合成作战 (情指行/大侦查): a series of theft cases across stations handled as one."""

    name = models.CharField("作战名称", max_length=100)
    area = models.ForeignKey(Area, verbose_name="组织辖区", on_delete=models.PROTECT, related_name="police_operations")
    lead_unit = models.ForeignKey("org.Agency", verbose_name="牵头单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="led_operations")
    opened_on = models.DateField("启动日期")
    closed_on = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=OperationStatus.choices, default=OperationStatus.OPEN)
    method = models.CharField("作案手段", max_length=16, choices=TheftMethod.choices, blank=True)
    goods = models.CharField("侵害物品", max_length=16, choices=Goods.choices, blank=True)
    description = models.TextField("串并依据与工作要求", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = POLICE_ONLY

    class Meta:
        verbose_name = verbose_name_plural = "合成作战"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """In full inside the subtree it hangs on; to a station through its visible cases only."""
        if _no_police(scope):
            return Q(pk__in=[])
        through_cases = Case.objects.filter(Case.scope_q(scope), operation__isnull=False).values("operation_id")
        return Q(area__path__startswith=scope.path) | Q(pk__in=through_cases)

    @classmethod
    def full_q(cls, scope: Scope) -> Q:
        """Seen in full (every case): only inside the subtree it hangs on."""
        if _no_police(scope):
            return Q(pk__in=[])
        return Q(area__path__startswith=scope.path)
