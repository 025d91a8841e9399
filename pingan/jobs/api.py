"""后台任务 in the JSON API: the caller's own jobs (history) and one job with its progress and result.
A machine client polls ``GET /api/jobs/{job_id}`` until ``status`` is succeeded or failed."""

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pingan.core.pagination import Pages
from pingan.core.permissions import allow
from pingan.jobs import selectors

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    done: int
    total: int
    percent: int | None
    stage: str
    message: str
    counts: dict
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    attempts: int
    result_name: str
    download_url: str | None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_download_url(obj):
        if obj.status == "succeeded" and obj.result_file:
            return reverse("jobs:download", kwargs={"pk": obj.pk})
        return None


class JobErrorOut(Schema):
    row: int | None = None
    column: str = ""
    reason: str
    note: bool = False


class JobDetailOut(JobOut):
    errors: list[JobErrorOut]


class JobFilter(Schema):
    status: Literal["queued", "running", "succeeded", "failed"] | None = None


@router.get("/", response=list[JobOut], summary="我的后台任务")
@allow()
@paginate(Pages)
def job_list(request, filters: Query[JobFilter]):
    """调用者本人提交的后台任务，最新的在前；可按状态筛选。"""
    return selectors.jobs_for(request.auth, status=filters.status or "")


@router.get("/{job_id}", response=JobDetailOut, summary="一个后台任务的进度和结果")
@allow()
def job_detail(request, job_id: int):
    """进度(done/total/percent)、结果说明、计数、逐行错误；结果文件用download_url下载(需登录会话或令牌)。"""
    return selectors.job_get(request.auth, job_id)
