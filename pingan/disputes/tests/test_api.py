"""The JSON API under /api/disputes/: the same services, FilterSets and scope as the pages."""

import pytest
from django.utils import timezone

from pingan.disputes.models import Dispute, DisputeStatus, Hazard, Visit
from pingan.disputes.tests import builders as b

pytestmark = pytest.mark.django_db
S = DisputeStatus


def post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_the_loop_through_the_api(client_as, persona):
    client = client_as("station_chief")
    response = post(client, "/api/disputes/", {
        "area_code": b.VILLAGE, "title": "12名工人讨薪", "kind": "劳资", "source": "hotline", "people_involved": 12,
        "parties": [{"name": "某建筑公司", "role": "被申请人"}, {"name": "王建国", "phone": "13847100001",
                                                             "role": "申请人"}]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["risk"] == 3 and body["risk_name"] == "橙" and body["status"] == "registered"
    assert body["risk_changes"][0]["signal"] == "many_parties"
    assert body["parties"][1]["phone"] == "138****0001"
    pk = body["id"]
    assert post(client, f"/api/disputes/{pk}/assess", {"risk": 3, "reason": "群体讨薪"}).json()["status"] == "assessed"
    mediator = b.mediator()
    assert post(client, f"/api/disputes/{pk}/assign", {"staff_id": mediator.pk}).json()["handler_staff"] == mediator.name
    today = timezone.localdate().isoformat()
    r = post(client, f"/api/disputes/{pk}/sessions", {"held_on": today, "outcome": "success", "summary": "达成还款协议",
                                                      "agreement": "月底前付清"})
    assert r.json()["status"] == "follow_up"
    assert post(client, f"/api/disputes/{pk}/follow-ups", {"on": today, "stable": True}).status_code == 200
    assert post(client, f"/api/disputes/{pk}/close", {}).json()["status"] == "closed"


def test_an_illegal_step_answers_400_in_chinese(client_as, persona):
    d = b.dispute(actor=persona("station_chief"))
    response = post(client_as("station_chief"), f"/api/disputes/{d.pk}/close", {})
    assert response.status_code == 400 and "当前状态为“已登记”，不能办结" in response.json()["detail"]


def test_scope_and_roles(client_as):
    own = b.dispute(title="本村纠纷")
    sibling = b.dispute(at=b.SIBLING_VILLAGE, title="邻村纠纷")
    client = client_as("village_officer")
    assert [d["title"] for d in client.get("/api/disputes/").json()["items"]] == ["本村纠纷"]
    assert client.get(f"/api/disputes/{sibling.pk}").status_code == 404
    assert client.get(f"/api/disputes/{own.pk}").status_code == 200
    assert client_as("prosecutor").get("/api/disputes/").status_code == 403


def test_the_list_filters_like_the_page(client_as):
    b.dispute(title="扬言上访的纠纷")
    b.dispute(title="普通纠纷")
    items = client_as("station_chief").get("/api/disputes/?risk=2").json()["items"]
    assert [d["title"] for d in items] == ["扬言上访的纠纷"]


def test_a_visit_with_a_hazard_and_its_rectification(client_as, persona):
    member = b.mediator()
    client = client_as("grid_worker")
    response = post(client, "/api/disputes/visits", {
        "area_code": b.VILLAGE, "place_kind": "学校", "place_name": "巴仁宝勒格小学", "team_ids": [member.pk],
        "hazard": {"category": "校园", "description": "校门口无减速带", "severity": "重大"}})
    assert response.status_code == 201, response.content
    assert Visit.objects.get().team.get() == member
    hazard = Hazard.objects.get()
    assert response.json()["hazard_ids"] == [hazard.pk]
    r = post(client, f"/api/disputes/hazards/{hazard.pk}/rectify",
             {"rectified_on": timezone.localdate().isoformat(), "evidence": "已设置减速带和警示牌"})
    assert r.json()["status"] == "rectified"
    assert not Dispute.objects.exists()
