from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from pingan.accounts.models import ApiToken, LoginLock, OTPDevice, User
from pingan.accounts.services import otp_remove, password_must_change
from pingan.core.admin import PinganModelAdmin
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.permissions import deny


@admin.register(User)
class UserAdmin(PinganModelAdmin, DjangoUserAdmin):
    """The system administrator creates accounts; the security administrator sets roles, scope and
    locks. Each sees only the fields of their own power."""

    list_display = ("username", "full_name", "role", "jurisdiction", "agency", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    autocomplete_fields = ("jurisdiction", "agency", "staff")
    ordering = ("username",)
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "full_name", "staff")}),)
    SYSADMIN_FIELDS = ("username", "full_name", "staff", "password")
    SECADMIN_FIELDS = ("role", "jurisdiction", "agency", "is_active")

    def _allowed(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.role and (user.policy.manage_accounts or user.policy.manage_security))

    def has_add_permission(self, request):
        return bool(request.user.role and request.user.policy.manage_accounts)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are disabled, never deleted, so the audit trail keeps its actors

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return ((None, {"fields": self.SYSADMIN_FIELDS + self.SECADMIN_FIELDS}),)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj == request.user:
            return self.SYSADMIN_FIELDS + self.SECADMIN_FIELDS  # nobody widens their own powers
        if request.user.policy.manage_security:
            return self.SYSADMIN_FIELDS
        return self.SECADMIN_FIELDS + ("password",)

    def user_change_password(self, request, id, form_url=""):
        """Passwords are the system administrator's field; each reset is audited, and the user must
        change the password at the next sign-in (the administrator knows this one)."""
        if not request.user.policy.manage_accounts:
            raise deny(request.user, request.path)
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                target = User.objects.get(pk=id)
                password_must_change(actor=request.user, user=target, detail="后台重置密码，须在下次登录时修改")
        return response

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            obj.password_must_change = True  # a new account's first password is the administrator's
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return User.objects.select_related("jurisdiction", "agency")


@admin.register(ApiToken)
class ApiTokenAdmin(PinganModelAdmin):
    editor_flag = "manage_security"
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "user", "key_hash", "created_at", "last_used_at")
    fields = ("prefix", "user", "name", "created_at", "last_used_at", "revoked")

    def has_add_permission(self, request):
        return False  # tokens are issued with `pingan token create`


# ---------------------------------------------------------------- second factor and lockout


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)  # django-otp's own admin shows the keys and uses Django permissions


@admin.register(OTPDevice)
class OTPDeviceAdmin(PinganModelAdmin):
    """The security administrator sees who has bound an authenticator and resets a lost one
    (delete); the key is never shown."""

    editor_flag = "manage_security"
    list_display = ("login", "user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    @admin.display(description="登录名", ordering="user__username")
    def login(self, obj):
        return obj.user.username

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        otp_remove(actor=request.user, device=obj, detail="安全管理员重置动态口令")


@admin.register(LoginLock)
class LoginLockAdmin(PinganModelAdmin):
    """Failed sign-ins counted towards a lock; deleting a row lifts the lock of that login."""

    editor_flag = "manage_security"
    list_display = ("username", "ip_address", "failures_since_start", "attempt_time", "locked")
    search_fields = ("username", "ip_address")
    fields = ("username", "ip_address", "user_agent", "failures_since_start", "attempt_time")
    readonly_fields = fields
    ordering = ("-attempt_time",)

    @admin.display(description="已锁定", boolean=True)
    def locked(self, obj):
        from django.conf import settings
        from django.utils import timezone

        window = timezone.now() - timezone.timedelta(minutes=settings.PINGAN_LOGIN_LOCK_MINUTES)
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT and obj.attempt_time >= window

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        audit_record(request.user, AuditAction.DELETE, obj, object_type="axes.AccessAttempt",
                     object_repr=obj.username or obj.ip_address or "",
                     before={"username": obj.username, "ip_address": obj.ip_address,
                             "failures": obj.failures_since_start},
                     detail="解除登录锁定")
        obj.delete()
