import datetime as dt

import pytest
from django.test import Client

from pingan.accounts.models import ApiToken, hash_token
from pingan.legal import services
from pingan.legal.tests import api_urls
from pingan.legal.tests import helpers as h

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pingan.legal.tests.api_urls")]
API = api_urls.PREFIX


def _client(user) -> Client:
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="test", prefix=raw[:8], key_hash=hash_token(raw))
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def people():
    services.quota_set(actor=None, banner=h.area(h.BANNER), unit_kind="嘎查", quota=3)
    me, far = h.legal_person(h.GACHA, name="巴特尔"), h.legal_person(h.SIBLING_GACHA, name="苏和")
    act = services.activity_record(actor=None, kind="mediation", date=dt.date(2024, 5, 1), village=me.village,
                                   title="草场边界纠纷", participants=[me], parties="张三丰、李四", outcome="调解成功")
    return me, far, act


def test_persons_are_listed_within_scope_with_personal_data_masked(people):
    me, far, _ = people
    body = _client(h.office_user()).get(f"{API}/persons").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["name"] == "巴特尔" and row["village_code"] == h.GACHA and row["status"] == "上岗"
    assert row["id_number"] == me.staff.id_number[:6] + "********" + me.staff.id_number[-4:]
    assert row["phone"].count("*") == 4
    assert _client(h.bureau_user()).get(f"{API}/persons", {"area": h.SIBLING_TOWNSHIP}).json()["count"] == 1


def test_a_persons_file_is_404_outside_scope_and_403_for_the_police(people):
    me, far, _ = people
    office = _client(h.office_user())
    detail = office.get(f"{API}/persons/{me.pk}").json()
    assert [c["passed"] for c in detail["checks"]] == [True] * 5 and detail["checks"][0]["criterion"] == "political"
    assert detail["activities"]["mediation"] == 1 and "培训记录" in detail["missing"]
    response = office.get(f"{API}/persons/{far.pk}")
    assert response.status_code == 404 and response.json()["detail"]
    assert _client(h.police_user()).get(f"{API}/persons/{me.pk}").status_code == 403
    mine = _client(h.legal_literate_user(me))
    assert mine.get(f"{API}/persons/{me.pk}").status_code == 200
    assert mine.get(f"{API}/persons").status_code == 403


def test_activities_mask_the_parties_and_coverage_reports_the_shortfall(people):
    me, _, act = people
    client = _client(h.office_user())
    items = client.get(f"{API}/activities", {"kind": "mediation"}).json()["items"]
    assert [(a["id"], a["parties"], a["participants"]) for a in items] == [(act.pk, "张**、李*", ["巴特尔"])]
    assert client.get(f"{API}/activities/{act.pk}").json()["outcome"] == "调解成功"
    cov = client.get(f"{API}/coverage/{h.TOWNSHIP}").json()
    row = next(r for r in cov["rows"] if r["village_code"] == h.GACHA)
    assert (row["persons"], row["quota"], row["meets"], row["shortfall"]) == (1, 3, False, 2)
    assert cov["quotas"] == {"嘎查": 3}
    assert client.get(f"{API}/coverage/{h.SIBLING_TOWNSHIP}").status_code == 404
