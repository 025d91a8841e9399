"""Columns declared once, for the list pages and their xlsx exports. Applicants' ID numbers are
masked in the list and the export (shown in full on the request page only on request, audited)."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.safestring import mark_safe

from pingan.core.tables import Table
from pingan.onestop.models import ServiceRequest
from pingan.org.models import Agency


class RequestTable(Table):
    number = tables.Column("受理编号", linkify=("onestop:request_detail", {"pk": tables.A("pk")}))
    received_at = tables.DateTimeColumn(verbose_name="受理时间", format="Y-m-d H:i")
    station = tables.Column("受理派出所", accessor="station__short_name", order_by=("station__area__code",))
    kind = tables.Column("业务类别")
    item = tables.Column("办理事项")
    channel = tables.Column("渠道")
    applicant = tables.Column("申请人", accessor="applicant_name")
    id_number = tables.Column("身份证号码", accessor="applicant_id_number", orderable=False)
    outcome = tables.Column("办理结果", empty_values=())
    completed_at = tables.DateTimeColumn(verbose_name="办结(答复)时间", format="Y-m-d H:i", default="")
    duration = tables.Column("用时", accessor="pk", orderable=False)

    class Meta:
        model = ServiceRequest
        fields = ("number", "received_at", "station", "kind", "item", "channel", "applicant", "id_number", "outcome",
                  "completed_at", "duration")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的窗口业务"

    def render_id_number(self, record):
        return record.id_masked

    def value_id_number(self, record):
        return record.id_masked

    def render_outcome(self, record):
        if not record.outcome:
            return mark_safe('<span class="badge text-bg-warning">未办结</span>')
        return record.outcome

    def value_outcome(self, record):
        return record.outcome or "未办结"

    def render_duration(self, record):
        return record.duration_text or "—"

    def value_duration(self, record):
        return record.duration_text

    def value_received_at(self, record):
        return timezone.localtime(record.received_at).strftime("%Y-%m-%d %H:%M")

    def value_completed_at(self, record):
        return timezone.localtime(record.completed_at).strftime("%Y-%m-%d %H:%M") if record.completed_at else ""


class StationTable(Table):
    name = tables.Column("派出所", accessor="short_name", order_by=("area__code",),
                         linkify=("onestop:station_detail", {"pk": tables.A("pk")}))
    area = tables.Column("辖区", accessor="area__short_name", order_by=("area__code",))
    one_stop = tables.Column("一站式派出所", accessor="pk", orderable=False)
    since = tables.DateColumn(verbose_name="成为一站式日期", accessor="one_stop__since", format="Y-m-d", default="",
                              order_by=("one_stop__since",))
    services = tables.Column("综窗业务", accessor="pk", orderable=False)
    windows = tables.Column("综合窗口", accessor="one_stop__windows", default="")
    requests_year = tables.Column("本年受理", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Agency
        fields = ("name", "area", "one_stop", "since", "services", "windows", "requests_year")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "辖区内没有派出所"

    def __init__(self, *args, year: int | None = None, **kwargs):
        if year:
            kwargs["extra_columns"] = [("requests_year", tables.Column(f"{year}年受理",
                                                                       attrs={"td": {"class": "text-end"}}))]
        super().__init__(*args, **kwargs)

    def render_name(self, record):
        return record.short_name or record.name

    def value_name(self, record):
        return record.short_name or record.name

    def render_one_stop(self, record):
        return mark_safe('<span class="badge text-bg-success">是</span>') if self._one(record) else "否"

    def value_one_stop(self, record):
        return "是" if self._one(record) else "否"

    def _one(self, record):
        try:
            return record.one_stop
        except Agency.one_stop.RelatedObjectDoesNotExist:
            return None

    def render_services(self, record):
        one = self._one(record)
        return one.services_text if one else "—"

    def value_services(self, record):
        one = self._one(record)
        return one.services_text if one else ""
