"""The Celery application: background jobs (pingan.jobs) and the scheduled work, on a Redis broker.

Run (see deploy/ and README "Production deployment"):
    celery -A pingan.celery worker --concurrency 2 --loglevel INFO     one or more, on any machine
    celery -A pingan.celery beat --schedule /var/lib/pingan/celerybeat-schedule   exactly one

Why Celery and not Django's task framework: Django 5.2 has none (``django.tasks`` arrives in 6.0,
and then only with immediate and dummy backends; a production backend is the separate django-tasks
package, young and without a scheduler). Celery on Redis is the long-proven choice on Debian: Redis
from Debian's packages serves as broker and as the shared cache, workers are separate processes on
any machine, and ``celery beat`` runs the nightly schedule. Celery carries only a job's id; the job's
state, progress and result live in the database (pingan.jobs.models.Job), and a job runs only after
its row is claimed atomically, so a redelivered message (acks_late) never runs a job twice.

Times in the schedule are Asia/Shanghai (CELERY_TIMEZONE).
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")

app = Celery("pingan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.imports = ("pingan.jobs.tasks",)

app.conf.beat_schedule = {
    # Housekeeping of the jobs table: dead workers' jobs failed, lost messages re-sent, old files removed.
    "jobs-sweep": {"task": "pingan.jobs.sweep", "schedule": 300.0},
    # Overdue reminders: 催告 every overdue procuratorial suggestion (pingan proc_remind).
    "overdue-reminders": {"task": "pingan.jobs.command", "schedule": crontab(hour=7, minute=0),
                          "args": ("proc_remind",)},
    # Nightly re-analysis of repeated incidents, one system job per banner with incidents.
    "nightly-repeats": {"task": "pingan.jobs.nightly_reanalyse", "schedule": crontab(hour=2, minute=0)},
    # Nightly backup (pingan backup FILE) into PINGAN_BACKUP_DIR with a dated name.
    "nightly-backup": {"task": "pingan.jobs.backup", "schedule": crontab(hour=1, minute=30)},
}
