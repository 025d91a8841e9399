"""Writes: validation in Chinese, scope, the one-success-per-person-per-day rule, money in Decimal,
personal data masked in the audit log."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from pingan.antifraud import services
from pingan.antifraud.models import Dissuasion, Outcome, RegistrationSnapshot, mask_name
from pingan.antifraud.tests import builders as b
from pingan.core import crypto, idcard
from pingan.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db
D = dt.date(2024, 5, 1)
ID = idcard.make("150824", dt.date(1968, 3, 9), 123)


def record(actor, **kw):
    fields = {"on": D, "person_name": "王建国", "channel": "电话劝阻", "area": b.area(), "id_number": ID,
              "phone": "13912345678", "amount_kept": "3000.00", **kw}
    return services.dissuasion_record(actor=actor, **fields)


def test_a_dissuasion_is_saved_with_decimal_money_its_station_and_a_masked_audit_row(persona):
    b.station()
    chief = persona("station_chief")
    d = record(chief)
    assert d.amount_kept == Decimal("3000.00") and d.person_key == crypto.id_hash(ID)
    assert d.station.area.code == b.TOWNSHIP
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(d.pk), object_type="antifraud.Dissuasion")
    assert row.after["id_number"] == ID[:6] + "********" + ID[-4:]
    assert row.after["phone"] == "139****5678" and row.after["person_name"] == "王*国"
    assert "王建国" not in str(row.after) and ID not in str(row.after)


def test_one_person_is_one_person_time_a_day(persona):
    chief = persona("station_chief")
    record(chief)
    with pytest.raises(ValidationError, match="同一人同一天只计一人次"):
        record(chief, phone="13700000000")  # same ID number
    record(chief, on=dt.date(2024, 5, 2))  # another occasion
    record(chief, outcome=Outcome.UNREACHABLE, amount_kept=0)  # not a success: no limit
    assert Dissuasion.objects.filter(outcome=Outcome.SUCCESS).count() == 2


def test_without_an_id_number_the_phone_identifies_the_person(persona):
    chief = persona("station_chief")
    record(chief, id_number="", phone="138 1234 5678")
    with pytest.raises(ValidationError):
        record(chief, id_number="", phone="13812345678")


@pytest.mark.parametrize("fields, message", [
    ({"id_number": "150824196803091234"}, "校验位错误"),
    ({"id_number": "", "phone": ""}, "至少填写"),
    ({"phone": "23912345678"}, "应以1开头"),
    ({"amount_kept": "-1"}, "不能为负数"),
    ({"amount_kept": "12.345"}, "两位小数"),
    ({"outcome": Outcome.DEFRAUDED, "amount_kept": "100"}, "劝阻未成功时避免转账金额应为0"),
    ({"on": dt.date(2999, 1, 1)}, "不能晚于今天"),
    ({"channel": "飞鸽传书"}, "劝阻方式"),
])
def test_a_dissuasion_is_refused_with_a_reason(persona, fields, message):
    with pytest.raises(ValidationError, match=message):
        record(persona("station_chief"), **fields)
    assert not Dissuasion.objects.exists()


def test_a_dissuasion_outside_the_actors_jurisdiction_is_refused(persona):
    with pytest.raises(Http404):
        record(persona("village_officer"), area=b.area(b.SIBLING_VILLAGE))
    with pytest.raises(Http404):
        record(persona("station_chief"), warning=b.warning(b.OTHER_TOWNSHIP_VILLAGE))
    assert not Dissuasion.objects.exists()


def test_a_dissuasion_answering_a_warning_takes_its_village_and_risk_type(persona):
    w = b.warning(b.VILLAGE, risk_type="冒充公检法")
    d = record(persona("village_officer"), area=None, warning=w)
    assert (d.area.code, d.risk_type, d.warning_id) == (b.VILLAGE, "冒充公检法", w.pk)
    with pytest.raises(ValidationError, match="早于预警"):
        record(persona("village_officer"), area=None, warning=w, on=dt.date(2024, 4, 30), id_number="", phone="13600000001")


def test_a_warning_is_numbered_placed_at_its_station_and_masked_in_the_audit(persona):
    b.station()
    w = services.warning_register(actor=persona("hq_officer"), received_at=dt.datetime(2024, 6, 1, 9), risk_type="刷单返利",
                                  area=b.area(), target_name="乌云其其格", target_phone="13512345678")
    assert w.number.startswith("YJ") and w.station.area.code == b.TOWNSHIP
    row = AuditLog.objects.get(object_type="antifraud.FraudWarning", object_id=str(w.pk))
    assert row.after["target_name"] == "乌***格" and row.after["target_phone"] == "135****5678"
    with pytest.raises(ValidationError, match="已存在"):
        services.warning_register(actor=persona("hq_officer"), received_at=dt.datetime(2024, 6, 1, 9),
                                  risk_type="刷单返利", area=b.area(), target_name="某", number=w.number)


def test_snapshots_default_to_the_villages_population_and_keep_it(persona):
    village = b.area()
    village.population = 1800
    village.save()
    chief = persona("station_chief")
    snap, replaced = services.snapshot_record(actor=chief, area=village, on=D, registered=450)
    assert (snap.population, snap.population_from_area, replaced) == (1800, True, False)
    village.population = 2400
    village.save()
    snap.refresh_from_db()
    assert snap.population == 1800 and snap.rate_pct == Decimal("25.00")


def test_a_second_snapshot_for_the_same_village_and_day_is_refused_unless_replacing(persona):
    chief = persona("station_chief")
    services.snapshot_record(actor=chief, area=b.area(), on=D, registered=450, population=1000)
    with pytest.raises(ValidationError, match="已有统计"):
        services.snapshot_record(actor=chief, area=b.area(), on=D, registered=470, population=1000)
    snap, replaced = services.snapshot_record(actor=chief, area=b.area(), on=D, registered=470, population=1000,
                                              replace=True)
    assert replaced and RegistrationSnapshot.objects.get().registered == 470
    row = AuditLog.objects.filter(action=AuditAction.UPDATE, object_type="antifraud.RegistrationSnapshot").get()
    assert row.before == {"registered": 450} and row.after == {"registered": 470}


@pytest.mark.parametrize("fields, message", [
    ({"population": None}, "尚未登记人口"),
    ({"registered": 1200, "population": 1000}, "超过人口基数"),
])
def test_a_snapshot_is_refused_with_a_reason(persona, fields, message):
    with pytest.raises(ValidationError, match=message):
        services.snapshot_record(actor=persona("station_chief"), area=b.area(), on=D,
                                 **{"registered": 10, "population": 1000, **fields})


def test_a_snapshot_is_for_a_village_in_the_actors_jurisdiction(persona):
    with pytest.raises(ValidationError, match="村"):
        services.snapshot_record(actor=persona("station_chief"), area=b.area(b.TOWNSHIP), on=D, registered=1,
                                 population=10)
    with pytest.raises(Http404):
        services.snapshot_record(actor=persona("station_chief"), area=b.area(b.OTHER_TOWNSHIP_VILLAGE), on=D,
                                 registered=1, population=10)


def test_publicity_is_organised_by_a_police_unit_and_edits_are_audited(persona):
    chief = persona("station_chief")
    event = services.publicity_record(actor=chief, held_on=D, place_type="宾馆", place="海流图镇宾馆", area=b.area(),
                                      organiser=b.station(), posters=12, handbooks=80, people_reached=120)
    services.publicity_update(actor=chief, event=event, people_reached=150)
    row = AuditLog.objects.get(action=AuditAction.UPDATE, object_type="antifraud.PublicityEvent")
    assert row.before == {"people_reached": 120} and row.after == {"people_reached": 150}
    with pytest.raises(ValidationError, match="组织单位"):
        services.publicity_record(actor=chief, held_on=D, place_type="宾馆", place="x", area=b.area(),
                                  organiser=b.agency_for_kind("judicial_office"))


def test_names_are_masked_keeping_the_first_and_last_character():
    assert [mask_name(n) for n in ("张三", "王建国", "乌云其其格", "", "李")] == ["张*", "王*国", "乌***格", "", "李"]
