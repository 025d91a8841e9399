"""Writes of the jobs app: submit a job (and hand it to the queue after commit), claim it atomically,
run it with progress, retry a failed one, and sweep jobs whose worker died.

Nothing runs twice: whoever runs a job — a Celery worker, a thread of the web process, ``pingan jobs
work`` — first claims it with one conditional UPDATE (``status='queued'`` → ``'running'``). Of two
workers handed the same job (a redelivered message, a sweep that re-sent it), exactly one's UPDATE
matches the row; the other sees 0 rows and drops the message. ``job_claim_next`` picks the oldest
queued job with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so parallel pollers do not even
wait on each other, and still confirms with the same conditional UPDATE (SQLite has no row locks).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction, AuditResult
from pingan.jobs import registry
from pingan.jobs.models import FINISHED, Job, JobStatus
from pingan.jobs.registry import JobError

log = logging.getLogger("pingan.jobs")

MAX_ERRORS = 2000  # errors and notes kept on the job (the summary counts them all)
FAILED_GENERIC = "任务执行出错（系统内部错误，已记入运行日志），请稍后重试或联系系统管理员"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"[:120]


# ---------------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------------

def job_create(*, actor, kind: str, title: str, params: dict | None = None, scope=None,
               input_name: str = "", input_content: bytes | None = None, total: int = 0,
               dedupe_key: str | None = None) -> Job:
    """Record a queued job and hand it to the queue once the transaction commits. ``actor`` None is a
    system job (scheduled work). With ``dedupe_key``, a second submission returns the first job."""
    if registry.get(kind) is None:
        raise ValidationError(f"未知的任务类型：{kind}")
    owner = actor if getattr(actor, "is_authenticated", False) else None
    if scope is None and owner is not None:
        scope = owner.jurisdiction
    with transaction.atomic():
        if dedupe_key:
            existing = Job.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing
        job = Job(kind=kind, title=title[:200], owner=owner, scope=scope, params=params or {}, total=total,
                  dedupe_key=dedupe_key)
        if input_content is not None:
            name = Path(input_name or "input").name[-100:]
            job.input_file.save(f"{uuid.uuid4().hex}/{name}", ContentFile(input_content), save=False)
        job.save()
        audit_record(owner, AuditAction.CREATE, job, after=snapshot(job), login="system",
                     detail=f"提交后台任务：{job.title}")
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    """Hand a committed job to whatever runs jobs here (settings.PINGAN_JOBS_MODE)."""
    mode = settings.PINGAN_JOBS_MODE
    if mode == "celery":
        from pingan.jobs.tasks import run_job

        try:
            run_job.delay(job_id)
        except Exception:  # broker down: the job stays queued, and the sweep sends it again
            log.exception("job %s could not be sent to the broker; left queued for the sweep", job_id)
    elif mode == "thread":
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"pingan-job-{job_id}", daemon=True).start()
    else:
        job_run(job_id)


def _run_in_thread(job_id: int) -> None:
    try:
        job_run(job_id)
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------
# Claiming and running
# ---------------------------------------------------------------------------------------------

def job_claim(job_id: int, *, worker: str | None = None) -> bool:
    """Atomically move a queued job to running for this worker. False: someone else has it (or it is
    no longer queued) — the caller must not run it."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, finished_at=None, attempts=F("attempts") + 1,
        worker=worker or worker_name(), done=0, stage="开始执行", message="")
    return claimed == 1


def job_claim_next(*, worker: str | None = None, kinds: list[str] | None = None) -> Job | None:
    """Claim the oldest queued job (for pollers such as ``pingan jobs work``); None when none is left."""
    worker = worker or worker_name()
    for _ in range(20):
        with transaction.atomic():
            qs = Job.objects.filter(status=JobStatus.QUEUED)
            if kinds:
                qs = qs.filter(kind__in=kinds)
            candidate = qs.select_for_update(skip_locked=True).order_by("created_at", "pk").values_list(
                "pk", flat=True).first()
            if candidate is None:
                return None
            if job_claim(candidate, worker=worker):
                return Job.objects.get(pk=candidate)
    return None


class Run:
    """What a handler works with: the job, progress reporting, and the result it builds."""

    def __init__(self, job: Job):
        self.job = job
        self.counts: dict = {}
        self.errors: list[dict] = []
        self.message = ""
        self.result_file: tuple[str, bytes] | None = None
        self._last_write = 0.0

    @property
    def owner(self):
        return self.job.owner

    def progress(self, done: int, total: int | None = None, stage: str = "", *, force: bool = False) -> None:
        """Record progress (and a heartbeat). Written at most twice a second unless ``force``; call it
        outside long transactions, or nobody sees it until they commit."""
        now = timezone.now().timestamp()
        if not force and now - self._last_write < 0.5 and (total is None or done < total):
            return
        self._last_write = now
        values = {"done": max(0, int(done)), "heartbeat_at": timezone.now()}
        if total is not None:
            values["total"] = max(0, int(total))
        if stage:
            values["stage"] = stage[:100]
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(**values)
        for key, value in values.items():
            setattr(self.job, key, value)

    def save_file(self, name: str, content: bytes) -> None:
        self.result_file = (name, content)

    def add_error(self, row: int | None, column: str, reason: str, *, note: bool = False) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "column": column, "reason": reason, "note": note})


