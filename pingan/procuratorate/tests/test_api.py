"""The JSON API: scope, masking, the state machine's refusals in Chinese."""

import datetime as dt
import json

import pytest

from pingan.core import idcard
from pingan.procuratorate import services
from pingan.procuratorate.tests.helpers import admin_agency, draft, procuratorate, served
from pingan.testing.factories import area
from pingan.testing.personas import TOWNSHIP

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_the_liaison_lists_only_its_agencys_suggestions_and_replies_through_the_api(client_as, persona):
    liaison = persona("liaison")
    mine, theirs = served(liaison.agency, title="本单位"), served(admin_agency("卫生健康委员会"), title="卫健委")
    client = client_as("liaison")
    items = client.get("/api/procuratorate/suggestions").json()["items"]
    assert [i["title"] for i in items] == ["本单位"] and items[0]["overdue"] is True
    assert client.get(f"/api/procuratorate/suggestions/{theirs.pk}").status_code == 404
    response = _post(client, f"/api/procuratorate/suggestions/{mine.pk}/reply", {"reply": "已整改"})
    assert response.status_code == 200 and response.json()["via"] == "平安乡村"
    detail = client.get(f"/api/procuratorate/suggestions/{mine.pk}").json()
    assert detail["status"] == "replied" and [e["action"] for e in detail["trail"]] == ["送达", "回复"]


def test_an_illegal_step_answers_400_in_chinese(client_as):
    s = draft()
    response = _post(client_as("prosecutor"), f"/api/procuratorate/suggestions/{s.pk}/actions", {"action": "serve"})
    assert response.status_code == 400
    assert "检察建议当前状态为“起草”，不能送达" in response.json()["detail"]


def test_worker_id_numbers_are_masked_in_the_api(client_as):
    claim = services.wage_claim_register(actor=None, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                         project="安置小区", contractor="郝某", received_on=dt.date(2024, 3, 1))
    number = idcard.make("150824", dt.date(1980, 1, 1), 7)
    services.wage_worker_add(actor=None, claim=claim, name="王强", id_number=number, amount_owed="5000.00")
    body = client_as("prosecutor").get(f"/api/procuratorate/claims/{claim.pk}").json()
    assert body["workers"][0]["id_number"] == number[:6] + "********" + number[-4:]
    assert body["owed_total"] == "5000.00" and number not in json.dumps(body)
