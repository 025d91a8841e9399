"""Query budgets: suggestions and wage claims (pages and API) cost the same number of queries for N
rows as for 3N, and a claim's page the same for N workers as for 3N."""

import datetime as dt
import decimal
import itertools

import pytest

from pingan.core import idcard
from pingan.procuratorate import services
from pingan.procuratorate.tests.helpers import draft, procuratorate
from pingan.testing.factories import area
from pingan.testing.personas import TOWNSHIP
from pingan.testing.query_budget import assert_constant

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _claim():
    return services.wage_claim_register(actor=None, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                        project="海流图镇安置小区工程", contractor="郝某军", received_on=dt.date(2024, 3, 1))


def _workers(claim, k):
    for _ in range(k):
        i = next(_n)
        services.wage_worker_add(actor=None, claim=claim, name=f"工人{i}", amount_owed=decimal.Decimal("4500.00"),
                                 id_number=idcard.make("150824", dt.date(1980, 1, 1), i % 999))


@pytest.fixture
def grow():
    def make(k: int):
        for _ in range(k):
            draft(title=f"关于督促整治过期食品的检察建议{next(_n)}")
            _workers(_claim(), 2)

    return make


@pytest.mark.parametrize("url", ["/procuratorate/suggestions/", "/procuratorate/claims/",
                                 "/api/procuratorate/suggestions?limit=100", "/api/procuratorate/claims?limit=100"])
def test_lists_cost_the_same_for_n_and_3n_rows(client_as, grow, django_assert_max_num_queries, url):
    assert_constant(client_as("prosecutor"), url, grow=grow, budget=40, assert_max=django_assert_max_num_queries)


def test_a_claim_costs_the_same_for_n_and_3n_workers(client_as, django_assert_max_num_queries):
    claim = _claim()
    c = client_as("prosecutor")
    assert_constant(c, f"/procuratorate/claims/{claim.pk}/", grow=lambda k: _workers(claim, k), budget=40,
                    assert_max=django_assert_max_num_queries)
    assert_constant(c, f"/api/procuratorate/claims/{claim.pk}", grow=lambda k: _workers(claim, k), budget=30,
                    assert_max=django_assert_max_num_queries)
