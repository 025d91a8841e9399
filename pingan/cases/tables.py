"""Columns declared once, for the page and the xlsx export (no personal data in these lists)."""

import django_tables2 as tables

from pingan.cases.models import Campaign, Case, Operation
from pingan.core.tables import Table


class CaseTable(Table):
    number = tables.Column("案件编号", linkify=("cases:detail", {"pk": tables.A("pk")}))
    title = tables.Column("案件名称", attrs={"td": {"class": "text-truncate", "style": "max-width: 18rem"}})
    kind = tables.Column("性质")
    category = tables.Column("类别", accessor="category__name", order_by=("category__order",))
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",), default="")
    area = tables.Column("发案地", accessor="area__short_name", order_by=("area__code",))
    station = tables.Column("主办单位", accessor="station__short_name", default="")
    accepted_on = tables.Column("受案日期")
    solved_on = tables.Column("破案日期", default="")
    status = tables.Column("状态")
    operation = tables.Column("合成作战", accessor="operation__name", default="")

    class Meta:
        model = Case
        fields = ("number", "title", "kind", "category", "township", "area", "station", "accepted_on", "solved_on",
                  "status", "operation")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的案件"

    def render_category(self, value, record):
        return record.category.label

    def value_category(self, value, record):
        return record.category.label

    def render_township(self, value, record):
        return value if record.area.level == 4 else record.area.short_name

    def value_township(self, value, record):
        return value if record.area.level == 4 else record.area.short_name

    def render_area(self, value, record):
        return value if record.area.level == 4 else "—"

    def render_station(self, value, record):
        return value or (record.station.name if record.station_id else "")


class CampaignTable(Table):
    name = tables.Column("行动名称", linkify=("cases:campaign", {"pk": tables.A("pk")}))
    kind = tables.Column("类型")
    area = tables.Column("行动范围", accessor="area__short_name")
    organizer = tables.Column("牵头单位", accessor="organizer__short_name", default="")
    start = tables.Column("开始日期")
    end = tables.Column("结束日期")
    n_units = tables.Column("参战单位数", orderable=False)
    phase = tables.Column("阶段", accessor="pk", orderable=False)

    class Meta:
        model = Campaign
        fields = ("name", "kind", "area", "organizer", "start", "end", "n_units", "phase")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有专项行动"

    def render_phase(self, value, record):
        return record.phase()

    def value_phase(self, value, record):
        return record.phase()


class OperationTable(Table):
    name = tables.Column("作战名称", linkify=("cases:operation", {"pk": tables.A("pk")}))
    area = tables.Column("组织辖区", accessor="area__short_name")
    lead_unit = tables.Column("牵头单位", accessor="lead_unit__short_name", default="")
    opened_on = tables.Column("启动日期")
    method = tables.Column("作案手段", default="")
    goods = tables.Column("侵害物品", default="")
    status = tables.Column("状态")

    class Meta:
        model = Operation
        fields = ("name", "area", "lead_unit", "opened_on", "method", "goods", "status")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有合成作战"
