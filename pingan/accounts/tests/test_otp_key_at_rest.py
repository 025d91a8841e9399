"""TOTP keys are encrypted at rest (accounts.OTPDevice, the PINGAN_FIELD_KEYS of the personal data):
the column never holds the key, codes keep working, ``rotate_keys`` re-encrypts them, the migration
moved django-otp's plaintext devices over, and nothing can write django-otp's plaintext table again."""

import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from pingan.accounts.models import OTPDevice
from pingan.accounts.otp import check_code, code_at, secret
from pingan.accounts.tests.helpers import code, sign_in
from pingan.core import crypto
from pingan.core.models import AuditLog
from pingan.testing.personas import second_factor

pytestmark = pytest.mark.django_db

VERIFY = reverse("accounts:otp_verify")
ENROL = reverse("accounts:otp_enrol")


def column(device) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')} FROM {OTPDevice._meta.db_table} WHERE id = %s",
                       [device.pk])
        return cursor.fetchone()[0]


def test_enrolment_stores_only_a_token_and_the_key_still_makes_the_codes(persona):
    persona("auditor")
    client = Client()
    sign_in(client, "auditor")
    page = client.get(ENROL, follow=True).content.decode()
    device = OTPDevice.objects.get(user__username="auditor", confirmed=False)
    shown = secret(device)
    assert " ".join(shown[i:i + 4] for i in range(0, len(shown), 4)) in page  # the user is shown the key once
    stored = column(device)
    assert crypto.is_token(stored) and device.key not in stored and shown not in stored
    assert client.post(ENROL, {"code": code(device), "next": "/"}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed and crypto.is_token(column(device))
    assert device.key not in str(list(AuditLog.objects.values_list("before", "after", "detail")))


def test_a_verified_code_saves_the_device_and_the_key_stays_encrypted(persona, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = second_factor(persona("secadmin"))
    client = Client()
    sign_in(client, "secadmin")
    assert client.post(VERIFY, {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.last_t > 0 and crypto.is_token(column(device)) and device.key not in column(device)


def test_rotate_keys_re_encrypts_the_totp_keys_and_codes_work_under_the_new_key_alone(persona, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(PINGAN_FIELD_KEYS=[old]):
        device = second_factor(persona("auditor"))
        hex_key, before = device.key, column(device)
    with override_settings(PINGAN_FIELD_KEYS=[new]), pytest.raises(ImproperlyConfigured):
        OTPDevice.objects.get(pk=device.pk)
    with override_settings(PINGAN_FIELD_KEYS=[new, old]):
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "accounts.OTPDevice: 重新加密 1 行" in out.getvalue()
    with override_settings(PINGAN_FIELD_KEYS=[new]):
        assert column(device) != before and crypto.under_newest_key(column(device))
        fresh = OTPDevice.objects.get(pk=device.pk)
        assert fresh.key == hex_key
        assert check_code(fresh, code_at(fresh)) == (True, "")


def test_the_migration_moves_django_otps_plaintext_devices_and_empties_its_table(persona, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = persona("sysadmin")
    hex_key = random_hex(20)
    # as django-otp stored it before migration 0004 (bulk_create: the save guard is for new code)
    TOTPDevice.objects.bulk_create([TOTPDevice(user=user, name="手机验证器", key=hex_key, confirmed=True, last_t=5)])
    migration = importlib.import_module("pingan.accounts.migrations.0004_encrypted_otp_device")
    migration.encrypt_devices(apps, None)
    assert not TOTPDevice.objects.exists()
    moved = OTPDevice.objects.get(user=user)
    assert (moved.key, moved.name, moved.confirmed, moved.last_t) == (hex_key, "手机验证器", True, 5)
    assert crypto.is_token(column(moved)) and hex_key not in column(moved)
    client = Client()  # the same authenticator still signs in
    sign_in(client, "sysadmin")
    assert client.post(VERIFY, {"code": code(moved)}).status_code == 302
    assert client.get("/").status_code == 200


def test_nothing_writes_a_key_into_django_otps_plaintext_table(persona):
    with pytest.raises(ImproperlyConfigured, match="加密保存"):
        TOTPDevice.objects.create(user=persona("auditor"), name="x", confirmed=True)
    assert not TOTPDevice.objects.exists()


def test_devices_are_among_the_encrypted_models_and_the_key_is_never_looked_up():
    assert "accounts.OTPDevice" in {m._meta.label for m in crypto.encrypted_models()}
    with pytest.raises(Exception, match="key_hash"):
        list(OTPDevice.objects.filter(key="00" * 20))
