"""``pingan demo``: load the demo data set (idempotent), then print the 2024 figures and the logins."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from pingan.areas.models import Area
from pingan.demo.accounts import DEMO_PASSWORD, login_rows
from pingan.demo.base import REPORT_YEAR, SEED
from pingan.demo.build_areas import BANNERS
from pingan.demo.runner import StepResult, run_demo, steps
from pingan.reports.registry import ReportContext, all_indicators


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[list[str]]) -> list[str]:
    """Rows as aligned text columns (a Chinese character takes two columns on a terminal)."""
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


class Command(BaseCommand):
    help = "加载演示数据（三个旗的辖区、机构、人员、演示账号及各业务模块的演示数据），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("--banner", help="只打印这个旗的全部报表指标（6位或12位区划代码）；默认打印三个旗的非零指标")
        parser.add_argument("--year", type=int, default=REPORT_YEAR, help="打印报表指标的年度（默认 2024）")
        parser.add_argument("--foundation-only", action="store_true",
                            help="只加载基础数据（辖区、机构、人员、演示账号），不运行各业务模块的演示数据")

    def handle(self, *args, banner=None, year=REPORT_YEAR, foundation_only=False, **options):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未迁移到最新结构，请先运行 pingan migrate")
        started = time.perf_counter()
        programmes = not foundation_only
        total = len(steps(programmes=programmes))
        self.stdout.write(f"加载演示数据（固定随机种子 {SEED}）")
        done = 0

        def on_step(result: StepResult) -> None:
            nonlocal done
            done += 1
            head = f"  [{done}/{total}] {result.step.title}"
            if result.skipped:
                self.stdout.write(f"{head}：已存在，跳过")
                return
            made = "，".join(f"{k}{v}" for k, v in result.counts.items())
            self.stdout.write(f"{head}：{made or '完成'}（{result.seconds:.1f} 秒）")
            for note in result.notes:
                self.stdout.write(f"        {note}")

        results = run_demo(on_step, programmes=programmes)
        if all(r.skipped for r in results if not r.step.external):
            self.stdout.write(self.style.SUCCESS("基础演示数据已存在，未作改动。"))

        self.print_figures(banner, year)
        self.print_logins()
        self.stdout.write(self.style.SUCCESS(f"\n完成，用时 {time.perf_counter() - started:.1f} 秒。"))

    def print_figures(self, banner: str | None, year: int) -> None:
        codes = [banner.strip().ljust(12, "0")] if banner else list(BANNERS)
        areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
        failed: dict[str, str] = {}
        for area in (areas[c] for c in codes if c in areas):
            ctx = ReportContext(area, year)
            rows = [["指标", "名称", "数值"]]
            for ind in all_indicators():
                try:
                    value = ind.compute(ctx)
                except DatabaseError as exc:  # a programme's indicator whose tables are not there
                    failed[ind.code] = str(exc)
                    rows.append([ind.code, ind.name, "计算出错"])
                    continue
                if value or banner:
                    rows.append([ind.code, ind.name, f"{value} {ind.unit}"])
            self.stdout.write(f"\n{year}年 {area.short_name}（{area.code[:6]}）报表指标（由记录计算"
                              f"{'' if banner else '，只列非零项'}）：")
            for line in table(rows):
                self.stdout.write("  " + line)
        for code, error in failed.items():
            self.stderr.write(f"指标 {code} 无法计算：{error}")
        units = [areas[c] for c in BANNERS if c in areas] if not banner else list(areas.values())
        self.stdout.write("\n人口：" + "；".join(f"{b.short_name} {b.population or 0:,} 人 {b.households or 0:,} 户"
                                                   for b in units))

    def print_logins(self) -> None:
        self.stdout.write(f"\n演示账号（统一密码：{DEMO_PASSWORD}）：")
        rows = [["登录名", "角色", "姓名", "辖区", "单位", "可见内容"]]
        rows += [[r["login"], r["role"], r["name"], r["jurisdiction"], r["agency"], r["sees"]] for r in login_rows()]
        for line in table(rows):
            self.stdout.write("  " + line)
