"""反诈宣传与劝阻 report indicators, computed from individual records: a publicity event, a village's
app-registration snapshot, a warning, a dissuasion — never from stored totals.

The app figures read the boundary snapshots of the year (per village the last one before 1 January,
or the first of the year when there is none, and the last one on or before 31 December): those are
the indicator's records, so the drill-down lists exactly the figures the number is made of. Losses
recovered (追赃挽损, ``antifraud.recovered_yuan``) are the cases app's indicator; the summary quotes
it when it is there.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter

from django.db.models import Q, Sum
from django.utils import timezone

from pingan.antifraud.models import (
    ZERO,
    Dissuasion,
    FraudWarning,
    Outcome,
    PlaceType,
    PublicityEvent,
    RegistrationSnapshot,
)
from pingan.antifraud.selectors import boundary_snapshot_ids, registration_year
from pingan.procuratorate.indicators import approx, wan
from pingan.reports.registry import Column, Indicator, Programme, ReportContext, register, register_programme
from pingan.reports.text import num

PROGRAMME = "antifraud"


def approx_wan(amount: decimal.Decimal | None) -> str:
    """Money as the article rounds it: 1,036,850.00 → “100余万元”, 1,000,000.00 → “100万元”,
    56,000.00 → “5余万元”, 8,500.00 → “8500.00元”."""
    amount = amount or ZERO
    if amount < 10000:
        return wan(amount)
    tens_of_thousands = amount / 10000
    whole = int(tens_of_thousands)
    text = approx(whole)
    if not text.endswith("余") and tens_of_thousands > whole:
        text += "余"
    return f"{text}万元"


def _in_year(ctx: ReportContext, field: str) -> Q:
    return Q(**{f"{field}__gte": ctx.first_day, f"{field}__lte": ctx.last_day})


def _sum(field: str, zero=0):
    def value(records, ctx):
        total = records.aggregate(total=Sum(field))["total"] or zero
        return total.quantize(ZERO) if isinstance(total, decimal.Decimal) else total

    return value


# ---------------------------------------------------------------------------------------- records

def _events(ctx: ReportContext):
    return (PublicityEvent.objects.filter(area__path__startswith=ctx.banner.path).filter(_in_year(ctx, "held_on"))
            .select_related("area", "organiser"))


def _boundary_snapshots(ctx: ReportContext):
    base = RegistrationSnapshot.objects.filter(area__path__startswith=ctx.banner.path)
    return base.filter(pk__in=sorted(boundary_snapshot_ids(base, ctx.year))).select_related("area")


def _warnings(ctx: ReportContext):
    start = timezone.make_aware(dt.datetime(ctx.year, 1, 1))
    end = timezone.make_aware(dt.datetime(ctx.year + 1, 1, 1))
    return (FraudWarning.objects.filter(area__path__startswith=ctx.banner.path, received_at__gte=start,
                                        received_at__lt=end).select_related("area"))


def _successes(ctx: ReportContext):
    return (Dissuasion.objects.filter(area__path__startswith=ctx.banner.path, outcome=Outcome.SUCCESS)
            .filter(_in_year(ctx, "on")).select_related("area"))


# ---------------------------------------------------------------------------------------- summary

def _place_types(ctx: ReportContext) -> str:
    """The three place types most visited this year, as the article names them (超市、街道、宾馆)."""
    kinds = Counter(_events(ctx).visible_to(ctx.actor).values_list("place_type", flat=True))
    order = {value: i for i, value in enumerate(PlaceType.values)}
    top = sorted(kinds, key=lambda k: (-kinds[k], order.get(k, 99)))[:3]
    return "、".join(k for k in top if k != PlaceType.OTHER)


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    def v(code: str):
        return values.get(f"{PROGRAMME}.{code}") or 0

    banner, year = ctx.banner.short_name, ctx.year
    where = banner if ctx.whole_banner else ctx.place
    text = ""
    events = v("publicity_events")
    if events:
        places = _place_types(ctx)
        venue = f"{places}等人员密集场所" if places else "人员密集场所"
        police = f"{banner}公安局" if ctx.whole_banner else "辖区派出所"
        text = (f"开展反诈宣传提升防骗意识。针对农村地区电信网络诈骗案件高发的趋势，{where}始终坚持“以防为主、打防结合”的"
                f"工作理念，持续开展各类反诈宣传活动{events}场次。活动中，{police}民警深入{venue}")
        clauses = []
        if v("publicity_posters"):
            clauses.append(f"张贴反诈宣传海报{v('publicity_posters')}张")
        if v("publicity_handbooks"):
            clauses.append(f"发放反诈宣传手册{v('publicity_handbooks')}份")
        clauses.append("讲解反诈骗技巧")
        if v("publicity_people_reached"):
            clauses.append(f"覆盖群众{v('publicity_people_reached')}人次")
        text += "，" + "，".join(clauses) + "，切实提升了辖区群众的防骗意识和识骗能力，营造了全民反诈的浓厚宣传氛围。"

    parts = []
    new, change = v("app_new_registrations"), values.get(f"{PROGRAMME}.app_install_rate_change_pp")
    if new:
        part = f"推广“国家反诈中心”APP新增注册人员{new}人"
        if change:
            part += f"，安装率较年初{'上升' if change > 0 else '下降'}{num(abs(change), 2)}个百分点"
        parts.append(part)
    times = v("dissuasion_person_times")
    if times:
        parts.append(f"进行反诈线下预警现场劝阻群众{approx(times)}人次")
    kept = v("dissuaded_amount_yuan")
    if kept:
        parts.append(f"预警劝阻转账资金{approx_wan(kept)}")
    recovered = values.get("antifraud.recovered_yuan")
    if recovered:
        parts.append(f"追赃挽损{wan(recovered)}")
    if parts:
        text += f"{year}年，{where}" + "，".join(parts) + "。"
    return [text] if text else []


register_programme(Programme(PROGRAMME, "反诈宣传与劝阻", order=22, summary=_summary))


# ---------------------------------------------------------------------------------------- indicators

_event_columns = (Column("活动日期", lambda e: e.held_on), Column("场所类型", lambda e: e.place_type),
                  Column("活动地点", lambda e: e.place), Column("组织单位", lambda e: e.organiser.name),
                  Column("张贴海报(张)", lambda e: e.posters), Column("发放手册(份)", lambda e: e.handbooks),
                  Column("受教育群众(人次)", lambda e: e.people_reached))
_snapshot_columns = (Column("村(嘎查、社区)", lambda s: s.area.short_name), Column("统计日期", lambda s: s.on),
                     Column("累计注册人数", lambda s: s.registered), Column("人口基数", lambda s: s.population),
                     Column("安装率(%)", lambda s: s.rate_pct))
_warning_columns = (Column("预警编号", lambda w: w.number), Column("接收时间", lambda w: timezone.localtime(w.received_at)),
                    Column("村(社区)", lambda w: w.area.short_name), Column("预警来源", lambda w: w.channel),
                    Column("风险类型", lambda w: w.risk_type), Column("预警对象", lambda w: w.name_masked))
_dissuasion_columns = (Column("劝阻日期", lambda d: d.on), Column("村(社区)", lambda d: d.area.short_name),
                       Column("劝阻对象", lambda d: d.name_masked), Column("身份证号码", lambda d: d.id_masked),
                       Column("劝阻方式", lambda d: d.channel), Column("避免转账金额(元)", lambda d: d.amount_kept))


def _events_indicator(code, name, unit, description, value=None):
    extra = {"value": value} if value is not None else {}
    register(Indicator(code=f"{PROGRAMME}.{code}", name=name, unit=unit, programme=PROGRAMME, description=description,
                       records=_events, month_field="held_on", area_field="area", columns=_event_columns, **extra))


_events_indicator("publicity_events", "开展反诈宣传活动", "场次",
                  "当年在超市、街道、宾馆、学校、村部等场所开展的反诈宣传活动场次")
_events_indicator("publicity_posters", "张贴反诈宣传海报", "张", "当年反诈宣传活动张贴的海报数合计",
                  _sum("posters"))
_events_indicator("publicity_handbooks", "发放反诈宣传手册", "份", "当年反诈宣传活动发放的宣传手册数合计",
                  _sum("handbooks"))
_events_indicator("publicity_people_reached", "反诈宣传覆盖群众", "人次", "当年反诈宣传活动受教育群众人次合计",
                  _sum("people_reached"))


def _registrations(records, ctx):
    return registration_year(records, ctx.year).new_registrations


def _rate(which: str):
    def value(records, ctx):
        figures = registration_year(records, ctx.year)
        result = getattr(figures, which)
        return result if result is not None else decimal.Decimal("0.00")

    return value


_SNAPSHOT_NOTE = ("按村计算：年初取1月1日前最后一次统计（当年才开始统计的村取当年第一次统计），"
                  "年末取12月31日及以前最后一次统计")
register(Indicator(
    code=f"{PROGRAMME}.app_new_registrations", name="国家反诈中心APP新增注册", unit="人", programme=PROGRAMME,
    description=f"各村年末累计注册人数减年初累计注册人数之和。{_SNAPSHOT_NOTE}",
    records=_boundary_snapshots, value=_registrations, area_field="area", columns=_snapshot_columns))
register(Indicator(
    code=f"{PROGRAMME}.app_install_rate_start_pct", name="APP安装率(年初)", unit="%", programme=PROGRAMME,
    decimals=2, description=f"年初累计注册人数合计 ÷ 年初人口基数合计。{_SNAPSHOT_NOTE}",
    records=_boundary_snapshots, value=_rate("start_rate"), area_field="area", columns=_snapshot_columns))
register(Indicator(
    code=f"{PROGRAMME}.app_install_rate_end_pct", name="APP安装率(年末)", unit="%", programme=PROGRAMME,
    decimals=2, description=f"年末累计注册人数合计 ÷ 年末人口基数合计。{_SNAPSHOT_NOTE}",
    records=_boundary_snapshots, value=_rate("end_rate"), area_field="area", columns=_snapshot_columns))
register(Indicator(
    code=f"{PROGRAMME}.app_install_rate_change_pp", name="APP安装率较年初提升", unit="个百分点", programme=PROGRAMME,
    decimals=2, description="年末安装率减年初安装率（按精确值相减后保留两位小数）",
    records=_boundary_snapshots, value=_rate("change_pp"), area_field="area", columns=_snapshot_columns))
register(Indicator(
    code=f"{PROGRAMME}.warnings_received", name="接收反诈预警", unit="条", programme=PROGRAMME,
    description="当年接收的国家反诈中心等下发的预警信息条数",
    records=_warnings, month_field="received_at", area_field="area", columns=_warning_columns))
register(Indicator(
    code=f"{PROGRAMME}.dissuasion_person_times", name="预警现场劝阻群众", unit="人次", programme=PROGRAMME,
    description="当年劝阻结果为“成功劝阻”的劝阻记录数（同一人同一天只计一人次）",
    records=_successes, month_field="on", area_field="area", columns=_dissuasion_columns))
register(Indicator(
    code=f"{PROGRAMME}.dissuaded_amount_yuan", name="预警劝阻转账资金", unit="元", programme=PROGRAMME, decimals=2,
    description="当年成功劝阻记录的避免转账金额合计",
    records=_successes, value=_sum("amount_kept", ZERO), month_field="on", area_field="area",
    columns=_dissuasion_columns))
