from django.core.management.base import BaseCommand, CommandError

from pingan.core import auditchain, backup


class Command(BaseCommand):
    help = ("从备份恢复整个数据库：pingan restore FILE --yes（当前数据库的全部内容被备份替换；"
            "PostgreSQL 用 pg_restore --clean --single-transaction，SQLite 用在线备份）")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="确认：用备份替换当前数据库的全部内容")

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError("恢复会用备份完全替换当前数据库（此后的新增、修改全部丢失）。确认请加 --yes")
        try:
            backup.restore_database(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        # The restored database is exactly the backup: nothing is written into it here. The restore
        # itself is in the server log (logger pingan.backup); the audit chain is checked at once.
        verdict = auditchain.verify()
        self.stdout.write(f"已从 {file} 恢复数据库。{verdict.text()}")
        if not verdict.ok:
            raise CommandError("恢复后的审计链校验未通过")
