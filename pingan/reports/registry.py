"""The registry of report indicators.

An indicator names the records that make it up (a queryset of a scoped model) and how its value
is computed from them (a count by default). The framework applies the reader's scope to those
records before computing, so a report can never show a figure built from records its reader may
not see, and every number can link down to exactly the rows behind it. Figures are always
computed from individual records — nothing is stored as a total.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

Number = int | decimal.Decimal | float


@dataclass(frozen=True)
class ReportContext:
    banner: Any  # areas.Area at banner level
    year: int
    actor: Any = None  # the reading user; None for the command line (system scope)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def as_of(self) -> dt.date:
        """Point-in-time indicators (who is assigned) are read at year end, or today for this year."""
        return min(self.last_day, timezone.localdate())

    @cached_property
    def scope_area(self):
        """The Area the reader's scope starts at when it lies inside the banner (a station chief's
        township); None when the reader sees the whole banner (the command line, a bureau leader)."""
        from pingan.areas.models import Area
        from pingan.core.scope import scope_of

        if self.actor is None:
            return None
        scope = scope_of(self.actor, reference=True)
        if scope.unrestricted or not scope.path or self.banner.path.startswith(scope.path):
            return None
        code = scope.path.rstrip("/").rsplit("/", 1)[-1]
        return Area.objects.filter(code=code).first()

    @property
    def whole_banner(self) -> bool:
        return self.scope_area is None

    @property
    def place(self) -> str:
        """How a summary names the part of the banner it covers: 全旗, or the reader's township/village."""
        return "全旗" if self.scope_area is None else self.scope_area.short_name


def count_records(records: QuerySet, ctx: ReportContext) -> Number:
    return records.count()


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True, eq=False)
class Pass:
    """Several indicators read in one pass over the same records: one aggregate query with a
    ``FILTER`` per figure instead of one scan each. At a province's million incidents the year's
    incidents indicators cost one index scan, not six (bench/RESULTS.md, the report).

    ``records`` is the common set (before the reader's scope, which ``compute_all`` applies as for
    any indicator); ``aggregates(ctx)`` the named aggregate expressions computed over it. An indicator in
    the pass says which of those make its figure (``batch=(the pass, lambda totals: …)``); its own
    ``records``/``value`` stay what it is alone (drill-down, a single figure) and must agree with
    the pass — a test computes every indicator both ways."""

    name: str
    records: Callable[[ReportContext], QuerySet]
    aggregates: Callable[[ReportContext], dict[str, Any]]

    def totals(self, ctx: ReportContext) -> dict[str, Any]:
        return self.records(ctx).visible_to(ctx.actor).order_by().aggregate(**self.aggregates(ctx))


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    programme: str
    description: str
    records: Callable[[ReportContext], QuerySet]
    value: Callable[[QuerySet, ReportContext], Number] = count_records
    month_field: str | None = None  # date lookup on the records, for the by-month chart
    area_field: str | None = None  # lookup to the Area a record hangs on, for the by-township chart
    columns: tuple[Column, ...] = field(default_factory=tuple)  # drill-down columns (default: the record)
    decimals: int = 0
    batch: tuple[Pass, Callable[[dict[str, Any]], Number]] | None = None  # computed in a shared pass

    def scoped_records(self, ctx: ReportContext) -> QuerySet:
        return self.records(ctx).visible_to(ctx.actor)

    def compute(self, ctx: ReportContext) -> Number:
        return self.value(self.scoped_records(ctx), ctx)


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    order: int
    summary: Callable[[ReportContext, dict[str, Number]], list[str]] | None = None


_indicators: dict[str, Indicator] = {}
_programmes: dict[str, Programme] = {}


def register_programme(programme: Programme) -> Programme:
    _programmes[programme.code] = programme
    return programme


def register(indicator: Indicator) -> Indicator:
    if indicator.code in _indicators and _indicators[indicator.code] != indicator:
        raise ValueError(f"indicator {indicator.code} registered twice")
    if indicator.programme not in _programmes:
        raise ValueError(f"indicator {indicator.code}: unknown programme {indicator.programme}")
    _indicators[indicator.code] = indicator
    return indicator


def indicator(code: str) -> Indicator:
    return _indicators[code]


def all_indicators() -> list[Indicator]:
    order = {p.code: p.order for p in _programmes.values()}
    return sorted(_indicators.values(), key=lambda i: (order[i.programme], list(_indicators).index(i.code)))


def programmes() -> list[Programme]:
    return sorted(_programmes.values(), key=lambda p: p.order)


def compute_all(ctx: ReportContext) -> dict[str, Number]:
    return compute(ctx, all_indicators())


def compute(ctx: ReportContext, indicators: list[Indicator], timings: dict[str, float] | None = None
            ) -> dict[str, Number]:
    """The values of ``indicators``, each shared pass run once; ``timings`` (if given) receives the
    seconds each step took, keyed by indicator code or by pass name."""
    import time

    from pingan.core.db_routers import replica_reads

    with replica_reads():  # on the read replica when one is configured
        totals: dict[Pass, dict[str, Any]] = {}
        values = {}
        for ind in indicators:
            started = time.perf_counter()
            if ind.batch is None:
                values[ind.code] = ind.compute(ctx)
                step = ind.code
            else:
                shared, figure = ind.batch
                if shared not in totals:
                    totals[shared] = shared.totals(ctx)
                values[ind.code] = figure(totals[shared])
                step = shared.name
            if timings is not None:
                timings[step] = timings.get(step, 0.0) + time.perf_counter() - started
        return values
