from __future__ import annotations

import datetime as dt

from django.db import models

from pingan.areas.models import Area
from pingan.core import crypto
from pingan.core.crypto import EncryptedCharField, LookupHashField, TailField
from pingan.core.dictionaries import GENDERS
from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, ScopedModel


class AgencyKind(models.TextChoices):
    POLICE_BUREAU = "police_bureau", "公安局"
    POLICE_HQ = "police_hq", "公安局机关部门"
    POLICE_STATION = "police_station", "派出所"
    JUSTICE_BUREAU = "justice_bureau", "司法局"
    JUDICIAL_OFFICE = "judicial_office", "司法所"
    PROCURATORATE = "procuratorate", "检察院"
    PROCURATORATE_DEPT = "procuratorate_dept", "检察院内设部门"
    ADMIN_AGENCY = "admin_agency", "行政机关"
    TOWNSHIP_GOV = "township_gov", "乡镇(苏木)综治中心"
    VILLAGE_COMMITTEE = "village_committee", "村(嘎查)委员会"


AGENCY_LINE = {
    AgencyKind.POLICE_BUREAU: Line.POLICE,
    AgencyKind.POLICE_HQ: Line.POLICE,
    AgencyKind.POLICE_STATION: Line.POLICE,
    AgencyKind.JUSTICE_BUREAU: Line.JUSTICE,
    AgencyKind.JUDICIAL_OFFICE: Line.JUSTICE,
    AgencyKind.PROCURATORATE: Line.PROCURATORATE,
    AgencyKind.PROCURATORATE_DEPT: Line.PROCURATORATE,
    AgencyKind.ADMIN_AGENCY: Line.ADMIN,
    AgencyKind.TOWNSHIP_GOV: Line.GRID,
    AgencyKind.VILLAGE_COMMITTEE: Line.GRID,
}
# Postings at these units count as grassroots (基层) experience; 机关 postings do not.
GRASSROOTS_KINDS = (AgencyKind.POLICE_STATION, AgencyKind.JUDICIAL_OFFICE)
HQ_KINDS = (AgencyKind.POLICE_BUREAU, AgencyKind.POLICE_HQ)


