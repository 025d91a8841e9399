"""林草湖警长 report indicators, computed from individual records (a zone, a person on a chain, a
patrol, a joint action, a case linked to a zone) — never from stored totals. Zones and chains are
read at year end (``ReportContext.as_of``); patrols, actions and cases by their date in the year."""

from __future__ import annotations

import decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from pingan.ecology.models import (
    MU_PER_HECTARE,
    EcoCase,
    FindingKind,
    JointAction,
    Keeper,
    KeeperLevel,
    Patrol,
    SizeUnit,
    Zone,
    ZoneKind,
)
from pingan.reports.registry import Column, Indicator, Programme, ReportContext, register, register_programme
from pingan.reports.text import num

PROGRAMME = "ecology"
ZERO = decimal.Decimal("0.00")


def _in_year(ctx: ReportContext, field: str) -> Q:
    return Q(**{f"{field}__gte": ctx.first_day, f"{field}__lte": ctx.last_day})


def _zones(ctx: ReportContext):
    return (Zone.objects.filter(area__path__startswith=ctx.banner.path).in_force(ctx.as_of)
            .select_related("area"))


def _keepers(ctx: ReportContext):
    return (Keeper.objects.current(ctx.as_of).filter(zone__in=_zones(ctx).values("pk"))
            .select_related("zone", "staff"))


def _patrols(ctx: ReportContext):
    return (Patrol.objects.filter(zone__area__path__startswith=ctx.banner.path).filter(_in_year(ctx, "patrolled_on"))
            .select_related("zone__area"))


def _actions(ctx: ReportContext):
    return (JointAction.objects.filter(zone__area__path__startswith=ctx.banner.path)
            .filter(_in_year(ctx, "acted_on")).select_related("zone__area"))


def _cases(ctx: ReportContext):
    return (EcoCase.objects.filter(zone__area__path__startswith=ctx.banner.path)
            .filter(_in_year(ctx, "case__accepted_on")).select_related("zone__area", "case__category", "joint_action"))


def _area_mu(records, ctx) -> decimal.Decimal:
    mu = Case(When(size_unit=SizeUnit.HECTARE, then=F("size") * Value(MU_PER_HECTARE)), default=F("size"),
              output_field=DecimalField(max_digits=14, decimal_places=2))
    total = records.aggregate(total=Coalesce(Sum(mu), Value(ZERO), output_field=DecimalField()))["total"]
    return decimal.Decimal(total).quantize(decimal.Decimal("0.01"))


def _people(records, ctx) -> int:
    """Distinct people: a staff member once however many chains they are on; others by name and phone."""
    staff = records.filter(staff__isnull=False).order_by().values("staff_id").distinct().count()
    others = records.filter(staff__isnull=True).order_by().values("name", "phone_hash").distinct().count()
    return staff + others


def _distinct_cases(records, ctx) -> int:
    return records.order_by().values("case_id").distinct().count()


def _distinct_agencies(records, ctx) -> int:
    return records.filter(agencies__isnull=False).order_by().values("agencies").distinct().count()


_zone_columns = (Column("责任区", lambda z: z.name), Column("类型", lambda z: z.kind),
                 Column("所属辖区", lambda z: z.area.short_name), Column("面积", lambda z: z.size_text),
                 Column("设立日期", lambda z: z.established_on))
_keeper_columns = (Column("责任区", lambda k: k.zone.name), Column("层级", lambda k: k.level_short),
                   Column("姓名", lambda k: k.name), Column("职务", lambda k: k.post),
                   Column("在人员台账", lambda k: "是" if k.staff_id else "否"), Column("起始日期", lambda k: k.start))
_patrol_columns = (Column("巡护日期", lambda p: p.patrolled_on), Column("责任区", lambda p: p.zone.name),
                   Column("所属辖区", lambda p: p.zone.area.short_name), Column("发现问题", lambda p: p.finding_kind),
                   Column("巡护情况", lambda p: p.findings))
_action_columns = (Column("执法日期", lambda a: a.acted_on), Column("行动名称", lambda a: a.title),
                   Column("责任区", lambda a: a.zone.name),
                   Column("参加部门", lambda a: "、".join(g.short_name or g.name for g in a.agencies.all())),
                   Column("检查发现", lambda a: a.findings))
