"""The base of every list table: django-tables2, with the cost of a cell cut down.

django-tables2 calls each cell's render function through ``call_with_appropriate``, which runs
``inspect.signature`` on it for every cell of every row — 550 signatures for a page of 50 incidents,
about a quarter of the page's CPU (bench/RESULTS.md, the list page). A function's signature does not
change, so our rows look each one up once per process.

The body rows are rendered in Python (``rows_html``, through ``core/table.html``) rather than by
django-tables2's template loop, which costs ~0.1 ms per cell in template lookups and rebuilds each
column's attributes for every cell (bench/RESULTS.md). A column's ``<td>`` attributes are computed
once per page unless they depend on the record. The output is django-tables2's, tag for tag (tested);
the header, pagination and export are django-tables2's own."""

from __future__ import annotations

import weakref

import django_tables2 as tables
from django.conf import settings
from django.db import models
from django.template.base import render_value_in_context
from django.templatetags import l10n
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import Accessor, signature

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


class _CellPlan:
    """What ``BoundRow._get_and_render_with`` works out for every cell but which depends only on the
    column (and the record's model): the accessor, its left part, the model field it ends on."""

    def __init__(self, bound_column):
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        path, _, self.remainder = self.accessor.rpartition(self.accessor.SEPARATOR)
        self.left = Accessor(path)
        self.is_link = isinstance(self.column, BaseLinkColumn)
        self.is_m2m = isinstance(self.column, ManyToManyColumn)
        self._choices = {}

    def has_choices(self, record) -> bool:
        model = type(record)
        if model not in self._choices:
            self._choices[model] = bool(getattr(self.accessor.get_field(record), "choices", ()))
        return self._choices[model]


class Row(BoundRow):
    def cell(self, plan: _CellPlan):
        """``get_cell(name)``, step for step as django-tables2 does it, with the per-column work done once."""
        bound_column, column, record = plan.bound_column, plan.column, self.record
        value = None
        penultimate, remainder = plan.left.resolve(record, quiet=True), plan.remainder
        if isinstance(penultimate, models.Model) and plan.has_choices(record):
            display_fn = getattr(penultimate, f"get_{remainder}_display", None)
            if display_fn:
                value = display_fn()
                remainder = None
        if remainder:
            try:
                value = plan.accessor.resolve(record)
            except Exception:
                if plan.is_link and column.text is not None:
                    return self._call_render(bound_column)
        if value in column.empty_values or (plan.is_m2m and not value.exists()):
            return bound_column.default
        return self._call_render(bound_column, value)

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
            return Rows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return Row(record=self.data[key], table=self.table)


def _has_callable(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in attrs.values())


def _cell_html(cell, localize, context) -> str:
    """What ``{{ cell }}`` (or ``|localize`` / ``|unlocalize``) renders in django-tables2's template."""
    if localize is not None:
        cell = l10n.localize(cell) if localize else l10n.unlocalize(cell)
    return render_value_in_context(cell, context)


class Table(tables.Table):
    """Use instead of ``django_tables2.Table`` for every list (same API)."""

    FAST_TEMPLATE = "core/table.html"

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
        parts = []
        for row in self.paginated_rows:
            parts.append(f"<tr {row.attrs.as_html()}>")
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
