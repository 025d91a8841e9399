"""Audit rows and session bookkeeping around signing in and out, lockouts and disabling a user."""

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ImproperlyConfigured
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from pingan.accounts import sessions
from pingan.accounts.models import User
from pingan.accounts.otp import OTP_KEY, confirmed_device
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditResult


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_record(user, AuditAction.LOGIN, user, object_repr=user.get_username())
    session = getattr(request, "session", None)
    if session is not None:
        sessions.start(session)
        session[OTP_KEY] = confirmed_device(user) is not None
    # Five failures *in a row*: a sign-in clears this name's count (only this name's, see settings).
    AxesProxyHandler.reset_attempts(username=user.get_username())


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "pingan_logout_reason", "")
        audit_record(user, AuditAction.LOGOUT, user, object_repr=user.get_username(), detail=reason)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username", ""))[:150]
    detail = ("账号锁定期间的登录尝试（未校验密码）" if getattr(request, "pingan_locked_attempt", False)
              else "用户名或密码错误")
    audit_record(None, AuditAction.LOGIN_FAILED, login=login, result=AuditResult.FAILED,
                 object_type="accounts.User", object_repr=login, detail=detail)


@receiver(user_locked_out)
def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # axes also sends this for each attempt while locked; only the lock itself is a new event
    # (those attempts have their own LOGIN_FAILED row).
    if getattr(request, "pingan_locked_attempt", False):
        return
    login = str(username or "")[:150]
    audit_record(None, AuditAction.LOGIN_FAILED, login=login, result=AuditResult.DENIED,
                 object_type="accounts.User", object_repr=login,
                 detail=f"账号锁定：连续{settings.AXES_FAILURE_LIMIT}次登录失败，"
                        f"锁定{settings.PINGAN_LOGIN_LOCK_MINUTES}分钟（来源 {ip_address or '未知'}）")


@receiver(post_save, sender=User)
def _end_sessions_of_disabled_user(sender, instance, created, update_fields=None, **kwargs):
    """Disabling a user (admin, ``pingan users disable``, any save) ends all their sessions now."""
    if created or instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    ended = sessions.end_sessions(instance)
    if ended:
        audit_record(None, AuditAction.LOGOUT, instance, login="system", object_repr=instance.get_username(),
                     detail=f"账号已停用，强制下线（结束{ended}个会话）")


@receiver(pre_save, sender=TOTPDevice)
def _no_key_in_the_clear(sender, instance, **kwargs):
    """django-otp's own TOTPDevice stores its key in the clear: Pingan's devices are
    ``accounts.OTPDevice`` (key encrypted). Nothing may write the other table."""
    raise ImproperlyConfigured("动态口令密钥必须加密保存：请使用 pingan.accounts.models.OTPDevice，"
                               "不要使用 django-otp 的 TOTPDevice")
