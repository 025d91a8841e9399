"""Query budgets: the case list, campaigns and operations (pages and API) cost the same number of
queries for N rows as for 3N, and a case's page the same for N parties (with dispositions) as for 3N."""

import datetime as dt

import pytest

from pingan.cases.tests.builders import case, dispose, party
from pingan.testing.query_budget import assert_constant

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow():
    def make(k: int):
        for _ in range(k):
            c = case(title="盗窃牲畜案")
            dispose(party(c, "suspect"), "criminal_detention", dt.date(2024, 3, 5), days=7)
            party(c, "victim")

    return make


@pytest.mark.parametrize("login", ["hq_officer", "station_chief"])
@pytest.mark.parametrize("url", ["/cases/", "/api/cases/?limit=100"])
def test_lists_cost_the_same_for_n_and_3n_rows(client_as, grow, django_assert_max_num_queries, login, url):
    assert_constant(client_as(login), url, grow=grow, budget=40, assert_max=django_assert_max_num_queries)


def test_a_case_costs_the_same_for_n_and_3n_parties(client_as, django_assert_max_num_queries):
    c = case(title="盗窃牲畜案")

    def more(k: int):
        for _ in range(k):
            dispose(party(c, "suspect"), "criminal_detention", dt.date(2024, 3, 5), days=7)

    client = client_as("station_chief")
    assert_constant(client, f"/cases/{c.pk}/", grow=more, budget=40, assert_max=django_assert_max_num_queries)
    assert_constant(client, f"/api/cases/{c.pk}", grow=more, budget=30, assert_max=django_assert_max_num_queries)
