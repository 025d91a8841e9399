from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditResult


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(user, AuditAction.LOGIN, user, object_repr=user.get_username())


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(user, AuditAction.LOGOUT, user, object_repr=user.get_username())


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username", ""))[:150]
    audit_record(None, AuditAction.LOGIN_FAILED, login=login, result=AuditResult.FAILED,
                 object_type="accounts.User", object_repr=login, detail="用户名或密码错误")
