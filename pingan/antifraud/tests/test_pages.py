"""Pages and API as the people who use them: lists cut by scope, masking everywhere, exports full
only for roles entitled to personal data, reveals audited, forms writing through the services."""

import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from pingan.antifraud.indicators import approx_wan
from pingan.antifraud.models import Dissuasion, FraudWarning, PublicityEvent
from pingan.antifraud.tests import builders as b
from pingan.core import idcard
from pingan.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db
ID = idcard.make("150824", dt.date(1970, 1, 2), 321)


def _cells(response):
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    return [c.value for row in wb.active.iter_rows() for c in row]


def test_lists_mask_personal_data_and_show_only_the_users_jurisdiction(client_as):
    b.warning(b.VILLAGE, target_name="张三丰", target_phone="13812345678")
    b.warning(b.OTHER_TOWNSHIP_VILLAGE, target_name="赵六", target_phone="13887654321")
    b.dissuasion(b.VILLAGE, phone="13912340000", id_number=ID)
    html = client_as("station_chief").get(reverse("antifraud:warning_list")).content.decode()
    assert "张*丰" in html and "138****5678" in html
    assert "张三丰" not in html and "13812345678" not in html
    assert "赵*" not in html and "138****4321" not in html  # the other township's warning
    html = client_as("station_chief").get(reverse("antifraud:dissuasion_list")).content.decode()
    assert "139****0000" in html and ID[:6] + "********" + ID[-4:] in html and ID not in html


def test_the_export_is_full_for_the_chief_masked_for_the_village_officer_and_audited(client_as):
    b.warning(b.VILLAGE, target_name="张三丰", target_phone="13812345678")
    full = _cells(client_as("station_chief").get(reverse("antifraud:warning_list") + "?export=xlsx"))
    assert "张三丰" in full and "13812345678" in full
    masked = _cells(client_as("village_officer").get(reverse("antifraud:warning_list") + "?export=xlsx"))
    assert "张*丰" in masked and "138****5678" in masked and "张三丰" not in masked
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="antifraud.FraudWarning").count() == 2


def test_the_reveal_is_audited_and_refused_to_the_village_officer(client_as):
    w = b.warning(b.VILLAGE, target_name="张三丰")
    response = client_as("station_chief").post(reverse("antifraud:warning_reveal", args=[w.pk]))
    assert "张三丰" in response.content.decode() and response["Cache-Control"] == "no-store"
    assert AuditLog.objects.filter(action=AuditAction.VIEW_PII, object_id=str(w.pk)).count() == 1
    assert client_as("village_officer").post(reverse("antifraud:warning_reveal", args=[w.pk])).status_code == 403


def test_the_village_officer_records_a_dissuasion_answering_a_warning_from_the_phone_form(client_as, persona):
    b.station()
    w = b.warning(b.VILLAGE)
    client = client_as("village_officer")
    form = client.get(reverse("antifraud:dissuasion_create") + f"?warning={w.pk}").content.decode()
    assert w.number in form and "张三丰" not in form
    response = client.post(reverse("antifraud:dissuasion_create"), {
        "warning": w.pk, "on": "2024-05-01", "person_name": "张三丰", "id_number": ID, "phone": "13812345678",
        "channel": "上门劝阻", "outcome": "success", "amount_kept": "8800.50"})
    d = Dissuasion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("antifraud:dissuasion_detail", args=[d.pk])
    assert (d.warning_id, d.area.code, d.amount_kept, d.risk_type) == (w.pk, b.VILLAGE, Decimal("8800.50"), "刷单返利")
    response = client.post(reverse("antifraud:dissuasion_create"), {
        "warning": w.pk, "on": "2024-05-01", "person_name": "张三丰", "id_number": ID, "channel": "电话劝阻",
        "outcome": "success"})
    assert "同一人同一天只计一人次" in response.content.decode()
    response = client.post(reverse("antifraud:dissuasion_create"), {
        "on": "2024-05-01", "person_name": "某人", "id_number": "150824197001021234", "area": b.area().pk,
        "channel": "电话劝阻", "outcome": "success"})
    assert "身份证号码" in response.content.decode() and Dissuasion.objects.count() == 1


