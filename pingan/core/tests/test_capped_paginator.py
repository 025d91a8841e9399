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
