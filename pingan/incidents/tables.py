"""Columns declared once, for the page and the xlsx export. The caller's phone is always masked on
the page; the export carries it in full only for roles entitled to personal data (and is audited)."""

import django_tables2 as tables
from django.utils import timezone

from pingan.core.masking import mask_phone
from pingan.core.tables import Table
from pingan.incidents.models import Incident


class IncidentTable(Table):
    page_by_ids = True  # a station's page: its 50 ids from incident_area_time_idx, then their rows
    number = tables.Column("警情编号", linkify=("incidents:detail", {"pk": tables.A("pk")}))
    received_at = tables.Column("接警时间")
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",),
                             default="")
    area = tables.Column("村(社区)", accessor="area__short_name", order_by=("area__code",))
    category = tables.Column("类别", accessor="category__name", order_by=("category__order",))
    caller_name = tables.Column("报警人")
    caller_phone = tables.Column("报警电话", orderable=False)
    address = tables.Column("发生地址")
    status = tables.Column("处置状态")
    repeat = tables.Column("重复警情", accessor="cluster__kind", default="", orderable=False)
    content = tables.Column("警情内容", attrs={"td": {"class": "text-truncate", "style": "max-width: 22rem"}})

    class Meta:
        model = Incident
        fields = ("number", "received_at", "township", "area", "category", "caller_name", "caller_phone",
                  "address", "status", "repeat", "content")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的警情"

    def __init__(self, *args, full_personal_data: bool = False, **kwargs):
        self.full_personal_data = full_personal_data
        super().__init__(*args, **kwargs)

    def render_received_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def value_received_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def render_township(self, value, record):
        return value if record.area.level == 4 else "—"

    def render_area(self, value, record):
        suffix = "（待定位）" if record.needs_placement else ""
        return f"{value}{suffix}"

    def render_caller_phone(self, value):
        return mask_phone(value)

    def value_caller_phone(self, value):
        return value if self.full_personal_data else mask_phone(value)

    def render_repeat(self, value, record):
        return record.cluster.get_kind_display() if record.cluster_id else ""

    def value_repeat(self, value, record):
        return record.cluster.get_kind_display() if record.cluster_id else ""

    def render_content(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def value_content(self, value):
        return value
