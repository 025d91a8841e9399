from __future__ import annotations

import hashlib
import secrets

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from pingan.accounts.roles import POLICIES, REFERENCE_DATA_LINES, Role, RolePolicy
from pingan.core import crypto
from pingan.core.scope import Scope


class User(AbstractUser):
    role = models.CharField("角色", max_length=24, choices=Role.choices)
    full_name = models.CharField("姓名", max_length=40, blank=True)
    staff = models.OneToOneField("org.Staff", verbose_name="对应人员", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="user")
    agency = models.ForeignKey("org.Agency", verbose_name="所在单位", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="users")
    jurisdiction = models.ForeignKey("areas.Area", verbose_name="辖区(数据范围起点)", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now, editable=False)
    # Set when an administrator chose the password (reset, new account): the user must replace it at
    # the next sign-in before anything else (pingan/accounts/middleware.py); cleared by their own change.
    password_must_change = models.BooleanField("下次登录须修改密码", default=False, editable=False)

    PII_MASKS = {"password": lambda value: "（已隐藏）"}

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name or self.username}({self.get_role_display()})"

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password):
        # A hasher upgrade re-hashes the same password on a successful check: that is not a change.
        changed_at = self.password_changed_at
        try:
            return super().check_password(raw_password)
        finally:
            self.password_changed_at = changed_at

    async def acheck_password(self, raw_password):
        changed_at = self.password_changed_at
        try:
            return await super().acheck_password(raw_password)
        finally:
            self.password_changed_at = changed_at

    @property
    def policy(self) -> RolePolicy:
        return POLICIES[self.role]

    def data_scope(self) -> Scope:
        """Jurisdiction subtree of the post × the role's business lines. Reference data for the
        system administrator is handled by ``reference_scope``."""
        if not self.role or self.jurisdiction_id is None:
            return Scope.nothing()
        pol = self.policy
        return Scope(path=self.jurisdiction.path, lines=pol.lines,
                     agency_id=self.agency_id if pol.agency_bound else None)

    def reference_scope(self) -> Scope:
        """Scope over organisation reference data (areas, agencies, staff) for administration."""
        scope = self.data_scope()
        if self.role == Role.SYSADMIN and self.jurisdiction_id is not None:
            return Scope(path=self.jurisdiction.path, lines=REFERENCE_DATA_LINES)
        return scope

    @property
    def jurisdiction_code(self) -> str:
        return self.jurisdiction.code if self.jurisdiction_id else ""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60, blank=True)
    prefix = models.CharField("前缀", max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"

    @staticmethod
    def generate() -> str:
        return "pa_" + secrets.token_urlsafe(32)


class OTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator (RFC 6238): django-otp's ``TOTPDevice`` with its key encrypted at rest.

    django-otp stores the shared secret in the clear (django-otp issue #67), so Pingan keeps its own
    device model: the same columns, but ``key`` is an ``EncryptedCharField`` (Fernet, the
    PINGAN_FIELD_KEYS of the personal data; re-encrypted by ``pingan rotate_keys``). The attribute
    holds the hex key as django-otp expects, so its TOTP logic is reused unchanged (the methods
    below are django-otp's own). A plugin of django-otp in every other respect: ``Device`` (login,
    persistent id, ``user.is_verified()``), throttling, timestamps. django-otp's own table stays
    empty (migration 0004 moved its rows here; signals.py refuses new ones)."""

    key = crypto.EncryptedCharField("密钥", max_length=80, validators=[key_validator], default=default_key,
                                    kind=crypto.SECRET, help_text="十六进制，最多40字节；加密保存")
    step = models.PositiveSmallIntegerField(default=30, help_text="The time step in seconds.")
    t0 = models.BigIntegerField(default=0, help_text="The Unix time at which to begin counting steps.")
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6,
                                              help_text="The number of digits to expect in a token.")
    tolerance = models.PositiveSmallIntegerField(default=1,
                                                 help_text="The number of time steps in the past or future to allow.")
    drift = models.SmallIntegerField(default=0,
                                     help_text="The number of time steps the prover is known to deviate from our clock.")
    last_t = models.BigIntegerField(default=-1, help_text="The t value of the latest verified token.")

    # django-otp's TOTP behaviour, unchanged: they read ``self.key`` (the plaintext on the instance).
    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = verbose_name_plural = "动态口令设备"


class LoginLock(AccessAttempt):
    """django-axes' failed sign-ins per login name (and address): the locks the security
    administrator can lift."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "登录失败与锁定"
