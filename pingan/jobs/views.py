"""Job pages: the user's history with live progress bars (htmx polls a row or the detail body every
two seconds while the job is unfinished, and stops when it is done), a job's detail with its result
and errors, the audited download of the result file, retry, and starting the jobs that are not
started from another page (the year report workbook, the banner's repeat re-analysis)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pingan.core.permissions import page
from pingan.jobs import selectors, services
from pingan.jobs.models import JobStatus
from pingan.jobs.roles import REANALYSERS, REPORTERS

POLL = "every 2s"


@page()
def job_list(request):
    from pingan.areas.selectors import banners_visible
    from pingan.reports.selectors import default_year, year_choices

    status = request.GET.get("status", "")
    page_obj = Paginator(selectors.jobs_for(request.user, status=status), selectors.PER_PAGE).get_page(
        request.GET.get("page"))
    can_report = request.user.role in REPORTERS
    return render(request, "jobs/list.html", {
        "page_obj": page_obj, "status": status, "statuses": JobStatus.choices, "poll": POLL,
        "can_report": can_report, "can_reanalyse": request.user.role in REANALYSERS,
        "banners": banners_visible(request.user).order_by("code") if can_report else [],
        "years": year_choices(default_year()), "default_year": default_year(),
        "keep_days": settings.PINGAN_JOB_KEEP_DAYS,
    })


@page()
def job_row(request, pk: int):
    """One row of the history (polled while the job is unfinished)."""
    return render(request, "jobs/_row.html", {"job": selectors.job_get(request.user, pk), "poll": POLL})


@page()
def job_detail(request, pk: int):
    job = selectors.job_get(request.user, pk)
    return render(request, "jobs/detail.html", {"job": job, "poll": POLL})


@page()
def job_status(request, pk: int):
    """The detail page's body (polled while the job is unfinished)."""
    return render(request, "jobs/_body.html", {"job": selectors.job_get(request.user, pk), "poll": POLL})


@page()
def job_download(request, pk: int):
    job = selectors.job_get(request.user, pk)
    if job.status != JobStatus.SUCCEEDED or not job.result_file:
        raise Http404("该任务没有可下载的结果文件（未完成，或已超过保存期限）")
    try:
        handle = job.result_file.open("rb")
    except OSError as exc:
        raise Http404("结果文件已不存在（超过保存期限），请重新执行任务") from exc
    services.job_download_audit(actor=request.user, job=job)
    response = FileResponse(handle, as_attachment=True, filename=job.result_name or "result.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@page()
def job_retry(request, pk: int):
    job = selectors.job_get(request.user, pk)
    try:
        services.job_retry(actor=request.user, job=job)
        messages.success(request, "已重新排队执行")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@page(REPORTERS)
def report_job(request):
    """The year report as a workbook, built in the background (a big banner takes a while)."""
    from pingan.reports.selectors import report_context

    ctx = report_context(request.user, request.POST.get("banner", ""), request.POST.get("year", ""))
    job = services.job_create(actor=request.user, kind="reports.year_xlsx",
                              title=f"年度统计报表：{ctx.banner.short_name}{ctx.year}年",
                              params={"banner_code": ctx.banner.code, "year": ctx.year})
    messages.info(request, "已提交后台生成，完成后在本页下载")
    return redirect("jobs:detail", pk=job.pk)


@require_POST
@page(REANALYSERS)
def reanalyse_job(request):
    """Re-run the repeat analysis over the user's whole banner (kept: people's confirmations and splits)."""
    from pingan.incidents.selectors import banner_for

    banner = banner_for(request.user)
    if banner is None:
        raise Http404("您的辖区不属于任何旗县")
    job = services.job_create(actor=request.user, kind="incidents.reanalyse",
                              title=f"重复警情重新研判：{banner.short_name}",
                              params={"banner_id": banner.pk, "banner": banner.code})
    messages.info(request, "已提交后台重新研判")
    return redirect("jobs:detail", pk=job.pk)
