"""Jobs as users meet them: a large 110 import and a large export become jobs with a progress bar,
the year report is built in the background, results download (audited) only for their owner."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingan.core.models import AuditAction, AuditLog
from pingan.incidents.models import Incident
from pingan.jobs import services
from pingan.jobs.imports import count_rows
from pingan.jobs.models import Job, JobStatus
from pingan.jobs.tests.helpers import incident_csv

pytestmark = pytest.mark.django_db


def _upload(client, content: bytes, name="110.csv"):
    return client.post(reverse("incidents:import"), {"file": SimpleUploadedFile(name, content)})


def test_rows_are_counted_in_csv_and_xlsx_files():
    assert count_rows("a.csv", incident_csv(7)) == 7
    wb = openpyxl.Workbook()
    for r in ([1, 2], [3, 4], [None, None], [5, 6]):
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    assert count_rows("a.xlsx", buf.getvalue()) == 2
    assert count_rows("a.xls", b"junk") == 0 and count_rows("a.xlsx", b"not a zip") == 0


def test_a_large_import_becomes_a_job_with_progress_and_counts(client_as, settings, django_capture_on_commit_callbacks):
    settings.PINGAN_JOB_IMPORT_ROWS = 20
    client = client_as("station_chief")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, incident_csv(30))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", kwargs={"pk": job.pk})
    job.refresh_from_db()
    assert job.kind == "incidents.import" and job.status == JobStatus.SUCCEEDED, job.message
    assert job.counts["rows"] == 30 and job.counts["imported"] == 30 and job.counts["rejected"] == 0
    assert Incident.objects.filter(number__startswith="J").count() == 30
    page = client.get(reverse("jobs:detail", kwargs={"pk": job.pk})).content.decode()
    assert "导入30条" in page and "已完成" in page and "hx-trigger" not in page  # finished: no more polling


def test_a_small_import_still_happens_in_the_request(client_as, settings):
    settings.PINGAN_JOB_IMPORT_ROWS = 20
    response = _upload(client_as("station_chief"), incident_csv(5, prefix="S"))
    assert response.status_code == 200 and "导入5条" in response.content.decode()
    assert not Job.objects.exists()


def test_an_import_job_with_bad_rows_lists_them_and_a_rejected_file_fails(client_as, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.PINGAN_JOB_IMPORT_ROWS = 3
    client = client_as("station_chief")
    bad = incident_csv(5, prefix="K").decode().replace("2024-03-01 08:37", "昨天下午") .encode()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, bad)
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED and job.counts["imported"] == 4 and job.counts["rejected"] == 1
    assert job.rejections[0]["row"] == 3 and job.rejections[0]["column"] == "接警时间"
    page = client.get(reverse("jobs:detail", kwargs={"pk": job.pk})).content.decode()
    assert "被拒绝的行" in page and "昨天下午" in page


def test_the_job_page_polls_while_the_job_runs(client_as, settings):
    settings.PINGAN_JOB_IMPORT_ROWS = 3
    client = client_as("station_chief")
    _upload(client, incident_csv(6, prefix="P"))  # on_commit not run: the job stays queued
    job = Job.objects.get()
    services.job_claim(job.pk)
    services.Run(job).progress(3, 6, "逐行校验", force=True)
    body = client.get(reverse("jobs:status", kwargs={"pk": job.pk})).content.decode()
    assert 'hx-trigger="every 2s"' in body and "3/6" in body and "逐行校验" in body
    row = client.get(reverse("jobs:row", kwargs={"pk": job.pk})).content.decode()
    assert f'hx-get="/jobs/{job.pk}/row/"' in row and "50%" in row
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "110警情导入" in listing and "运行中" in listing


def test_a_large_export_becomes_a_job_and_its_file_holds_only_the_owners_scope(client_as, settings, persona,
                                                                                django_capture_on_commit_callbacks):
    from pingan.areas.models import Area
    from pingan.incidents.importer import import_incidents

    import_incidents(actor=None, banner=Area.objects.get(code="150824000000"), name="x.csv",
                     content=incident_csv(12, prefix="E"), cli=True)
    settings.PINGAN_JOB_EXPORT_ROWS = 5
    client = client_as("village_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("incidents:list") + "?export=xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "export"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    download = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    numbers = {row[0] for row in wb.active.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("E")}
    visible = set(Incident.objects.visible_to(persona("village_officer")).values_list("number", flat=True))
    assert numbers and numbers <= visible
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="jobs.Job", object_id=str(job.pk)).exists()
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="incidents.Incident").exists()


def test_someone_elses_result_is_a_404(client_as, settings, django_capture_on_commit_callbacks):
    settings.PINGAN_JOB_IMPORT_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client_as("station_chief"), incident_csv(6, prefix="Q"))
    job = Job.objects.get()
    other = client_as("hq_officer")
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert other.get(reverse(name, kwargs={"pk": job.pk})).status_code == 404
    assert other.post(reverse("jobs:retry", kwargs={"pk": job.pk})).status_code == 404


def test_the_year_report_is_built_as_a_job(client_as, django_capture_on_commit_callbacks):
    client = client_as("hq_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:report"), {"banner": "150824", "year": "2024"})
    job = Job.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result_name.startswith("统计报表-乌拉特中旗-2024") and job.counts["indicators"] > 0
    wb = openpyxl.load_workbook(job.result_file.path)
    assert {"指标", "按乡镇", "工作总结"} <= set(wb.sheetnames)


def test_a_report_of_another_banner_is_refused_before_any_job(client_as):
    assert client_as("hq_officer").post(reverse("jobs:report"), {"banner": "152922", "year": "2024"}).status_code == 404
    assert not Job.objects.exists()


def test_a_retry_from_the_page_runs_the_job_again(client_as, persona, django_capture_on_commit_callbacks):
    owner = persona("hq_officer")
    job = Job.objects.create(kind="reports.year_xlsx", title="报表", owner=owner, scope=owner.jurisdiction,
                             params={"banner_code": "150824", "year": 1999})
    job = services.job_run(job.pk)
    assert job.status == JobStatus.FAILED and "1999" in job.message
    Job.objects.filter(pk=job.pk).update(params={"banner_code": "150824", "year": 2024})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("hq_officer").post(reverse("jobs:retry", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


def test_a_job_whose_owner_lost_the_role_fails_with_a_reason(persona):
    owner = persona("hq_officer")
    job = Job.objects.create(kind="reports.year_xlsx", title="报表", owner=owner, scope=owner.jurisdiction,
                             params={"banner_code": "150824", "year": 2024})
    owner.role = "auditor"
    owner.save()
    job = services.job_run(job.pk)
    assert job.status == JobStatus.FAILED and "无权" in job.message


def test_the_reanalysis_job_reruns_the_banner(client_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("hq_officer").post(reverse("jobs:reanalyse"))
    job = Job.objects.get()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and "incidents" in job.counts


def test_the_api_lists_and_shows_only_the_callers_jobs(client_as, persona):
    mine = Job.objects.create(kind="export", title="我的", owner=persona("station_chief"),
                              scope=persona("station_chief").jurisdiction, status=JobStatus.FAILED, message="原因")
    Job.objects.create(kind="export", title="别人的", owner=persona("hq_officer"), scope=persona("hq_officer").jurisdiction)
    client = client_as("station_chief")
    data = client.get("/api/jobs/").json()
    assert [j["id"] for j in data["items"]] == [mine.pk]
    detail = client.get(f"/api/jobs/{mine.pk}").json()
    assert detail["status"] == "failed" and detail["message"] == "原因" and detail["errors"] == []
    other = Job.objects.exclude(pk=mine.pk).get()
    assert client.get(f"/api/jobs/{other.pk}").status_code == 404
    assert client.get("/api/jobs/?status=running").json()["count"] == 0