def test_the_station_chief_records_a_publicity_event(client_as):
    station = b.station()
    response = client_as("station_chief").post(reverse("antifraud:publicity_create"), {
        "held_on": "2024-04-02", "place_type": "宾馆", "place": "海流图镇宾馆", "area": b.area(b.TOWNSHIP).pk,
        "organiser": station.pk, "posters": 10, "handbooks": 60, "people_reached": 90, "participants": 3})
    event = PublicityEvent.objects.get()
    assert response.status_code == 302 and event.area.code == b.TOWNSHIP and event.handbooks == 60


def test_the_rates_page_lists_each_village_with_its_change(client_as):
    b.snap(b.VILLAGE, dt.date(2023, 12, 31), 200)
    b.snap(b.VILLAGE, dt.date(2024, 12, 31), 301)
    b.snap(b.OTHER_TOWNSHIP_VILLAGE, dt.date(2024, 12, 31), 999)
    html = client_as("station_chief").get(reverse("antifraud:registration_rates") + "?year=2024").content.decode()
    assert "巴仁宝勒格村" in html and "10.10" in html and "双荣村" not in html
    assert '<script src="/static/echarts/echarts.min.js"></script>' in html and "antifraud/rates.js" in html
    export = _cells(client_as("station_chief").get(reverse("antifraud:registration_rates") + "?year=2024&export=xlsx"))
    assert "巴仁宝勒格村" in export and 101 in export


def test_the_index_shows_the_years_figures(client_as):
    b.dissuasion(b.VILLAGE, amount="1500.00")
    b.event(b.VILLAGE)
    html = client_as("station_chief").get(reverse("antifraud:index") + "?year=2024").content.decode()
    assert "1500.00" in html and "反诈宣传活动" in html


def test_the_home_page_lists_warnings_waiting_for_a_dissuasion(persona):
    from pingan.antifraud.home import antifraud_items

    b.warning(b.VILLAGE)
    answered = b.warning(b.VILLAGE)
    b.dissuasion(b.VILLAGE, warning=answered)
    items = {i.title: i for i in antifraud_items(persona("station_chief"))}
    assert items["待劝阻的反诈预警"].count == 1 and items["待劝阻的反诈预警"].level == "danger"


def test_the_api_creates_and_lists_with_masking(persona):
    b.station()
    from pingan.accounts.models import ApiToken, hash_token

    raw = ApiToken.generate()
    ApiToken.objects.create(user=persona("station_chief"), name="t", prefix=raw[:8], key_hash=hash_token(raw))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    from django.test import Client

    api = Client()
    created = api.post("/api/antifraud/warnings", json.dumps({
        "received_at": "2024-05-01T09:30:00+08:00", "risk_type": "虚假投资理财", "area_code": b.VILLAGE,
        "target_name": "王建国", "target_phone": "13512345678"}), content_type="application/json", **auth)
    assert created.status_code == 201 and created.json()["target_name"] == "王*国"
    warning = FraudWarning.objects.get(target_name="王建国")
    done = api.post("/api/antifraud/dissuasions", json.dumps({
        "on": "2024-05-01", "person_name": "王建国", "phone": "13512345678", "channel": "电话劝阻",
        "amount_kept": "20000.00", "warning_id": warning.pk}), content_type="application/json", **auth)
    assert done.status_code == 201 and done.json()["phone"] == "135****5678"
    bad = api.post("/api/antifraud/dissuasions", json.dumps({
        "on": "2024-05-01", "person_name": "王建国", "phone": "13512345678", "channel": "电话劝阻",
        "warning_id": warning.pk}), content_type="application/json", **auth)
    assert bad.status_code == 400 and "一人次" in bad.json()["detail"]
    listed = api.get("/api/antifraud/warnings?state=answered", **auth).json()
    assert [w["number"] for w in listed["items"]] == [warning.number]
    rates = api.get("/api/antifraud/registrations/rates?year=2024", **auth)
    assert rates.status_code == 200 and rates.json()["change_pp"] == "0.00"


def test_money_is_written_as_the_article_rounds_it():
    assert approx_wan(Decimal("1036850.00")) == "100余万元"
    assert approx_wan(Decimal("1000000.00")) == "100万元"
    assert approx_wan(Decimal("1002000.00")) == "100余万元"
    assert approx_wan(Decimal("1250000.00")) == "120余万元"
    assert approx_wan(Decimal("8500.00")) == "8500.00元"
