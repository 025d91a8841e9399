"""Columns declared once, for the page and the xlsx export."""

import django_tables2 as tables

from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.tables import Table
from pingan.legal.models import Activity, LegalPerson


class PersonTable(Table):
    name = tables.Column("姓名", accessor="staff__name", order_by=("staff__name_initials",),
                         linkify=("legal:person_detail", {"pk": tables.A("pk")}))
    township = tables.Column("乡镇(苏木)", accessor="village__parent__short_name", order_by=("village__code",))
    village = tables.Column("嘎查(社区)", accessor="village__short_name", order_by=("village__code",))
    gender = tables.Column("性别", accessor="staff__gender")
    ethnicity = tables.Column("民族", accessor="staff__ethnicity")
    phone = tables.Column("手机号码", accessor="staff__phone", orderable=False)
    id_number = tables.Column("身份证号码", accessor="staff__id_number", orderable=False)
    source_category = tables.Column("人员来源")
    political_status = tables.Column("政治面貌")
    status = tables.Column("状态")
    status_since = tables.DateColumn(verbose_name="状态起始", format="Y-m-d")
    selected_on = tables.DateColumn(verbose_name="入选日期", format="Y-m-d")

    class Meta:
        model = LegalPerson
        fields = ("name", "township", "village", "gender", "ethnicity", "phone", "id_number", "source_category",
                  "political_status", "status", "status_since", "selected_on")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的人员"

    def __init__(self, *args, full_personal_data: bool = False, **kwargs):
        self.full_personal_data = full_personal_data
        super().__init__(*args, **kwargs)

    def render_gender(self, record):
        return record.staff.get_gender_display()

    def value_gender(self, record):
        return record.staff.get_gender_display()

    # Lists always mask; a full export is for roles entitled to it (and is audited).
    def render_phone(self, value):
        return mask_phone(value)

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_phone(self, value):
        return value if self.full_personal_data else mask_phone(value)

    def value_id_number(self, value):
        return value if self.full_personal_data else mask_id_number(value)


class HoursTable(Table):
    name = tables.Column("姓名", accessor="staff__name", order_by=("staff__name_initials",),
                         linkify=("legal:person_detail", {"pk": tables.A("pk")}))
    township = tables.Column("乡镇(苏木)", accessor="village__parent__short_name", order_by=("village__code",))
    village = tables.Column("嘎查(社区)", accessor="village__short_name", order_by=("village__code",))
    status = tables.Column("状态")
    n_sessions = tables.Column("参训场次", attrs={"td": {"class": "text-end"}})
    total_hours = tables.Column("学时", attrs={"td": {"class": "text-end"}})

    class Meta:
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的人员"


class ActivityTable(Table):
    date = tables.DateColumn(verbose_name="日期", format="Y-m-d", linkify=("legal:activity_detail", {"pk": tables.A("pk")}))
    kind = tables.Column("类型")
    township = tables.Column("乡镇(苏木)", accessor="village__parent__short_name", order_by=("village__code",))
    village = tables.Column("嘎查(社区)", accessor="village__short_name", order_by=("village__code",))
    title = tables.Column("主题(事由)")
    participants = tables.Column("参与法律明白人", accessor="pk", orderable=False)
    adviser = tables.Column("法律顾问", accessor="adviser__name", default="")
    audience_count = tables.Column("受众(人次)", attrs={"td": {"class": "text-end"}})
    outcome = tables.Column("调解结果", default="")

    class Meta:
        model = Activity
        fields = ("date", "kind", "township", "village", "title", "participants", "adviser", "audience_count", "outcome")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的活动"

    def render_participants(self, record):
        return "、".join(p.staff.name for p in record.participants.all())

    def value_participants(self, record):
        return self.render_participants(record)
