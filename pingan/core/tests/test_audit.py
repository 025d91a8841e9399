import pytest

from pingan.core.audit import audit_record, snapshot
from pingan.core.models import AuditAction, AuditLog
from pingan.org.services import staff_update
from pingan.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_application():
    row = audit_record(None, AuditAction.LOGIN, login="someone")
    row.detail = "tampered"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(detail="x")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).delete()
    assert AuditLog.objects.get(pk=row.pk).detail == ""


def test_snapshots_mask_personal_data():
    staff = StaffFactory(phone="13804711234")
    data = snapshot(staff)
    assert data["id_number"] == staff.id_number[:6] + "********" + staff.id_number[-4:]
    assert data["phone"] == "138****1234"


def test_an_update_records_who_what_and_only_the_changed_fields(persona):
    chief = persona("hq_officer")
    staff = StaffFactory(note="")
    staff_update(actor=chief, staff=staff, note="调任")
    row = AuditLog.objects.filter(action=AuditAction.UPDATE, object_type="org.Staff").latest("id")
    assert row.actor_login == "hq_officer"
    assert row.actor_role == "police_leader"
    assert row.object_id == str(staff.pk)
    assert row.before == {"note": ""}
    assert row.after == {"note": "调任"}


def test_every_request_gets_an_id_that_lands_in_its_audit_rows(client_as):
    client = client_as("hq_officer")
    response = client.post("/logout/")
    rid = response["X-Request-ID"]
    assert AuditLog.objects.filter(action=AuditAction.LOGOUT, request_id=rid).exists()