class Agency(ScopedModel, TimeStampedModel):
    """An agency or one of its units; ``area`` is the root of the part of the tree it covers."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=24, choices=AgencyKind.choices)
    line = models.CharField("条线", max_length=16, choices=Line.choices, editable=False)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="units")
    area = models.ForeignKey(Area, verbose_name="辖区", on_delete=models.PROTECT, related_name="agencies")
    one_stop_since = models.DateField("一站式派出所起始日期", null=True, blank=True)

    scope_line_field = "line"
    scope_agency_field = "pk"
    reference_data = True

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["area__code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "area"], name="agency_unique_name_in_area")]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.line = AGENCY_LINE[self.kind]
        super().save(*args, **kwargs)

    @property
    def is_station(self) -> bool:
        return self.kind == AgencyKind.POLICE_STATION


def _ends_after_starts(name: str, start: str = "start", end: str = "end") -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gte": models.F(start)}),
                                  name=name)


class StaffCategory(models.TextChoices):
    POLICE_OFFICER = "民警", "民警"
    AUXILIARY = "辅警", "辅警"
    PART_TIME_ASSISTANT = "兼职警务助理", "兼职警务助理"
    GRID_WORKER = "网格员", "网格员"
    MEDIATOR = "人民调解员", "人民调解员"
    LEGAL_ADVISER = "村(居)法律顾问", "村(居)法律顾问"
    LEGAL_LITERATE = "法律明白人", "法律明白人"
    JUSTICE_STAFF = "司法行政人员", "司法行政人员"
    PROSECUTOR = "检察官", "检察官"
    PROCURATORATE_STAFF = "检察辅助人员", "检察辅助人员"
    ADMIN_STAFF = "行政机关工作人员", "行政机关工作人员"
    RANGER = "护林员", "护林员"
    VILLAGE_CADRE = "村干部", "村干部"


# Police people (公安民辅警 and part-time assistants), whatever unit they serve in now.
POLICE_CATEGORIES = (StaffCategory.POLICE_OFFICER, StaffCategory.AUXILIARY, StaffCategory.PART_TIME_ASSISTANT)


class Staff(ScopedModel, TimeStampedModel):
    """A person who works in the programmes. Visible to users whose scope covers ``area`` (where
    they work) and whose line matches their agency's."""

    name = models.CharField("姓名", max_length=40)
    name_initials = models.CharField("拼音首字母", max_length=40, db_index=True, editable=False)
    category = models.CharField("人员类别", max_length=20, choices=StaffCategory.choices)
    agency = models.ForeignKey(Agency, verbose_name="所在单位", on_delete=models.PROTECT, related_name="staff")
    area = models.ForeignKey(Area, verbose_name="工作辖区", on_delete=models.PROTECT, related_name="staff")
    # Encrypted at rest (pingan/core/crypto.py); unique and looked up through the keyed hash; the tails
    # serve the registry's "last digits" search (they are shown in the masked form anyway).
    id_number = EncryptedCharField("身份证号码", max_length=18, kind=crypto.ID_NUMBER)
    id_number_hash = LookupHashField(source="id_number", unique=True)
    id_number_tail = TailField(source="id_number")
    phone = EncryptedCharField("手机号码", max_length=20, blank=True, kind=crypto.PHONE)
    phone_hash = LookupHashField(source="phone")
    phone_tail = TailField(source="phone")
    gender = models.CharField("性别", max_length=1, choices=GENDERS)
    ethnicity = models.CharField("民族", max_length=10)
    birth_date = models.DateField("出生日期")
    service_start = models.DateField("参加工作日期", null=True, blank=True)
    active = models.BooleanField("在岗", default=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_line_field = "agency__line"
    scope_agency_field = "agency"
    reference_data = True
    PII_MASKS = {"id_number": mask_id_number, "phone": mask_phone}

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["agency__area__code", "name"]

    def __str__(self) -> str:
        return f"{self.name}({self.category})"

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Posting(ScopedModel, TimeStampedModel):
    """A period a person served at a unit. Grassroots experience and HQ→station moves are computed
    from these, never typed in."""

    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.CASCADE, related_name="postings")
    agency = models.ForeignKey(Agency, verbose_name="单位", on_delete=models.PROTECT, related_name="postings")
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    # Visible where the person works now and where the unit of the posting is: a station chief
    # sees who was posted to the station even after they moved on.
    scope_area_field = ("staff__area", "agency__area")
    scope_line_field = "agency__line"
    scope_agency_field = "staff__agency"
    reference_data = True

    class Meta:
        verbose_name = verbose_name_plural = "任职经历"
        ordering = ["staff", "start"]
        constraints = [
            _ends_after_starts("posting_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.agency} {self.start}—{self.end or '至今'}"

    def days_until(self, today: dt.date) -> int:
        end = min(self.end or today, today)
        return max((end - self.start).days, 0)


class AssignmentRole(models.TextChoices):
    AUXILIARY = "驻村辅警", "驻村辅警(一村一警)"
    PART_TIME = "兼职警务助理", "兼职警务助理"
    COMMUNITY_OFFICER = "社区民警", "社区民警"


class VillageAssignment(ScopedModel, TimeStampedModel):
    """一村一警: who is assigned to which village-level unit, from when to when."""

    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.CASCADE, related_name="assignments")
    village = models.ForeignKey(Area, verbose_name="村(嘎查、社区)", on_delete=models.PROTECT,
                                related_name="assignments")
    role = models.CharField("职责", max_length=12, choices=AssignmentRole.choices)
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    scope_area_field = "village"
    scope_lines = frozenset({Line.POLICE})
    reference_data = True

    class Meta:
        verbose_name = verbose_name_plural = "驻村警务"
        ordering = ["village__code", "role"]
        constraints = [
            _ends_after_starts("assignment_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.get_role_display()} {self.staff.name}"


class PoliceRoom(ScopedModel, TimeStampedModel):
    """乡村警务室."""

    name = models.CharField("名称", max_length=60)
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="police_rooms")
    station = models.ForeignKey(Agency, verbose_name="所属派出所", on_delete=models.PROTECT,
                                related_name="police_rooms")
    high_standard = models.BooleanField("高标准警务室", default=False)
    opened = models.DateField("建成日期")
    closed = models.DateField("撤销日期", null=True, blank=True)

    scope_area_field = "village"
    scope_lines = frozenset({Line.POLICE})
    reference_data = True

    class Meta:
        verbose_name = verbose_name_plural = "乡村警务室"
        ordering = ["village__code"]
        constraints = [_ends_after_starts("police_room_closed_after_opened", "opened", "closed")]

    def __str__(self) -> str:
        return self.name


class TeamSeat(ScopedModel, TimeStampedModel):
    """所长进班子: a seat on a township's or village's leadership team (班子成员)."""

    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.CASCADE, related_name="team_seats")
    area = models.ForeignKey(Area, verbose_name="乡镇或村(社区)", on_delete=models.PROTECT, related_name="team_seats")
    position = models.CharField("班子职务", max_length=40)
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    scope_line_field = "staff__agency__line"
    scope_agency_field = "staff__agency"
    reference_data = True

    class Meta:
        verbose_name = verbose_name_plural = "进班子任职"
        ordering = ["area__code", "start"]
        constraints = [_ends_after_starts("team_seat_end_after_start")]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.area} {self.position}"