_case_columns = (Column("案件编号", lambda c: c.case.number), Column("案件名称", lambda c: c.case.title),
                 Column("类别", lambda c: c.case.category.name), Column("受案日期", lambda c: c.case.accepted_on),
                 Column("责任区", lambda c: c.zone.name), Column("来源", lambda c: c.source))


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    v = {code.removeprefix("ecology."): values.get(code) or 0 for code in values if code.startswith("ecology.")}
    zones = v.get("zones", 0)
    if not zones and not v.get("patrols", 0) and not v.get("joint_actions", 0):
        return []
    year, place = ctx.year, ctx.place
    text = "将警务工作与生态保护相结合。"
    if zones:
        kinds = dict.fromkeys(ZoneKind.values, 0)
        for kind in _zones(ctx).visible_to(ctx.actor).values_list("kind", flat=True):
            kinds[kind] += 1
        parts = "、".join(f"{k}{n}个" for k, n in kinds.items() if n)
        text += (f"{year}年，{place}深化“林草湖警长”制度，按照“山水林田湖草沙”一体化治理要求，"
                 f"划定生态保护责任区{zones}个（{parts}）")
        area = v.get("zone_area_mu") or ZERO
        if area:
            text += f"，面积合计{_wan_mu(area)}"
        text += "，旗级警长、派出所所长、驻村民警(辅警)、护林员(村干部)四级责任层层落实到人"
        complete = v.get("complete_chains", 0)
        text += "，责任链全部落实。" if complete >= zones else f"，{complete}个责任区责任链完整。"
    guards, patrols, found = v.get("guards", 0), v.get("patrols", 0), v.get("patrol_findings", 0)
    if guards or patrols:
        text += "积极协同基层组织，"
        if guards:
            text += f"发动护林员、村干部{guards}人组建基层生态护卫队伍，"
        if patrols:
            text += f"全年开展巡护{patrols}次" + (f"，发现并处置各类破坏生态问题{found}起" if found else "")
        text = text.rstrip("，") + "。"
    actions = v.get("joint_actions", 0)
    if actions:
        names = sorted({g.short_name or g.name for a in _actions(ctx).visible_to(ctx.actor).prefetch_related("agencies")
                        for g in a.agencies.all()})
        who = "、".join(names[:6]) + ("等部门" if names else "")
        text += f"与{who or '相关部门'}建立生态环保联勤联动机制，开展联合执法{actions}次。"
    cases, joint_cases = v.get("cases", 0), v.get("joint_cases", 0)
    if cases:
        text += f"全年在责任区内查处破坏生态环境案件{cases}起"
        if joint_cases:
            text += "，均在联合执法中立案" if joint_cases >= cases else f"，其中联合执法中立案{joint_cases}起"
        text += "。"
    text += "形成“山有人管、林有人护、案有人查、责有人担”的生态资源保护发展长效机制。"
    return [text]


def _wan_mu(mu: decimal.Decimal) -> str:
    if mu >= 10000:
        return f"{num((mu / 10000).quantize(decimal.Decimal('0.01')), 2)}万亩"
    return f"{num(mu.quantize(decimal.Decimal('0.01')), 2)}亩"


register_programme(Programme(PROGRAMME, "林草湖警长", order=23, summary=_summary))


def _register(code, name, unit, description, records, *, value=None, month_field=None, area_field=None,
              columns=(), decimals=0):
    kwargs = {"value": value} if value is not None else {}
    register(Indicator(code=code, name=name, unit=unit, programme=PROGRAMME, description=description,
                       records=records, month_field=month_field, area_field=area_field, columns=columns,
                       decimals=decimals, **kwargs))


_register("ecology.zones", "林草湖责任区", "个", "年末(或今天)在册的“山水林田湖草沙”责任区", _zones,
          area_field="area", columns=_zone_columns)
_register("ecology.zones_added", "新设责任区", "个", "当年设立的责任区",
          lambda ctx: Zone.objects.filter(area__path__startswith=ctx.banner.path).filter(
              _in_year(ctx, "established_on")).select_related("area"),
          month_field="established_on", area_field="area", columns=_zone_columns)
_register("ecology.zone_area_mu", "责任区面积", "亩", "在册责任区面积合计（公顷按1公顷=15亩折算）", _zones,
          value=_area_mu, area_field="area", columns=_zone_columns, decimals=2)
_register("ecology.complete_chains", "责任链完整的责任区", "个",
          "旗级警长、派出所所长、驻村民警/辅警、护林员/村干部四级均有在岗责任人的在册责任区",
          lambda ctx: _zones(ctx).with_complete_chain(ctx.as_of), area_field="area", columns=_zone_columns)
_register("ecology.keepers", "责任链人员", "人", "在册责任区责任链上的在岗人员（一人多区只计一次）", _keepers,
          value=_people, area_field="zone__area", columns=_keeper_columns)
_register("ecology.guards", "生态护卫队员", "人", "责任链上的护林员、村干部（一人多区只计一次）",
          lambda ctx: _keepers(ctx).filter(level=KeeperLevel.GUARD), value=_people, area_field="zone__area",
          columns=_keeper_columns)
_register("ecology.patrols", "责任区巡护", "次", "当年的巡护记录", _patrols, month_field="patrolled_on",
          area_field="zone__area", columns=_patrol_columns)
_register("ecology.patrol_findings", "巡护发现问题", "起", "当年巡护中发现毁草开垦、违规放牧、滥伐盗伐等问题的巡护",
          lambda ctx: _patrols(ctx).exclude(finding_kind=FindingKind.NONE), month_field="patrolled_on",
          area_field="zone__area", columns=_patrol_columns)
_register("ecology.joint_actions", "生态环保联合执法", "次", "当年与自然资源、林草、生态环境、水务等部门的联合执法",
          _actions, month_field="acted_on", area_field="zone__area", columns=_action_columns)
_register("ecology.joint_agencies", "联合执法参加部门", "个", "当年参加过联合执法的行政机关（不重复计）", _actions,
          value=_distinct_agencies, month_field="acted_on", area_field="zone__area", columns=_action_columns)
_register("ecology.cases", "生态环境案件", "起", "当年受案、关联到责任区的生态环境案件（不重复计）", _cases,
          value=_distinct_cases, month_field="case__accepted_on", area_field="zone__area", columns=_case_columns)
_register("ecology.joint_cases", "联合执法立案", "起", "当年联合执法中立案的生态环境案件（不重复计）",
          lambda ctx: _cases(ctx).filter(joint_action__isnull=False), value=_distinct_cases,
          month_field="case__accepted_on", area_field="zone__area", columns=_case_columns)
