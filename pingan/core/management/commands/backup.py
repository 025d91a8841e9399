from django.core.management.base import BaseCommand, CommandError

from pingan.core import backup
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction


class Command(BaseCommand):
    help = ("备份整个数据库：pingan backup FILE（PostgreSQL 用 pg_dump 自定义格式，SQLite 用在线备份）；"
            "pingan backup --verify FILE 逐表比较备份与当前数据库（行数与校验和）")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--verify", action="store_true", help="不备份，比较 FILE 与当前数据库（逐表行数与校验和）")

    def handle(self, *args, file, verify, **options):
        try:
            if verify:
                rows = backup.compare(backup.backup_fingerprints(file), backup.table_fingerprints())
                self.stdout.write(backup.comparison_table(rows))
                if not all(r.same for r in rows):
                    raise CommandError("备份与当前数据库不一致（见上表）")
                return
            # The backup is an audited act; its row is written first, so the backup contains it.
            audit_record(None, AuditAction.EXPORT, object_type="database", object_repr="数据库备份", login="system",
                         detail=f"备份数据库到 {file}")
            path = backup.backup_database(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size} 字节）")
