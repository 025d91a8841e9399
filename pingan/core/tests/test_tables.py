"""The project's table base renders exactly what django-tables2 renders, while looking each render
function's signature up once instead of once per cell."""

from __future__ import annotations

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from pingan.core import tables as fast
from pingan.org.models import Staff
from pingan.org.tables import StaffTable
from pingan.testing.factories import StaffFactory


class _Plain(tables.Table):
    name = tables.Column("姓名", linkify=lambda record: f"/s/{record.pk}/")
    phone = tables.Column("电话")
    flag = tables.Column("标记", empty_values=(), orderable=False)

    class Meta:
        model = Staff
        fields = ("name", "phone", "flag")

    def render_phone(self, value, record):
        return f"{value[:3]}****{record.pk}"

    def render_flag(self, record):
        return "有" if record.pk % 2 else "无"


class _Fast(fast.Table, _Plain):
    class Meta(_Plain.Meta):
        pass


@pytest.mark.django_db
def test_same_html_as_django_tables2_and_signatures_looked_up_once(monkeypatch):
    StaffFactory.create_batch(7)
    request = RequestFactory().get("/")
    html = []
    for cls in (_Plain, _Fast):
        table = cls(Staff.objects.order_by("pk"))
        RequestConfig(request, paginate={"per_page": 5}).configure(table)
        html.append(table.as_html(request))
    assert html[0] == html[1] and "****" in html[1] and "/s/" in html[1]

    calls = []
    real = fast.signature
    monkeypatch.setattr(fast, "signature", lambda fn: calls.append(fn) or real(fn))
    fast._signatures[True].clear(), fast._signatures[False].clear()
    for _ in range(3):
        table = _Fast(Staff.objects.order_by("pk"))
        table.as_html(request)
    # name, phone, flag render + the link's url: four functions, whatever the rows and renders
    assert 0 < len(calls) <= 4, calls


@pytest.mark.django_db
def test_every_list_table_uses_the_fast_base():
    import importlib

    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pingan."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tables")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, tables.Table) and value.__module__ == module.__name__:
                found.append(value)
                assert issubclass(value, fast.Table), f"{value.__module__}.{value.__name__} skips pingan.core.tables.Table"
    assert StaffTable in found and len(found) > 20
