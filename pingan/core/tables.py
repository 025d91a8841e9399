"""The base of every list table: django-tables2, with the cost of a cell cut down.

django-tables2 calls each cell's render function through ``call_with_appropriate``, which runs
``inspect.signature`` on it for every cell of every row — 550 signatures for a page of 50 incidents,
about a quarter of the page's CPU (bench/RESULTS.md, the list page). A function's signature does not
change, so our rows look each one up once per process.

The body rows are rendered in Python (``rows_html``, through ``core/table.html``) rather than by
django-tables2's template loop, which costs ~0.1 ms per cell in template lookups and rebuilds each
column's attributes for every cell (bench/RESULTS.md). What the library works out for every cell
but depends only on the column is worked out once per page (``_CellPlan``): the ``<td>`` and ``<tr>``
attributes unless they depend on the record, the render function's arguments, a plain attribute
chain instead of ``Accessor.resolve``'s exception-driven lookup, a link's ``reverse()`` (checked on the
first row). The output is django-tables2's, tag for tag (tested); the header, pagination and export
are django-tables2's own."""

from __future__ import annotations

import functools
import html
import weakref

import django_tables2 as tables
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.template.base import render_value_in_context
from django.templatetags import l10n
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import Accessor, AttributeDict, signature

from pingan.core.pagination import rows_by_ids

# Keyed by the function (a bound method's __func__: the method object is new at every attribute
# access), weakly, so that a lambda made per request does not stay in the cache.
# A bound method's signature lacks ``self``, so bound and plain functions are kept apart.
_signatures = {True: weakref.WeakKeyDictionary(), False: weakref.WeakKeyDictionary()}


def _signature_of(fn):
    key = getattr(fn, "__func__", None)
    cache = _signatures[key is not None]
    key = fn if key is None else key
    try:
        return cache[key]
    except KeyError:
        found = cache[key] = signature(fn)
        return found
    except TypeError:  # not weakly referenceable: look it up every time, as the library does
        return signature(fn)


def call_with_appropriate(fn, kwargs: dict):
    """``django_tables2.utils.call_with_appropriate``, with the signature looked up once per function."""
    args, catch_all = _signature_of(fn)
    if not catch_all:
        kwargs = {key: kwargs[key] for key in kwargs if key in args}
        if any(arg not in kwargs for arg in args):
            return None
    return fn(**kwargs)


_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")  # BoundRow._optional_cell_arguments
_MISSING = object()


@functools.cache
def _without_getitem(model: type) -> bool:
    return not hasattr(model, "__getitem__")


def _plain_model(obj) -> bool:
    """A model instance whose attributes ``Accessor.resolve`` would reach by ``getattr`` (its first try,
    ``obj[bit]``, fails with TypeError on a model without ``__getitem__``)."""
    return isinstance(obj, models.Model) and _without_getitem(type(obj))


class _FastAccessor:
    """``Accessor.resolve`` for the common case, a chain of plain attributes of model instances, without
    the library's try-the-dict-first exception on every step; anything else (dicts, callables, a
    failed lookup) goes to the library's own resolve, so the result and the errors are its own."""

    __slots__ = ("accessor", "bits")

    def __init__(self, accessor: Accessor):
        self.accessor = accessor
        self.bits = accessor.bits

    def resolve(self, record, quiet=False):
        current = record
        for bit in self.bits:
            if not _plain_model(current):
                return self.accessor.resolve(record, quiet=quiet)
            current = getattr(current, bit, _MISSING)
            if current is _MISSING or callable(current):
                return self.accessor.resolve(record, quiet=quiet)
            if current is None:
                break
        return current


