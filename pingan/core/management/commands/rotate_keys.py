"""``pingan rotate_keys``: re-encrypt every encrypted column under the newest key — the personal data
(ID numbers, phones, a wage claim's contractor code) and the TOTP keys of ``accounts.OTPDevice``:
every model with an ``EncryptedCharField`` is found by ``crypto.encrypted_models()``.

Rotation: put the new Fernet key first in ``PINGAN_FIELD_KEYS`` (the old one stays after it, so
everything still decrypts), run this command, then remove the old key. Rows already under the newest
key are left alone, so a second run (or a run resumed after an interruption) changes nothing. Works
in batches by primary key; one audit row per model records how many rows were re-encrypted.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from pingan.core import crypto
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction


class Command(BaseCommand):
    help = "用最新密钥重新加密全部加密字段（身份证号码、电话、承包人证件代码、动态口令密钥），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="每批行数（默认500）")

    def handle(self, *args, batch: int, **options):
        total = 0
        for model in crypto.encrypted_models():
            with transaction.atomic():
                changed = crypto.rotate_model(model, batch=batch)
                if changed:
                    fields = ", ".join(f.name for f in crypto.encrypted_fields(model))
                    audit_record(None, AuditAction.UPDATE, object_type=model._meta.label,
                                 object_repr=f"密钥轮换：{model._meta.verbose_name}",
                                 detail=f"用最新密钥重新加密 {changed} 行（{fields}）", login="rotate_keys")
            total += changed
            self.stdout.write(f"{model._meta.label}: 重新加密 {changed} 行")
        self.stdout.write(self.style.SUCCESS(f"密钥轮换完成：共重新加密 {total} 行"))
