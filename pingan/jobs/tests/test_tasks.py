"""The Celery side: tasks registered under the names the schedule uses, the nightly work, and a broker
that is down leaving the job queued instead of failing the request."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pingan.areas.models import Area
from pingan.incidents.importer import import_incidents
from pingan.jobs import services, tasks
from pingan.jobs.models import Job, JobStatus
from pingan.jobs.tests.helpers import incident_csv

pytestmark = pytest.mark.django_db


def test_every_scheduled_task_exists_and_times_are_local():
    from pingan.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
    assert app.conf.timezone == "Asia/Shanghai"
    assert app.conf.task_acks_late is True and app.conf.worker_prefetch_multiplier == 1


def test_the_nightly_reanalysis_makes_one_system_job_per_banner_and_night(settings):
    settings.PINGAN_JOBS_MODE = "thread"  # not run here (on_commit does not fire in a test transaction)
    import_incidents(actor=None, banner=Area.objects.get(code="150824000000"), name="n.csv",
                     content=incident_csv(3, prefix="N"), cli=True)
    assert tasks.nightly_reanalyse() == 1
    assert tasks.nightly_reanalyse() == 1  # a second beat the same night adds nothing
    job = Job.objects.get()
    assert job.owner is None and job.kind == "incidents.reanalyse" and job.scope.code == "150824000000"
    job = services.job_run(job.pk)
    assert job.status == JobStatus.SUCCEEDED and job.counts["incidents"] == 3


def test_the_nightly_backup_is_skipped_with_a_warning_where_there_is_no_backup_command(settings, tmp_path, caplog,
                                                                                      monkeypatch):
    settings.PINGAN_BACKUP_DIR = tmp_path / "backups"
    monkeypatch.setattr(tasks, "get_commands", lambda: {})
    assert tasks.nightly_backup().startswith("skipped")
    assert "does not exist" in caplog.text


def test_the_nightly_backup_writes_a_dated_file_and_prunes_old_ones(settings, tmp_path, monkeypatch):
    import os
    import time

    settings.PINGAN_BACKUP_DIR = directory = tmp_path / "backups"
    directory.mkdir()
    old, recent = directory / "pingan-20200101-013000.backup", directory / "pingan-20991231-013000.backup"
    for f in (old, recent):
        f.write_bytes(b"x")
    os.utime(old, (time.time() - 40 * 86400,) * 2)
    calls = []
    monkeypatch.setattr(tasks, "get_commands", lambda: {"backup": "pingan.core"})
    monkeypatch.setattr(tasks, "call_command", lambda name, *args, **kw: calls.append((name, args)))
    target = tasks.nightly_backup()
    assert calls == [("backup", (target,))]
    assert os.path.basename(target).startswith("pingan-") and target.endswith(".backup")
    assert not old.exists() and recent.exists()


def test_a_scheduled_command_runs_and_its_output_is_kept():
    assert "共催告" in tasks.run_command("proc_remind")


def test_a_broker_that_is_down_leaves_the_job_queued(settings, monkeypatch):
    settings.PINGAN_JOBS_MODE = "celery"

    def down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.run_job, "delay", down)
    job = Job.objects.create(kind="export", title="x")
    services.dispatch(job.pk)  # does not raise
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_the_jobs_command_runs_queued_jobs_from_the_database(capsys, persona):
    owner = persona("hq_officer")
    job = Job.objects.create(kind="reports.year_xlsx", title="报表", owner=owner, scope=owner.jurisdiction,
                             params={"banner_code": "150824", "year": 2024})
    call_command("jobs", "work")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert "共执行1个任务" in capsys.readouterr().out
