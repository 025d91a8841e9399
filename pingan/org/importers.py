"""台账 importers of the organisation: 人员 (staff) and 驻村警务 (village assignments).

Both follow pingan.core.imports: every row is checked first (cells, duplicates inside the file,
records already in Pingan, the importer's scope), and only a file without a single bad row is
written, in one transaction, through the org services (which validate again and audit).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Sequence

from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.core import idcard, imports
from pingan.core.dictionaries import ETHNICITIES
from pingan.core.imports import Column, Importer, ParsedRow, RowError
from pingan.core.scope import Line, scope_of
from pingan.org import services
from pingan.org.models import Agency, AssignmentRole, Staff, StaffCategory, VillageAssignment

EXAMPLE_ID = idcard.make("150824", dt.date(1990, 5, 17), 1)


def can_import(user) -> bool:
    """Import rights: roles with RolePolicy.import_data, and the system administrator, who keeps
    the organisation's reference data."""
    if not getattr(user, "role", ""):
        return False
    policy = user.policy
    return policy.import_data or policy.manage_accounts


def _out_of_scope(what: str, value: str) -> str:
    return f"{what} {value} 不存在或不在您的辖区内"


class StaffImporter(Importer):
    kind = "staff"
    label = "人员"
    object_type = "org.Staff"
    columns = (
        Column("姓名", "name", parser=imports.text(40), example="巴特尔", width=12),
        Column("人员类别", "category", choices=tuple(StaffCategory.values), example="辅警",
               hint="从下拉列表选择。", width=16),
        Column("身份证号码", "id_number", parser=imports.id_number(), as_text=True, example=EXAMPLE_ID,
               hint="18位，末位可为X；按GB 11643校验。性别、出生日期从号码中读取。", width=22),
        Column("手机号码", "phone", required=False, parser=imports.phone(), as_text=True, example="13804710001",
               hint="11位手机号码。", width=15),
        Column("民族", "ethnicity", choices=tuple(ETHNICITIES), example="蒙古族", hint="从下拉列表选择。", width=12),
        Column("所在单位", "agency", parser=imports.text(100), example="海流图派出所",
               hint="单位全称或简称，须在您的辖区内；可从下拉列表选择。", width=24),
        Column("工作辖区代码", "area", parser=imports.digits("工作辖区代码", range(12, 16)), as_text=True,
               example="150824100201", hint="12至15位区划或网格代码，须在所在单位的辖区内。", width=18),
        Column("参加工作日期", "service_start", required=False, parser=imports.date(), example="2018-03-01",
               hint="不填则以导入当天作为在该单位的任职起始日期。", width=14),
        Column("备注", "note", required=False, parser=imports.text(200), width=24),
    )
    field_headers = {"name": "姓名", "category": "人员类别", "id_number": "身份证号码", "phone": "手机号码",
                     "ethnicity": "民族", "agency": "所在单位", "area": "工作辖区代码",
                     "service_start": "参加工作日期", "start": "参加工作日期", "note": "备注"}
    notes = ("每人同时在所在单位建立一条任职经历，起始日期为参加工作日期(不填则为导入当天)。",
             "系统中已有的身份证号码不能重复导入；修改已有人员请在人员台账中操作。")

    def available_to(self, user) -> bool:
        return can_import(user)

    def dropdowns(self, user) -> dict[str, Sequence[str]]:
        names = Agency.objects.visible_to(user).order_by("area__code", "name").values_list("name", flat=True)
        return {"agency": list(dict.fromkeys(names))}

    def check(self, user, rows: list[ParsedRow]) -> list[RowError]:
        errors: list[RowError] = []
        today = timezone.localdate()
        agencies = self._agencies(user, {r.get("agency") for r in rows if r.get("agency")})
        areas = {a.code: a for a in Area.objects.visible_to(user).filter(
            code__in={r.get("area") for r in rows if r.get("area")})}
        ids = [r.get("id_number") for r in rows if r.get("id_number")]
        existing = set(Staff.objects.filter(id_number__in=ids).values_list("id_number", flat=True))
        first_seen: dict[str, int] = {}
        for row in rows:
            number = row.get("id_number")
            if number:
                if number in first_seen:
                    errors.append(RowError(row.number, "身份证号码", f"与第{first_seen[number]}行的身份证号码重复"))
                else:
                    first_seen[number] = row.number
                    if number in existing:
                        errors.append(RowError(row.number, "身份证号码", "系统中已存在该身份证号码的人员，不能重复导入"))
            agency = None
            if row.get("agency"):
                found = agencies.get(row.get("agency"), [])
                if len(found) == 1:
                    agency = found[0]
                    row.values["agency"] = agency
                elif not found:
                    errors.append(RowError(row.number, "所在单位", f"单位“{row.get('agency')}”不存在或不在您的辖区内"))
                else:
                    errors.append(RowError(row.number, "所在单位",
                                           f"单位名称“{row.get('agency')}”对应多个单位，请填写单位全称"))
                if agency is None:
                    row.bad.add("agency")
            code = row.get("area")
            if code:
                area = areas.get(code)
                if area is None:
                    errors.append(RowError(row.number, "工作辖区代码", _out_of_scope("工作辖区代码", code)))
                elif agency is not None and not area.path.startswith(agency.area.path):
                    errors.append(RowError(row.number, "工作辖区代码",
                                           f"工作辖区“{area}”不在单位“{agency}”的辖区（{agency.area}）内"))
                else:
                    row.values["area"] = area
            start = row.get("service_start")
            if start and start > today:
                errors.append(RowError(row.number, "参加工作日期", "参加工作日期不能晚于今天"))
            elif start and number and start <= idcard.birth_date(number):
                errors.append(RowError(row.number, "参加工作日期", "参加工作日期早于出生日期"))
        return errors

    @staticmethod
    def _agencies(user, names: set[str]) -> dict[str, list[Agency]]:
        found: dict[str, list[Agency]] = {}
        for agency in Agency.objects.visible_to(user).select_related("area").filter(name__in=names):
            found.setdefault(agency.name, []).append(agency)
        for agency in Agency.objects.visible_to(user).select_related("area").filter(short_name__in=names):
            if agency.short_name not in found:  # a full name wins over another agency's short name
                found.setdefault(agency.short_name, [])
            if agency not in found[agency.short_name]:
                found[agency.short_name].append(agency)
        return found

    def write(self, user, row: ParsedRow) -> dict[str, int]:
        v = row.values
        staff = services.staff_create(
            actor=user, name=v["name"], category=v["category"], agency=v["agency"], area=v["area"],
            id_number=v["id_number"], phone=v.get("phone") or "", ethnicity=v["ethnicity"],
            service_start=v.get("service_start"), note=v.get("note") or "",
        )
        services.posting_start(actor=user, staff=staff, agency=v["agency"],
                               start=v.get("service_start") or timezone.localdate(), note="台账导入")
        return {"人员": 1, "任职经历": 1}


