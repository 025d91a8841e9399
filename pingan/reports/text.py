"""How a report's numbers are written: as JSON, in a table cell, and in the Chinese work summary
(工作总结) a bureau sends to the newspaper."""

from __future__ import annotations

import decimal
import json

from pingan.reports.registry import Indicator, Number, ReportContext, all_indicators, programmes


def _places(value: decimal.Decimal, decimals: int) -> str:
    places = decimals or 2
    return f"{value.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP):f}"


def json_number(value: Number | None, decimals: int = 0) -> str:
    """A JSON number as written by hand: ints as ints, Decimals with their two (or ``decimals``)
    places kept (842518.00), floats rounded to ``decimals`` places (10.15)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return _places(value, decimals)
    if isinstance(value, float):
        return f"{value:.{decimals}f}" if decimals else json.dumps(value)
    raise TypeError(f"indicator value of type {type(value).__name__} is not a number")


def values_json(values: dict[str, Number], indicators: list[Indicator] | None = None, *, indent: int = 2) -> str:
    """One flat JSON object, indicator code → value, in registry order."""
    decimals = {ind.code: ind.decimals for ind in (indicators or all_indicators())}
    pad = " " * indent
    items = [f"{pad}{json.dumps(code, ensure_ascii=False)}: {json_number(value, decimals.get(code, 0))}"
             for code, value in values.items()]
    if not items:
        return "{}"
    return "{\n" + ",\n".join(items) + "\n}"


def display(value: Number | None, decimals: int = 0) -> str:
    """A value as shown in a table cell: 11,380 · 842,518.00 · 10.15."""
    if value is None:
        return "—"
    if isinstance(value, decimal.Decimal):
        return f"{decimal.Decimal(_places(value, decimals)):,}"
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    return f"{value:,}"


def num(value: Number | None, decimals: int = 0) -> str:
    """A value as written in running Chinese text: no thousands separators (87名, 11380人, 842518.00元)."""
    if value is None:
        return "0"
    if isinstance(value, decimal.Decimal):
        return _places(value, decimals)
    if isinstance(value, float):
        return f"{value:.{decimals}f}" if decimals else f"{value:g}"
    return str(value)


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def report_title(ctx: ReportContext) -> str:
    where = ctx.banner.short_name + ("" if ctx.whole_banner else ctx.scope_area.short_name)
    return f"{where}{ctx.year}年平安乡村建设工作总结（数据截至{chinese_date(ctx.as_of)}）"


def programme_has_data(programme_code: str, values: dict[str, Number]) -> bool:
    return any(values.get(ind.code) for ind in all_indicators() if ind.programme == programme_code)


def summary_sections(ctx: ReportContext, values: dict[str, Number]) -> list[tuple[str, list[str]]]:
    """(programme name, paragraphs) for each programme, in order, that has a summary and data."""
    sections = []
    for programme in programmes():
        if programme.summary is None or not programme_has_data(programme.code, values):
            continue
        paragraphs = [p for p in programme.summary(ctx, values) if p]
        if paragraphs:
            sections.append((programme.name, paragraphs))
    return sections


def report_text(ctx: ReportContext, values: dict[str, Number]) -> str:
    """The title line, then every programme's paragraphs, one paragraph a line, blank lines between."""
    paragraphs = [p for _, ps in summary_sections(ctx, values) for p in ps]
    if not paragraphs:
        paragraphs = ["本年度暂无可汇总的工作数据。"]
    return "\n\n".join([report_title(ctx), *paragraphs]) + "\n"
