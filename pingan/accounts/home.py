"""Home-page items of the three administrators."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.accounts.models import User
from pingan.accounts.roles import Role
from pingan.core.home import TodoItem, home_provider
from pingan.core.models import AuditAction, AuditLog


@home_provider
def security_events(user):
    if user.role not in (Role.AUDITOR, Role.SECADMIN):
        return []
    since = timezone.now() - dt.timedelta(days=7)
    recent = AuditLog.objects.filter(at__gte=since)
    failed = recent.filter(action=AuditAction.LOGIN_FAILED).count()
    denied = recent.filter(action=AuditAction.DENIED).count()
    audit_url = reverse("core:audit_list") if user.role == Role.AUDITOR else reverse("admin:index")
    return [
        TodoItem("近7天登录失败", failed, f"{audit_url}?action=login_failed" if user.role == Role.AUDITOR else audit_url,
                 level="warning" if failed else "info"),
        TodoItem("近7天越权访问被拒绝", denied, f"{audit_url}?action=denied" if user.role == Role.AUDITOR else audit_url,
                 level="danger" if denied else "info"),
    ]


@home_provider
def accounts_to_complete(user):
    if user.role not in (Role.SYSADMIN, Role.SECADMIN):
        return []
    incomplete = User.objects.filter(is_active=True).filter(jurisdiction__isnull=True).exclude(is_superuser=True).count()
    return [TodoItem("未设置辖区的账号", incomplete, reverse("admin:accounts_user_changelist"),
                     level="warning" if incomplete else "info", hint="没有辖区的账号看不到任何业务数据")]
