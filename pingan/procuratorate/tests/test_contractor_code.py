"""The contractor's ID number / 统一社会信用代码 of a wage claim: encrypted at rest, found by its keyed
hash, masked on the page and in the audit log, re-encrypted by ``rotate_keys``, and the migration
encrypts rows written before it."""

import datetime as dt
import functools
import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from pingan.core import crypto, idcard
from pingan.core.models import AuditAction, AuditLog
from pingan.procuratorate import services
from pingan.procuratorate.models import WageClaim
from pingan.procuratorate.tests.helpers import procuratorate
from pingan.testing.factories import area
from pingan.testing.personas import TOWNSHIP

pytestmark = pytest.mark.django_db

CODE = "91150627MA0N7Q2X3K"  # a 统一社会信用代码
PERSON = idcard.make("150627", dt.date(1976, 5, 12), 31)


def raw(pk, *columns):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(WageClaim._meta.db_table)} "
                       f"WHERE id = %s", [pk])
        return cursor.fetchone()


def register(code: str, project: str = "安置小区", actor=None) -> WageClaim:
    return services.wage_claim_register(actor=actor, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                        project=project, contractor="郝某军", contractor_code=code,
                                        received_on=dt.date(2024, 3, 1))


def test_the_column_holds_a_token_and_the_hash_finds_it_however_it_is_typed():
    claim = register(f" {CODE.lower()} ")
    column, digest = raw(claim.pk, "contractor_code", "contractor_code_hash")
    assert crypto.is_token(column) and CODE not in column and CODE.lower() not in column
    assert digest == crypto.lookup_hash(CODE, crypto.CODE) and CODE not in digest
    assert WageClaim.objects.get(pk=claim.pk).contractor_code == CODE  # stored normalised
    assert WageClaim.objects.get(contractor_code="９１１５０６２７ＭＡ０Ｎ７Ｑ２Ｘ３Ｋ") == claim  # full-width typed
    blank = register("", project="无证件")
    assert raw(blank.pk, "contractor_code", "contractor_code_hash") == ("", "")


def test_pages_api_and_exports_never_show_the_code_in_full(client_as):
    claim = register(PERSON, project="札萨克镇安置小区")
    client = client_as("prosecutor")
    masked = PERSON[:6] + "********" + PERSON[-4:]
    page = client.get(reverse("procuratorate:claim_detail", args=[claim.pk])).content.decode()
    assert PERSON not in page and masked in page
    listing = client.get(reverse("procuratorate:claim_list")).content.decode()
    assert "札萨克镇安置小区" in listing and PERSON not in listing
    for url in ("/api/procuratorate/claims", f"/api/procuratorate/claims/{claim.pk}"):
        response = client.get(url)
        assert response.status_code == 200 and PERSON not in response.content.decode(), url
    for url in (reverse("procuratorate:claim_list"), reverse("procuratorate:claim_detail", args=[claim.pk])):
        export = client.get(url, {"export": "xlsx"})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(export.content)).active
        assert not any(PERSON in str(v) for row in ws.iter_rows(values_only=True) for v in row if v), url


def test_the_audit_row_of_the_registration_keeps_the_code_masked(persona):
    claim = register(PERSON, actor=persona("prosecutor"))
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="procuratorate.WageClaim", object_id=str(claim.pk))
    assert row.after["contractor_code"] == PERSON[:6] + "********" + PERSON[-4:]
    assert PERSON not in str(row.after) and PERSON not in str(row.before)


def test_rotate_keys_re_encrypts_the_code():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(PINGAN_FIELD_KEYS=[old]):
        claim = register(CODE)
        before = raw(claim.pk, "contractor_code")[0]
    with override_settings(PINGAN_FIELD_KEYS=[new, old]):
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "procuratorate.WageClaim: 重新加密 1 行" in out.getvalue()
    with override_settings(PINGAN_FIELD_KEYS=[new]):
        assert raw(claim.pk, "contractor_code")[0] != before
        assert WageClaim.objects.get(pk=claim.pk).contractor_code == CODE
        assert WageClaim.objects.get(contractor_code=CODE) == claim


def test_the_migration_encrypts_codes_written_in_the_clear():
    claim = register("")
    with connection.cursor() as cursor:  # as the column held it before migration 0003
        cursor.execute(f"UPDATE {WageClaim._meta.db_table} SET contractor_code = %s, contractor_code_hash = '' "
                       f"WHERE id = %s", [CODE, claim.pk])
    migration = importlib.import_module("pingan.procuratorate.migrations.0003_encrypt_contractor_code").Migration
    run = migration.operations[-1].code
    assert isinstance(run, functools.partial) and run.func is crypto.encrypt_existing
    run(apps, None)
    column, digest = raw(claim.pk, "contractor_code", "contractor_code_hash")
    assert crypto.is_token(column) and digest == crypto.lookup_hash(CODE, crypto.CODE)
    assert WageClaim.objects.get(contractor_code=CODE.lower()) == claim


def test_wage_claims_are_among_the_encrypted_models():
    assert "procuratorate.WageClaim" in {m._meta.label for m in crypto.encrypted_models()}
