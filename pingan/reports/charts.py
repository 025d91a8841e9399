"""Chart series of an indicator, computed from the reader's scoped records: by month of the
report year (``month_field``) and by township (``area_field``).

Counts are grouped in SQL (one query per chart). An indicator whose value is not a plain count
(distinct people, sums) is computed with its own ``value()`` for each bucket that has records,
so every bar means exactly what the indicator means.
"""

from __future__ import annotations

import decimal

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractMonth, Substr

from pingan.areas.models import Area
from pingan.reports.registry import Indicator, Number, ReportContext, count_records

BANNER_LEVEL = "旗本级"  # records hanging on the banner itself (机关, 旗直属单位)


def _plain(value: Number) -> int | float:
    return float(value) if isinstance(value, decimal.Decimal) else value


def _is_count(ind: Indicator) -> bool:
    return ind.value is count_records


# ---- by month -------------------------------------------------------------------------------

def by_month(ind: Indicator, ctx: ReportContext, records: QuerySet | None = None) -> dict | None:
    """Values per month of the report year; records dated before the year (a police room opened
    earlier, a seat held since) are one leading bucket "往年", so the bars add up to the total."""
    if not ind.month_field:
        return None
    records = ind.scoped_records(ctx) if records is None else records
    field = ind.month_field
    in_year = records.filter(**{f"{field}__year": ctx.year})
    earlier = records.filter(**{f"{field}__year__lt": ctx.year})
    if _is_count(ind):
        counts = dict(in_year.annotate(_month=ExtractMonth(field)).order_by().values("_month")
                      .annotate(_n=Count("pk")).values_list("_month", "_n"))
        months = [counts.get(m, 0) for m in range(1, 13)]
        before = earlier.count()
    else:
        present = set(in_year.annotate(_month=ExtractMonth(field)).order_by()
                      .values_list("_month", flat=True).distinct())
        months = [_plain(ind.value(in_year.filter(**{f"{field}__month": m}), ctx)) if m in present else 0
                  for m in range(1, 13)]
        before = _plain(ind.value(earlier, ctx)) if earlier.exists() else 0
    labels = [f"{m}月" for m in range(1, 13)]
    if before:
        labels, months = [f"{ctx.year}年以前"] + labels, [before] + months
    return {"labels": labels, "values": [_plain(v) for v in months]}


# ---- by township ----------------------------------------------------------------------------

def _path_lookup(ind: Indicator) -> str:
    return f"{ind.area_field}__path" if ind.area_field else "path"


def _with_township(records: QuerySet, ind: Indicator, ctx: ReportContext) -> QuerySet:
    """Annotate each record with the code of its township: the path segment below the banner."""
    start = len(ctx.banner.path) + 1
    return records.annotate(_township=Substr(F(_path_lookup(ind)), start, 12))


def township_buckets(ind: Indicator, ctx: ReportContext, records: QuerySet | None = None) -> dict[str, Number]:
    """Township code ("" = the banner itself) → the indicator's value over that township's records."""
    records = ind.scoped_records(ctx) if records is None else records
    annotated = _with_township(records, ind, ctx).order_by()
    if _is_count(ind):
        return dict(annotated.values("_township").annotate(_n=Count("pk")).values_list("_township", "_n"))
    codes = sorted(set(annotated.values_list("_township", flat=True).distinct()))
    return {code: ind.value(annotated.filter(_township=code), ctx) for code in codes}


def township_names(codes) -> dict[str, str]:
    names = dict(Area.objects.filter(code__in=[c for c in codes if c]).values_list("code", "short_name"))
    names[""] = BANNER_LEVEL
    return names


def by_township(ind: Indicator, ctx: ReportContext, records: QuerySet | None = None) -> dict | None:
    if ind.area_field is None:
        return None
    buckets = township_buckets(ind, ctx, records)
    codes = sorted(buckets, key=lambda c: (c == "", c))
    names = township_names(codes)
    return {"labels": [names.get(c, c) for c in codes], "codes": codes,
            "values": [_plain(buckets[c]) for c in codes]}


def series(ind: Indicator, ctx: ReportContext) -> dict:
    records = ind.scoped_records(ctx)
    return {
        "code": ind.code, "name": ind.name, "unit": ind.unit, "year": ctx.year, "banner": ctx.banner.code,
        "value": _plain(ind.value(records, ctx)),
        "by_month": by_month(ind, ctx, records),
        "by_township": by_township(ind, ctx, records),
    }


def township_table(ctx: ReportContext, indicators: list[Indicator]) -> tuple[list[Indicator], list[list]]:
    """Rows of (township code, township, value per indicator) for the xlsx 按乡镇 sheet."""
    inds = [i for i in indicators if i.area_field is not None]
    per = {ind.code: township_buckets(ind, ctx) for ind in inds}
    codes = sorted({c for b in per.values() for c in b}, key=lambda c: (c == "", c))
    names = township_names(codes)
    rows = [[c, names.get(c, c), *[per[i.code].get(c, 0) for i in inds]] for c in codes]
    return inds, rows
