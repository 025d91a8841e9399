"""林草湖警长 (the ecological police-chief system): responsibility zones of 山水林田湖草沙, each with
its chain of responsible persons down to a ranger or village cadre, the patrols of the zone, the
joint-enforcement actions with 自然资源局, 林草局, 环保局 and 水务, and the ecological cases found in
a zone.

A zone hangs on the lowest node of the tree that holds every township or village it covers
(``Zone.area``, computed by the services). It is seen by the police of that node and above, and by
the police of every place it covers (the village officer of one of its villages, the station chief of
one of the townships a banner-level zone crosses); its chain, patrols, actions and case links are
seen exactly when the zone is (``ZoneChild``). Only the police line sees them.
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
from pingan.core.masking import mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, Scope, ScopedModel, ScopedQuerySet

ECOLOGY_LINES = frozenset({Line.POLICE})
MU_PER_HECTARE = decimal.Decimal(15)


class ZoneKind(models.TextChoices):
    MOUNTAIN = "山", "山(山地)"
    WATER = "水", "水(河流、水库)"
    FOREST = "林", "林(林地)"
    FARMLAND = "田", "田(耕地)"
    LAKE = "湖", "湖(湖泊、湿地)"
    GRASSLAND = "草", "草(草原)"
    DESERT = "沙", "沙(沙地、荒漠)"


class SizeUnit(models.TextChoices):
    MU = "亩", "亩"
    HECTARE = "公顷", "公顷"


class KeeperLevel(models.IntegerChoices):
    """The chain, from the top: 旗级警长 → 派出所所长 → 驻村民警/辅警 → 护林员/村干部."""

    BANNER = 1, "旗级警长"
    STATION = 2, "派出所所长(乡镇级警长)"
    VILLAGE = 3, "驻村民警/辅警(村级警长)"
    GUARD = 4, "护林员/村干部(生态护卫队员)"


KEEPER_LEVEL_SHORT = {1: "旗级警长", 2: "所长", 3: "驻村民警/辅警", 4: "护林员/村干部"}


class ZoneQuerySet(ScopedQuerySet):
    def in_force(self, on):
        """Zones set up on or before ``on`` and not dissolved by then."""
        return self.filter(established_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))

    def with_complete_chain(self, on=None):
        """Zones with a current responsible person at every level of the chain."""
        qs = self
        for level in KeeperLevel.values:
            qs = qs.filter(pk__in=Keeper.objects.current(on).filter(level=level).values("zone_id"))
        return qs

    def with_incomplete_chain(self, on=None):
        return self.exclude(pk__in=self.model.objects.with_complete_chain(on).values("pk"))


class Zone(ScopedModel, TimeStampedModel):
    """A responsibility zone (责任区)."""

    name = models.CharField("责任区名称", max_length=60)
    kind = models.CharField("类型", max_length=2, choices=ZoneKind.choices)
    area = models.ForeignKey(Area, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="eco_zones",
                             help_text="覆盖的乡镇(苏木)、村(嘎查)的共同上级，登记时自动计算")
    places = models.ManyToManyField(Area, verbose_name="覆盖乡镇(苏木)、村(嘎查)", related_name="eco_zones_covering")
    size = models.DecimalField("面积", max_digits=12, decimal_places=2)
    size_unit = models.CharField("面积单位", max_length=2, choices=SizeUnit.choices, default=SizeUnit.MU)
    geometry = models.TextField("范围(GeoJSON)", blank=True, help_text="可选：GeoJSON几何对象(Polygon、MultiPolygon等)")
    description = models.TextField("基本情况", blank=True)
    established_on = models.DateField("设立日期")
    ended_on = models.DateField("撤销日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_lines = ECOLOGY_LINES
    objects = ZoneQuerySet.as_manager()

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """In scope where the zone's node is, or where any place it covers is (a subquery, so a
        zone covering several places in scope is listed once)."""
        q = super().scope_q(scope)
        if not (cls.scope_lines & scope.lines):
            return q
        covering = cls.places.through.objects.filter(area__path__startswith=scope.path).values("zone_id")
        return q | Q(pk__in=covering)

    class Meta:
        verbose_name = verbose_name_plural = "林草湖责任区"
        ordering = ["area__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "area"], name="eco_zone_unique_name_in_area"),
            models.CheckConstraint(condition=Q(size__gt=0), name="eco_zone_size_positive"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("established_on")),
                                   name="eco_zone_ended_after_established"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_mu(self) -> decimal.Decimal:
        """The area in 亩 (1公顷 = 15亩), for totals across zones."""
        if self.size_unit == SizeUnit.HECTARE:
            return (self.size * MU_PER_HECTARE).quantize(decimal.Decimal("0.01"))
        return self.size

    @property
    def size_text(self) -> str:
        return f"{self.size.normalize():f}{self.size_unit}"

    @property
    def in_force(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class ZoneChild(ScopedModel):
    """A row of one zone (a person on its chain, a patrol, an action, a case link): visible exactly
    when its zone is."""

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if not (cls.scope_lines & scope.lines):
            return Q(pk__in=[])
        return Q(zone_id__in=Zone.objects.filter(Zone.scope_q(scope)).values("pk"))


class KeeperQuerySet(ScopedQuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class Keeper(ZoneChild, TimeStampedModel):
    """One link of a zone's chain: a staff member (police, or a ranger/cadre on the staff register),
    or a ranger or village cadre who is not, by name and phone."""

    zone = models.ForeignKey(Zone, verbose_name="责任区", on_delete=models.CASCADE, related_name="keepers")
    level = models.PositiveSmallIntegerField("层级", choices=KeeperLevel.choices)
    staff = models.ForeignKey("org.Staff", verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="eco_keeper_posts")
    name = models.CharField("姓名", max_length=40)
    phone = EncryptedCharField("联系电话", max_length=20, blank=True, kind=crypto.PHONE)  # encrypted at rest
    phone_hash = LookupHashField(source="phone")
    post = models.CharField("职务", max_length=40, blank=True, help_text="如：局长、所长、驻村辅警、护林员、嘎查书记")
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    objects = KeeperQuerySet.as_manager()
    PII_MASKS = {"phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "责任链人员"
        ordering = ["zone", "level", "start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                              name="eco_keeper_end_after_start")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def level_short(self) -> str:
        return KEEPER_LEVEL_SHORT[self.level]


class FindingKind(models.TextChoices):
    NONE = "无异常", "无异常"
    RECLAMATION = "毁草开垦", "毁草(林)开垦"
    GRAZING = "违规放牧", "禁牧休牧期放牧、超载过牧"
    LOGGING = "滥伐盗伐", "滥伐盗伐林木"
    DIGGING = "采砂采矿", "非法采砂、采矿、取土"
    HUNTING = "非法猎捕", "非法猎捕野生动物、采挖野生植物"
    FIRE = "火灾隐患", "野外违规用火等火灾隐患"
    POLLUTION = "污染环境", "倾倒垃圾、排污等污染"
    OCCUPATION = "非法占用", "非法占用林地、草原、湿地"
    OTHER = "其他", "其他"


class Patrol(ZoneChild, TimeStampedModel):
    """巡护: one patrol of a zone by people of its chain (and others)."""

    zone = models.ForeignKey(Zone, verbose_name="责任区", on_delete=models.PROTECT, related_name="patrols")
    patrolled_on = models.DateField("巡护日期", db_index=True)
    people = models.ManyToManyField(Keeper, verbose_name="巡护人员(责任链)", related_name="patrols", blank=True)
    others = models.CharField("其他参加人员", max_length=200, blank=True)
    others_count = models.PositiveSmallIntegerField("其他参加人数", default=0)
    route = models.CharField("巡护路线", max_length=200, blank=True)
    distance_km = models.DecimalField("巡护里程(公里)", max_digits=7, decimal_places=1, null=True, blank=True)
    finding_kind = models.CharField("发现问题", max_length=8, choices=FindingKind.choices, default=FindingKind.NONE)
    findings = models.TextField("巡护情况", blank=True)
    handling = models.CharField("处置情况", max_length=300, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "巡护记录"
        ordering = ["-patrolled_on", "-id"]
        indexes = [models.Index(fields=["zone", "patrolled_on"])]

    def __str__(self) -> str:
        return f"{self.patrolled_on} {self.zone}"

    @property
    def found_problem(self) -> bool:
        return self.finding_kind != FindingKind.NONE


class JointAction(ZoneChild, TimeStampedModel):
    """联合执法: an action in a zone with 自然资源局, 林草局, 环保局, 水务 and others."""

    zone = models.ForeignKey(Zone, verbose_name="责任区", on_delete=models.PROTECT, related_name="joint_actions")
    acted_on = models.DateField("执法日期", db_index=True)
    title = models.CharField("行动名称", max_length=100)
    agencies = models.ManyToManyField("org.Agency", verbose_name="参加部门", related_name="eco_joint_actions")
    participants = models.PositiveSmallIntegerField("出动人数", default=0)
    findings = models.TextField("检查发现")
    result = models.TextField("处置结果", blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "联合执法"
        ordering = ["-acted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.acted_on} {self.title}"


class EcoCase(ZoneChild):
    """An ecological case (a ``cases.Case`` of the 生态环境 category) found in a zone, with the patrol
    or the joint action that found it (the cases a joint action opened)."""

    zone = models.ForeignKey(Zone, verbose_name="责任区", on_delete=models.CASCADE, related_name="eco_cases")
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="eco_links")
    patrol = models.ForeignKey(Patrol, verbose_name="发现于巡护", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="eco_cases")
    joint_action = models.ForeignKey(JointAction, verbose_name="联合执法立案", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="eco_cases")
    note = models.CharField("说明", max_length=200, blank=True)
    linked_at = models.DateTimeField("关联时间", default=timezone.now)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关联人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """Seen where the zone is seen — and only if the reader may see the case itself (a banner-level
        zone's case in another township stays with that township's police)."""
        from pingan.cases.models import Case

        q = super().scope_q(scope)
        return q & Q(case_id__in=Case.objects.filter(Case.scope_q(scope)).values("pk"))

    class Meta:
        verbose_name = verbose_name_plural = "生态案件"
        ordering = ["-linked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "case"], name="eco_case_once_per_zone")]

    def __str__(self) -> str:
        return f"{self.zone} ← {self.case.number}"

    @property
    def source(self) -> str:
        if self.joint_action_id:
            return "联合执法"
        if self.patrol_id:
            return "巡护发现"
        return "其他"