def job_run(job_id: int, *, worker: str | None = None) -> Job | None:
    """Claim and run one job. Returns the finished job, or None if it was not ours to run. (Celery's
    Django fixup closes stale connections around each task; a job thread opens its own.)"""
    if not job_claim(job_id, worker=worker):
        log.info("job %s not claimed (already taken or not queued)", job_id)
        return None
    return _execute(Job.objects.select_related("owner", "scope").get(pk=job_id))


def _execute(job: Job) -> Job:
    kind = registry.get(job.kind)
    run = Run(job)
    try:
        if kind is None:
            raise JobError(f"未知的任务类型：{job.kind}")
        kind.handler(run)
    except JobError as exc:
        return _finish(job, run, JobStatus.FAILED, str(exc))
    except ValidationError as exc:
        return _finish(job, run, JobStatus.FAILED, "；".join(exc.messages))
    except Exception:  # the owner sees a plain message; the traceback goes to the worker's log
        log.exception("job %s (%s) failed", job.pk, job.kind)
        return _finish(job, run, JobStatus.FAILED, FAILED_GENERIC)
    return _finish(job, run, JobStatus.SUCCEEDED, run.message or "已完成")


def _finish(job: Job, run: Run, status: str, message: str) -> Job:
    job.refresh_from_db()
    if job.status != JobStatus.RUNNING:  # swept as dead meanwhile: the sweep's verdict stands
        return job
    if run.result_file and status == JobStatus.SUCCEEDED:
        name, content = run.result_file
        job.result_name = Path(name).name[:200]
        job.result_file.save(f"{uuid.uuid4().hex}/{job.result_name}", ContentFile(content), save=False)
    job.status = status
    job.message = message
    job.counts = run.counts
    job.errors = run.errors
    job.finished_at = job.heartbeat_at = timezone.now()
    if status == JobStatus.SUCCEEDED:
        job.total = job.total or max(job.done, 1)
        job.done = job.total
    job.stage = ""
    job.save()
    audit_record(job.owner, AuditAction.UPDATE, job, login="system",
                 result=AuditResult.OK if status == JobStatus.SUCCEEDED else AuditResult.FAILED,
                 detail=f"后台任务{job.get_status_display()}：{job.title}；{message}"[:2000],
                 after={"status": status, "counts": run.counts, "errors": len(run.errors), "attempts": job.attempts})
    return job


# ---------------------------------------------------------------------------------------------
# Retry, sweep, housekeeping
# ---------------------------------------------------------------------------------------------

def job_retry(*, actor, job: Job) -> Job:
    """Queue a failed job (or one whose worker died) again, with its parameters and input file."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.can_retry:
            raise ValidationError("只有失败或已中断的任务可以重试")
        before = snapshot(job)
        job.status = JobStatus.QUEUED
        job.done, job.stage, job.message, job.errors, job.counts = 0, "", "", [], {}
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.worker = ""
        job.save()
        audit_record(actor, AuditAction.UPDATE, job, before=before, after=snapshot(job),
                     detail=f"重试后台任务：{job.title}（第{job.attempts + 1}次执行）")
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def jobs_sweep(*, requeue_after_seconds: int = 600) -> dict[str, int]:
    """Scheduled housekeeping: fail running jobs whose worker stopped sending progress; send again the
    jobs still queued long after submission (a lost message — the claim makes a duplicate harmless);
    delete result and input files of jobs finished more than PINGAN_JOB_KEEP_DAYS ago."""
    now = timezone.now()
    stale_before = now - timezone.timedelta(seconds=settings.PINGAN_JOB_STALE_SECONDS)
    dead = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before):
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=stale_before).update(
            status=JobStatus.FAILED, finished_at=now, stage="",
            message="任务执行中断：执行进程长时间没有进展（可能已退出），可以重试")
        if updated:
            dead += 1
            audit_record(None, AuditAction.UPDATE, job, login="system", result=AuditResult.FAILED,
                         detail=f"后台任务中断：{job.title}（{job.worker}）")
    resent = 0
    if settings.PINGAN_JOBS_MODE != "sync":
        old = now - timezone.timedelta(seconds=requeue_after_seconds)
        for pk in Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=old).values_list("pk", flat=True)[:500]:
            dispatch(pk)
            resent += 1
    purged = 0
    keep_before = now - timezone.timedelta(days=settings.PINGAN_JOB_KEEP_DAYS)
    for job in Job.objects.filter(status__in=FINISHED, finished_at__lt=keep_before).exclude(
            result_file="", input_file=""):
        for f in (job.result_file, job.input_file):
            if f:
                f.delete(save=False)
        job.save(update_fields=["result_file", "input_file"])
        purged += 1
    return {"dead": dead, "resent": resent, "purged": purged}


def job_download_audit(*, actor, job: Job) -> None:
    audit_record(actor, AuditAction.EXPORT, job, detail=f"下载后台任务结果：{job.result_name}",
                 after={"file": job.result_name, "job": job.pk})
