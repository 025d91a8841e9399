"""The reports over the JSON API, cut by the caller's scope like the page."""

import json

from django.http import HttpResponse
from ninja import Router, Schema

from pingan.core.permissions import allow
from pingan.reports import registry, selectors
from pingan.reports.access import REPORT_READERS
from pingan.reports.text import json_number

router = Router(tags=["统计报表"])


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    programme: str
    programme_name: str
    description: str
    decimals: int
    by_month: bool
    by_township: bool


class ReportOut(Schema):
    banner: str
    year: int
    values: dict[str, int | float | None]


@router.get("/indicators", response=list[IndicatorOut], summary="统计指标目录")
@allow(REPORT_READERS)
def indicators(request):
    """Every registered indicator: code, Chinese name, unit, programme and how it is computed (口径)."""
    names = {p.code: p.name for p in registry.programmes()}
    return [{"code": i.code, "name": i.name, "unit": i.unit, "programme": i.programme,
             "programme_name": names[i.programme], "description": i.description, "decimals": i.decimals,
             "by_month": bool(i.month_field), "by_township": i.area_field is not None}
            for i in registry.all_indicators()]


@router.get("/{banner_code}/{year}", response=ReportOut, summary="一个旗县一年的统计报表（按调用者的辖区裁剪）")
@allow(REPORT_READERS)
def report(request, banner_code: str, year: int):
    """Indicator code → value for the banner (6- or 12-digit code) and year, computed from the records the
    caller may see; a banner outside the caller's scope answers 404."""
    ctx = selectors.report_context(request.auth, banner_code, year)
    values = registry.compute_all(ctx)
    decimals = {i.code: i.decimals for i in registry.all_indicators()}
    # Written by hand so money keeps its two decimals (842518.00), as on the command line.
    body = ", ".join(f"{json.dumps(code)}: {json_number(v, decimals.get(code, 0))}" for code, v in values.items())
    return HttpResponse(f'{{"banner": {json.dumps(ctx.banner.code)}, "year": {ctx.year}, "values": {{{body}}}}}',
                        content_type="application/json; charset=utf-8")
