"""Columns declared once, for the page and the xlsx export."""

import django_tables2 as tables

from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.tables import Table
from pingan.org.models import Staff


class StaffTable(Table):
    name = tables.Column("姓名", linkify=("org:staff_detail", {"pk": tables.A("pk")}))
    category = tables.Column("人员类别")
    agency = tables.Column("所在单位", accessor="agency__name", order_by=("agency__name",))
    area = tables.Column("工作辖区", accessor="area__short_name", order_by=("area__code",))
    gender = tables.Column("性别")
    ethnicity = tables.Column("民族")
    phone = tables.Column("手机号码", orderable=False)  # encrypted: no order in the ciphertext
    id_number = tables.Column("身份证号码", orderable=False)
    active = tables.BooleanColumn(verbose_name="在岗", yesno="是,否")

    class Meta:
        model = Staff
        fields = ("name", "category", "agency", "area", "gender", "ethnicity", "phone", "id_number", "active")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的人员"

    def __init__(self, *args, full_personal_data: bool = False, **kwargs):
        self.full_personal_data = full_personal_data
        super().__init__(*args, **kwargs)

    # Lists always mask; a full export is for roles entitled to it (and is audited).
    def render_phone(self, value):
        return mask_phone(value)

    def render_id_number(self, value):
        return mask_id_number(value)

    def value_phone(self, value):
        return value if self.full_personal_data else mask_phone(value)

    def value_id_number(self, value):
        return value if self.full_personal_data else mask_id_number(value)
