"""The organisation's report indicators (一村一警, 进班子, 警力下沉)."""

from django.db.models import Exists, OuterRef

from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, Level
from pingan.core.scope import Line
from pingan.org.models import (
    POLICE_CATEGORIES,
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


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    """做实基层“小警务”: the paragraphs of the work summary, worded like the newspaper's; a sentence
    whose figure is 0 is left out."""
    v = {code.removeprefix("org."): values.get(code) or 0 for code in values if code.startswith("org.")}
    # A reader who sees part of the banner (a station chief) gets the summary of that part.
    banner = ctx.banner.short_name if ctx.whole_banner else ctx.banner.short_name + ctx.place
    place, again = ("全旗", "该旗") if ctx.whole_banner else ("辖区", "")
    year = ctx.year
    paragraphs = []

    villages, covered = v.get("admin_villages", 0), v.get("villages_with_officer", 0)
    aux, assistants, rooms = (v.get("auxiliary_officers_assigned", 0), v.get("part_time_assistants", 0),
                              v.get("police_rooms_high_standard", 0))
    if aux or assistants or rooms:
        full = bool(villages) and covered >= villages
        lead = (f"推进“一村一警”建设。{banner}把推进“一村一警”建设作为强基层、实基础的着力点，大力实施社区警务战略，"
                "立足“派出所主防”职能定位，下移重心、下沉警力")
        lead += "，实现农村派出所“一村一辅警”全覆盖。" if full else "。"
        staffing = "、".join(x for x in (f"{aux}名辅警" if aux else "", f"{assistants}名兼职警务助理" if assistants else "")
                            if x)
        clauses = [f"建成{rooms}个高标准乡村警务室"] if rooms else []
        if staffing and full:
            clauses.append(f"为{place}{villages}个行政村配备{staffing}")
        elif staffing and covered:
            clauses.append(f"为{place}{villages}个行政村中的{covered}个配备{staffing}")
        elif staffing:
            clauses.append(f"在{place}配备{staffing}")
        text = lead + again + "，".join(clauses) + "，将警务工作做到群众家门口，以“小警务”换取“大平安”。"
        if aux and villages > covered:
            text += f"目前尚有{villages - covered}个行政村未配备驻村辅警。"
        paragraphs.append(text)

    officers, towns, seats_villages = (v.get("team_seat_officers", 0), v.get("team_seat_townships", 0),
                                       v.get("team_seat_villages", 0))
    if officers and (towns or seats_villages):
        teams = [f"{towns}个乡镇苏木" if towns else "", f"{seats_villages}个社区（村、嘎查）" if seats_villages else ""]
        teams = [t for t in teams if t]
        verb = "分别担任" if len(teams) > 1 else "担任"
        paragraphs.append(
            f"派出所所长进乡镇班子。{banner}实施派出所所长进乡镇（街道）班子、社区民警进社区（村、嘎查）班子工作举措，"
            f"将警力下沉、警务前置、保障下倾。{year}年，委派{officers}名社区民辅警{verb}{'、'.join(teams)}班子成员，"
            "参与村级事务管理，全面建立党建引领下的“警务+村务”体系。")

    recruits, to_stations, moved = (v.get("new_recruits", 0), v.get("new_recruits_to_stations", 0),
                                    v.get("staff_moved_to_stations", 0))
    if recruits or moved:
        text = f"推动警力下沉基层派出所。{banner}牢固树立“派出所主防”理念，聚焦基层基础，做精机关，做强基层。"
        if recruits:
            text += f"{year}年，新招录民辅警{recruits}名"
            if to_stations >= recruits:
                text += "，全部分配至基层派出所，新鲜血液的注入进一步激发了基层活力和战斗力"
            elif to_stations:
                text += f"，其中{to_stations}名优先分配至基层派出所"
            text += "；"
        if moved:
            text += f"采取机关警力下沉一线措施，今年{'又' if recruits else ''}先后调整机关{moved}名民辅警下沉到基层派出所"
        paragraphs.append(text.rstrip("；") + "。")
    return paragraphs


register_programme(Programme("org", "组织与警力", order=10, summary=_summary))


def _active_assignments(ctx: ReportContext, role: str):
    return active_on(VillageAssignment.objects.filter(village__path__startswith=ctx.banner.path, role=role), ctx.as_of)


def _police_seats(ctx: ReportContext):
    # By category, not the person's current unit: an officer who later leaves the police keeps
    # their past seats in past years' reports.
    return overlapping(TeamSeat.objects.filter(area__path__startswith=ctx.banner.path,
                                               staff__category__in=POLICE_CATEGORIES),
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
    # The assignment must be one the reader may see too: a grid worker sees the village, not the police.
    records=lambda ctx: Area.objects.filter(path__startswith=ctx.banner.path, kind__in=ADMIN_VILLAGE_KINDS).filter(
        Exists(active_on(VillageAssignment.objects.visible_to(ctx.actor).filter(
            village=OuterRef("pk"), role=AssignmentRole.AUXILIARY), ctx.as_of))).select_related("parent"),
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
