"""Report pages: thin — parse, read through the selectors, render. Computation lives in
selectors.py (scope, sections), charts.py (series) and xlsx.py (workbook)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render

from pingan.areas.selectors import banners_visible
from pingan.core.db_routers import replica_reads
from pingan.core.exports import export_rows
from pingan.core.permissions import page
from pingan.reports import charts, selectors
from pingan.reports.access import REPORT_READERS
from pingan.reports.registry import compute_all
from pingan.reports.text import display, report_text, report_title
from pingan.reports.xlsx import report_xlsx_response

PER_PAGE = 50


@page(REPORT_READERS)
def index(request):
    """Pick a banner and a year (GET banner=&year=); default: the user's banner, last year."""
    banner_code, year = selectors.pick(request.user, request.GET.get("banner"), request.GET.get("year"))
    if banner_code is None:
        return render(request, "reports/none.html")
    return redirect("reports:report", banner_code=banner_code, year=year)


@page(REPORT_READERS)
def report(request, banner_code: str, year: int):
    ctx = selectors.report_context(request.user, banner_code, year)
    values = compute_all(ctx)
    if request.GET.get("format") == "xlsx":
        return report_xlsx_response(request, ctx, values)
    with replica_reads():  # the page's chart reads records too (an xlsx export above may start a job)
        chartable = selectors.chartable()
        return render(request, "reports/report.html", {
            "ctx": ctx, "banner": ctx.banner, "year": ctx.year, "title": report_title(ctx),
            "sections": selectors.report_sections(values), "text": report_text(ctx, values),
            "banners": banners_visible(request.user).order_by("code"), "years": selectors.year_choices(ctx.year),
            "chartable": chartable, "chart": selectors.default_chart(chartable, values, request.GET.get("chart")),
        })


@page(REPORT_READERS)
def drilldown(request, banner_code: str, year: int, code: str):
    """The records that make up one number, within the reader's scope; exportable."""
    ctx = selectors.report_context(request.user, banner_code, year)
    ind = selectors.indicator_get(code)
    records = selectors.drilldown_records(ind, ctx)
    headers = [c.header for c in selectors.drilldown_columns(ind)]
    if request.GET.get("format") == "xlsx":
        return export_rows(request, title=selectors.drilldown_title(ind, ctx), headers=headers,
                           rows=selectors.drilldown_rows(ind, records.iterator(chunk_size=2000)),
                           object_type=f"reports.{ind.code}",
                           subtitle=f"{report_title(ctx)} · {ind.name}（{ind.description}）")
    with replica_reads():  # the page reads only (an export may start a job: on the primary)
        page_obj, value = Paginator(records, PER_PAGE).get_page(request.GET.get("page")), ind.value(records, ctx)
        return render(request, "reports/drilldown.html", {
            "ctx": ctx, "banner": ctx.banner, "year": ctx.year, "ind": ind, "headers": headers,
            "page_obj": page_obj, "value": display(value, ind.decimals),
            "not_one_per_record": value != page_obj.paginator.count,
            "rows": selectors.drilldown_rows(ind, page_obj.object_list),
        })


@page(REPORT_READERS)
@replica_reads()
def series(request, banner_code: str, year: int, code: str):
    """Chart data of one indicator (by month, by township), from the reader's scoped records."""
    ctx = selectors.report_context(request.user, banner_code, year)
    return JsonResponse(charts.series(selectors.indicator_get(code), ctx), json_dumps_params={"ensure_ascii": False})
