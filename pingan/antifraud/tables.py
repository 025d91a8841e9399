"""Columns declared once, for the page and the xlsx export. Names, phones and ID numbers are always
masked on the page; the export carries them in full only for roles entitled to personal data (the
export is audited either way)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone

from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.tables import Table

from .models import Dissuasion, FraudWarning, PublicityEvent, RegistrationSnapshot, mask_name

_ATTRS = {"class": "table table-sm table-hover"}


def _township(record) -> str:
    area = record.area
    if area.level == 3:
        return area.short_name
    return area.parent.short_name if area.level == 4 and area.parent_id else "—"


class PublicityTable(Table):
    held_on = tables.Column("活动日期", linkify=("antifraud:publicity_detail", {"pk": tables.A("pk")}))
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",), default="")
    area = tables.Column("村(社区)", accessor="area__short_name", order_by=("area__code",))
    place_type = tables.Column("场所类型")
    place = tables.Column("活动地点")
    organiser = tables.Column("组织单位", accessor="organiser__name")
    theme = tables.Column("主题")
    posters = tables.Column("海报(张)", attrs={"td": {"class": "text-end"}})
    handbooks = tables.Column("手册(份)", attrs={"td": {"class": "text-end"}})
    people_reached = tables.Column("受教育群众(人次)", attrs={"td": {"class": "text-end"}})
    participants = tables.Column("参与民辅警(人)", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = PublicityEvent
        fields = ("held_on", "township", "area", "place_type", "place", "organiser", "theme", "posters",
                  "handbooks", "people_reached", "participants")
        attrs = _ATTRS
        empty_text = "没有符合条件的宣传活动"

    def render_held_on(self, value):
        return f"{value:%Y-%m-%d}"

    def value_held_on(self, value):
        return value

    def render_township(self, value, record):
        return _township(record)

    def value_township(self, value, record):
        return _township(record)

    def render_area(self, value, record):
        return value if record.area.level == 4 else "—"

    def value_area(self, value, record):
        return value if record.area.level == 4 else ""


class SnapshotTable(Table):
    on = tables.Column("统计日期")
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",), default="")
    area = tables.Column("村(嘎查、社区)", accessor="area__short_name", order_by=("area__code",))
    code = tables.Column("区划代码", accessor="area__code")
    registered = tables.Column("累计注册人数", attrs={"td": {"class": "text-end"}})
    population = tables.Column("人口基数", attrs={"td": {"class": "text-end"}})
    rate = tables.Column("安装率(%)", accessor="pk", orderable=False, attrs={"td": {"class": "text-end"}})
    source = tables.Column("来源")
    edit = tables.LinkColumn("antifraud:registration_edit", args=[tables.A("pk")], text="修改", orderable=False,
                             verbose_name="", exclude_from_export=True)

    class Meta:
        model = RegistrationSnapshot
        fields = ("on", "township", "area", "code", "registered", "population", "rate", "source", "edit")
        attrs = _ATTRS
        empty_text = "还没有APP注册统计"

    def __init__(self, *args, can_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_edit:
            self.columns.hide("edit")

    def render_on(self, value):
        return f"{value:%Y-%m-%d}"

    def value_on(self, value):
        return value

    def render_rate(self, value, record):
        return record.rate_pct

    def value_rate(self, value, record):
        return record.rate_pct

    def render_population(self, value, record):
        return f"{value}（取自辖区）" if record.population_from_area else value

    def value_population(self, value, record):
        return value


class WarningTable(Table):
    number = tables.Column("预警编号", linkify=("antifraud:warning_detail", {"pk": tables.A("pk")}))
    received_at = tables.Column("接收时间")
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",), default="")
    area = tables.Column("村(社区)", accessor="area__short_name", order_by=("area__code",))
    channel = tables.Column("预警来源")
    risk_type = tables.Column("风险类型")
    target_name = tables.Column("预警对象")
    target_phone = tables.Column("电话")
    answered = tables.Column("处置情况", orderable=False)

    class Meta:
        model = FraudWarning
        fields = ("number", "received_at", "township", "area", "channel", "risk_type", "target_name",
                  "target_phone", "answered")
        attrs = _ATTRS
        empty_text = "没有符合条件的预警"
        row_attrs = {"class": lambda record: "" if getattr(record, "answered", True) else "gap-row"}

    def __init__(self, *args, full_personal_data: bool = False, **kwargs):
        self.full_personal_data = full_personal_data
        super().__init__(*args, **kwargs)

    def render_received_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def value_received_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def render_township(self, value, record):
        return _township(record)

    def value_township(self, value, record):
        return _township(record)

    def render_target_name(self, value):
        return mask_name(value)

    def value_target_name(self, value):
        return value if self.full_personal_data else mask_name(value)

    def render_target_phone(self, value):
        return mask_phone(value)

    def value_target_phone(self, value):
        return value if self.full_personal_data else mask_phone(value)

    def render_answered(self, value):
        return "已劝阻" if value else "待劝阻"

    def value_answered(self, value):
        return "已劝阻" if value else "待劝阻"


class DissuasionTable(Table):
    on = tables.Column("劝阻日期", linkify=("antifraud:dissuasion_detail", {"pk": tables.A("pk")}))
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",), default="")
    area = tables.Column("村(社区)", accessor="area__short_name", order_by=("area__code",))
    person_name = tables.Column("劝阻对象")
    id_number = tables.Column("身份证号码", orderable=False)
    phone = tables.Column("手机号码", orderable=False)
    channel = tables.Column("劝阻方式")
    risk_type = tables.Column("风险类型")
    outcome = tables.Column("劝阻结果")
    amount_kept = tables.Column("避免转账金额(元)", attrs={"td": {"class": "text-end"}})
    officer = tables.Column("劝阻民(辅)警", accessor="officer__name", default="")
    warning = tables.Column("对应预警", accessor="warning__number", default="")

    class Meta:
        model = Dissuasion
        fields = ("on", "township", "area", "person_name", "id_number", "phone", "channel", "risk_type", "outcome",
                  "amount_kept", "officer", "warning")
        attrs = _ATTRS
        empty_text = "没有符合条件的劝阻记录"

    def render_on(self, value):
        return f"{value:%Y-%m-%d}"

    def value_on(self, value):
        return value

    def __init__(self, *args, full_personal_data: bool = False, **kwargs):
        self.full_personal_data = full_personal_data
        super().__init__(*args, **kwargs)

    def render_township(self, value, record):
        return _township(record)

    def value_township(self, value, record):
        return _township(record)

    def render_person_name(self, value):
        return mask_name(value)

    def value_person_name(self, value):
        return value if self.full_personal_data else mask_name(value)

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_id_number(self, value):
        return value if self.full_personal_data else mask_id_number(value)

    def render_phone(self, value):
        return mask_phone(value)

    def value_phone(self, value):
        return value if self.full_personal_data else mask_phone(value)

    def value_amount_kept(self, value):
        return value
