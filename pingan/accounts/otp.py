"""The second factor: TOTP devices of django-otp (RFC 6238, any authenticator app), as
``accounts.OTPDevice`` — django-otp's TOTP device with the key encrypted at rest (models.py).

Required for the roles in PINGAN_OTP_REQUIRED_ROLES (系统管理员, 安全管理员, 审计管理员 by default)
and for superusers; optional for everyone else, who may enrol from 我的账号. One confirmed device
per user. django-otp refuses a code twice (``last_t``) and slows down guessing (throttling).
"""

from __future__ import annotations

import base64
import math
import re
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP

from pingan.accounts.models import OTPDevice

OTP_KEY = "pingan_otp"  # session: the signed-in user has a confirmed device (set at sign-in)
DEVICE_NAME = "手机验证器"


def otp_required(user) -> bool:
    return bool(user.is_superuser or (user.role and user.role in settings.PINGAN_OTP_REQUIRED_ROLES))


def confirmed_device(user) -> OTPDevice | None:
    return OTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> OTPDevice:
    """The not yet confirmed device being enrolled (the same one on every reload of the page)."""
    device = OTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or OTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret(device: OTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32, no padding."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def secret_grouped(device: OTPDevice) -> str:
    s = secret(device)
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no image file, no script: fits a strict CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg"):]
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"',
                  '<svg width="220" height="220" role="img" aria-label="动态口令二维码" class="bg-white"', svg)


def code_at(device: OTPDevice, when: float | None = None) -> str:
    """The code the device shows at ``when`` (now by default): for the demo and the tests."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if when is None else when
    return f"{totp.token():0{device.digits}d}"


def check_code(device: OTPDevice, code: str) -> tuple[bool, str]:
    """Verify ``code`` against ``device``: (True, "") or (False, a Chinese reason). A code is
    accepted once; failures are throttled by django-otp (1, 2, 4, 8 … seconds)."""
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        locked = OTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            wait = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
            return False, f"动态口令输错次数过多，请{wait}秒后再试。"
        if locked.verify_token(code):
            device.refresh_from_db()
            return True, ""
    return False, "动态口令不正确或已使用过，请输入验证器上当前显示的6位数字。"


def mark_verified(request, device: OTPDevice) -> None:
    """The session has passed the second factor: remember the device, and take a new session key
    (the session has gained rights)."""
    otp_login(request, device)
    request.session[OTP_KEY] = True
    request.session.cycle_key()


def session_device_id(device: OTPDevice) -> tuple[str, str]:
    """(session key, value) that django-otp reads to see a session as verified by ``device``."""
    return DEVICE_ID_SESSION_KEY, device.persistent_id
