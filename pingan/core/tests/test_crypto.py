"""Personal data at rest (pingan/core/crypto.py): encrypted columns, keyed-hash look-ups, key rotation."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from pingan.core import crypto
from pingan.core.models import AuditLog
from pingan.org.models import Staff
from pingan.testing.factories import StaffFactory, valid_id_number

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(model, pk, *columns):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)} "
                       f"WHERE {qn(model._meta.pk.column)} = %s", [pk])
        return cursor.fetchone()


def test_the_column_holds_a_token_and_the_attribute_the_plaintext():
    number = valid_id_number()
    staff = StaffFactory(id_number=number, phone="13804710001")
    id_column, phone_column, id_hash, phone_hash, id_tail, phone_tail = raw(
        Staff, staff.pk, "id_number", "phone", "id_number_hash", "phone_hash", "id_number_tail", "phone_tail")
    assert crypto.is_token(id_column) and crypto.is_token(phone_column)
    assert number not in id_column and "13804710001" not in phone_column and "4710001" not in phone_column
    assert id_hash == crypto.id_hash(number) and len(id_hash) == 64 and number not in id_hash
    assert phone_hash == crypto.phone_hash("13804710001")
    assert (id_tail, phone_tail) == (number[-4:], "0001")
    fresh = Staff.objects.get(pk=staff.pk)
    assert (fresh.id_number, fresh.phone) == (number, "13804710001")
    assert fresh.id_masked == number[:6] + "********" + number[-4:]


def test_exact_lookups_go_through_the_hash_with_the_domain_normalisation():
    number = valid_id_number()
    staff = StaffFactory(id_number=number, phone="13804710002")
    assert Staff.objects.get(id_number=number) == staff
    assert Staff.objects.get(id_number=f" {number.lower()} ") == staff
    assert Staff.objects.get(phone="+86 138-0471-0002") == staff
    assert list(Staff.objects.filter(phone__in=["13804710002", "13900000000"])) == [staff]
    assert not Staff.objects.filter(phone="13804710003").exists()
    assert Staff.objects.filter(pk=staff.pk).exclude(phone="").exists()


def test_a_look_up_that_cannot_work_on_ciphertext_is_refused():
    with pytest.raises(FieldError, match="phone_tail"):
        list(Staff.objects.filter(phone__endswith="0001"))
    with pytest.raises(FieldError):
        list(Staff.objects.filter(id_number__icontains="1508"))


def test_assignment_and_update_keep_the_hash_and_tail_in_step():
    staff = StaffFactory(phone="13804710004")
    staff.phone = "13904719999"
    assert staff.phone_hash == crypto.phone_hash("13904719999") and staff.phone_tail == "9999"
    staff.save()
    assert raw(Staff, staff.pk, "phone_hash", "phone_tail") == (crypto.phone_hash("13904719999"), "9999")
    staff.phone = ""
    staff.save()
    assert raw(Staff, staff.pk, "phone", "phone_hash", "phone_tail") == ("", "", "")


def test_loading_rows_computes_no_hash_until_one_is_read(monkeypatch):
    import copy
    import pickle

    staff = StaffFactory(phone="13804710005")
    calls = []
    real = crypto.lookup_hash
    monkeypatch.setattr(crypto, "lookup_hash", lambda *a: calls.append(a) or real(*a))
    rows = list(Staff.objects.filter(pk=staff.pk))
    assert calls == [] and rows[0].phone == "13804710005"
    for row in (rows[0], copy.copy(rows[0]), pickle.loads(pickle.dumps(rows[0]))):
        assert row.phone_hash == crypto.phone_hash("13804710005") and row.phone_tail == "0005"
        assert Staff._meta.get_field("phone_hash").value_from_object(row) == row.phone_hash
    # saved after a change without ever being read: the stored hash and tail follow the new plaintext
    again = Staff.objects.get(pk=staff.pk)
    again.phone = "13904710006"
    again.save(update_fields=["phone", "phone_hash", "phone_tail"])
    assert raw(Staff, staff.pk, "phone_hash", "phone_tail") == (crypto.phone_hash("13904710006"), "0006")
    assert Staff.objects.get(phone="13904710006") == staff
    # deferred plaintext: the stored hash is what is read
    assert Staff.objects.only("phone_hash").get(pk=staff.pk).phone_hash == crypto.phone_hash("13904710006")


def test_the_id_number_stays_unique_through_its_hash():
    from django.db import IntegrityError, transaction

    number = valid_id_number()
    StaffFactory(id_number=number)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffFactory(id_number=number.lower())


def test_rotation_old_key_decrypts_until_rotated_then_only_the_new_key_is_needed():
    with override_settings(PINGAN_FIELD_KEYS=[OLD]):
        people = [StaffFactory(phone=f"1380471{n:04d}") for n in range(3)]
        expected = {s.pk: (s.id_number, s.phone) for s in people}
        before = {s.pk: raw(Staff, s.pk, "id_number", "phone") for s in people}
    with override_settings(PINGAN_FIELD_KEYS=[NEW]), pytest.raises(ImproperlyConfigured, match="解密"):
        Staff.objects.get(pk=people[0].pk)  # the new key alone cannot read what the old one wrote
    with override_settings(PINGAN_FIELD_KEYS=[NEW, OLD]):
        assert {s.pk: (s.id_number, s.phone) for s in Staff.objects.filter(pk__in=expected)} == expected
        out = io.StringIO()
        call_command("rotate_keys", "--batch", "2", stdout=out)
        assert "org.Staff: 重新加密" in out.getvalue()
        for pk in expected:
            assert raw(Staff, pk, "id_number", "phone") != before[pk]
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)  # idempotent: nothing left under the old key
        assert "共重新加密 0 行" in again.getvalue()
    with override_settings(PINGAN_FIELD_KEYS=[NEW]):
        assert {s.pk: (s.id_number, s.phone) for s in Staff.objects.filter(pk__in=expected)} == expected
        assert Staff.objects.get(id_number=expected[people[1].pk][0]).pk == people[1].pk
    row = AuditLog.objects.filter(object_type="org.Staff", actor_login="rotate_keys").latest("pk")
    assert "重新加密" in row.detail


def test_every_model_holding_id_numbers_or_phones_encrypts_them():
    labels = {m._meta.label for m in crypto.encrypted_models()}
    assert {"org.Staff", "incidents.Incident", "disputes.DisputeParty", "antifraud.FraudWarning",
            "antifraud.Dissuasion", "cases.Person", "onestop.ServiceRequest", "procuratorate.WageWorker",
            "ecology.Keeper"} <= labels
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            name = field.name
            personal = name in {"id_number", "phone"} or name.endswith(("_id_number", "_phone"))
            if personal:
                assert isinstance(field, crypto.EncryptedCharField), f"{model._meta.label}.{name} is not encrypted"
