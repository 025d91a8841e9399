"""The grid line of 乌拉特中旗: township 综治中心, grids under some villages and communities, and one
网格员 per grid."""

from __future__ import annotations

import datetime as dt

from pingan.areas.models import Area, AreaKind, Level
from pingan.areas.services import grid_create
from pingan.demo.base import DemoContext, DemoStep, audit_batch, day, make_staff
from pingan.demo.build_areas import URAT_MIDDLE
from pingan.org.models import Agency, AgencyKind, Staff, StaffCategory

CENTRE_TOWNSHIPS = ("150824100000", "150824101000", "150824102000")  # 海流图镇, 乌加河镇, 德岭山镇
GRIDS = {  # village-level unit → number of grids
    "150824100201": 3,  # 巴仁宝勒格村 (the demo grid worker's village)
    "150824100202": 2,  # 巴彦塔拉村
    "150824100001": 3,  # 乌兰大街社区
    "150824100002": 2,  # 花园东路社区
    "150824101201": 2,  # 双荣村
    "150824102201": 2,  # 胜利村
}
GRID_NAMES = ("第一网格", "第二网格", "第三网格", "第四网格")


def centre_name(township: Area) -> str:
    return f"{township.short_name}综治中心"


def is_present() -> bool:
    township = Area.objects.filter(code=CENTRE_TOWNSHIPS[0]).first()
    return township is not None and Agency.objects.filter(name=centre_name(township), area=township).exists()


def build(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("grid")
    people = ctx.people("grid")
    centres = {}
    for code in CENTRE_TOWNSHIPS:
        township = Area.objects.get(code=code)
        centres[code], _ = Agency.objects.get_or_create(name=centre_name(township), area=township,
                                                        defaults={"kind": AgencyKind.TOWNSHIP_GOV,
                                                                  "short_name": "综治中心"})
    workers, grids_made = [], 0
    for code, how_many in GRIDS.items():
        village = Area.objects.get(code=code)
        centre = centres[village.parent.code]
        for name in GRID_NAMES[:how_many]:
            grid = village.children.filter(short_name=name, level=Level.GRID).first()
            if grid is None:
                share = (village.population or 1000) // how_many
                grid = grid_create(actor=None, parent=village, name=name, population=share)
                grids_made += 1
            person = people.person(banner6=URAT_MIDDLE[:6], born_from=1972, born_to=1996,
                                   mongol_share=0.3 if village.kind != AreaKind.GACHA else 0.6, male_share=0.45,
                                   local_share=0.95)
            workers.append(make_staff(person, category=StaffCategory.GRID_WORKER, agency=centre, area=grid,
                                      service_start=day(rng, dt.date(2019, 3, 1), dt.date(2023, 12, 31)),
                                      note=f"{village.short_name}{name}专职网格员"))
    Staff.objects.bulk_create(workers)
    counts = {"综治中心": len(centres), "网格": grids_made, "网格员": len(workers)}
    audit_batch(centres[CENTRE_TOWNSHIPS[0]], "乌拉特中旗综治中心、网格员", counts)
    return counts


STEP = DemoStep("grid", "乌拉特中旗网格：综治中心、网格、网格员", is_present, build)
