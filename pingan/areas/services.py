"""Writes to the jurisdiction tree: loading banners from the official codes, grids, population."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from pingan.areas.models import Area, AreaKind, Level
from pingan.areas.naming import kind_of, level_of, short_name_of
from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction
from pingan.core.scope import ensure_visible

DIVISIONS_CSV = Path(__file__).resolve().parent / "fixtures" / "divisions-150000-2023.csv"


class AreaError(ValueError):
    pass


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    level: int
    parent_code: str


def read_divisions(path: Path = DIVISIONS_CSV) -> dict[str, DivisionRow]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["code"]: DivisionRow(row["code"], row["name"], level_of(row["level"]), row["parent_code"])
            for row in csv.DictReader(fh)
        }


@transaction.atomic
def areas_load_banner(*, banner_code: str, actor=None, divisions: dict[str, DivisionRow] | None = None) -> dict:
    """Load one banner with its province and league/city and every township and village-level unit.

    Idempotent: existing units keep their population, households and grids; names are refreshed.
    """
    rows = divisions or read_divisions()
    banner_code = banner_code.strip().ljust(12, "0") if len(banner_code.strip()) == 6 else banner_code.strip()
    banner = rows.get(banner_code)
    if banner is None or banner.level != Level.BANNER:
        raise AreaError(f"找不到旗县级区划代码 {banner_code}")
    chain = [banner]
    while chain[-1].parent_code:
        chain.append(rows[chain[-1].parent_code])
    chain.reverse()
    prefix = banner_code[:6]
    below = sorted((r for r in rows.values() if r.code.startswith(prefix) and r.level > Level.BANNER),
                   key=lambda r: (r.level, r.code))
    existing = {a.code: a for a in Area.objects.filter(code__in=[r.code for r in chain + below])}
    created = updated = 0
    nodes: dict[str, Area] = {}
    for row in chain + below:
        parent = nodes.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent is None:
            parent = Area.objects.get(code=row.parent_code)
        kind = kind_of(row.code, row.name, row.level)
        short = short_name_of(row.name, kind, parent.name if parent else "")
        path = (parent.path if parent else "") + row.code + "/"
        area = existing.get(row.code)
        if area is None:
            area = Area.objects.create(code=row.code, name=row.name, short_name=short, kind=kind,
                                       level=row.level, parent=parent, path=path)
            created += 1
        elif (area.name, area.short_name, area.kind, area.path) != (row.name, short, kind, path):
            area.name, area.short_name, area.kind, area.path, area.parent = row.name, short, kind, path, parent
            area.save()
            updated += 1
        nodes[row.code] = area
    counts = {"created": created, "updated": updated, "units": len(chain) + len(below)}
    if created or updated:
        audit_record(actor, AuditAction.IMPORT, nodes[banner_code],
                     detail=f"加载区划 {banner.name}: 新增{created} 更新{updated}", after=counts)
    return counts


@transaction.atomic
def grid_create(*, actor, parent: Area, name: str, population: int | None = None) -> Area:
    if parent.level != Level.VILLAGE:
        raise AreaError("网格只能建在村、嘎查或社区之下")
    ensure_visible(actor, parent)
    name = name.strip()
    if not name:
        raise AreaError("网格名称不能为空")
    if parent.children.filter(short_name=name).exists():
        raise AreaError(f"{parent.short_name}下已有网格“{name}”")
    last = parent.children.order_by("-code").values_list("code", flat=True).first()
    seq = int(last[-3:]) + 1 if last else 1
    if seq > 999:
        raise AreaError("一个村级单位下最多999个网格")
    code = f"{parent.code}{seq:03d}"
    grid = Area.objects.create(code=code, name=name, short_name=name, kind=AreaKind.GRID, level=Level.GRID,
                               parent=parent, path=f"{parent.path}{code}/", population=population)
    audit_record(actor, AuditAction.CREATE, grid, after=snapshot(grid))
    return grid


@transaction.atomic
def area_update_population(*, actor, area: Area, population: int | None, households: int | None) -> Area:
    area = Area.objects.select_for_update().get(pk=area.pk)
    ensure_visible(actor, area)
    for label, value in (("人口", population), ("户数", households)):
        if value is not None and value < 0:
            raise AreaError(f"{label}不能为负数")
    before = snapshot(area)
    area.population, area.households = population, households
    area.save(update_fields=["population", "households"])
    audit_record(actor, AuditAction.UPDATE, area, before=before, after=snapshot(area))
    return area
