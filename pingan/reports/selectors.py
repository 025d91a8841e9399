"""Reads of the reports: which banner a reader may report on, the indicator values cut to the
reader's scope, and the records behind each number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.areas.selectors import banners_visible
from pingan.core.scope import NotVisible
from pingan.reports import registry
from pingan.reports.registry import Column, Indicator, Number, Programme, ReportContext
from pingan.reports.text import display

FIRST_YEAR = 2000
DEFAULT_COLUMNS = (Column("记录", str),)


class ReportError(ValueError):
    """A report asked for something that does not exist (message in Chinese)."""


def normalize_banner_code(code: str) -> str:
    code = (code or "").strip()
    if not re.fullmatch(r"\d{6}|\d{12}", code):
        raise ReportError(f"旗县代码“{code}”有误：应为6位或12位数字，如 150824")
    return code if len(code) == 12 else code + "000000"


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ReportError(f"年份“{year}”有误：应为四位数字，如 2024") from None
    last = timezone.localdate().year
    if not FIRST_YEAR <= year <= last:
        raise ReportError(f"年份{year}超出范围：应在{FIRST_YEAR}年至{last}年之间")
    return year


def report_banner(actor, code: str) -> Area:
    """The banner to report on. The command line (actor None) may name any loaded banner; a user only
    one of the banners they can report on — any other answers 404, like every out-of-scope record."""
    try:
        code = normalize_banner_code(code)
    except ReportError as exc:
        if actor is None:
            raise
        raise NotVisible(str(exc)) from exc
    if actor is None:
        banner = Area.objects.filter(code=code, level=Level.BANNER).first()
        if banner is None:
            raise ReportError(f"未找到旗县 {code}：请确认代码，或先运行 pingan areas load --banner {code[:6]}")
        return banner
    banner = banners_visible(actor).filter(code=code).first()
    if banner is None:
        raise NotVisible("旗县不存在或超出您的辖区范围")
    return banner


def report_context(actor, banner_code: str, year) -> ReportContext:
    """For pages and API routes: anything not found or out of scope is a 404."""
    banner = report_banner(actor, banner_code)
    try:
        return ReportContext(banner=banner, year=check_year(year), actor=actor)
    except ReportError as exc:
        raise NotVisible(str(exc)) from exc


def default_year() -> int:
    return timezone.localdate().year - 1


def default_banner(user) -> Area | None:
    """The banner of the user's post if they can report on it, else the first they can."""
    banners = banners_visible(user).order_by("code")
    jurisdiction = getattr(user, "jurisdiction", None)
    if jurisdiction is not None:
        own = banners.filter(code__in=jurisdiction.ancestor_codes()).first()
        if own is not None:
            return own
    return banners.first()


def pick(user, banner_code: str | None, year: str | None) -> tuple[str | None, int]:
    """The report a picker asks for; blanks and malformed input fall back to the defaults (the
    report page itself then checks the banner against the user's scope)."""
    try:
        code = normalize_banner_code(banner_code) if banner_code else None
    except ReportError:
        code = None
    if code is None:
        code = getattr(default_banner(user), "code", None)
    year = int(year) if year and year.isdigit() and len(year) == 4 else default_year()
    return code, year


def year_choices(selected: int) -> list[int]:
    last = timezone.localdate().year
    return sorted({*range(last - 5, last + 1), selected}, reverse=True)


def indicator_get(code: str) -> Indicator:
    try:
        return registry.indicator(code)
    except KeyError:
        raise NotVisible("没有这个统计指标") from None


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    value: Number

    @property
    def display(self) -> str:
        return display(self.value, self.indicator.decimals)


@dataclass(frozen=True)
class Section:
    programme: Programme
    rows: list[Row]

    @property
    def has_data(self) -> bool:
        return any(row.value for row in self.rows)


def report_sections(values: dict[str, Number]) -> list[Section]:
    """The indicators grouped by programme, in registry order, with their values."""
    sections = []
    for programme in registry.programmes():
        rows = [Row(ind, values[ind.code]) for ind in registry.all_indicators()
                if ind.programme == programme.code and ind.code in values]
        if rows:
            sections.append(Section(programme, rows))
    return sections


def chartable(indicators: list[Indicator] | None = None) -> list[Indicator]:
    """Indicators that can be drawn: by month (month_field) or by township (area_field), in registry order."""
    return [i for i in (indicators or registry.all_indicators()) if i.month_field or i.area_field is not None]


def default_chart(chartable: list[Indicator], values: dict[str, Number], chosen: str | None) -> Indicator | None:
    """The chart asked for, else the first indicator with a time axis that has a figure, else the first
    with a time axis at all, else the first drawable one."""
    for candidates in ([i for i in chartable if i.code == chosen],
                       [i for i in chartable if i.month_field and values.get(i.code)],
                       [i for i in chartable if i.month_field], chartable):
        if candidates:
            return candidates[0]
    return None


def drilldown_columns(ind: Indicator) -> tuple[Column, ...]:
    return ind.columns or DEFAULT_COLUMNS


def drilldown_records(ind: Indicator, ctx: ReportContext) -> QuerySet:
    """Exactly the records that make up the indicator's value for this reader."""
    return ind.scoped_records(ctx)


def drilldown_title(ind: Indicator, ctx: ReportContext) -> str:
    """Sheet and file name of a drill-down export (no characters a sheet title may not hold)."""
    return re.sub(r"[\\/:?*\[\]]", "-", f"{ind.name}-{ctx.banner.short_name}{ctx.year}年")


def drilldown_rows(ind: Indicator, records) -> list[list]:
    columns = drilldown_columns(ind)
    return [[col.value(record) for col in columns] for record in records]
