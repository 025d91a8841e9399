"""The three banners of the seed, from the real 2023 division codes, with population figures.

Population and households are plausible, not official: drawn per unit by kind (a town's urban
communities are large, a pastoral 嘎查 small), scaled so each banner reaches about its real size,
then summed up to townships and the banner.
"""

from __future__ import annotations

from django.db.models import Q

from pingan.areas.models import Area, AreaKind, Level
from pingan.areas.services import areas_load_banner, read_divisions
from pingan.demo.base import DemoContext, DemoStep, audit_batch

URAT_MIDDLE = "150824000000"  # 乌拉特中旗 (巴彦淖尔市): 公安 programme
ALXA_RIGHT = "152922000000"  # 阿拉善右旗 (阿拉善盟): 司法 programme
EJIN_HORO = "150627000000"  # 伊金霍洛旗 (鄂尔多斯市): 检察 programme
BANNERS = (URAT_MIDDLE, ALXA_RIGHT, EJIN_HORO)

# About the real resident population of each banner.
POPULATION_TARGET = {URAT_MIDDLE: 140_000, ALXA_RIGHT: 25_000, EJIN_HORO: 250_000}

# (low, high) residents of one village-level unit, before scaling.
_RANGE = {
    AreaKind.COMMUNITY: (2500, 7000),
    AreaKind.VILLAGE: (900, 2600),
    AreaKind.GACHA: (250, 900),
    AreaKind.OTHER: (300, 1200),
}


def _expected_units() -> dict[str, int]:
    rows = read_divisions()
    return {b: sum(1 for r in rows.values() if r.code.startswith(b[:6]) and r.level > Level.BANNER) for b in BANNERS}


def _loaded(banner: str, expected: int) -> bool:
    return Area.objects.filter(path__contains=f"/{banner}/", level__in=(Level.TOWNSHIP, Level.VILLAGE)).count() == expected


def is_present() -> bool:
    expected = _expected_units()
    return all(_loaded(b, expected[b]) for b in BANNERS) and not Area.objects.filter(
        Q(path__contains=f"/{URAT_MIDDLE}/") | Q(path__contains=f"/{ALXA_RIGHT}/") | Q(path__contains=f"/{EJIN_HORO}/"),
        level__in=(Level.BANNER, Level.TOWNSHIP, Level.VILLAGE), population__isnull=True).exists()


def set_population(ctx: DemoContext, banner: Area) -> int:
    """Fill population/households where missing (existing figures are kept: they may be real)."""
    rng = ctx.rng(f"population/{banner.code}")
    units = list(Area.objects.filter(path__startswith=banner.path).exclude(level=Level.GRID).order_by("level", "code"))
    villages = [a for a in units if a.level == Level.VILLAGE]
    raw = {a.code: rng.randint(*_RANGE.get(a.kind, (500, 1500))) for a in villages}
    scale = POPULATION_TARGET[banner.code] / max(sum(raw.values()), 1)
    people = {code: max(int(round(n * scale)), 50) for code, n in raw.items()}
    size = {code: rng.uniform(2.2, 2.9) for code in raw}
    changed = []
    for a in villages:
        if a.population is None:
            a.population = people[a.code]
            a.households = int(round(people[a.code] / size[a.code]))
            changed.append(a)
    # Townships and the banner: the sum of what lies below (after the villages above are set).
    by_parent: dict[int, list[Area]] = {}
    for a in villages:
        by_parent.setdefault(a.parent_id, []).append(a)
    townships = [a for a in units if a.level == Level.TOWNSHIP]
    for t in townships:
        if t.population is None:
            kids = by_parent.get(t.pk, [])
            t.population = sum(k.population or 0 for k in kids)
            t.households = sum(k.households or 0 for k in kids)
            changed.append(t)
    if banner.population is None:
        banner.population = sum(t.population or 0 for t in townships)
        banner.households = sum(t.households or 0 for t in townships)
        changed.append(banner)
    if changed:
        Area.objects.bulk_update(changed, ["population", "households"])
        audit_batch(banner, f"{banner.short_name}人口、户数 {len(changed)} 个单位",
                    {"units": len(changed), "population": banner.population})
    return len(changed)


def build(ctx: DemoContext) -> dict[str, int]:
    expected = _expected_units()
    loaded = populated = 0
    for code in BANNERS:
        if not _loaded(code, expected[code]):
            areas_load_banner(banner_code=code)
            loaded += 1
        populated += set_population(ctx, Area.objects.get(code=code))
    return {"加载旗县": loaded, "设置人口的单位": populated}


STEP = DemoStep("areas", "辖区：乌拉特中旗、阿拉善右旗、伊金霍洛旗", is_present, build)
