"""放管服 report indicators, computed from individual records: each one-stop station's record (with
the date it became one) and each request registered at a window. ``services.one_stop_stations_added``
counts the stations whose one-stop date falls in the report year — a station made one-stop earlier
does not count, however recently its record was edited."""

from __future__ import annotations

import datetime as dt
import decimal

from django.utils import timezone

from pingan.onestop.models import Channel, OneStopStation, Outcome, ServiceKind, ServiceRequest
from pingan.onestop.selectors import average_hours
from pingan.reports.registry import Column, Indicator, Programme, ReportContext, register, register_programme
from pingan.reports.text import num

PROGRAMME = "onestop"


def _stations(ctx: ReportContext):
    return OneStopStation.objects.filter(station__area__path__startswith=ctx.banner.path).select_related(
        "station__area")


def _requests(ctx: ReportContext):
    start = timezone.make_aware(dt.datetime(ctx.year, 1, 1))
    end = timezone.make_aware(dt.datetime(ctx.year + 1, 1, 1))
    return (ServiceRequest.objects.filter(station__area__path__startswith=ctx.banner.path, received_at__gte=start,
                                          received_at__lt=end).select_related("station"))


def _share(part_filter):
    def value(records, ctx) -> decimal.Decimal:
        total = _requests(ctx).visible_to(ctx.actor).count()
        if not total:
            return decimal.Decimal("0.0")
        return (decimal.Decimal(records.filter(**part_filter).count() * 100) / total).quantize(decimal.Decimal("0.1"))

    return value


def _average(records, ctx) -> decimal.Decimal:
    return average_hours(records) or decimal.Decimal("0.0")


_station_columns = (Column("派出所", lambda s: s.station.name), Column("辖区", lambda s: s.station.area.short_name),
                    Column("成为一站式日期", lambda s: s.since), Column("综窗业务", lambda s: s.services_text),
                    Column("综合窗口", lambda s: s.windows))
_request_columns = (Column("受理编号", lambda r: r.number), Column("受理时间", lambda r: timezone.localtime(r.received_at)),
                    Column("派出所", lambda r: r.station.short_name or r.station.name), Column("业务类别", lambda r: r.kind),
                    Column("办理事项", lambda r: r.item), Column("渠道", lambda r: r.channel),
                    Column("办理结果", lambda r: r.outcome or "未办结"), Column("用时", lambda r: r.duration_text))


def _summary(ctx: ReportContext, values: dict) -> list[str]:
    v = {code.removeprefix("services."): values.get(code) or 0 for code in values if code.startswith("services.")}
    added, total, requests = v.get("one_stop_stations_added", 0), v.get("one_stop_stations", 0), v.get("requests", 0)
    if not (added or total or requests):
        return []
    year, place = ctx.year, ctx.place
    text = (f"将“放管服”与警务工作相结合。{year}年，{place}持续深化“放管服”改革，加快推进“综窗”建设，"
            "全面推行“一窗通办”“一网通办”“跨省通办”业务")
    if requests:
        text += f"，全年受理群众办事{requests}件"
        kinds = [f"{name}{v.get(code, 0)}件" for code, name in (("requests_household", "户政"), ("requests_vehicle", "车驾管"))
                 if v.get(code)]
        if kinds:
            text += "，其中" + "、".join(kinds)
        online, cross = v.get("requests_online", 0), v.get("requests_cross_province", 0)
        if online:
            text += f"，“一网通办”{online}件（占{num(v.get('requests_online_share_pct'), 1)}%）"
        if cross:
            text += f"，“跨省通办”{cross}件"
        done = v.get("requests_completed", 0)
        if done:
            text += f"，办结{done}件"
            hours = v.get("avg_completion_hours")
            if hours:
                text += f"，平均办结用时{num(hours, 1)}小时"
    text += "，不断提升公安机关基层服务工作专业化、精细化和高效化水平"
    if added:
        names = [s.station.short_name or s.station.name for s in _stations(ctx).visible_to(ctx.actor)
                 .filter(since__year=ctx.year).order_by("since", "station__area__code")]
        text += f"，并新增{added}个派出所（{'、'.join(names)}）为一站式派出所"
        if total > added:
            text += f"，一站式派出所达到{total}个"
        text += "，打通服务群众的“最后一公里”，实现户政、车驾管等高频事项业务“一窗通办”"
    elif total:
        text += f"，现有一站式派出所{total}个"
    return [text + "。"]


register_programme(Programme(PROGRAMME, "放管服", order=24, summary=_summary))


def _register(code, name, unit, description, records, *, value=None, month_field=None,
              area_field="station__area", columns=_request_columns, decimals=0):
    kwargs = {"value": value} if value is not None else {}
    register(Indicator(code=code, name=name, unit=unit, programme=PROGRAMME, description=description,
                       records=records, month_field=month_field, area_field=area_field, columns=columns,
                       decimals=decimals, **kwargs))


_register("services.one_stop_stations_added", "新增一站式派出所", "个",
          "成为一站式派出所的日期在当年的派出所（往年已是一站式的不计）",
          lambda ctx: _stations(ctx).filter(since__year=ctx.year), month_field="since", columns=_station_columns)
_register("services.one_stop_stations", "一站式派出所", "个", "年末(或今天)已是一站式派出所的派出所",
          lambda ctx: _stations(ctx).filter(since__lte=ctx.as_of), month_field="since", columns=_station_columns)
_register("services.requests", "窗口受理业务", "件", "当年受理的户政、车驾管、出入境、治安管理等业务（全部渠道）",
          _requests, month_field="received_at")
_register("services.requests_household", "户政业务", "件", "当年受理的户政业务",
          lambda ctx: _requests(ctx).filter(kind=ServiceKind.HOUSEHOLD), month_field="received_at")
_register("services.requests_vehicle", "车驾管业务", "件", "当年受理的车驾管业务",
          lambda ctx: _requests(ctx).filter(kind=ServiceKind.VEHICLE), month_field="received_at")
_register("services.requests_online", "一网通办受理", "件", "当年通过“一网通办”受理的业务",
          lambda ctx: _requests(ctx).filter(channel=Channel.ONLINE), month_field="received_at")
_register("services.requests_online_share_pct", "一网通办占比", "%", "当年“一网通办”受理的业务占全部受理业务的百分比",
          lambda ctx: _requests(ctx).filter(channel=Channel.ONLINE), value=_share({}), month_field="received_at",
          decimals=1)
_register("services.requests_cross_province", "跨省通办受理", "件", "当年通过“跨省通办”受理的业务",
          lambda ctx: _requests(ctx).filter(channel=Channel.CROSS_PROVINCE), month_field="received_at")
_register("services.requests_completed", "办结业务", "件", "当年受理且已办结的业务（不含不予受理、转办、未办结）",
          lambda ctx: _requests(ctx).filter(outcome=Outcome.DONE), month_field="received_at")
_register("services.avg_completion_hours", "平均办结用时", "小时", "当年受理并办结的业务从受理到办结的平均时长",
          lambda ctx: _requests(ctx).filter(outcome=Outcome.DONE), value=_average, month_field="received_at",
          decimals=1)
