"""The pages as people use them: the prosecutor's lists, details and exports, the liaison's reply
with its evidence, the home-page items, and 404 (never 403 or 200) on another agency's record."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from pingan.core import idcard
from pingan.core.models import AuditAction, AuditLog
from pingan.procuratorate import services
from pingan.procuratorate.models import Attachment, Lead, Suggestion, SuggestionStatus
from pingan.procuratorate.tests.helpers import admin_agency, draft, procuratorate, served
from pingan.testing.factories import area
from pingan.testing.personas import TOWNSHIP

pytestmark = pytest.mark.django_db


def test_the_prosecutor_registers_a_lead_and_turns_it_into_a_draft_suggestion(client_as):
    client = client_as("prosecutor")
    response = client.post(reverse("procuratorate:lead_create"), {
        "area": area(TOWNSHIP).pk, "field": "food_drug", "source": "hotline", "subject": "村医售卖假药",
        "received_on": "2024-04-08", "description": "12309热线反映"})
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.number == "乌检线〔2024〕1号"
    client.post(reverse("procuratorate:lead_assess", args=[lead.pk]),
                {"outcome": "suggestion", "on": "2024-04-15", "addressed_agency": admin_agency("卫生健康委员会").pk})
    s = Suggestion.objects.get()
    assert (s.lead, s.status, s.title) == (lead, SuggestionStatus.DRAFT, "村医售卖假药")
    page = client.get(reverse("procuratorate:lead_detail", args=[lead.pk])).content.decode()
    assert "转检察建议" in page and "村医售卖假药" in page


def test_the_prosecutor_moves_a_suggestion_on_from_its_page_and_is_told_when_a_step_is_illegal(client_as):
    client = client_as("prosecutor")
    s = draft()
    url = reverse("procuratorate:suggestion_action", args=[s.pk])
    client.post(url, {"action": "submit"})
    client.post(url, {"action": "approve", "on": "2024-03-01"})
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "检察建议当前状态为“送达”，不能批准制发" in response.content.decode()
    client.post(url, {"action": "serve", "on": "2024-03-05"})
    s.refresh_from_db()
    assert (s.status, s.reply_deadline) == (SuggestionStatus.AWAITING_REPLY, dt.date(2024, 5, 5))
    page = client.get(reverse("procuratorate:suggestion_detail", args=[s.pk])).content.decode()
    assert "逾期" in page and "催告回复" in page and "批准制发" in page  # the trail shows the internal steps


def test_the_liaison_replies_with_evidence_and_the_prosecutor_downloads_it(client_as, persona, media):
    liaison = persona("liaison")
    s = served(liaison.agency)
    client = client_as("liaison")
    page = client.get(reverse("procuratorate:suggestion_detail", args=[s.pk])).content.decode()
    assert "回复检察建议" in page and "批准制发" not in page  # internal steps are not shown to the agency
    evidence = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    client.post(reverse("procuratorate:suggestion_reply", args=[s.pk]),
                {"reply": "已开展专项检查", "rectification": "下架过期食品", "file": evidence})
    s.refresh_from_db()
    assert s.status == SuggestionStatus.REPLIED
    attachment = Attachment.objects.get()
    assert (attachment.record_type, attachment.name, attachment.kind) == ("reply", "整改报告.pdf", "rectification")
    assert (media / attachment.file.name).exists()
    response = client_as("prosecutor").get(reverse("procuratorate:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="procuratorate.Attachment").exists()


def test_uploads_are_limited_in_size_and_type(client_as, persona, media, settings):
    settings.PINGAN_UPLOAD_MAX_BYTES = 1024
    s = served(persona("liaison").agency)
    client = client_as("prosecutor")
    url = reverse("procuratorate:attach", args=["suggestion", s.pk])
    big = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"x" * 2048), "kind": "evidence"}, follow=True)
    assert "超过上限" in big.content.decode()
    exe = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ"), "kind": "evidence"}, follow=True)
    assert "不支持的文件类型" in exe.content.decode()
    assert not Attachment.objects.exists() and not list(media.rglob("*.*"))


def test_a_liaison_gets_404_on_another_agencys_suggestion_and_does_not_see_it_listed(client_as, persona):
    liaison = persona("liaison")
    mine, theirs = served(liaison.agency, title="给本单位的"), served(admin_agency("卫生健康委员会"), title="给卫健委的")
    client = client_as("liaison")
    assert client.get(reverse("procuratorate:suggestion_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("procuratorate:suggestion_reply", args=[theirs.pk]), {"reply": "x"}).status_code == 404
    listing = client.get(reverse("procuratorate:suggestion_list")).content.decode()
    assert mine.title in listing and theirs.title not in listing


def test_a_police_officer_gets_404_until_the_record_is_shared(client_as, persona):
    s = served()
    client = client_as("station_chief")
    url = reverse("procuratorate:suggestion_detail", args=[s.pk])
    assert client.get(url).status_code == 404
    services.share_create(actor=persona("prosecutor"), record=s, line="police")
    assert client.get(url).status_code == 200
    shared = client.get(reverse("procuratorate:shared")).content.decode()
    assert s.title in shared


def test_lists_export_to_xlsx_with_the_filters_and_an_audit_row(client_as):
    served(title="甲建议")
    served(title="乙建议", served_on=dt.date(2023, 6, 1))
    response = client_as("prosecutor").get(reverse("procuratorate:suggestion_list"), {"year": 2024, "export": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["甲建议"]
    assert AuditLog.objects.get(action=AuditAction.EXPORT).after["rows"] == 1


def test_the_workers_list_is_masked_on_the_page_and_in_full_only_in_the_prosecutors_export(client_as, persona):
    claim = services.wage_claim_register(actor=None, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                         project="安置小区", contractor="郝某", received_on=dt.date(2024, 3, 1))
    number = idcard.make("150824", dt.date(1980, 1, 1), 7)
    services.wage_worker_add(actor=None, claim=claim, name="王强", id_number=number, amount_owed="5000.00")
    client = client_as("prosecutor")
    page = client.get(reverse("procuratorate:claim_detail", args=[claim.pk])).content.decode()
    assert number not in page and number[:6] + "********" + number[-4:] in page
    ws = load_workbook(io.BytesIO(client.get(reverse("procuratorate:claim_detail", args=[claim.pk]),
                                             {"export": "xlsx"}).content)).active
    assert ws.cell(row=2, column=2).value == number
    services.share_create(actor=None, record=claim, agency=persona("liaison").agency)
    ws = load_workbook(io.BytesIO(client_as("liaison").get(reverse("procuratorate:claim_detail", args=[claim.pk]),
                                                          {"export": "xlsx"}).content)).active
    assert ws.cell(row=2, column=2).value != number


def test_the_home_page_shows_overdue_replies_to_the_prosecutor_and_pending_ones_to_the_liaison(client_as, persona):
    liaison = persona("liaison")
    served(liaison.agency, served_on=dt.date(2024, 3, 1))
    served(liaison.agency, served_on=dt.date.today(), title="新送达的")
    served(admin_agency("卫生健康委员会"), served_on=dt.date(2024, 3, 1), title="别家的")
    prosecutor = {i.title: i for i in client_as("prosecutor").get("/").context["items"]}
    assert prosecutor["逾期未回复的检察建议"].count == 2
    assert prosecutor["逾期未回复的检察建议"].level == "danger"
    mine = {i.title: i for i in client_as("liaison").get("/").context["items"]}
    assert (mine["待本单位回复的检察建议"].count, mine["逾期未回复的检察建议"].count) == (2, 1)


def test_list_pages_keep_a_query_budget(client_as):
    for i in range(12):
        served(title=f"建议{i}")
    client = client_as("prosecutor")
    client.get(reverse("procuratorate:suggestion_list"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("procuratorate:suggestion_list")).status_code == 200
    assert len(queries) <= 15, [q["sql"][:120] for q in queries]


def test_every_page_of_the_app_renders_for_the_prosecutor(client_as):
    s = served()
    client = client_as("prosecutor")
    for name in ("index", "lead_list", "lead_create", "suggestion_list", "suggestion_create", "claim_list",
                 "claim_create", "fraud_list", "fraud_create", "publicity_list", "publicity_create", "shared"):
        assert client.get(reverse(f"procuratorate:{name}")).status_code == 200, name
    assert client.get(reverse("procuratorate:suggestion_detail", args=[s.pk])).status_code == 200


def test_a_suggestion_about_wage_guarantee_deposits_is_drafted_from_the_claim(client_as):
    claim = services.wage_claim_register(actor=None, procuratorate=procuratorate(), area=area(TOWNSHIP),
                                         project="安置小区", contractor="郝某", received_on=dt.date(2024, 3, 1))
    client = client_as("prosecutor")
    url = reverse("procuratorate:suggestion_create") + f"?claim={claim.pk}"
    assert "工资保证金" in client.get(url).content.decode()
    client.post(url, {"addressed_agency": admin_agency("人力资源和社会保障局").pk, "area": claim.area_id,
                      "field": "labour", "title": "关于工资保证金的检察建议", "matter": "未存储工资保证金",
                      "facts": "未按规定存储", "reply_period_months": 2})
    assert Suggestion.objects.get().wage_claim == claim
    assert "关于工资保证金的检察建议" in client.get(reverse("procuratorate:claim_detail", args=[claim.pk])).content.decode()
