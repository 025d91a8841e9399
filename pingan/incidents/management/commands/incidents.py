"""pingan incidents import FILE --banner CODE
pingan incidents repeats --banner CODE --from DATE --to DATE [--format json|text]
pingan incidents analyse --banner CODE            (re-run the repeat analysis over the banner)
pingan incidents evaluate [--seed N] [--size small|default]   (precision/recall/F1 on a generated set)
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pingan.areas.models import Area, Level


def _banner(code: str) -> Area:
    code = (code or "").strip()
    if len(code) == 6:
        code += "000000"
    banner = Area.objects.filter(code=code, level=Level.BANNER).first()
    if banner is None:
        raise CommandError(f"旗县代码{code}不存在（先运行 pingan areas load --banner {code[:6]}）")
    return banner


def _day(value: str | None, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{what}应为YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "警情：110导入、重复警情研判结果、重新研判、评测"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("import", help="导入110系统导出的CSV或xlsx")
        p.add_argument("file")
        p.add_argument("--banner", required=True)
        p.add_argument("--format", choices=("text", "json"), default="text")
        p = sub.add_parser("repeats", help="列出重复警情组")
        p.add_argument("--banner", required=True)
        p.add_argument("--from", dest="start")
        p.add_argument("--to", dest="end")
        p.add_argument("--format", choices=("json", "text"), default="json")
        p = sub.add_parser("analyse", help="重新研判整个旗县的重复警情（保留人工确认和拆分）")
        p.add_argument("--banner", required=True)
        p = sub.add_parser("evaluate", help="在生成的标注集上计算成对的精确率、召回率和F1")
        p.add_argument("--seed", type=int, default=2024)
        p.add_argument("--singles", type=int, default=1500)

    def handle(self, *args, **opts):
        getattr(self, f"do_{opts['action']}")(opts)

    def do_import(self, opts):
        from pingan.incidents.importer import import_incidents

        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        banner = _banner(opts["banner"])
        started = time.perf_counter()
        report = import_incidents(actor=None, banner=banner, name=path.name, content=path.read_bytes(), cli=True)
        seconds = time.perf_counter() - started
        if opts["format"] == "json":
            self.stdout.write(json.dumps({
                "file": report.filename, "rows": report.rows, "imported": report.imported,
                "skipped": report.skipped, "rejected": report.rejected_rows, "repeats": report.repeats,
                "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.rejected],
                "notes": [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.notes],
                "seconds": round(seconds, 2)}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.summary() + f"（用时{seconds:.1f}秒）")
            self.stdout.write(f"导入 {report.imported}")
            self.stdout.write(f"已存在跳过 {report.skipped}")
            self.stdout.write(f"拒绝 {report.rejected_rows}")
            for e in report.rejected:
                self.stdout.write(f"  拒绝 {e}")
            for e in report.notes[:200]:
                self.stdout.write(f"  提示 {e}")
            if len(report.notes) > 200:
                self.stdout.write(f"  ……另有{len(report.notes) - 200}条提示")
        if report.file_error:
            raise CommandError("文件被拒绝")

    def do_repeats(self, opts):
        from pingan.incidents.selectors import clusters_in_period

        banner = _banner(opts["banner"])
        start, end = _day(opts.get("start"), "--from"), _day(opts.get("end"), "--to")
        clusters = clusters_in_period(None, banner, start, end)
        data = {"banner": banner.code, "from": start.isoformat() if start else None,
                "to": end.isoformat() if end else None, "clusters": [
                    {"id": c["id"], "kind": c["kind"], "kind_name": c["kind_name"], "status": c["status"],
                     "incidents": c["incidents"], "reasons": c["reasons"]} for c in clusters]}
        if opts["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for c in data["clusters"]:
            self.stdout.write(f"#{c['id']} {c['kind_name']}：{'、'.join(c['incidents'])}")
            for reason in c["reasons"]:
                self.stdout.write(f"    {reason}")
        self.stdout.write(f"共{len(data['clusters'])}组")

    def do_analyse(self, opts):
        from pingan.incidents.analysis import reanalyse

        banner = _banner(opts["banner"])
        started = time.perf_counter()
        result = reanalyse(banner)
        self.stdout.write(f"{banner.short_name}：警情{result['incidents']}起，候选对{result['candidates']}，"
                          f"关联{result['links']}条，重复警情组{result['clusters']}个"
                          f"（用时{time.perf_counter() - started:.1f}秒，{timezone.localtime():%Y-%m-%d %H:%M}）")

    def do_evaluate(self, opts):
        from pingan.incidents.repeats import engine, evalset

        s = opts["singles"]
        data = evalset.generate(opts["seed"], singles=s, multi=s // 25, caller=s // 25, disputes=s // 30,
                                negatives=s // 6)
        started = time.perf_counter()
        result = engine.analyse(data.records)
        score = evalset.evaluate(data, result.groups)
        self.stdout.write(f"标注集：{len(data.records)}起警情（种子{opts['seed']}），用时{time.perf_counter() - started:.2f}秒")
        self.stdout.write(score.line())