class _ReversedOnce:
    """A link column's ``linkify=("view", {"pk": A("pk")})``, reversed once per page instead of once per row.

    ``reverse()`` with stand-in ids gives the URL with a hole per argument; a row's URL fills the holes
    with its ids. Only for accessors that give whole numbers (what ``int`` path converters take and print
    as they are), and only if, for the page's first row, the result equals ``reverse()``'s own (a
    converter that pads or formats ids would differ: then every row is reversed as the library does)."""

    STAND_INS = (7_310_000_000_000_001, 7_310_000_000_000_003, 7_310_000_000_000_007)

    def __init__(self, link):
        self.link, self.pieces, self.verified = link, None, False
        reverse_args = link.reverse_args
        self.kwargs = {name: _FastAccessor(accessor) for name, accessor in (reverse_args.get("kwargs") or {}).items()}
        self.names = list(self.kwargs)

    @classmethod
    def for_link(cls, link):
        if link is None or link.url is not None or link.accessor is not None:
            return None
        reverse_args = link.reverse_args
        viewname, kwargs = reverse_args.get("viewname"), reverse_args.get("kwargs") or {}
        if (set(reverse_args) - {"viewname", "kwargs"} or not isinstance(viewname, str) or isinstance(viewname, Accessor)
                or not 0 < len(kwargs) <= len(cls.STAND_INS) or not all(isinstance(v, Accessor) for v in kwargs.values())):
            return None
        return cls(link)

    def url(self, record):
        """The row's URL, or None: reverse it the library's way."""
        if self.pieces is False:
            return None
        values = [accessor.resolve(record, quiet=True) for accessor in self.kwargs.values()]
        if not all(type(v) is int and v >= 0 for v in values):
            return None
        if self.pieces is None:
            stand_ins = dict(zip(self.names, self.STAND_INS, strict=False))
            url = reverse(self.link.reverse_args["viewname"], kwargs=stand_ins)
            if any(url.count(str(v)) != 1 for v in stand_ins.values()):
                self.pieces = False
                return None
            order = sorted(stand_ins, key=lambda name: url.index(str(stand_ins[name])))
            pieces, rest = [], url
            for name in order:
                head, _, rest = rest.partition(str(stand_ins[name]))
                pieces.append((head, self.names.index(name)))
            self.pieces = (pieces, rest)
        pieces, tail = self.pieces
        url = "".join(head + str(values[index]) for head, index in pieces) + tail
        if not self.verified:
            self.verified = True
            if url != self.link.call_reverse(record=record):
                self.pieces = False
                return None
        return url


class _CellPlan:
    """What ``BoundRow._get_and_render_with`` works out for every cell but which depends only on the
    column (and the record's model): the accessor, its left part, the model field it ends on, which
    arguments the render function takes."""

    def __init__(self, bound_column):
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        path, _, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.value_of = _FastAccessor(self.accessor)
        self.left = _FastAccessor(Accessor(path))
        self.is_link = isinstance(self.column, BaseLinkColumn)
        self.is_m2m = isinstance(self.column, ManyToManyColumn)
        self._choices = {}
        self.render = bound_column.render
        self.link = bound_column.link
        self.reversed_once = _ReversedOnce.for_link(self.link)
        self.link_attrs = None if self.link is None or _has_callable(self.link.attrs or {}) else self.link.attrs or {}
        # Column.render returns the value as it is: no call, when there is no link to wrap it in either
        self.identity = getattr(self.render, "__func__", None) is tables.Column.render and not self.link
        names, catch_all = _signature_of(self.render)
        self.arguments = _ARGUMENTS if catch_all else tuple(a for a in _ARGUMENTS if a in names)
        self.never = not catch_all and any(a not in _ARGUMENTS for a in names)  # call_with_appropriate's None

    def has_choices(self, record) -> bool:
        model = type(record)
        if model not in self._choices:
            self._choices[model] = bool(getattr(self.accessor.get_field(record), "choices", ()))
        return self._choices[model]


class Row(BoundRow):
    def cell(self, plan: _CellPlan):
        """``get_cell(name)``, step for step as django-tables2 does it, with the per-column work done once."""
        column, record = plan.column, self.record
        value = None
        penultimate, remainder = plan.left.resolve(record, quiet=True), plan.remainder
        if isinstance(penultimate, models.Model) and plan.has_choices(record):
            display_fn = getattr(penultimate, f"get_{remainder}_display", None)
            if display_fn:
                value = display_fn()
                remainder = None
        if remainder:
            try:
                value = plan.value_of.resolve(record)
            except Exception:
                if plan.is_link and column.text is not None:
                    return self._render_planned(plan, None)
        if value in column.empty_values or (plan.is_m2m and not value.exists()):
            return plan.bound_column.default
        return self._render_planned(plan, value)

    def _render_planned(self, plan: _CellPlan, value):
        """``_call_render`` with the render function's arguments known from the plan."""
        if plan.identity:
            return value
        everything = {"value": value, "record": self.record, "column": plan.column,
                      "bound_column": plan.bound_column, "bound_row": self, "table": self._table}
        content = None if plan.never else plan.render(**{name: everything[name] for name in plan.arguments})
        if not plan.link:
            return content
        url = plan.reversed_once.url(self.record) if plan.reversed_once and plan.link_attrs is not None else None
        if url is None:
            return plan.link(content, **everything)
        attrs = AttributeDict(plan.link_attrs)  # LinkTransform.__call__ with the URL filled in
        attrs["href"] = url
        return format_html("<a {}>{}</a>", attrs.as_html(), content)

    def _call_render(self, bound_column, value=None):
        render_kwargs = self._optional_cell_arguments(bound_column, value)
        content = call_with_appropriate(bound_column.render, render_kwargs)
        return bound_column.link(content, **render_kwargs) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        return call_with_appropriate(bound_column.value, self._optional_cell_arguments(bound_column, value))


