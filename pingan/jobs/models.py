"""Background jobs that users can see: what was asked (kind, parameters, input file), by whom and for
which jurisdiction, how far it has got (done/total, stage), and what came out (file, counts, errors,
or why it failed). The row is the job's only state: the queue (Celery, a thread, or nothing) carries
just the job's id, and a worker runs a job only after claiming its row atomically
(``services.job_claim``), so a message delivered twice never runs a job twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.core.scope import ScopedModel, ScopedQuerySet, scope_of


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})
COUNT_LABELS = {
    "rows": "总行数", "imported": "导入", "skipped": "已存在跳过", "rejected": "拒绝行数", "repeats": "发现重复警情",
    "notes": "导入但需关注", "incidents": "警情", "candidates": "候选对", "links": "重复关联", "clusters": "重复警情组",
    "indicators": "指标项",
}


class JobQuerySet(ScopedQuerySet):
    def visible_to(self, actor) -> JobQuerySet:
        """A user sees only their own jobs, and only while their post still covers the jurisdiction the
        job was run for (a result file holds that jurisdiction's records). The system sees every job."""
        scope = scope_of(actor)
        if scope.unrestricted:
            return self.all()
        if not getattr(actor, "is_authenticated", False) or not actor.is_active or not actor.role:
            return self.none()
        mine = self.filter(owner=actor)
        path = actor.jurisdiction.path if actor.jurisdiction_id else None
        if path is None:
            return mine.filter(scope__isnull=True)
        return mine.filter(Q(scope__isnull=True) | Q(scope__path__startswith=path))


class Job(ScopedModel):
    kind = models.CharField("类型", max_length=40, db_index=True)
    title = models.CharField("名称", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="jobs")
    scope = models.ForeignKey("areas.Area", verbose_name="辖区", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    params = models.JSONField("参数", default=dict, blank=True)
    input_file = models.FileField("输入文件", upload_to="jobs/in/%Y/%m/", blank=True, max_length=300)
    dedupe_key = models.CharField("去重键", max_length=120, null=True, blank=True, unique=True)

    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)  # 0: not known (indeterminate bar)
    stage = models.CharField("当前步骤", max_length=100, blank=True)

    result_file = models.FileField("结果文件", upload_to="jobs/out/%Y/%m/", blank=True, max_length=300)
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    counts = models.JSONField("计数", default=dict, blank=True)
    errors = models.JSONField("错误与提示", default=list, blank=True)  # [{"row", "column", "reason", "note"}]
    message = models.TextField("结果说明", blank=True)  # the summary, or why the job failed

    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    worker = models.CharField("执行进程", max_length=120, blank=True)

    scope_area_field = "scope"
    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
            models.Index(fields=["status", "created_at"], name="job_status_age"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """0–100; None while running with no known total. A running job shows at most 99."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(99, int(self.done * 100 / self.total))

    @property
    def count_items(self) -> list[tuple[str, object]]:
        return [(COUNT_LABELS.get(k, k), v) for k, v in (self.counts or {}).items()]

    @property
    def rejections(self) -> list[dict]:
        return [e for e in self.errors or [] if not e.get("note")]

    @property
    def notes(self) -> list[dict]:
        return [e for e in self.errors or [] if e.get("note")]

    @property
    def seconds(self) -> int | None:
        if not self.started_at:
            return None
        end = self.finished_at or timezone.now()
        return max(0, int((end - self.started_at).total_seconds()))

    @property
    def stale(self) -> bool:
        """Running, but no sign of life for longer than PINGAN_JOB_STALE_SECONDS: the worker died."""
        if self.status != JobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return (timezone.now() - last).total_seconds() > settings.PINGAN_JOB_STALE_SECONDS

    @property
    def can_retry(self) -> bool:
        return self.status == JobStatus.FAILED or self.stale

    @property
    def kind_label(self) -> str:
        from pingan.jobs.registry import label_of

        return label_of(self.kind)
