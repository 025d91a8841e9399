"""pingan jobs list [--status S] [--limit N]      the latest jobs (all users: the command line is the system)
pingan jobs work [--loop] [--interval S]          run queued jobs from the database (no broker needed)
pingan jobs sweep                                  fail jobs of dead workers, re-send lost ones, purge old files
pingan jobs nightly                                the nightly schedule at once (for cron on an embedded install)
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "后台任务：列出、执行排队任务、清理、立即执行夜间计划任务"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("list", help="最近的后台任务")
        p.add_argument("--status", default="")
        p.add_argument("--limit", type=int, default=20)
        p = sub.add_parser("work", help="从数据库领取并执行排队的任务（无需消息队列）")
        p.add_argument("--loop", action="store_true", help="持续运行，没有任务时等待")
        p.add_argument("--interval", type=float, default=2.0)
        sub.add_parser("sweep", help="把执行进程已退出的任务标为失败，重发丢失的任务，删除过期结果文件")
        sub.add_parser("nightly", help="立即执行夜间计划任务：逾期催告、重复警情研判、备份")

    def handle(self, *args, **opts):
        getattr(self, f"do_{opts['action']}")(opts)

    def do_list(self, opts):
        from pingan.jobs.models import Job

        qs = Job.objects.select_related("owner").order_by("-created_at", "-id")
        if opts["status"]:
            qs = qs.filter(status=opts["status"])
        for job in qs[: opts["limit"]]:
            who = job.owner.username if job.owner_id else "system"
            self.stdout.write(f"#{job.pk} {job.get_status_display()} {job.done}/{job.total} {job.kind} {who} "
                              f"{job.created_at:%Y-%m-%d %H:%M:%S} {job.title} {job.message[:80]}")

    def do_work(self, opts):
        from pingan.jobs.services import _execute, job_claim_next

        ran = 0
        while True:
            job = job_claim_next()
            if job is not None:
                job = _execute(job)
                ran += 1
                self.stdout.write(f"#{job.pk} {job.get_status_display()}：{job.message[:200]}")
                continue
            if not opts["loop"]:
                break
            time.sleep(opts["interval"])
        self.stdout.write(f"共执行{ran}个任务")

    def do_sweep(self, opts):
        from pingan.jobs.services import jobs_sweep

        self.stdout.write(json.dumps(jobs_sweep(), ensure_ascii=False))

    def do_nightly(self, opts):
        from django.test.utils import override_settings

        from pingan.jobs.tasks import nightly_backup, nightly_reanalyse, run_command

        self.stdout.write(run_command("proc_remind").strip())
        with override_settings(PINGAN_JOBS_MODE="sync"):  # run here, before the command exits
            self.stdout.write(f"重复警情研判任务：{nightly_reanalyse()}个")
        self.stdout.write(f"备份：{nightly_backup()}")
