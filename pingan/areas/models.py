from __future__ import annotations

from django.db import models

from pingan.core.scope import ScopedModel


class AreaKind(models.TextChoices):
    PROVINCE = "自治区", "自治区"
    LEAGUE = "盟市", "盟市"
    BANNER = "旗县", "旗县"
    TOWN = "镇", "镇"
    SUMU = "苏木", "苏木"
    TOWNSHIP = "乡", "乡"
    STREET = "街道", "街道"
    VILLAGE = "村", "村"
    GACHA = "嘎查", "嘎查"
    COMMUNITY = "社区", "社区(居委会)"
    OTHER = "其他", "其他(农场等)"
    GRID = "网格", "网格"


TOWNSHIP_KINDS = (AreaKind.TOWN, AreaKind.SUMU, AreaKind.TOWNSHIP, AreaKind.STREET)
# 行政村: the article's "全旗87个行政村" counts 村 and 嘎查, not communities or farm units.
ADMIN_VILLAGE_KINDS = (AreaKind.VILLAGE, AreaKind.GACHA)
VILLAGE_LEVEL_KINDS = (AreaKind.VILLAGE, AreaKind.GACHA, AreaKind.COMMUNITY)


class Level(models.IntegerChoices):
    PROVINCE = 0, "省级"
    LEAGUE = 1, "盟市级"
    BANNER = 2, "旗县级"
    TOWNSHIP = 3, "乡镇级"
    VILLAGE = 4, "村级"
    GRID = 5, "网格"


class Area(ScopedModel):
    """A node of the jurisdiction tree. ``path`` is the materialised path of codes ("150000000000/
    150800000000/…/"), so a subtree is one indexed ``path LIKE 'prefix%'`` query, never a walk."""

    code = models.CharField("区划代码", max_length=15, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=60)
    kind = models.CharField("类型", max_length=8, choices=AreaKind.choices)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    path = models.CharField("路径", max_length=120, unique=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)

    scope_area_field = ""  # an Area is scoped by its own path
    reference_data = True

    class Meta:
        verbose_name = verbose_name_plural = "辖区"
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "kind"])]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_admin_village(self) -> bool:
        return self.kind in ADMIN_VILLAGE_KINDS

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    def ancestors(self):
        return Area.objects.filter(code__in=self.ancestor_codes()[:-1]).order_by("level")

    def subtree(self):
        return Area.objects.filter(path__startswith=self.path)

    def banner(self) -> Area | None:
        codes = self.ancestor_codes()
        return Area.objects.filter(code__in=codes, level=Level.BANNER).first()

    @property
    def full_name(self) -> str:
        return "".join(a.short_name for a in self.ancestors() if a.level >= Level.BANNER) + self.short_name
