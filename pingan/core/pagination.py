"""The API's paginator, and the page lists' paginator that never counts a whole big table."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


def rows_by_ids(queryset, start: int, stop: int | None):
    """``queryset[start:stop]`` as ``pk IN (the slice's ids)``: the ids are ordered and cut by themselves
    (from an index alone where one serves the scope and the order), and only those rows are read and
    joined — not every row of the scope before the sort, nor every skipped row of a deep page (a
    station's first page 15.6 → 3.6 ms, the API's offset 10,000 of a banner 390 → 70 ms at 1M,
    bench/RESULTS.md). Same rows, in the queryset's order. Anything but a plain model queryset (values,
    distinct, a union, already sliced) is sliced as it is."""
    if not (isinstance(queryset, QuerySet) and queryset.query.can_filter() and not queryset.query.distinct
            and not queryset.query.combinator and queryset._fields is None):
        return queryset[start:stop]
    return queryset.filter(pk__in=queryset.values("pk")[start:stop])


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` with bounds, so a huge value is a 422 in Chinese, not a database error:
    use ``@paginate(Pages)`` under ``@allow``."""

    MAX_LIMIT = 500

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="每页条数（1–500）")
        offset: int = Field(0, ge=0, le=1_000_000_000, description="跳过的条数")

    def __init__(self, **kwargs):
        super().__init__(max_limit=self.MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        return {self.items_attribute: rows_by_ids(queryset, offset, offset + limit),
                "count": self._items_count(queryset)}


def _queryset(object_list):
    """The QuerySet behind a django-tables2 BoundRows (or the QuerySet itself), else None."""
    data = getattr(getattr(object_list, "data", None), "data", object_list)
    return data if hasattr(data, "query") else None


class CappedPaginator(Paginator):
    """A page list over a table of millions (警情 of a league or the province): counts at most
    ``CAP`` + 1 rows (``SELECT COUNT(*) FROM (SELECT id … LIMIT 10001)``, unordered, so it stops
    early) instead of the whole scope, and pages only within the first ``CAP`` rows. Templates show
    ``{{ table.paginator.count_label }}`` ("10000+" when capped) and ``capped`` to ask for a filter.

    ``RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator})``."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        qs = _queryset(self.object_list)
        if qs is None:
            return super().count
        n = qs.order_by().values("pk")[: self.CAP + 1].count()
        self.capped = n > self.CAP
        return min(n, self.CAP)

    capped = False

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.count and self.capped else str(self.count)
