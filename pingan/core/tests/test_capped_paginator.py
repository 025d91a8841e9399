"""Big lists count at most CAP + 1 rows and say so, instead of counting the whole scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core.pagination import CappedPaginator
from pingan.incidents.models import Incident, IncidentCategory

pytestmark = pytest.mark.django_db


def _incidents(k: int) -> None:
    banner = Area.objects.get(code="150824000000")
    village = Area.objects.get(code="150824100201")
    cat = IncidentCategory.objects.filter(parent__isnull=False).first()
    for i in range(k):
        Incident.objects.create(number=f"CAP{i}", banner=banner, area=village, category=cat,
                                received_at=timezone.make_aware(dt.datetime(2024, 3, 1, 9, i)))


def test_a_small_list_shows_its_exact_count(client_as, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    _incidents(3)
    page = client_as("station_chief").get("/incidents/").content.decode()
    assert "共 3 起" in page and "只列出前" not in page


def test_a_big_list_counts_no_further_than_the_cap(client_as, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    _incidents(5)
    c = client_as("station_chief")
    with CaptureQueriesContext(connection) as q:
        page = c.get("/incidents/").content.decode()
    assert "共 3+ 起" in page and "只列出前 3 起" in page
    counts = [x["sql"] for x in q.captured_queries if "COUNT(" in x["sql"] and "incidents_incident" in x["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts), counts
    assert "CAP4" in page and "CAP0" not in page  # the newest 3 … on page 1 (50 a page, all 3 shown)


def test_the_paginator_pages_within_the_cap():
    p = CappedPaginator(list(range(10)), 2)  # not a QuerySet: the plain count
    assert p.count == 10 and p.count_label == "10"


def test_rows_by_ids_reads_a_slice_through_its_ids_with_the_same_rows_in_order():
    from django.db.models import F

    from pingan.core.pagination import rows_by_ids

    _incidents(9)
    plain = Incident.objects.select_related("area", "category").order_by("-received_at")
    for start, stop in ((0, 4), (3, 7), (8, 20), (20, 30)):
        with CaptureQueriesContext(connection) as queries:
            got = [i.number for i in rows_by_ids(plain, start, stop)]
        assert got == [i.number for i in plain[start:stop]]
        sql = queries.captured_queries[0]["sql"]
        assert len(queries) == 1 and " IN (SELECT " in sql and "LIMIT" in sql.split(" IN (SELECT ", 1)[1]
    # not a plain model queryset: sliced as it is
    values = Incident.objects.order_by("pk").values("number")
    assert list(rows_by_ids(values, 1, 3)) == list(values[1:3])
    distinct = Incident.objects.annotate(a=F("area__code")).order_by("number").distinct()
    assert [i.number for i in rows_by_ids(distinct, 0, 2)] == ["CAP0", "CAP1"]


def test_the_api_pages_read_their_rows_through_the_ids(client_as):
    _incidents(7)
    c = client_as("station_chief")
    whole = c.get("/api/incidents/?limit=100").json()
    with CaptureQueriesContext(connection) as queries:
        page = c.get("/api/incidents/?limit=3&offset=2").json()
    assert page["count"] == whole["count"] == 7
    assert [i["number"] for i in page["items"]] == [i["number"] for i in whole["items"]][2:5]
    assert any(" IN (SELECT " in q["sql"] and "incidents_incident" in q["sql"] for q in queries.captured_queries)
