"""Columns declared once, for the list pages and their xlsx exports. Parties' phones and ID numbers
are never in a list or an export (they are on the dispute page, masked, revealed on request)."""

import django_tables2 as tables
from django.utils.html import format_html

from pingan.core.tables import Table
from pingan.disputes.models import Dispute, Hazard, Visit


def _township(record):
    return record.area.parent.short_name if record.area.parent_id else ""


class DisputeTable(Table):
    number = tables.Column("编号", linkify=("disputes:detail", {"pk": tables.A("pk")}))
    registered_at = tables.DateTimeColumn(verbose_name="登记时间", format="Y-m-d H:i")
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",))
    village = tables.Column("村(嘎查、社区)", accessor="area__short_name", order_by=("area__code",))
    kind = tables.Column("类型")
    title = tables.Column("事由")
    parties = tables.Column("当事人", accessor="pk", orderable=False)
    risk = tables.Column("风险")
    status = tables.Column("状态")
    handler = tables.Column("承办", accessor="assigned_agency__name", order_by=("assigned_agency__name",),
                            default="—")
    deadline = tables.DateColumn(verbose_name="时限", format="Y-m-d")
    overdue = tables.Column("超期", accessor="deadline", orderable=False, empty_values=())
    result = tables.Column("化解结果", default="")

    class Meta:
        model = Dispute
        fields = ("number", "registered_at", "township", "village", "kind", "title", "parties", "risk", "status",
                  "handler", "deadline", "overdue", "result")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的矛盾纠纷"

    def render_parties(self, record):
        return "、".join(p.name for p in record.parties.all()) or "—"

    def value_parties(self, record):
        return self.render_parties(record)

    def render_risk(self, record):
        return format_html('<span class="badge risk-{}">{}</span>', record.risk_css, record.get_risk_display())

    def value_risk(self, record):
        return record.get_risk_display()

    def render_handler(self, record):
        return record.handler or "—"

    def value_handler(self, record):
        return record.handler

    def render_overdue(self, record):
        if record.is_overdue:
            return format_html('<span class="text-danger fw-bold">超期{}天</span>', record.days_overdue)
        if record.closed_late:
            return format_html('<span class="text-warning-emphasis">超期办结</span>')
        return ""

    def value_overdue(self, record):
        if record.is_overdue:
            return f"超期{record.days_overdue}天"
        return "超期办结" if record.closed_late else ""


class VisitTable(Table):
    visited_on = tables.DateColumn(verbose_name="走访日期", format="Y-m-d", linkify=("disputes:visit_detail", {"pk": tables.A("pk")}))
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",))
    village = tables.Column("村(嘎查、社区)", accessor="area__short_name", order_by=("area__code",))
    place_kind = tables.Column("对象类型")
    place_name = tables.Column("走访对象")
    team = tables.Column("走访人员", accessor="pk", orderable=False)
    findings = tables.Column("走访情况")
    found = tables.Column("发现", accessor="pk", orderable=False)

    class Meta:
        model = Visit
        fields = ("visited_on", "township", "village", "place_kind", "place_name", "team", "findings", "found")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的走访记录"

    def render_team(self, record):
        return "、".join(s.name for s in record.team.all())

    def value_team(self, record):
        return self.render_team(record)

    def render_findings(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def value_findings(self, value):
        return value

    def _found(self, record) -> str:
        parts = []
        if record.disputes.all():
            parts.append(f"纠纷线索{len(record.disputes.all())}")
        if record.hazards.all():
            parts.append(f"隐患{len(record.hazards.all())}")
        return "、".join(parts) or "无异常"

    def render_found(self, record):
        return self._found(record)

    def value_found(self, record):
        return self._found(record)


class HazardTable(Table):
    found_on = tables.DateColumn(verbose_name="发现日期", format="Y-m-d", linkify=("disputes:hazard_detail", {"pk": tables.A("pk")}))
    township = tables.Column("乡镇(苏木)", accessor="area__parent__short_name", order_by=("area__code",))
    village = tables.Column("村(嘎查、社区)", accessor="area__short_name", order_by=("area__code",))
    place_name = tables.Column("场所")
    category = tables.Column("类别")
    severity = tables.Column("等级")
    description = tables.Column("隐患描述")
    responsible = tables.Column("责任单位(人)")
    deadline = tables.DateColumn(verbose_name="整改期限", format="Y-m-d")
    status = tables.Column("状态")
    rectified_on = tables.DateColumn(verbose_name="整改完成", format="Y-m-d", default="")
    overdue = tables.Column("超期", accessor="deadline", orderable=False, empty_values=())

    class Meta:
        model = Hazard
        fields = ("found_on", "township", "village", "place_name", "category", "severity", "description",
                  "responsible", "deadline", "status", "rectified_on", "overdue")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的隐患"

    def render_description(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def value_description(self, value):
        return value

    def _overdue(self, record) -> str:
        if record.is_overdue:
            return f"超期{record.days_overdue}天"
        if record.rectified_on and record.rectified_on > record.deadline:
            return "超期整改"
        return ""

    def render_overdue(self, record):
        text = self._overdue(record)
        return format_html('<span class="text-danger fw-bold">{}</span>', text) if record.is_overdue else text

    def value_overdue(self, record):
        return self._overdue(record)
