"""Query budgets: the 法律明白人 files and 法治活动 (pages and API) cost the same number of queries
for N rows as for 3N, and a file or an activity the same for N related rows as for 3N."""

import datetime as dt
import itertools

import pytest
from django.test import Client

from pingan.legal.models import Activity
from pingan.legal.tests.helpers import (
    GACHA,
    GACHA_2,
    agency,
    area,
    bureau_user,
    legal_person,
    nominate,
    office_user,
)
from pingan.org.models import AgencyKind
from pingan.testing.query_budget import assert_constant

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def grow():
    office = agency(AgencyKind.JUDICIAL_OFFICE, area(GACHA).parent.code)
    serving = [legal_person(GACHA, "巴特尔"), legal_person(GACHA_2, "其其格")]

    def make(k: int):
        for _ in range(k):
            i = next(_n)
            nominate(code=GACHA if i % 2 else GACHA_2, name=f"候选人{i}")
            a = Activity.objects.create(kind="publicity", date=dt.date(2024, 4, 1), village=area(GACHA if i % 2 else GACHA_2),
                                        office=office, title=f"民法典宣传{i}", audience_count=30)
            a.participants.set(serving)

    return make


@pytest.mark.parametrize("who", ["bureau", "office"])
@pytest.mark.parametrize("url", ["/legal/persons/", "/legal/activities/", "/api/legal/persons?limit=100",
                                 "/api/legal/activities?limit=100"])
def test_lists_cost_the_same_for_n_and_3n_rows(grow, django_assert_max_num_queries, who, url):
    c = _client(bureau_user() if who == "bureau" else office_user())
    assert_constant(c, url, grow=grow, budget=40, assert_max=django_assert_max_num_queries)


def test_an_activity_costs_the_same_for_n_and_3n_participants(django_assert_max_num_queries):
    office = agency(AgencyKind.JUDICIAL_OFFICE, area(GACHA).parent.code)
    a = Activity.objects.create(kind="mediation", date=dt.date(2024, 4, 1), village=area(GACHA), office=office,
                                title="草场纠纷调解", audience_count=0)

    def more(k: int):
        a.participants.add(*[legal_person(GACHA, f"明白人{next(_n)}") for _ in range(k)])

    c = _client(office_user())
    assert_constant(c, f"/legal/activities/{a.pk}/", grow=more, budget=30, assert_max=django_assert_max_num_queries)
    assert_constant(c, f"/api/legal/activities/{a.pk}", grow=more, budget=20, assert_max=django_assert_max_num_queries)
    person = a.participants.first()
    assert_constant(c, f"/legal/persons/{person.pk}/", grow=lambda k: [Activity.objects.create(
        kind="publicity", date=dt.date(2024, 5, 1), village=area(GACHA), office=office, title="宣传",
        audience_count=10).participants.add(person) for _ in range(k)], budget=40, assert_max=django_assert_max_num_queries)
