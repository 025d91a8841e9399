"""The base of every list table: django-tables2, with the cost of a cell cut down.

django-tables2 calls each cell's render function through ``call_with_appropriate``, which runs
``inspect.signature`` on it for every cell of every row — 550 signatures for a page of 50 incidents,
about a quarter of the page's CPU (bench/RESULTS.md, the list page). A function's signature does not
change, so our rows look each one up once per process; everything else is django-tables2's own."""

from __future__ import annotations

import weakref

import django_tables2 as tables
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import signature

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


class Row(BoundRow):
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


class Table(tables.Table):
    """Use instead of ``django_tables2.Table`` for every list (same API)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = Rows(data=self.data, table=self, pinned_data=self.pinned_data)