# assignment_create has no end-date parameter yet; pass one only once the service takes it.
_SERVICE_TAKES_END = "end" in inspect.signature(services.assignment_create).parameters


class AssignmentImporter(Importer):
    kind = "assignments"
    label = "驻村警务"
    object_type = "org.VillageAssignment"
    columns = (
        Column("身份证号码", "id_number", parser=imports.id_number(), as_text=True, example=EXAMPLE_ID,
               hint="须为人员台账中已有、且在您辖区内的人员。", width=22),
        Column("村级单位代码", "village", parser=imports.digits("村级单位代码", [12]), as_text=True,
               example="150824100201", hint="12位村(嘎查、社区)区划代码。", width=18),
        Column("职责", "role", choices=tuple(AssignmentRole.values), example="驻村辅警",
               hint="从下拉列表选择。一个村同一时间只能有一名驻村辅警(一村一警)。", width=16),
        Column("起始日期", "start", parser=imports.date(), example="2024-01-01", width=14),
        Column("结束日期", "end", required=False, parser=imports.date(), example="",
               hint="仍在岗的不填。", width=14),
    )
    field_headers = {"staff": "身份证号码", "village": "村级单位代码", "role": "职责", "start": "起始日期",
                     "end": "结束日期"}
    notes = ("一村一警：同一村级单位在同一时间段只能有一名驻村辅警；兼职警务助理、社区民警不受此限。",)

    def available_to(self, user) -> bool:
        return can_import(user) and Line.POLICE in scope_of(user, reference=True).lines

    def check(self, user, rows: list[ParsedRow]) -> list[RowError]:
        errors: list[RowError] = []
        staff = {s.id_number: s for s in Staff.objects.visible_to(user).filter(
            id_number__in={r.get("id_number") for r in rows if r.get("id_number")})}
        villages = {a.code: a for a in Area.objects.visible_to(user).filter(
            code__in={r.get("village") for r in rows if r.get("village")})}
        for row in rows:
            person = staff.get(row.get("id_number")) if row.get("id_number") else None
            if row.get("id_number") and person is None:
                errors.append(RowError(row.number, "身份证号码", "该身份证号码的人员不存在或不在您的辖区内，请先导入人员"))
            code, village = row.get("village"), None
            if code:
                village = villages.get(code)
                if village is None:
                    errors.append(RowError(row.number, "村级单位代码", _out_of_scope("村级单位代码", code)))
                elif village.level != Level.VILLAGE:
                    errors.append(RowError(row.number, "村级单位代码",
                                           f"{code}（{village}）不是村级单位(村、嘎查、社区)"))
                    village = None
            start, end = row.get("start"), row.get("end")
            if start and end and end < start:
                errors.append(RowError(row.number, "结束日期", "结束日期不能早于起始日期"))
                end = None
                row.bad.add("end")
            if end and not _SERVICE_TAKES_END:
                errors.append(RowError(row.number, "结束日期", "暂不支持导入已结束的驻村记录，请留空"))
            role = row.get("role")
            if person and role == AssignmentRole.AUXILIARY and person.category != StaffCategory.AUXILIARY:
                errors.append(RowError(row.number, "职责",
                                       f"{person.name}的人员类别为{person.category}，不是辅警，不能担任驻村辅警"))
            row.values["staff"], row.values["village_area"] = person, village
        errors += self._conflicts(rows)
        return errors

    @staticmethod
    def _conflicts(rows: list[ParsedRow]) -> list[RowError]:
        """一村一警 and duplicates, against Pingan and against earlier rows of the file."""
        errors: list[RowError] = []
        earlier: list[ParsedRow] = []
        in_pingan: dict[int, list[VillageAssignment]] = {}
        for a in VillageAssignment.objects.filter(
                village__in={r.get("village_area") for r in rows if r.get("village_area")}).select_related("staff"):
            in_pingan.setdefault(a.village_id, []).append(a)
        for row in rows:
            person, village, role, start = row.get("staff"), row.get("village_area"), row.get("role"), row.get("start")
            if not (person and village and role and start) or not row.ok("end"):
                continue
            end = row.get("end")
            last = end or dt.date.max
            for other in earlier:
                if other.get("village_area") != village or not _overlap(start, last, other):
                    continue
                if other.get("staff") == person:
                    errors.append(RowError(row.number, "", f"与第{other.number}行重复：同一人员在同一村的驻村时段重叠"))
                    break
                if role == AssignmentRole.AUXILIARY and other.get("role") == AssignmentRole.AUXILIARY:
                    errors.append(RowError(row.number, "村级单位代码",
                                           f"与第{other.number}行冲突：{village}在同一时段只能有一名驻村辅警(一村一警)"))
                    break
            existing = [a for a in in_pingan.get(village.pk, []) if a.start <= last and (a.end is None or a.end >= start)]
            same = next((a for a in existing if a.staff_id == person.pk), None)
            if same is not None:
                errors.append(RowError(row.number, "身份证号码",
                                       f"{person.name}已是{village}的{same.role}（自{same.start}起），不能重复导入"))
            elif role == AssignmentRole.AUXILIARY:
                holder = next((a for a in existing if a.role == AssignmentRole.AUXILIARY), None)
                if holder is not None:
                    errors.append(RowError(row.number, "村级单位代码",
                                           f"{village}已有驻村辅警{holder.staff.name}（自{holder.start}起），"
                                           "一村只能有一名驻村辅警，请先结束其驻村记录"))
            earlier.append(row)
        return errors

    def write(self, user, row: ParsedRow) -> dict[str, int]:
        v = row.values
        extra = {"end": v["end"]} if _SERVICE_TAKES_END and v.get("end") else {}
        services.assignment_create(actor=user, staff=v["staff"], village=v["village_area"], role=v["role"],
                                   start=v["start"], **extra)
        return {"驻村警务": 1}


def _overlap(start: dt.date, last: dt.date, other: ParsedRow) -> bool:
    other_last = other.get("end") or dt.date.max
    return other.get("start") <= last and other_last >= start


def _all_importers() -> tuple[Importer, ...]:
    from pingan.areas.importers import PopulationImporter

    return (StaffImporter(), AssignmentImporter(), PopulationImporter())


IMPORTERS: dict[str, Importer] = {i.kind: i for i in _all_importers()}


def available(user) -> list[Importer]:
    return [i for i in IMPORTERS.values() if i.available_to(user)]


def importer_for(user, kind: str) -> Importer | None:
    importer = IMPORTERS.get(kind)
    return importer if importer is not None and importer.available_to(user) else None
