"""The pages and the API as their users use them: registering (from an incident), the steps, masking
and the audited reveal, exports, the campaign results page, the home page and menus."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pingan.cases.models import Case, CaseKind, PartyRole
from pingan.cases.tests import builders as b
from pingan.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db


def _masked_case():
    case = b.case(title="巴仁宝勒格村盗窃羊只案")
    number = b.id_number()
    b.party(case, PartyRole.SUSPECT, b.person("郑十一", number, phone="13987654321"))
    return case, number


def test_registering_a_case_on_the_page(client_as, persona):
    client = client_as("station_chief")
    assert client.get(reverse("cases:create")).status_code == 200
    response = client.post(reverse("cases:create"), {
        "kind": "criminal", "category": b.category("theft_livestock").pk, "title": "巴仁宝勒格村盗窃牛案",
        "area": b.area(b.VILLAGE).pk, "accepted_on": "2024-03-05", "method": "vehicle", "goods": "cattle"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.station.area.code == b.TOWNSHIP and case.created_by == persona("station_chief")
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="cases.Case").count() == 1


def test_a_form_error_is_shown_in_chinese(client_as):
    response = client_as("station_chief").post(reverse("cases:create"), {
        "kind": "criminal", "category": b.category("theft_crops").pk, "title": "某案", "area": b.area(b.VILLAGE).pk,
        "accepted_on": "2024-03-05", "occurred_at": "2024-03-07T10:00"})
    assert response.status_code == 200
    assert "发案时间不能晚于受案日期" in response.content.decode()
    assert not Case.objects.exists()


def test_a_case_opened_from_an_incident_on_the_page(client_as):
    from pingan.cases.tests.test_services import _incident

    incident = _incident("on_scene")
    client = client_as("station_chief")
    page = client.get(reverse("cases:create") + f"?incident={incident.pk}").content.decode()
    assert incident.number in page and "转为案件" in page
    client.post(reverse("cases:create") + f"?incident={incident.pk}", {
        "kind": "criminal", "category": b.category("theft_livestock").pk, "title": "盗羊案",
        "area": b.area(b.VILLAGE).pk, "accepted_on": "2024-03-01", "incident": incident.pk})
    incident.refresh_from_db()
    assert incident.status == "to_case" and Case.objects.get().incidents.get() == incident


def test_the_steps_on_the_case_page(client_as):
    case = b.case()
    client = client_as("station_chief")
    url = reverse("cases:detail", args=[case.pk])
    client.post(reverse("cases:transition", args=[case.pk]), {"status": "filed", "on": "2024-03-02"})
    client.post(reverse("cases:party_add", args=[case.pk]), {"role": "suspect", "name": "冯十二",
                                                             "id_number": b.id_number(), "caught_on": "2024-03-03"})
    party = case.parties.get()
    client.post(reverse("cases:disposition_add", args=[case.pk]), {"party": party.pk, "kind": "criminal_detention",
                                                                    "decided_on": "2024-03-03"})
    client.post(reverse("cases:loss_add", args=[case.pk]), {"item": "羊10只", "value": "11000.00"})
    client.post(reverse("cases:recovery_add", args=[case.pk]), {"recovered_on": "2024-03-04", "amount": "8800.00",
                                                                "description": "追回羊8只"})
    response = client.post(reverse("cases:transition", args=[case.pk]), {"status": "solved", "on": "2024-03-03"},
                           follow=True)
    assert "不能转为“破案”" in response.content.decode()  # 立案 → 侦查 first
    client.post(reverse("cases:transition", args=[case.pk]), {"status": "investigating", "on": "2024-03-02"})
    client.post(reverse("cases:transition", args=[case.pk]), {"status": "solved", "on": "2024-03-03"})
    case.refresh_from_db()
    assert case.status == "solved" and case.solved_on == dt.date(2024, 3, 3)
    page = client.get(url).content.decode()
    assert "冯十二" in page and "刑事拘留" in page and "8800.00" in page and "打击处理1人次" in page


def test_the_case_page_masks_personal_data_and_the_reveal_is_audited(client_as):
    case, number = _masked_case()
    client = client_as("station_chief")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert number not in page and "13987654321" not in page
    assert number[-4:] in page and "查看完整(留痕)" in page
    revealed = client.post(reverse("cases:reveal", args=[case.pk]))
    assert number in revealed.content.decode() and "13987654321" in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PII, object_id=str(case.pk)).count() == 1
    officer = client_as("village_officer")
    assert "查看完整(留痕)" not in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert officer.post(reverse("cases:reveal", args=[case.pk])).status_code == 403


def test_the_api_masks_personal_data(client_as):
    case, number = _masked_case()
    data = client_as("hq_officer").get(f"/api/cases/{case.pk}").json()
    party = data["parties"][0]
    assert party["name"] == "郑十一" and party["id_number"] != number and party["id_number"].endswith(number[-4:])
    assert party["phone"] == "139****4321"
    assert data["events"][0]["to_status"] == "accepted"


def test_the_api_registers_a_case_and_moves_it(client_as):
    client = client_as("station_chief")
    response = client.post("/api/cases/", {"kind": "administrative", "category": "涉赌", "title": "聚众赌博案",
                                           "area_code": b.VILLAGE, "accepted_on": "2024-05-01"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    case_id = response.json()["id"]
    bad = client.post(f"/api/cases/{case_id}/transitions", {"status": "decided", "on": "2024-05-02"},
                      content_type="application/json")
    assert bad.status_code == 400 and "不能转为“处罚决定”" in bad.json()["detail"]
    ok = client.post(f"/api/cases/{case_id}/transitions", {"status": "inquiry", "on": "2024-05-02"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["to_status"] == "inquiry"
    listed = client.get("/api/cases/?category=gambling&status=open").json()
    assert [c["id"] for c in listed["items"]] == [case_id]
    outside = client.post("/api/cases/", {"kind": "administrative", "category": "涉赌", "title": "外镇",
                                          "area_code": b.SIBLING_TOWNSHIP_VILLAGE, "accepted_on": "2024-05-01"},
                          content_type="application/json")
    assert outside.status_code == 404


def test_the_list_filters_and_exports_what_it_shows(client_as):
    b.case(title="盗窃甲", accepted=dt.date(2024, 2, 1))
    b.case(title="涉赌乙", kind=CaseKind.ADMINISTRATIVE, cat="gambling")
    b.case(title="外镇丙", code=b.SIBLING_TOWNSHIP_VILLAGE)
    client = client_as("station_chief")
    page = client.get(reverse("cases:list") + "?category=theft").content.decode()
    assert "盗窃甲" in page and "涉赌乙" not in page and "外镇丙" not in page
    response = client.get(reverse("cases:list") + "?category=theft&export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert any("盗窃甲" in [str(v) for v in row] for row in rows)
    assert not any("外镇丙" in [str(v) for v in row] for row in rows)
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="cases.Case").count() == 1


def test_the_list_page_keeps_its_query_count(client_as, django_assert_max_num_queries):
    for n in range(25):
        b.case(title=f"案件{n}")
    client = client_as("station_chief")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("cases:list")).status_code == 200


def test_the_campaign_results_page(client_as):
    from pingan.cases import services

    campaign = b.campaign(name="夏季治安打击整治行动", goals=[services.GoalIn("seized", 5, "gun")])
    case = b.case(kind=CaseKind.ADMINISTRATIVE, cat="gambling", accepted=dt.date(2024, 6, 1), campaigns=[campaign])
    b.dispose(b.party(case, PartyRole.OFFENDER), "warning", dt.date(2024, 6, 2))
    client = client_as("village_officer")
    client.post(reverse("cases:seizure_add", args=[campaign.pk]), {
        "area": b.area(b.VILLAGE).pk, "item_kind": "gun", "quantity": "2", "seized_on": "2024-06-03"})
    client.post(reverse("cases:inspection_add", args=[campaign.pk]), {
        "area": b.area(b.VILLAGE).pk, "place": "某宾馆", "place_kind": "hotel", "inspected_on": "2024-06-03",
        "problems": "1"})
    page = client.get(reverse("cases:campaign", args=[campaign.pk])).content.decode()
    assert "收缴枪支(支)" in page and "40%" in page and "枪支2支" in page and "某宾馆" in page
    assert client.get(reverse("cases:campaign_edit", args=[campaign.pk])).status_code == 403
    chief = client_as("station_chief")
    assert chief.get(reverse("cases:campaign_edit", args=[campaign.pk])).status_code == 404  # the bureau's
    data = chief.get(f"/api/cases/campaigns/{campaign.pk}").json()
    assert (data["cases"], data["person_times_dealt"], data["seized"]["gun"], data["partial"]) == (1, 1, "2.00", True)
    export = chief.get(reverse("cases:campaign", args=[campaign.pk]) + "?export=seizures")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_home_items_and_menus(client_as):
    b.case(accepted=dt.date(2024, 1, 2))
    page = client_as("station_chief").get(reverse("accounts:home")).content.decode()
    assert "在办案件" in page and "受案超过30日未立案(调查)的案件" in page
    assert reverse("cases:list") in page and reverse("cases:campaigns") in page
    assert "合成作战" in client_as("hq_officer").get(reverse("accounts:home")).content.decode()
    assert reverse("cases:list") not in client_as("justice_clerk").get(reverse("accounts:home")).content.decode()


def test_editing_a_case_keeps_its_number_and_is_audited(client_as):
    campaign = b.campaign()
    case = b.case(title="旧名称")
    client = client_as("station_chief")
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:edit", args=[case.pk]), {
        "category": b.category("theft_burglary").pk, "title": "巴仁宝勒格村入户盗窃案", "area": b.area(b.VILLAGE).pk,
        "accepted_on": "2024-03-01", "campaigns": [campaign.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.category.code, list(case.campaigns.all())) == ("巴仁宝勒格村入户盗窃案", "theft_burglary",
                                                                           [campaign])
    row = AuditLog.objects.get(action=AuditAction.UPDATE, object_type="cases.Case")
    assert row.before["title"] == "旧名称" and row.after["title"] == "巴仁宝勒格村入户盗窃案"
