"""The export side of pingan.core.exports: an xlsx export larger than settings.PINGAN_JOB_EXPORT_ROWS
is replayed as its owner by a background job (kind ``export``, see kinds.py) instead of being built
inside the web request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect


def export_as_job(request, *, rows: int, title: str):
    """A redirect to the new job's page, or None to export in the request (small, or already a job)."""
    if getattr(request, "pingan_job", None) is not None or rows <= settings.PINGAN_JOB_EXPORT_ROWS:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from pingan.jobs.services import job_create

    job = job_create(actor=user, kind="export", title=f"导出Excel：{title}", total=rows,
                     params={"path": request.path_info, "query": request.GET.urlencode(), "rows": rows,
                             "title": title})
    messages.info(request, f"共{rows}行，超过{settings.PINGAN_JOB_EXPORT_ROWS}行，已转为后台任务生成；"
                           "完成后在本页下载，也可以离开本页，稍后在“后台任务”中查看")
    return redirect("jobs:detail", pk=job.pk)
