"""Columns declared once, for the list pages and their xlsx exports. Phones of the chain are never
in a list or an export (they are on the zone page, masked, revealed on request)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from pingan.core.tables import Table
from pingan.ecology.models import EcoCase, JointAction, KeeperLevel, Patrol, Zone

MISSING = mark_safe('<span class="text-danger">缺</span>')


def _places(zone) -> str:
    return "、".join(p.short_name for p in zone.places.all())


def _chain_names(zone, level) -> str:
    return "、".join(k.name for k in getattr(zone, "current_keepers", []) if k.level == level)


class ZoneTable(Table):
    name = tables.Column("责任区", linkify=("ecology:zone_detail", {"pk": tables.A("pk")}))
    kind = tables.Column("类型")
    area = tables.Column("所属辖区", accessor="area__short_name", order_by=("area__code",))
    places = tables.Column("覆盖范围", accessor="pk", orderable=False)
    size = tables.Column("面积", order_by=("size",))
    banner_chief = tables.Column("旗级警长", accessor="pk", orderable=False)
    station_chief = tables.Column("派出所所长", accessor="pk", orderable=False)
    village = tables.Column("驻村民警/辅警", accessor="pk", orderable=False)
    guards = tables.Column("护林员/村干部", accessor="pk", orderable=False)
    patrols_year = tables.Column("本年巡护", attrs={"td": {"class": "text-end"}})
    actions_year = tables.Column("本年联合执法", attrs={"td": {"class": "text-end"}})
    established_on = tables.DateColumn(verbose_name="设立日期", format="Y-m-d")

    class Meta:
        model = Zone
        fields = ("name", "kind", "area", "places", "size", "banner_chief", "station_chief", "village", "guards",
                  "patrols_year", "actions_year", "established_on")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的责任区"

    def __init__(self, *args, year: int | None = None, **kwargs):
        if year:  # the yearly counts say which year they count
            kwargs["extra_columns"] = [
                ("patrols_year", tables.Column(f"{year}年巡护", attrs={"td": {"class": "text-end"}})),
                ("actions_year", tables.Column(f"{year}年联合执法", attrs={"td": {"class": "text-end"}}))]
        super().__init__(*args, **kwargs)

    def render_name(self, record, value):
        if record.ended_on:
            return format_html('{} <span class="badge text-bg-secondary">{:%Y-%m-%d}撤销</span>', value, record.ended_on)
        return value

    def render_kind(self, record):
        return record.kind

    def value_kind(self, record):
        return record.kind

    def render_places(self, record):
        text = _places(record)
        return text if len(text) <= 40 else text[:40] + "…"

    def value_places(self, record):
        return _places(record)

    def render_size(self, record):
        return record.size_text

    def value_size(self, record):
        return record.size_text

    def _level(self, record, level):
        return _chain_names(record, level)

    def render_banner_chief(self, record):
        return self._level(record, KeeperLevel.BANNER) or MISSING

    def value_banner_chief(self, record):
        return self._level(record, KeeperLevel.BANNER)

    def render_station_chief(self, record):
        return self._level(record, KeeperLevel.STATION) or MISSING

    def value_station_chief(self, record):
        return self._level(record, KeeperLevel.STATION)

    def render_village(self, record):
        return self._level(record, KeeperLevel.VILLAGE) or MISSING

    def value_village(self, record):
        return self._level(record, KeeperLevel.VILLAGE)

    def _guards(self, record):
        return sum(1 for k in getattr(record, "current_keepers", []) if k.level == KeeperLevel.GUARD)

    def render_guards(self, record):
        n = self._guards(record)
        return f"{n}人" if n else MISSING

    def value_guards(self, record):
        return self._guards(record)


class PatrolTable(Table):
    patrolled_on = tables.DateColumn(verbose_name="巡护日期", format="Y-m-d",
                                     linkify=("ecology:patrol_detail", {"pk": tables.A("pk")}))
    zone = tables.Column("责任区", accessor="zone__name", order_by=("zone__name",))
    kind = tables.Column("类型", accessor="zone__kind")
    area = tables.Column("所属辖区", accessor="zone__area__short_name", order_by=("zone__area__code",))
    people = tables.Column("巡护人员", accessor="pk", orderable=False)
    route = tables.Column("路线")
    distance_km = tables.Column("里程(公里)", default="")
    finding_kind = tables.Column("发现问题")
    findings = tables.Column("巡护情况")

    class Meta:
        model = Patrol
        fields = ("patrolled_on", "zone", "kind", "area", "people", "route", "distance_km", "finding_kind",
                  "findings")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的巡护记录"

    def _people(self, record) -> str:
        names = [k.name for k in record.people.all()]
        if record.others_count:
            names.append(f"其他{record.others_count}人")
        return "、".join(names)

    def render_people(self, record):
        return self._people(record)

    def value_people(self, record):
        return self._people(record)

    def render_finding_kind(self, record):
        if record.found_problem:
            return format_html('<span class="badge text-bg-warning">{}</span>', record.finding_kind)
        return record.finding_kind

    def value_finding_kind(self, record):
        return record.finding_kind

    def render_findings(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def value_findings(self, value):
        return value


class ActionTable(Table):
    acted_on = tables.DateColumn(verbose_name="执法日期", format="Y-m-d",
                                 linkify=("ecology:action_detail", {"pk": tables.A("pk")}))
    title = tables.Column("行动名称")
    zone = tables.Column("责任区", accessor="zone__name", order_by=("zone__name",))
    area = tables.Column("所属辖区", accessor="zone__area__short_name", order_by=("zone__area__code",))
    agencies = tables.Column("参加部门", accessor="pk", orderable=False)
    participants = tables.Column("出动人数", attrs={"td": {"class": "text-end"}})
    findings = tables.Column("检查发现")

    class Meta:
        model = JointAction
        fields = ("acted_on", "title", "zone", "area", "agencies", "participants", "findings")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的联合执法记录"

    def _agencies(self, record) -> str:
        return "、".join(a.short_name or a.name for a in record.agencies.all())

    def render_agencies(self, record):
        return self._agencies(record)

    def value_agencies(self, record):
        return self._agencies(record)

    def render_findings(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def value_findings(self, value):
        return value


class EcoCaseTable(Table):
    number = tables.Column("案件编号", accessor="case__number", order_by=("case__number",),
                           linkify=("cases:detail", {"pk": tables.A("case_id")}))
    title = tables.Column("案件名称", accessor="case__title", order_by=("case__title",))
    category = tables.Column("类别", accessor="case__category__name", order_by=("case__category__order",))
    case_kind = tables.Column("性质", accessor="case__kind", order_by=("case__kind",))
    accepted_on = tables.DateColumn(verbose_name="受案日期", accessor="case__accepted_on", format="Y-m-d")
    status = tables.Column("办理状态", accessor="case__status", order_by=("case__status",))
    zone = tables.Column("责任区", accessor="zone__name", order_by=("zone__name",),
                         linkify=("ecology:zone_detail", {"pk": tables.A("zone_id")}))
    zone_kind = tables.Column("类型", accessor="zone__kind")
    source = tables.Column("来源", accessor="pk", orderable=False)
    station = tables.Column("主办单位", accessor="case__station__short_name", default="")

    class Meta:
        model = EcoCase
        fields = ("number", "title", "category", "case_kind", "accepted_on", "status", "zone", "zone_kind", "source",
                  "station")
        attrs = {"class": "table table-sm table-hover"}
        empty_text = "没有符合条件的生态环境案件"

    def render_case_kind(self, record):
        return record.case.get_kind_display()

    def value_case_kind(self, record):
        return record.case.get_kind_display()

    def render_status(self, record):
        return record.case.get_status_display()

    def value_status(self, record):
        return record.case.get_status_display()

    def _source(self, record) -> str:
        if record.joint_action_id:
            return f"联合执法（{record.joint_action.acted_on:%Y-%m-%d}）"
        if record.patrol_id:
            return f"巡护发现（{record.patrol.patrolled_on:%Y-%m-%d}）"
        return "其他"

    def render_source(self, record):
        return self._source(record)

    def value_source(self, record):
        return self._source(record)
