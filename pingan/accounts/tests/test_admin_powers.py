"""三权分立: the system administrator makes accounts and keeps reference data, the security
administrator sets roles, scope and locks, the audit administrator reads the audit log — none of
them can do another's job, and nobody can change or delete the audit log."""

import pytest
from django.urls import reverse

from pingan.accounts.models import User
from pingan.accounts.roles import POLICIES, Role
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.factories import StaffFactory, area
from pingan.testing.personas import TOWNSHIP

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-mima-2024!"



def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def security_form(user, **changes):
    data = {"role": user.role, "jurisdiction": user.jurisdiction_id or "", "agency": user.agency_id or "",
            "is_active": "on" if user.is_active else ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_three_powers_are_disjoint_in_the_role_table():
    admin_roles = {Role.SYSADMIN: "manage_accounts", Role.SECADMIN: "manage_security", Role.AUDITOR: "read_audit"}
    for role, power in admin_roles.items():
        granted = {p for p in admin_roles.values() if getattr(POLICIES[role], p)}
        assert granted == {power}, role
        assert not POLICIES[role].lines, f"{role} must not read business records"
        assert not POLICIES[role].full_personal_data
    for role in set(Role.values) - set(admin_roles):
        assert not any(getattr(POLICIES[role], p) for p in admin_roles.values()), role


# ---------------------------------------------------------------- 系统管理员


def test_the_system_administrator_creates_accounts_without_a_role(client_as):
    client = client_as("sysadmin")
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    response = client.post(reverse("admin:accounts_user_add"), {
        "username": "new_clerk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "full_name": "新同事",
        "usable_password": "true"})
    assert response.status_code == 302
    user = User.objects.get(username="new_clerk")
    assert user.role == "" and user.check_password(NEW_PASSWORD)
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="accounts.User")
    assert row.actor_login == "sysadmin"


