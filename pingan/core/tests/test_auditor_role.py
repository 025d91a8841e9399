"""The audit administrator (审计管理员) reads the audit log and touches nothing else: the role table,
the declared routes of the permission matrix, and every model of the Django admin say so."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from pingan.accounts.roles import POLICIES, Role, RolePolicy
from pingan.core.models import AuditLog
from pingan.testing import matrix

pytestmark = pytest.mark.django_db

# What every signed-in user has (home page, sign-in/out, own account) and the audit log itself.
AUDITOR_MAY_USE_ROUTES = {"core:audit_list"}


def test_the_auditor_policy_grants_reading_the_audit_log_and_nothing_else():
    assert POLICIES[Role.AUDITOR] == RolePolicy(lines=frozenset(), read_audit=True)
    assert [role for role, p in POLICIES.items() if p.read_audit] == [Role.AUDITOR]


def test_the_only_route_reserved_to_the_auditor_beyond_every_users_own_is_the_audit_log():
    routes = matrix.routes()
    everyone = {r.name for r in routes if r.public or r.roles >= matrix.EVERY_ROLE}
    auditor = {r.name for r in routes if not r.public and Role.AUDITOR in r.roles} - everyone
    assert auditor == AUDITOR_MAY_USE_ROUTES
    audit_routes = [r for r in routes if r.name in AUDITOR_MAY_USE_ROUTES]
    assert all(r.roles == frozenset({Role.AUDITOR}) and r.method == "GET" for r in audit_routes)


def test_in_the_admin_the_auditor_may_not_add_change_or_delete_anything(persona):
    auditor = persona("auditor")
    request = RequestFactory().get("/admin/")
    request.user = auditor
    assert not admin.site.has_permission(request)  # the admin site itself is closed to the auditor
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        if model is not AuditLog:
            assert not model_admin.has_view_permission(request), model


def test_the_auditor_reads_the_audit_log_but_cannot_write_through_it(client_as):
    client = client_as("auditor")
    assert client.get(reverse("core:audit_list")).status_code == 200
    count = AuditLog.objects.count()
    assert client.post(reverse("core:audit_list"), {"login": "x"}).status_code == 405
    assert AuditLog.objects.count() == count
