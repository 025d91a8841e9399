"""Query budgets: the incident pages and API lists cost the same number of queries for N rows as
for 3N (no N+1 over areas, categories, stations, repeat groups or the trail)."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from pingan.areas.models import Area
from pingan.incidents.models import Incident, IncidentCategory, IncidentEvent, IncidentStatus, RepeatCluster
from pingan.org.models import Agency, AgencyKind
from pingan.testing.query_budget import assert_constant

pytestmark = pytest.mark.django_db

TOWNSHIP = "150824100000"
DAY = dt.date(2024, 3, 5)
_n = itertools.count(1)


@pytest.fixture
def grow():
    """grow(k): k incidents of 海流图镇 on DAY, each in another village, with a subcategory, the
    station, a trail step and a repeat group shared by all (so a group and its member list grow)."""
    banner = Area.objects.get(code="150824000000")
    town = Area.objects.get(code=TOWNSHIP)
    villages = list(Area.objects.filter(parent=town).order_by("code"))
    station, _ = Agency.objects.get_or_create(name="海流图派出所", area=town,
                                              defaults={"kind": AgencyKind.POLICE_STATION})
    cats = list(IncidentCategory.objects.filter(parent__isnull=False).order_by("pk")[:10])
    when = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9)))
    cluster = RepeatCluster.objects.create(banner=banner, kind="multi_caller", first_at=when, last_at=when)

    def make(k: int):
        for _ in range(k):
            i = next(_n)
            inc = Incident.objects.create(
                number=f"QB{i:05d}", banner=banner, area=villages[i % len(villages)], received_at=when,
                category=cats[i % len(cats)], caller_name="张三", caller_phone="13800000000", address="海流图镇",
                content="报警称家中被盗", station=station, cluster=cluster, status=IncidentStatus.DISPATCHED)
            IncidentEvent.objects.create(incident=inc, status=IncidentStatus.RECEIVED, at=when)
            IncidentEvent.objects.create(incident=inc, status=IncidentStatus.DISPATCHED, at=when)
        cluster.size = Incident.objects.filter(cluster=cluster).count()
        cluster.save()
        return cluster

    make.cluster = cluster
    return make


@pytest.mark.parametrize("login", ["hq_officer", "station_chief"])
@pytest.mark.parametrize("url", ["/incidents/", "/incidents/?repeats=any&category=盗窃", "/incidents/?export=xlsx",
                                 f"/incidents/daily/?date={DAY}",
                                 "/incidents/repeats/", "/api/incidents/?limit=100", "/api/incidents/repeats"])
def test_lists_cost_the_same_for_n_and_3n_rows(client_as, grow, django_assert_max_num_queries, login, url):
    assert_constant(client_as(login), url, grow=grow, budget=40, assert_max=django_assert_max_num_queries)


def test_detail_pages_cost_the_same_however_big_the_group(client_as, grow, django_assert_max_num_queries):
    first = Incident.objects.none()

    def url():
        nonlocal first
        first = first or Incident.objects.filter(number__startswith="QB").order_by("pk").first()
        return f"/incidents/{first.pk}/"

    c = client_as("station_chief")
    assert_constant(c, url, grow=grow, budget=30, assert_max=django_assert_max_num_queries)
    assert_constant(c, lambda: f"/api/incidents/{first.pk}", grow=grow, budget=20,
                    assert_max=django_assert_max_num_queries)
    assert_constant(c, lambda: f"/incidents/repeats/{grow.cluster.pk}/", grow=grow, budget=30,
                    assert_max=django_assert_max_num_queries)
