"""Celery tasks. They are thin: each carries ids or command names and calls pingan.jobs.services
or a management command; the work of a job happens in services.job_run after its atomic claim."""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.management import call_command, get_commands
from django.utils import timezone

from pingan.celery import app

log = logging.getLogger("pingan.jobs")


@app.task(name="pingan.jobs.run", acks_late=True, ignore_result=True)
def run_job(job_id: int) -> None:
    from pingan.jobs.services import job_run

    job_run(job_id)


@app.task(name="pingan.jobs.sweep", ignore_result=True)
def sweep() -> dict:
    from pingan.jobs.services import jobs_sweep

    result = jobs_sweep()
    log.info("jobs sweep: %s", result)
    return result


@app.task(name="pingan.jobs.command", ignore_result=True)
def command(name: str, *args: str) -> str:
    """Run a ``pingan`` management command on schedule; a command not installed (yet) is skipped
    with a warning instead of failing every night."""
    return run_command(name, *args)


def run_command(name: str, *args: str) -> str:
    if name not in get_commands():
        log.warning("scheduled command 'pingan %s' does not exist here; skipped", name)
        return f"skipped: no command {name}"
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=out)
    log.info("pingan %s %s: %s", name, " ".join(args), out.getvalue().strip()[-2000:])
    return out.getvalue()


@app.task(name="pingan.jobs.nightly_reanalyse", ignore_result=True)
def nightly_reanalyse() -> int:
    """One system job per banner that has incidents (deduplicated per banner and night, so a second
    beat by mistake adds nothing)."""
    from pingan.areas.models import Area
    from pingan.incidents.models import Incident
    from pingan.jobs.services import job_create

    night = timezone.localdate().isoformat()
    count = 0
    for banner in Area.objects.filter(pk__in=Incident.objects.values("banner_id").distinct()).order_by("code"):
        job_create(actor=None, kind="incidents.reanalyse", title=f"夜间重复警情研判：{banner.short_name}",
                   params={"banner_id": banner.pk, "banner": banner.code}, scope=banner,
                   dedupe_key=f"nightly-reanalyse:{banner.code}:{night}")
        count += 1
    return count


@app.task(name="pingan.jobs.backup", ignore_result=True)
def backup() -> str:
    return nightly_backup()


def nightly_backup() -> str:
    """``pingan backup <PINGAN_BACKUP_DIR>/pingan-YYYYMMDD-HHMMSS.backup``, then remove backups older
    than PINGAN_BACKUP_KEEP_DAYS. Tolerant: without the backup command, it logs and skips."""
    directory = settings.PINGAN_BACKUP_DIR
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"pingan-{timezone.localtime():%Y%m%d-%H%M%S}.backup"
    result = run_command("backup", str(target))
    if result.startswith("skipped"):
        return result
    cutoff = timezone.now().timestamp() - settings.PINGAN_BACKUP_KEEP_DAYS * 86400
    for old in directory.glob("pingan-*.backup"):
        if old != target and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return str(target)