def test_creating_an_account_does_not_write_the_password_hash_into_the_audit_log(client_as):
    client_as("sysadmin").post(reverse("admin:accounts_user_add"), {
        "username": "new_clerk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="accounts.User")
    assert User.objects.get(username="new_clerk").password not in str(row.after)


def test_the_system_administrator_cannot_change_a_role_scope_or_lock(client_as, persona):
    victim = persona("grid_worker")
    client = client_as("sysadmin")
    client.post(change_url(victim), {"username": victim.username, "full_name": "改名",
                                     **security_form(victim, role=Role.POLICE_LEADER, is_active="")})
    victim.refresh_from_db()
    assert victim.full_name == "改名"  # the system administrator's own fields
    assert (victim.role, victim.is_active) == (Role.GRID_WORKER, True)


def test_the_system_administrator_cannot_read_the_audit_log(client_as):
    client = client_as("sysadmin")
    assert client.get(reverse("core:audit_list")).status_code == 403
    assert client.get(reverse("admin:core_auditlog_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 403


def test_the_system_administrator_maintains_reference_data(client_as):
    client = client_as("sysadmin")
    assert client.get(reverse("admin:org_staff_changelist")).status_code == 200
    assert client.get(reverse("admin:areas_area_changelist")).status_code == 200


# ---------------------------------------------------------------- 安全管理员


def test_the_security_administrator_sets_role_scope_and_lock(client_as, persona):
    victim = persona("grid_worker")
    response = client_as("secadmin").post(change_url(victim), security_form(
        victim, role=Role.COMMUNITY_OFFICER, jurisdiction=area(TOWNSHIP).pk, is_active=""))
    assert response.status_code == 302
    victim.refresh_from_db()
    assert (victim.role, victim.jurisdiction.code, victim.is_active) == (Role.COMMUNITY_OFFICER, TOWNSHIP, False)
    row = AuditLog.objects.get(action=AuditAction.UPDATE, object_type="accounts.User")
    assert row.actor_login == "secadmin"
    assert row.before["role"] == Role.GRID_WORKER and row.after["role"] == Role.COMMUNITY_OFFICER


def test_the_security_administrator_cannot_create_accounts_or_rename_them(client_as, persona):
    client = client_as("secadmin")
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    victim = persona("grid_worker")
    client.post(change_url(victim), {"username": "renamed", "full_name": "改名", **security_form(victim)})
    victim.refresh_from_db()
    assert (victim.username, victim.full_name) == ("grid_worker", "巴仁宝勒格村网格员")


def test_the_security_administrator_cannot_edit_organisation_data(client_as):
    client = client_as("secadmin")
    staff = StaffFactory()
    for name in ("org_staff", "org_agency", "areas_area", "org_villageassignment"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
    assert client.get(reverse("admin:org_staff_change", args=[staff.pk])).status_code == 403
    assert client.get(reverse("org:staff_list")).status_code == 403


def test_the_security_administrator_cannot_read_the_audit_log(client_as):
    client = client_as("secadmin")
    assert client.get(reverse("core:audit_list")).status_code == 403
    assert client.get(reverse("admin:core_auditlog_changelist")).status_code == 403


def test_the_security_administrator_cannot_set_a_password(client_as, persona):
    auditor = persona("auditor")
    client = client_as("secadmin")
    url = reverse("admin:auth_user_password_change", args=[auditor.pk])
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    auditor.refresh_from_db()
    assert not auditor.check_password(NEW_PASSWORD)


def test_the_security_administrator_cannot_change_their_own_role(client_as, persona):
    me = persona("secadmin")
    client = client_as("secadmin")
    client.post(change_url(me), security_form(me, role=Role.AUDITOR))
    me.refresh_from_db()
    assert me.role == Role.SECADMIN


# ---------------------------------------------------------------- 审计管理员


def test_the_audit_administrator_reads_and_searches_the_audit_log(client_as):
    audit_record(None, AuditAction.LOGIN_FAILED, login="mallory", detail="用户名或密码错误")
    client = client_as("auditor")
    page = client.get(reverse("core:audit_list"), {"login": "mallory", "action": "login_failed"})
    assert page.status_code == 200
    assert "mallory" in page.content.decode()
    assert "mallory" not in client.get(reverse("core:audit_list"), {"login": "someone-else"}).content.decode()


def test_a_bad_date_in_the_audit_search_is_not_a_500(client_as):
    client = client_as("auditor")
    try:
        status = client.get(reverse("core:audit_list"), {"from": "昨天"}).status_code
    except Exception as exc:  # the test client re-raises what would be a 500
        raise AssertionError(f"500: {exc!r}") from exc
    assert status == 200


def test_the_audit_administrator_does_nothing_else(client_as):
    client = client_as("auditor")
    for url in (reverse("org:staff_list"), reverse("org:coverage"), reverse("admin:accounts_user_add")):
        assert client.get(url).status_code in (302, 403), url
    # not admin staff: the admin site sends them to its own login
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert client.get("/api/org/staff").status_code == 403


# ---------------------------------------------------------------- the audit log itself


@pytest.mark.parametrize("login", ["sysadmin", "secadmin", "auditor"])
def test_nobody_changes_or_deletes_audit_rows_through_the_admin(client_as, login):
    row = audit_record(None, AuditAction.LOGIN_FAILED, login="mallory")
    client = client_as(login)
    change = client.post(reverse("admin:core_auditlog_change", args=[row.pk]), {"detail": "改"})
    delete = client.post(reverse("admin:core_auditlog_delete", args=[row.pk]), {"post": "yes"})
    bulk = client.post(reverse("admin:core_auditlog_changelist"),
                       {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert {change.status_code, delete.status_code, bulk.status_code} <= {302, 403}
    row = AuditLog.objects.get(pk=row.pk)
    assert row.detail == ""


def test_nobody_changes_or_deletes_audit_rows_through_the_orm():
    row = audit_record(None, AuditAction.LOGIN_FAILED, login="mallory")
    for attempt in (lambda: AuditLog.objects.filter(pk=row.pk).update(detail="x"),
                    lambda: AuditLog.objects.all().delete(),
                    lambda: AuditLog.objects.get(pk=row.pk).delete(),
                    lambda: AuditLog.objects.get(pk=row.pk).save()):
        with pytest.raises(PermissionError):
            attempt()
    assert AuditLog.objects.filter(pk=row.pk, detail="").exists()


def test_the_base_manager_cannot_bypass_the_append_only_guard():
    row = audit_record(None, AuditAction.LOGIN_FAILED, login="mallory")
    try:
        AuditLog._base_manager.filter(pk=row.pk).update(detail="x")
    except PermissionError:
        pass
    assert AuditLog.objects.get(pk=row.pk).detail == ""
