"""The job lifecycle: claim once, run with progress, fail with a reason, retry, sweep, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core.models import AuditAction, AuditLog
from pingan.jobs import registry, services
from pingan.jobs.models import Job, JobStatus
from pingan.jobs.registry import JobError
from pingan.testing.personas import SIBLING_TOWNSHIP

pytestmark = pytest.mark.django_db

seen: list[int] = []


@registry.register("test.count", "测试：计数")
def _count(run):
    seen.append(run.job.pk)
    total = run.job.params.get("n", 3)
    for i in range(total + 1):
        run.progress(i, total, "计数", force=True)
    run.counts = {"rows": total}
    run.save_file("结果.txt", b"ok")
    run.message = f"数了{total}个"


@registry.register("test.refuse", "测试：拒绝")
def _refuse(run):
    run.add_error(3, "接警时间", "格式不正确")
    raise JobError("第3行接警时间格式不正确，任务未完成")


@registry.register("test.crash", "测试：崩溃")
def _crash(run):
    raise RuntimeError("secret table pingan_incident broke at /srv/pingan")


def _job(owner=None, kind="test.count", **params) -> Job:
    return Job.objects.create(kind=kind, title="测试任务", owner=owner, params=params,
                              scope=owner.jurisdiction if owner else None)


def test_a_queued_job_is_claimed_once_the_second_claimer_gets_nothing():
    job = _job()
    assert services.job_claim(job.pk, worker="a") is True
    assert services.job_claim(job.pk, worker="b") is False
    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts) == (JobStatus.RUNNING, "a", 1)


def test_running_a_job_twice_runs_it_once():
    seen.clear()
    job = _job()
    assert services.job_run(job.pk) is not None
    assert services.job_run(job.pk) is None  # a redelivered message: not claimed, not run
    assert seen == [job.pk]


def test_claim_next_takes_the_oldest_queued_job_and_skips_taken_ones():
    old = _job()
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    new = _job()
    first = services.job_claim_next(worker="a")
    second = services.job_claim_next(worker="b")
    assert (first.pk, second.pk) == (old.pk, new.pk)
    assert services.job_claim_next(worker="c") is None


def test_a_finished_job_has_its_result_counts_file_and_full_progress(persona):
    owner = persona("hq_officer")
    job = services.job_run(_job(owner, n=4).pk)
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (4, 4, 100)
    assert job.counts == {"rows": 4} and job.message == "数了4个"
    assert job.result_name == "结果.txt" and job.result_file.read() == b"ok"
    assert job.started_at <= job.finished_at


def test_progress_is_written_while_the_job_runs():
    job = _job(kind="test.count", n=10)
    services.job_claim(job.pk)
    run = services.Run(Job.objects.get(pk=job.pk))
    run.progress(4, 10, "逐行校验", force=True)
    job.refresh_from_db()
    assert (job.done, job.total, job.stage, job.percent) == (4, 10, "逐行校验", 40)
    run.progress(10, 10, "写入", force=True)
    job.refresh_from_db()
    assert job.percent == 99  # running: never shown as complete before it is


def test_a_failed_job_says_why_and_keeps_the_row_errors(persona):
    job = services.job_run(_job(persona("hq_officer"), kind="test.refuse").pk)
    assert job.status == JobStatus.FAILED
    assert job.message == "第3行接警时间格式不正确，任务未完成"
    assert job.rejections == [{"row": 3, "column": "接警时间", "reason": "格式不正确", "note": False}]
    assert AuditLog.objects.filter(object_type="jobs.Job", object_id=str(job.pk), result="failed").exists()


def test_an_unexpected_error_fails_the_job_without_showing_internals():
    job = services.job_run(_job(kind="test.crash").pk)
    assert job.status == JobStatus.FAILED
    assert "pingan_incident" not in job.message and "/srv" not in job.message
    assert "系统内部错误" in job.message


def test_a_failed_job_can_be_retried_and_then_succeeds(persona):
    owner = persona("hq_officer")
    job = services.job_run(_job(owner, kind="test.refuse").pk)
    Job.objects.filter(pk=job.pk).update(kind="test.count")  # the cause went away
    job.refresh_from_db()
    services.job_retry(actor=owner, job=job)  # sync mode: runs at commit; here we run it ourselves
    job.refresh_from_db()
    assert (job.status, job.message, job.errors) == (JobStatus.QUEUED, "", [])
    job = services.job_run(job.pk)
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(job.pk), detail__startswith="重试").exists()


def test_only_a_failed_or_dead_job_can_be_retried(persona):
    owner = persona("hq_officer")
    done = services.job_run(_job(owner).pk)
    with pytest.raises(ValidationError):
        services.job_retry(actor=owner, job=done)
    queued = _job(owner)
    with pytest.raises(ValidationError):
        services.job_retry(actor=owner, job=queued)


def test_the_sweep_fails_a_job_whose_worker_died_and_it_can_be_retried(settings):
    job = _job()
    services.job_claim(job.pk)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.PINGAN_JOB_STALE_SECONDS + 5))
    job.refresh_from_db()
    assert job.stale and job.can_retry
    result = services.jobs_sweep()
    job.refresh_from_db()
    assert result["dead"] == 1 and job.status == JobStatus.FAILED and "中断" in job.message


def test_the_sweep_removes_result_files_after_the_keeping_period(settings):
    job = services.job_run(_job().pk)
    path = job.result_file.path
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=settings.PINGAN_JOB_KEEP_DAYS + 1))
    assert services.jobs_sweep()["purged"] == 1
    job.refresh_from_db()
    assert not job.result_file
    import os

    assert not os.path.exists(path)


def test_a_dedupe_key_makes_a_second_submission_return_the_first_job():
    a = services.job_create(actor=None, kind="test.count", title="夜间", dedupe_key="nightly:x:2024-03-01")
    b = services.job_create(actor=None, kind="test.count", title="夜间", dedupe_key="nightly:x:2024-03-01")
    assert a.pk == b.pk and Job.objects.count() == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError):
        services.job_create(actor=None, kind="no.such", title="x")


def test_a_user_sees_only_their_own_jobs_and_only_while_their_post_covers_them(persona):
    chief, other = persona("station_chief"), persona("hq_officer")
    mine, theirs = _job(chief), _job(other)
    assert list(Job.objects.visible_to(chief)) == [mine]
    assert list(Job.objects.visible_to(other)) == [theirs]
    chief.jurisdiction = Area.objects.get(code=SIBLING_TOWNSHIP)  # moved to the neighbouring station
    chief.save()
    chief._pingan_scope = None
    assert not Job.objects.visible_to(chief).exists()
    assert Job.objects.visible_to(None).count() == 2  # the system sees every job


def test_an_inactive_user_sees_no_jobs(persona):
    chief = persona("station_chief")
    _job(chief)
    chief.is_active = False
    assert not Job.objects.visible_to(chief).exists()