class Rows(BoundRows):
    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield Row(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return Rows(data=self._page(key), table=self.table, pinned_data=self.pinned_data)
        return Row(record=self.data[key], table=self.table)

    def _page(self, key: slice):
        """A page of the rows; for a table with ``page_by_ids``, read through the page's ids
        (``core.pagination.rows_by_ids``)."""
        whole = getattr(self.data, "data", None)
        if self.table.page_by_ids and isinstance(whole, QuerySet) and key.step is None:
            return rows_by_ids(whole, key.start, key.stop)
        return self.data[key]


def _has_callable(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in attrs.values())


def _cell_html(cell, localize, context) -> str:
    """What ``{{ cell }}`` (or ``|localize`` / ``|unlocalize``) renders in django-tables2's template."""
    if localize is None and isinstance(cell, str):  # what render_value_in_context does to a string
        if not context.autoescape:
            return str(cell)
        if hasattr(cell, "__html__"):  # conditional_escape: SafeString stays as it is
            return cell.__html__()
        return html.escape(cell)  # django.utils.html.escape without its lazy-string wrapper
    if localize is not None:
        cell = l10n.localize(cell) if localize else l10n.unlocalize(cell)
    return render_value_in_context(cell, context)


class Table(tables.Table):
    """Use instead of ``django_tables2.Table`` for every list (same API)."""

    FAST_TEMPLATE = "core/table.html"
    page_by_ids = False  # True for the tables of millions of rows: see Rows._page

    def __init__(self, *args, template_name=None, **kwargs):
        super().__init__(*args, template_name=template_name, **kwargs)
        if template_name is None and self._meta.template_name == settings.DJANGO_TABLES2_TEMPLATE:
            self.template_name = self.FAST_TEMPLATE
        self.rows = Rows(data=self.data, table=self, pinned_data=self.pinned_data)

    def _td_depends_on_record(self, column) -> bool:
        own = {**self.attrs, **column.column.attrs}
        return any(_has_callable(own.get(key) or {}) for key in ("td", "cell"))

    def rows_html(self, context):
        """The ``<tr>`` rows of the current page, as django-tables2's ``table.tbody`` block renders them."""
        columns = list(self.columns)
        plans = [_CellPlan(column) for column in columns]
        fixed_td = {}
        for column in columns:
            if not self._td_depends_on_record(column):
                column.current_record = column.current_value = None
                fixed_td[column.name] = column.attrs["td"].as_html()
        # rows differ only in "even"/"odd" unless an attribute is computed from the record
        fixed_tr = {} if not _has_callable(self.row_attrs) else None
        parts = []
        for row in self.paginated_rows:
            if fixed_tr is None or not isinstance(row, Row):
                tr = row.attrs.as_html()
            else:
                parity = row.get_even_odd_css_class()
                if parity not in fixed_tr:
                    fixed_tr[parity] = row.attrs.as_html()
                tr = fixed_tr[parity]
            parts.append(f"<tr {tr}>")
            for column, plan in zip(columns, plans, strict=True):
                # pinned rows (django-tables2's BoundPinnedRow) take their values their own way
                cell = row.cell(plan) if isinstance(row, Row) else row.get_cell(column.name)
                td = fixed_td.get(column.name)
                if td is None:
                    column.current_value, column.current_record = cell, row.record
                    td = column.attrs["td"].as_html()
                parts.append(f"<td {td}>{_cell_html(cell, column.localize, context)}</td>")
            parts.append("</tr>")
        if not parts and self.empty_text:
            return format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), self.empty_text)
        return mark_safe("".join(parts))  # every piece above is escaped or django-tables2's own HTML
