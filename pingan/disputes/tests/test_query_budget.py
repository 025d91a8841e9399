"""Query budgets: the dispute ledger, visits and hazards (pages and API) cost the same number of
queries for N rows as for 3N, and a dispute's page the same for N parties as for 3N."""

import datetime as dt
import itertools

import pytest

from pingan.disputes.models import Dispute, DisputeParty, Hazard, Visit
from pingan.disputes.tests.builders import VILLAGE, dispute, mediator
from pingan.testing.factories import area
from pingan.testing.query_budget import assert_constant

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


@pytest.fixture
def grow():
    village = area(VILLAGE)
    team = [mediator(), mediator()]

    def make(k: int):
        for _ in range(k):
            i = next(_n)
            d = dispute(title=f"院墙界址纠纷{i}")
            d.parties.create(name=f"第三人{i}", role="第三人", phone="13800000009")
            v = Visit.objects.create(area=village, place_kind="村居", place_name=f"牧户{i}", visited_on=dt.date(2024, 5, 1))
            v.team.set(team)
            Hazard.objects.create(area=village, visit=v, place_kind="村居", place_name=f"牧户{i}", category="消防",
                                  description="电线私拉乱接", found_on=dt.date(2024, 5, 1), deadline=dt.date(2024, 6, 1))

    return make


@pytest.mark.parametrize("login", ["hq_officer", "station_chief", "grid_worker"])
@pytest.mark.parametrize("url", ["/disputes/", "/disputes/visits/", "/disputes/hazards/", "/api/disputes/?limit=100",
                                 "/api/disputes/visits?limit=100", "/api/disputes/hazards?limit=100"])
def test_lists_cost_the_same_for_n_and_3n_rows(client_as, grow, django_assert_max_num_queries, login, url):
    assert_constant(client_as(login), url, grow=grow, budget=40, assert_max=django_assert_max_num_queries)


def test_a_dispute_costs_the_same_for_n_and_3n_parties(client_as, grow, django_assert_max_num_queries):
    d = dispute(title="草场边界纠纷")

    def more_parties(k: int):
        for _ in range(k):
            DisputeParty.objects.create(dispute=d, name=f"当事人{next(_n)}", role="当事人", phone="13800000001")

    c = client_as("station_chief")
    assert_constant(c, f"/disputes/{d.pk}/", grow=more_parties, budget=40, assert_max=django_assert_max_num_queries)
    assert_constant(c, f"/api/disputes/{d.pk}", grow=more_parties, budget=20, assert_max=django_assert_max_num_queries)


def test_a_visit_costs_the_same_for_a_bigger_team(client_as, django_assert_max_num_queries):
    v = Visit.objects.create(area=area(VILLAGE), place_kind="村居", place_name="牧户", visited_on=dt.date(2024, 5, 1))
    assert_constant(client_as("station_chief"), f"/disputes/visits/{v.pk}/",
                    grow=lambda k: v.team.add(*[mediator() for _ in range(k)]), budget=30,
                    assert_max=django_assert_max_num_queries)
    assert Dispute.objects.count() == 0
