from django.core.management.base import BaseCommand, CommandError

from pingan.reports import selectors
from pingan.reports.registry import ReportContext, compute_all
from pingan.reports.text import report_text, values_json
from pingan.reports.xlsx import report_xlsx_write

FORMATS = ("json", "text", "xlsx")


class Command(BaseCommand):
    help = ("统计报表：pingan report --banner CODE --year YYYY --format json|text|xlsx [--out FILE]。"
            "json 输出指标编码→数值；text 输出工作总结；xlsx 写入 --out 指定的文件。命令行不受辖区限制。")

    def add_arguments(self, parser):
        parser.add_argument("--banner", required=True, help="旗县代码，6位或12位：150824 乌拉特中旗")
        parser.add_argument("--year", required=True, help="统计年度，如 2024")
        parser.add_argument("--format", default="json", help="输出格式：json（默认）、text 或 xlsx")
        parser.add_argument("--out", help="输出文件（xlsx 必填；json/text 不填则打印到标准输出）")

    def handle(self, *args, banner, year, format, out, **options):
        if format not in FORMATS:
            raise CommandError(f"输出格式“{format}”有误：应为 json、text 或 xlsx")
        if format == "xlsx" and not out:
            raise CommandError("xlsx 格式须用 --out 指定输出文件，如 --out 报表.xlsx")
        try:
            ctx = ReportContext(banner=selectors.report_banner(None, banner), year=selectors.check_year(year))
        except selectors.ReportError as exc:
            raise CommandError(str(exc)) from exc
        values = compute_all(ctx)
        if format == "xlsx":
            try:
                size = report_xlsx_write(ctx, values, out)
            except OSError as exc:
                raise CommandError(f"无法写入文件 {out}：{exc.strerror or exc}") from exc
            self.stderr.write(f"已写入 {out}（{size}字节，{len(values)}项指标）")
            return
        output = values_json(values) + "\n" if format == "json" else report_text(ctx, values)
        if out:
            try:
                with open(out, "w", encoding="utf-8") as fh:
                    fh.write(output)
            except OSError as exc:
                raise CommandError(f"无法写入文件 {out}：{exc.strerror or exc}") from exc
            self.stderr.write(f"已写入 {out}")
        else:
            self.stdout.write(output, ending="")
