"""Import of the anti-fraud centre's periodic app statistics (one file = one period: every row is
recorded on the date chosen on the import page), through ``pingan.core.imports``: template, every
error with its row and column, all or nothing.

Re-importing a period: refused by default — if any village of the file already has figures on that
date, nothing is imported and each such row is named with the figures already there. Ticking
“替换同期已有数据” replaces those villages' figures (the old ones go to the audit log); villages of
the period that are not in the new file keep theirs. The centre does re-send corrected statistics,
so replacing must be possible, but never by accident: a second upload of the same file, or of a file
with the wrong date, is the common mistake, and it is stopped.
"""

from __future__ import annotations

import datetime as dt

from pingan.areas.importers import count
from pingan.areas.models import Area, Level
from pingan.core import imports
from pingan.core.imports import Column, Importer, ParsedRow, RowError

from . import services
from .access import STATISTICS_WRITERS
from .models import RegistrationSnapshot, SnapshotSource


class SnapshotImporter(Importer):
    kind = "app_registrations"
    label = "国家反诈中心APP注册统计"
    object_type = "antifraud.RegistrationSnapshot"
    columns = (
        Column("区划代码", "code", required=False, parser=imports.digits("区划代码", [12]), as_text=True,
               example="150824100201", hint="12位村级区划代码；填写后按代码识别村，不填则按村名识别。", width=18),
        Column("乡镇(苏木)", "township", required=False, example="海流图镇",
               hint="村名在您的辖区内重名时用于区分。", width=14),
        Column("村(嘎查、社区)", "village", required=False, example="巴仁宝勒格村",
               hint="与辖区中的村名一致（可不带“村民委员会”等后缀）；区划代码和村名至少填一项。", width=18),
        Column("累计注册人数", "registered", parser=count("累计注册人数"), example="1260",
               hint="截至统计日期该村累计注册国家反诈中心APP的人数。", width=14),
        Column("人口基数", "population", required=False, parser=count("人口基数"), example="2150",
               hint="统计表给出的人口（安装率的分母）；不填则取该村在辖区中登记的人口。", width=12),
    )
    field_headers = {"registered": "累计注册人数", "population": "人口基数", "area": "村(嘎查、社区)",
                     "on": "村(嘎查、社区)"}
    notes = ("一份文件为一期统计：每一行都按导入页面上选择的统计日期记录。",
             "同一村在同一统计日期只能有一条统计；重新导入同一期时，须勾选“替换同期已有数据”才会替换。")

    def __init__(self, *, on: dt.date | None = None, replace: bool = False, filename: str = ""):
        self.on = on
        self.replace = replace
        self.filename = filename

    def available_to(self, user) -> bool:
        return getattr(user, "role", "") in STATISTICS_WRITERS

    def _resolve(self, row: ParsedRow, villages: list[Area], by_code: dict[str, Area]) -> tuple[Area | None, str, str]:
        code, name, township = row.get("code"), row.get("village") or "", row.get("township") or ""
        if not code and not name:
            return None, "村(嘎查、社区)", "请填写区划代码或村名"
        if code:
            area = by_code.get(code)
            if area is None:
                return None, "区划代码", f"区划代码 {code} 不是您辖区内的村(嘎查、社区)"
            if name and _stem(name) not in (_stem(area.short_name), _stem(area.name)):
                return None, "村(嘎查、社区)", f"村名“{name}”与区划代码 {code} 对应的“{area.short_name}”不一致"
            return area, "", ""
        hits = [a for a in villages if _stem(name) in (_stem(a.short_name), _stem(a.name))]
        if township:
            hits = [a for a in hits if a.parent_id and _stem(township) in (_stem(a.parent.short_name),
                                                                            _stem(a.parent.name))]
        if not hits:
            return None, "村(嘎查、社区)", f"“{name}”不是您辖区内的村(嘎查、社区)" + (f"（{township}）" if township else "")
        if len(hits) > 1:
            towns = "、".join(a.parent.short_name for a in hits if a.parent_id)
            return None, "村(嘎查、社区)", f"“{name}”在您的辖区内有{len(hits)}个（{towns}），请填写乡镇或区划代码"
        return hits[0], "", ""

    def check(self, user, rows: list[ParsedRow]) -> list[RowError]:
        errors: list[RowError] = []
        if self.on is None:
            return [RowError(None, "", "请选择统计日期")]
        villages = list(Area.objects.visible_to(user).filter(level=Level.VILLAGE).select_related("parent"))
        by_code = {a.code: a for a in villages}
        existing = {s.area_id: s for s in RegistrationSnapshot.objects.visible_to(user).filter(on=self.on)}
        first_row: dict[int, int] = {}
        for row in rows:
            if not row.ok("code", "village", "township"):
                continue
            area, column, reason = self._resolve(row, villages, by_code)
            if area is None:
                errors.append(RowError(row.number, column, reason))
                continue
            if area.pk in first_row:
                errors.append(RowError(row.number, "村(嘎查、社区)", f"{area.short_name}与第{first_row[area.pk]}行重复"))
                continue
            first_row[area.pk] = row.number
            row.values["area"] = area
            old = existing.get(area.pk)
            if old is not None and not self.replace:
                errors.append(RowError(row.number, "村(嘎查、社区)",
                                       f"{area.short_name}在{self.on:%Y-%m-%d}已有统计（累计注册{old.registered}人）；"
                                       "如需更正请勾选“替换同期已有数据”"))
            if not row.ok("registered", "population"):
                continue
            population = row.get("population") or services.default_population(area)
            if not population:
                errors.append(RowError(row.number, "人口基数", f"未填写，且{area.short_name}尚未登记人口"))
            elif row.get("registered") is not None and row.get("registered") > population:
                errors.append(RowError(row.number, "累计注册人数",
                                       f"{row.get('registered')}超过人口基数{population}，请核对"))
        return errors

    def write(self, user, row: ParsedRow) -> dict[str, int]:
        _, replaced = services.snapshot_record(
            actor=user, area=row.get("area"), on=self.on, registered=row.get("registered"),
            population=row.get("population"), replace=self.replace, source=SnapshotSource.IMPORT,
            source_file=self.filename)
        return {"替换原有统计" if replaced else "新增统计": 1}


_SUFFIXES = ("村民委员会", "嘎查委员会", "居民委员会", "社区居委会", "村委会", "居委会")


def _stem(name: str) -> str:
    value = (name or "").replace(" ", "").strip()
    for suffix in _SUFFIXES:
        if value.endswith(suffix) and len(value) > len(suffix):
            value = value[: -len(suffix)]
            break
    return value
