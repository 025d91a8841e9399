"""The rules of 放管服: a station made one-stop with its date (also written on the station), window
requests with a valid ID number, and completion never before receipt."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.core.models import AuditAction, AuditLog
from pingan.onestop import services
from pingan.onestop.models import OneStopStation, ServiceRequest
from pingan.onestop.tests import builders as b
from pingan.org.models import AgencyKind
from pingan.testing.personas import agency_for

pytestmark = pytest.mark.django_db


def messages(exc) -> str:
    return "；".join(exc.value.messages)


def test_a_station_made_one_stop_carries_the_date_on_itself_too(persona):
    st = b.station()
    record = services.one_stop_designate(actor=persona("hq_officer"), station=st, since=dt.date(2024, 5, 20),
                                         services=["车驾管", "户政"], windows=2)
    st.refresh_from_db()
    assert st.one_stop_since == dt.date(2024, 5, 20)
    assert record.services == ["户政", "车驾管"]  # in the dictionary's order
    assert AuditLog.objects.filter(object_type="onestop.OneStopStation", action=AuditAction.CREATE).count() == 1
    assert AuditLog.objects.filter(object_type="org.Agency", action=AuditAction.UPDATE).count() == 1


def test_designating_again_corrects_the_one_record():
    st = b.station()
    services.one_stop_designate(actor=None, station=st, since=dt.date(2024, 5, 20), services=["户政"])
    services.one_stop_designate(actor=None, station=st, since=dt.date(2024, 5, 21), services=["户政"], windows=3)
    assert OneStopStation.objects.get().since == dt.date(2024, 5, 21)


@pytest.mark.parametrize("kwargs, message", [
    ({"since": dt.date.today() + dt.timedelta(days=2), "services": ["户政"]}, "日期不能晚于今天"),
    ({"since": dt.date(2024, 1, 1), "services": []}, "请选择综窗办理的业务"),
    ({"since": dt.date(2024, 1, 1), "services": ["快递"]}, "业务类别不正确：快递"),
    ({"since": dt.date(2024, 1, 1), "services": ["户政"], "windows": 0}, "综合窗口数应为1至50"),
])
def test_a_bad_designation_is_refused(kwargs, message):
    with pytest.raises(ValidationError) as exc:
        services.one_stop_designate(actor=None, station=b.station(), **kwargs)
    assert message in messages(exc)


def test_only_a_police_station_becomes_one_stop():
    office = agency_for(AgencyKind.JUDICIAL_OFFICE, b.station().area)
    with pytest.raises(ValidationError) as exc:
        services.one_stop_designate(actor=None, station=office, since=dt.date(2024, 1, 1), services=["户政"])
    assert "请选择派出所" in messages(exc)


def test_a_request_is_numbered_by_banner_and_year():
    first, second = b.request(), b.request()
    assert first.number == "150824FW2024000001" and second.number == "150824FW2024000002"
    assert b.request(received=b.at(2025, 1, 2)).number == "150824FW2025000001"


def test_a_wrong_id_number_is_refused_with_the_reason():
    with pytest.raises(ValidationError) as exc:
        b.request(applicant_id_number="150824198001010011")
    assert "申请人身份证号码校验位错误" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.request(applicant_id_number="15082419800101")
    assert "身份证号码应为18位" in messages(exc)
    assert not ServiceRequest.objects.exists()


def test_the_id_number_is_masked_in_the_audit_row():
    row = b.request(applicant_id_number=b.id_number(7), applicant_phone="13847100001")
    audit = AuditLog.objects.get(object_type="onestop.ServiceRequest", object_id=str(row.pk))
    assert audit.after["applicant_id_number"] == row.id_masked and "*" in audit.after["applicant_id_number"]
    assert audit.after["applicant_phone"] == "138****0001"


def test_completion_before_receipt_is_refused():
    with pytest.raises(ValidationError) as exc:
        b.request(hours=-2)
    assert "不能早于受理时间" in messages(exc)
    pending = b.request(hours=None)
    with pytest.raises(ValidationError) as exc:
        services.request_complete(actor=None, request=pending, completed_at=pending.received_at - dt.timedelta(minutes=1),
                                  outcome="办结")
    assert "不能早于受理时间" in messages(exc)


def test_an_outcome_needs_its_time_and_a_transfer_its_unit():
    with pytest.raises(ValidationError) as exc:
        services.request_register(actor=None, station=b.station(), kind="户政", item="户口迁入", channel="窗口",
                                  received_at=b.at(2024, 5, 6), applicant_name="张海军",
                                  applicant_id_number=b.id_number(), outcome="办结")
    assert "有办理结果时须填写办结(答复)时间" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        b.request(outcome="转办")
    assert "转办时须填写转办单位" in messages(exc)


def test_a_pending_request_is_completed_once_and_its_time_is_computed():
    row = b.request(hours=None)
    assert row.is_pending and row.duration is None
    services.request_complete(actor=None, request=row, completed_at=row.received_at + dt.timedelta(hours=26, minutes=30),
                              outcome="办结")
    row.refresh_from_db()
    assert row.hours == pytest.approx(26.5) and row.duration_text == "1天2小时"
    with pytest.raises(ValidationError) as exc:
        services.request_complete(actor=None, request=row, completed_at=timezone.now(), outcome="办结")
    assert "该业务已于" in messages(exc)


def test_a_handler_from_another_station_is_refused():
    from pingan.testing.factories import StaffFactory

    stranger = StaffFactory(agency=b.station(b.SIBLING_TOWNSHIP))
    with pytest.raises(ValidationError) as exc:
        b.request(handler=stranger)
    assert "不是" in messages(exc) and "的人员" in messages(exc)
