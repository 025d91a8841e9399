"""Forms of the sign-in steps and of the user's own account. Every change of a credential asks
again for the current password, and for the current code when a second factor is enrolled.

Checks with a side effect come last, once the rest is valid: a wrong current password counts
towards the lockout (it goes through ``authenticate``), and a code is spent once checked."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from pingan.accounts.otp import check_code, confirmed_device
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditResult

WRONG_PASSWORD = "当前密码不正确（连续输错将锁定账号）。"


class CodeField(forms.CharField):
    def __init__(self, label="动态口令", **kwargs):
        super().__init__(label=label, max_length=12, strip=True, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code",
                                  "class": "form-control form-control-lg text-center",
                                  "placeholder": "6位数字"})
        self.error_messages["required"] = "请输入动态口令。"


def password_field(label: str, autocomplete: str) -> forms.CharField:
    field = forms.CharField(label=label, strip=False, widget=forms.PasswordInput(
        attrs={"class": "form-control", "autocomplete": autocomplete}))
    field.error_messages["required"] = f"请输入{label}。"
    return field


def audit_otp_failure(user, device, reason: str) -> None:
    audit_record(None, AuditAction.LOGIN_FAILED, device, login=user.get_username(), result=AuditResult.FAILED,
                 object_repr=f"{user.get_username()} 的动态口令设备", detail=reason)


class ReauthForm(forms.Form):
    """Current password (and current code when a device is enrolled), checked in ``reauthenticate``."""

    def __init__(self, request, *args, ask_password=True, ask_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.device = confirmed_device(self.user) if ask_code else None
        if ask_password:
            self.fields["current_password"] = password_field("当前密码", "current-password")
        if self.device is not None:
            self.fields["current_code"] = CodeField(label="当前动态口令")

    def reauthenticate(self, purpose: str) -> None:
        if "current_password" in self.fields:
            password = self.cleaned_data.get("current_password")
            if not password:
                return
            user = authenticate(self.request, username=self.user.get_username(), password=password)
            if user is None or user.pk != self.user.pk:
                self.add_error("current_password", WRONG_PASSWORD)
                return
        if self.device is not None:
            code = self.cleaned_data.get("current_code")
            if not code:
                return
            ok, reason = check_code(self.device, code)
            if not ok:
                audit_otp_failure(self.user, self.device, f"动态口令错误（{purpose}前的身份确认）")
                self.add_error("current_code", reason)


class PasswordChangeForm(ReauthForm):
    new_password1 = password_field("新密码", "new-password")
    new_password2 = password_field("再次输入新密码", "new-password")

    field_order = ["current_password", "current_code", "new_password1", "new_password2"]

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["new_password1"].help_text = "".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        elif new1:
            try:
                validate_password(new1, self.user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
            else:
                if new1 == data.get("current_password"):
                    self.add_error("new_password1", "新密码不能与当前密码相同。")
        if not self.errors:
            self.reauthenticate("修改密码")
        return data


class CodeForm(forms.Form):
    code = CodeField()


class EnrolForm(ReauthForm):
    """Binding a new device: the current password (unless this is the forced enrolment right after
    the password step), then a code from the new device."""

    code = CodeField(label="验证器显示的6位数字")

    def __init__(self, request, device, *args, ask_password=True, **kwargs):
        super().__init__(request, *args, ask_password=ask_password, ask_code=False, **kwargs)
        self.new_device = device
        self.order_fields(["current_password", "code"])

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.reauthenticate("绑定动态口令")
        if not self.errors:
            ok, reason = check_code(self.new_device, data.get("code", ""))
            if not ok:
                audit_otp_failure(self.user, self.new_device, "绑定动态口令时验证码错误")
                self.add_error("code", reason)
        return data


class RemoveForm(ReauthForm):
    def clean(self):
        data = super().clean()
        if not self.errors:
            self.reauthenticate("停用动态口令")
        return data
