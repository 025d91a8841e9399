"""Reads of the jobs app: a user's own jobs (history), one job, scoped through Job.objects.visible_to."""

from __future__ import annotations

from django.db.models import QuerySet

from pingan.core.scope import get_visible_or_404
from pingan.jobs.models import Job, JobStatus

PER_PAGE = 30


def jobs_for(user, *, status: str = "") -> QuerySet[Job]:
    qs = Job.objects.visible_to(user).defer("errors", "params").order_by("-created_at", "-id")
    if status in JobStatus.values:
        qs = qs.filter(status=status)
    return qs


def job_get(user, pk) -> Job:
    return get_visible_or_404(Job.objects.select_related("owner"), user, pk=pk)
