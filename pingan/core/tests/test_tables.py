"""The project's table base renders exactly what django-tables2 renders (tag for tag; only the
whitespace between tags differs), while looking each render function's signature up once instead of
once per cell and rendering the body rows in Python."""

from __future__ import annotations

import re

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
    phone = tables.Column("电话", attrs={"td": {"class": "text-truncate", "style": "max-width: 9rem"}})
    flag = tables.Column("标记", empty_values=(), orderable=False,
                         attrs={"td": {"data-odd": lambda record: "1" if record.pk % 2 else "0"}})
    category = tables.Column("类别")  # choices: get_FOO_display
    agency = tables.Column("单位", accessor="agency__name", default="—")
    born = tables.Column("出生", accessor="birth_date", localize=False)
    note = tables.Column("备注", default="<无>")  # escaped, as in the template

    class Meta:
        model = Staff
        fields = ("name", "phone", "flag", "category", "agency", "born", "note")
        row_attrs = {"data-pk": lambda record: record.pk}
        empty_text = "没有<记录>"

    def render_phone(self, value, record):
        return f"{value[:3]}****{record.pk}"

    def render_flag(self, record):
        return "有" if record.pk % 2 else "无"


class _Fast(fast.Table, _Plain):
    class Meta(_Plain.Meta):
        pass


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _rendered(cls, queryset, request, per_page: int = 5) -> str:
    table = cls(queryset)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return _tags(table.as_html(request))


def _render_both(queryset, request):
    return [_rendered(cls, queryset, request) for cls in (_Plain, _Fast)]


@pytest.mark.django_db
def test_same_html_as_django_tables2_and_signatures_looked_up_once(monkeypatch):
    StaffFactory.create_batch(7)
    Staff.objects.filter(pk=Staff.objects.order_by("pk")[1].pk).update(note="<b>x</b> & y")
    request = RequestFactory().get("/")
    stock, ours = _render_both(Staff.objects.order_by("pk"), request)
    assert stock == ours
    for piece in ("****", "/s/", 'data-odd="1"', 'data-odd="0"', 'class="text-truncate"', "data-pk=",
                  "&lt;b&gt;x&lt;/b&gt; &amp; y", "&lt;无&gt;"):
        assert piece in ours, piece
    assert ours.count("<tr ") == 5 and _Fast(Staff.objects.none()).template_name == "core/table.html"
    # the empty table and the second page
    assert _render_both(Staff.objects.none(), request)[0] == _render_both(Staff.objects.none(), request)[1]
    assert "没有&lt;记录&gt;" in _render_both(Staff.objects.none(), request)[1]
    second = _render_both(Staff.objects.order_by("pk"), RequestFactory().get("/?page=2"))
    assert second[0] == second[1] and second[1].count("data-pk=") == 2

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
def test_pinned_rows_render_as_in_django_tables2():
    class Pinned(tables.Table):
        name = tables.Column("姓名")
        phone = tables.Column("电话")
        note = tables.Column("备注", default="—")

        class Meta:
            model = Staff
            fields = ("name", "phone", "note")

        def get_top_pinned_data(self):
            return [{"name": "合计", "phone": "7", "note": "<顶>"}]

    class FastPinned(fast.Table, Pinned):
        class Meta(Pinned.Meta):
            pass

    StaffFactory.create_batch(2)
    request = RequestFactory().get("/")
    html = [_rendered(cls, Staff.objects.order_by("pk"), request) for cls in (Pinned, FastPinned)]
    assert html[0] == html[1] and "pinned-row" in html[1] and "合计" in html[1] and "&lt;顶&gt;" in html[1]


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


class _Reversed(tables.Table):
    """The other ways a cell gets its value: a reversed link (with and without <a> attributes), a method
    (called, as the library calls it), a render taking **kwargs, a render asking for an argument no cell
    has (None, as call_with_appropriate gives), a relation through a null key (the default)."""

    name = tables.Column("姓名", linkify=("org:staff_detail", {"pk": tables.A("pk")}))
    code = tables.Column("编号", accessor="pk", linkify=("org:staff_detail", {"pk": tables.A("pk")}),
                         attrs={"a": {"class": "fw-bold", "title": "<详情>"}})
    masked = tables.Column("电话", accessor="phone_masked", orderable=False)
    wide = tables.Column("宽", accessor="pk", orderable=False)
    odd = tables.Column("怪", accessor="pk", orderable=False)
    place = tables.Column("上级辖区", accessor="area__parent__short_name", default="无上级")

    class Meta:
        model = Staff
        fields = ("name", "code", "masked", "wide", "odd", "place")

    def render_wide(self, **kwargs):
        return f"{kwargs['value']}/{kwargs['record'].pk}/{kwargs['bound_column'].name}"

    def render_odd(self, value, nonsense):
        return "never"


class _FastReversed(fast.Table, _Reversed):
    class Meta(_Reversed.Meta):
        pass


@pytest.mark.django_db
def test_reversed_links_methods_and_odd_renders_as_in_django_tables2(monkeypatch):
    staff = StaffFactory.create_batch(4)
    from pingan.areas.models import Area

    Staff.objects.filter(pk=staff[0].pk).update(area=Area.objects.filter(parent__isnull=True).first())
    request = RequestFactory().get("/")
    html = [_rendered(cls, Staff.objects.order_by("pk"), request, 10) for cls in (_Reversed, _FastReversed)]
    assert html[0] == html[1]
    assert f'href="/org/staff/{staff[1].pk}/"' in html[1] and 'title="&lt;详情&gt;"' in html[1]
    assert "无上级" in html[1] and f"{staff[2].pk}/{staff[2].pk}/wide<" in html[1] and ">None<" in html[1]

    from django_tables2.columns import base

    reversed_by_library = []
    real = base.reverse
    monkeypatch.setattr(base, "reverse", lambda *a, **k: reversed_by_library.append(a) or real(*a, **k))
    assert _rendered(_FastReversed, Staff.objects.order_by("pk"), request, 10) == html[0]
    assert len(reversed_by_library) == 2  # once per link column, to check the first row; 8 links shown
    monkeypatch.undo()

    # A URL that reverse() builds otherwise than by filling in the id (a padding converter, say): the
    # page's first row shows the difference and every row is reversed the library's way.
    real = base.reverse
    monkeypatch.setattr(base, "reverse", lambda *a, **k: real(*a, **k) + "?from=list")
    padded = [_rendered(cls, Staff.objects.order_by("pk"), request, 10) for cls in (_Reversed, _FastReversed)]
    assert padded[0] == padded[1] and padded[1].count("?from=list") == 8


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?page=2", "?page=2&sort=-name", "?sort=agency", "?page=3"])
def test_page_by_ids_reads_the_same_rows_through_the_pages_ids(query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    class ById(_Fast):
        page_by_ids = True

        class Meta(_Fast.Meta):
            pass

    StaffFactory.create_batch(12)
    request = RequestFactory().get("/" + query)
    html, sql = [], []
    for cls in (_Plain, _Fast, ById):
        table = cls(Staff.objects.select_related("agency").order_by("pk"))
        RequestConfig(request, paginate={"per_page": 5}).configure(table)
        with CaptureQueriesContext(connection) as queries:
            html.append(_tags(table.as_html(request)))
        sql.append(" ".join(q["sql"] for q in queries.captured_queries))
    assert html[0] == html[1] == html[2] and html[2].count("data-pk=") in (2, 5)
    assert " IN (SELECT " in sql[2] and "LIMIT" in sql[2].split(" IN (SELECT ", 1)[1]
    assert " IN (SELECT " not in sql[1]
