"""台账 import of population and households per unit (辖区人口): 区划代码, 人口, 户数."""

from __future__ import annotations

from pingan.areas import services
from pingan.areas.models import Area
from pingan.core import imports
from pingan.core.imports import CellError, Column, Importer, ParsedRow, RowError


def count(what: str):
    """A whole number ≥ 0 (an Excel number cell or digits typed as text)."""

    def parse(value):
        if isinstance(value, bool):
            raise CellError(f"{what}应为不小于0的整数")
        if isinstance(value, float):
            if not value.is_integer():
                raise CellError(f"{what}应为整数，实际为{value}")
            value = int(value)
        text = imports.ascii_digits(str(value)).strip().replace(",", "")
        if not (text.isascii() and text.isdigit()):  # not ², nor digits of other scripts
            raise CellError(f"{what}应为不小于0的整数，实际为“{text}”")
        if len(text.lstrip("0")) > 9:  # also keeps int() below Python's 4300-digit limit
            raise CellError(f"{what}数值过大：{text[:12]}…")
        return int(text)

    return parse


class PopulationImporter(Importer):
    kind = "population"
    label = "辖区人口"
    object_type = "areas.Area"
    columns = (
        Column("区划代码", "code", parser=imports.digits("区划代码", range(12, 16)), as_text=True,
               example="150824100201", hint="12位区划代码或15位网格代码，须在您的辖区内。", width=18),
        Column("人口", "population", parser=count("人口"), example="1260", width=10),
        Column("户数", "households", parser=count("户数"), example="480", width=10),
    )
    field_headers = {"population": "人口", "households": "户数", "code": "区划代码"}
    notes = ("每行更新一个单位的人口和户数；单位本身由统计用区划代码加载，不在此新增。",)

    def available_to(self, user) -> bool:
        from pingan.areas.views import TREE_EDITORS

        return getattr(user, "role", "") in TREE_EDITORS

    def check(self, user, rows: list[ParsedRow]) -> list[RowError]:
        errors: list[RowError] = []
        found = {a.code: a for a in Area.objects.visible_to(user).filter(
            code__in={r.get("code") for r in rows if r.get("code")})}
        first_row: dict[str, int] = {}
        for row in rows:
            code = row.get("code")
            if not code:
                continue
            if code not in found:
                errors.append(RowError(row.number, "区划代码", f"区划代码 {code} 不存在或不在您的辖区内"))
            elif code in first_row:
                errors.append(RowError(row.number, "区划代码", f"与第{first_row[code]}行的区划代码重复"))
            else:
                first_row[code] = row.number
                row.values["area"] = found[code]
        return errors

    def write(self, user, row: ParsedRow) -> dict[str, int]:
        v = row.values
        services.area_update_population(actor=user, area=v["area"], population=v["population"],
                                        households=v["households"])
        return {"辖区单位": 1}
