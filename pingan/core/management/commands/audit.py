import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pingan.core import auditchain


class Command(BaseCommand):
    help = ("审计日志：pingan audit verify [--chunk-size N]（校验哈希链）；"
            "pingan audit purge --before YYYY-MM-DD（清理保留期以前的记录，保留期至少180天）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="逐条重算哈希链：报告条数，或第一条被修改、删除、调换的记录")
        verify.add_argument("--chunk-size", type=int, default=5000)
        purge = sub.add_parser("purge", help="清理某日之前的审计日志（写入清理锚点，链仍可校验）")
        purge.add_argument("--before", required=True, help="日期 YYYY-MM-DD（北京时间），此日之前的记录被清理")

    def handle(self, *args, action, **options):
        if action == "verify":
            progress = (lambda n: self.stderr.write(f"已校验 {n} 条…")) if options["verbosity"] > 1 else None
            verdict = auditchain.verify(chunk_size=max(100, options["chunk_size"]), progress=progress)
            if not verdict.ok:
                raise CommandError(verdict.text())
            self.stdout.write(f"OK {verdict.count} — {verdict.text()}")
            return
        try:
            before = dt.date.fromisoformat(options["before"])
        except ValueError as exc:
            raise CommandError(f"--before 应为日期 YYYY-MM-DD，收到 {options['before']!r}") from exc
        try:
            result = auditchain.purge(before)
        except auditchain.PurgeRefused as exc:
            raise CommandError(str(exc)) from exc
        if not result.count:
            self.stdout.write(f"{before.isoformat()} 之前没有审计日志，未清理")
            return
        self.stdout.write(f"已清理 {result.count} 条审计日志（seq {result.first_seq}–{result.through_seq}），"
                          f"清理锚点 seq={result.anchor_seq}")
