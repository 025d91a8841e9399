"""The organisation's report indicators (一村一警, 进班子, 警力下沉)."""

from django.db.models import Exists, OuterRef

from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, Level
from pingan.core.scope import Line
from pingan.org.models import (
    AgencyKind,
    AssignmentRole,
    PoliceRoom,
    Posting,
    Staff,
    TeamSeat,
    VillageAssignment,
)
from pingan.org.selectors import active_on, moves_to_stations, new_recruit_postings, overlapping
from pingan.reports.registry import Column, Indicator, Programme, ReportContext, register, register_programme

register_programme(Programme("org", "组织与警力", order=10))


def _active_assignments(ctx: ReportContext, role: str):
    return active_on(VillageAssignment.objects.filter(village__path__startswith=ctx.banner.path, role=role), ctx.as_of)


def _police_seats(ctx: ReportContext):
    return overlapping(TeamSeat.objects.filter(area__path__startswith=ctx.banner.path, staff__agency__line=Line.POLICE),
                       ctx.first_day, ctx.last_day)


def _distinct_staff(records, ctx):
    return records.values("staff_id").distinct().count()


_area_columns = (Column("乡镇(苏木)", lambda a: a.parent.short_name if a.parent else ""),
                 Column("名称", lambda a: a.short_name), Column("区划代码", lambda a: a.code))
_staff_columns = (Column("姓名", lambda s: s.name), Column("类别", lambda s: s.category),
                  Column("单位", lambda s: s.agency.name), Column("工作辖区", lambda s: s.area.short_name))

register(Indicator(
    code="org.admin_villages", name="行政村(村、嘎查)数", unit="个", programme="org",
    description="旗内类型为村或嘎查的村级单位数（不含社区、居委会和农场分场）",
    records=lambda ctx: Area.objects.filter(path__startswith=ctx.banner.path, kind__in=ADMIN_VILLAGE_KINDS)
    .select_related("parent"),
    area_field="", columns=_area_columns,
))
register(Indicator(
    code="org.villages_with_officer", name="已配备驻村辅警的行政村", unit="个", programme="org",
    description="截至年末(或今日)有在岗驻村辅警的村、嘎查数",
    records=lambda ctx: Area.objects.filter(path__startswith=ctx.banner.path, kind__in=ADMIN_VILLAGE_KINDS).filter(
        Exists(active_on(VillageAssignment.objects.filter(village=OuterRef("pk"), role=AssignmentRole.AUXILIARY),
                         ctx.as_of))).select_related("parent"),
    area_field="", columns=_area_columns,
))
register(Indicator(
    code="org.auxiliary_officers_assigned", name="驻村辅警", unit="名", programme="org",
    description="截至年末(或今日)担任驻村辅警(一村一警)的辅警人数",
    records=lambda ctx: Staff.objects.filter(pk__in=_active_assignments(ctx, AssignmentRole.AUXILIARY)
                                             .values("staff_id")).select_related("agency", "area"),
    area_field="area", columns=_staff_columns,
))
register(Indicator(
    code="org.part_time_assistants", name="兼职警务助理", unit="名", programme="org",
    description="截至年末(或今日)在岗的兼职警务助理人数",
    records=lambda ctx: Staff.objects.filter(pk__in=_active_assignments(ctx, AssignmentRole.PART_TIME)
                                             .values("staff_id")).select_related("agency", "area"),
    area_field="area", columns=_staff_columns,
))
register(Indicator(
    code="org.police_rooms_high_standard", name="高标准乡村警务室", unit="个", programme="org",
    description="截至年末(或今日)在用的高标准乡村警务室数",
    records=lambda ctx: active_on(PoliceRoom.objects.filter(village__path__startswith=ctx.banner.path,
                                                            high_standard=True), ctx.as_of, "opened", "closed")
    .select_related("village", "station"),
    month_field="opened", area_field="village",
    columns=(Column("名称", lambda r: r.name), Column("所在村", lambda r: r.village.short_name),
             Column("派出所", lambda r: r.station.name), Column("建成日期", lambda r: r.opened)),
))
_seat_columns = (Column("姓名", lambda s: s.staff.name), Column("班子", lambda s: s.area.short_name),
                 Column("职务", lambda s: s.position), Column("起始", lambda s: s.start))
register(Indicator(
    code="org.team_seat_officers", name="进班子民辅警", unit="名", programme="org",
    description="当年在乡镇(苏木)或村(嘎查、社区)班子任职的公安民辅警人数(按人去重)",
    records=lambda ctx: _police_seats(ctx).select_related("staff", "area"), value=_distinct_staff,
    month_field="start", area_field="area", columns=_seat_columns,
))
register(Indicator(
    code="org.team_seat_townships", name="有民警进班子的乡镇(苏木)", unit="个", programme="org",
    description="当年有公安民辅警任班子成员的乡镇(苏木)数",
    records=lambda ctx: _police_seats(ctx).filter(area__level=Level.TOWNSHIP).select_related("staff", "area"),
    value=lambda qs, ctx: qs.values("area_id").distinct().count(),
    area_field="area", columns=_seat_columns,
))
register(Indicator(
    code="org.team_seat_villages", name="有民警进班子的村(嘎查、社区)", unit="个", programme="org",
    description="当年有公安民辅警任班子成员的村级单位数",
    records=lambda ctx: _police_seats(ctx).filter(area__level=Level.VILLAGE).select_related("staff", "area"),
    value=lambda qs, ctx: qs.values("area_id").distinct().count(),
    area_field="area", columns=_seat_columns,
))
_posting_columns = (Column("姓名", lambda p: p.staff.name), Column("派出所", lambda p: p.agency.name),
                    Column("到岗日期", lambda p: p.start))
register(Indicator(
    code="org.staff_moved_to_stations", name="机关民辅警下沉派出所", unit="名", programme="org",
    description="当年从公安局机关调整到派出所任职的民辅警人数（由任职经历计算）",
    records=lambda ctx: moves_to_stations(Posting.objects.filter(agency__area__path__startswith=ctx.banner.path),
                                          ctx.year).select_related("staff", "agency"),
    value=_distinct_staff, month_field="start", area_field="agency__area", columns=_posting_columns,
))
register(Indicator(
    code="org.new_recruits", name="新招录民辅警", unit="名", programme="org",
    description="当年参加工作的公安民辅警人数",
    records=lambda ctx: new_recruit_postings(
        Posting.objects.filter(agency__area__path__startswith=ctx.banner.path, agency__line=Line.POLICE), ctx.year)
    .select_related("staff", "agency"),
    value=_distinct_staff, month_field="start", area_field="agency__area", columns=_posting_columns,
))
register(Indicator(
    code="org.new_recruits_to_stations", name="新招录民辅警分配至基层派出所", unit="名", programme="org",
    description="当年参加工作、首个任职单位为派出所的民辅警人数",
    records=lambda ctx: new_recruit_postings(
        Posting.objects.filter(agency__area__path__startswith=ctx.banner.path, agency__kind=AgencyKind.POLICE_STATION),
        ctx.year).select_related("staff", "agency"),
    value=_distinct_staff, month_field="start", area_field="agency__area", columns=_posting_columns,
))
