"""Columns declared once, for the page and the xlsx export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from pingan.core.masking import mask_id_number, mask_phone
from pingan.core.tables import Table
from pingan.procuratorate.models import (
    FraudIntervention,
    Lead,
    PublicityEvent,
    Suggestion,
    WageClaim,
    WageWorker,
)

ATTRS = {"class": "table table-sm table-hover"}


class LeadTable(Table):
    number = tables.Column("编号", linkify=("procuratorate:lead_detail", {"pk": tables.A("pk")}))
    received_on = tables.DateColumn(verbose_name="受理日期", format="Y-m-d")
    field = tables.Column("领域")
    source = tables.Column("来源")
    subject = tables.Column("事由")
    area = tables.Column("辖区", accessor="area__short_name", order_by=("area__code",))
    status = tables.Column("状态")

    class Meta:
        model = Lead
        fields = ("number", "received_on", "field", "source", "subject", "area", "status")
        attrs = ATTRS
        empty_text = "没有符合条件的线索"


class SuggestionTable(Table):
    number = tables.Column("文号", linkify=("procuratorate:suggestion_detail", {"pk": tables.A("pk")}),
                           empty_values=())
    title = tables.Column("标题")
    addressed_agency = tables.Column("被建议单位", accessor="addressed_agency__name",
                                     order_by=("addressed_agency__name",))
    field = tables.Column("领域")
    served_on = tables.DateColumn(verbose_name="送达日期", format="Y-m-d")
    reply_deadline = tables.DateColumn(verbose_name="回复期限", format="Y-m-d")
    status = tables.Column("状态", empty_values=())
    verification = tables.Column("核查结论")

    class Meta:
        model = Suggestion
        fields = ("number", "title", "addressed_agency", "field", "served_on", "reply_deadline", "status",
                  "verification")
        attrs = ATTRS
        empty_text = "没有符合条件的检察建议"

    def render_number(self, value, record):
        return value or "（未编号）"

    def render_status(self, record):
        label = record.get_status_display()
        if record.is_overdue():
            return format_html('{} <span class="badge bg-danger">逾期{}天</span>', label, record.overdue_days)
        return label

    def value_number(self, value, record):
        return value or ""

    def value_status(self, record):
        return record.get_status_display() + ("（逾期）" if record.is_overdue() else "")


class ClaimTable(Table):
    number = tables.Column("编号", linkify=("procuratorate:claim_detail", {"pk": tables.A("pk")}))
    project = tables.Column("建设工程项目")
    contractor = tables.Column("施工承包人")
    area = tables.Column("辖区", accessor="area__short_name", order_by=("area__code",))
    worker_count = tables.Column("农民工(名)")
    received_on = tables.DateColumn(verbose_name="受理日期", format="Y-m-d")
    status = tables.Column("状态")

    class Meta:
        model = WageClaim
        fields = ("number", "project", "contractor", "area", "worker_count", "received_on", "status")
        attrs = ATTRS
        empty_text = "没有符合条件的讨薪案件"


class WorkerTable(Table):
    """Workers of one claim. The page always masks; a full export is for roles entitled to it."""

    name = tables.Column("姓名")
    id_number = tables.Column("身份证号码", orderable=False)
    phone = tables.Column("手机号码", orderable=False)
    hometown = tables.Column("籍贯/住址")
    amount_owed = tables.Column("被拖欠工资(元)")

    class Meta:
        model = WageWorker
        fields = ("name", "id_number", "phone", "hometown", "amount_owed")
        attrs = ATTRS
        orderable = False

    def __init__(self, *args, full_personal_data: bool = False, **kwargs):
        self.full_personal_data = full_personal_data
        super().__init__(*args, **kwargs)

    def render_id_number(self, value):
        return mask_id_number(value)

    def render_phone(self, value):
        return mask_phone(value)

    def value_id_number(self, value):
        return value if self.full_personal_data else mask_id_number(value)

    def value_phone(self, value):
        return value if self.full_personal_data else mask_phone(value)

    def value_amount_owed(self, value):
        return value


class FraudTable(Table):
    case_ref = tables.Column("案件编号", linkify=("procuratorate:fraud_detail", {"pk": tables.A("pk")}))
    case_name = tables.Column("案件名称")
    crime = tables.Column("涉嫌罪名")
    cross_border = tables.BooleanColumn(verbose_name="跨境", yesno="是,否")
    region = tables.Column("境外地区")
    intervened_on = tables.DateColumn(verbose_name="介入日期", format="Y-m-d")
    stage = tables.Column("阶段")
    victim_count = tables.Column("被害人")
    recovered_total = tables.Column("挽回损失(元)")

    class Meta:
        model = FraudIntervention
        fields = ("case_ref", "case_name", "crime", "cross_border", "region", "intervened_on", "stage",
                  "victim_count", "recovered_total")
        attrs = ATTRS
        empty_text = "没有符合条件的提前介入记录"


class PublicityTable(Table):
    held_on = tables.DateColumn(verbose_name="日期", format="Y-m-d")
    area = tables.Column("辖区", accessor="area__short_name", order_by=("area__code",))
    place = tables.Column("地点")
    forms = tables.Column("形式")
    materials = tables.Column("发放资料(份)")
    audience = tables.Column("受众(人次)")

    class Meta:
        model = PublicityEvent
        fields = ("held_on", "area", "place", "forms", "materials", "audience")
        attrs = ATTRS
        empty_text = "没有符合条件的宣传活动"
