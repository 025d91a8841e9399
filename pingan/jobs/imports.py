"""The import side: a 110 file with more rows than settings.PINGAN_JOB_IMPORT_ROWS is stored in the
shared media directory and imported by a background job with a progress bar; smaller files are
imported in the request as before. Row counting here is cheap and forgiving: a file it cannot count
is imported in the request, whose checks then say precisely what is wrong with it."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect


def count_rows(name: str, content: bytes) -> int:
    """Data rows (non-empty rows after the header) of a CSV or xlsx file; 0 if it cannot be read."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        if ext == "csv":
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = content.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                return 0
            rows = sum(1 for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r))
        elif ext == "xlsx" and content.startswith(b"PK\x03\x04"):
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0]
                ws.reset_dimensions()
                rows = sum(1 for r in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in r))
            finally:
                wb.close()
        else:
            return 0
    except Exception:  # unreadable here: the request's own checks will say why
        return 0
    return max(rows - 1, 0)


def import_as_job(request, *, banner, name: str, content: bytes):
    """A redirect to the new import job's page, or None to import in the request."""
    if banner is None or len(content) > settings.PINGAN_UPLOAD_MAX_BYTES:
        return None
    rows = count_rows(name, content)
    if rows <= settings.PINGAN_JOB_IMPORT_ROWS:
        return None
    from pingan.jobs.services import job_create

    job = job_create(actor=request.user, kind="incidents.import", title=f"110警情导入：{name}"[:200],
                     params={"banner_id": banner.pk, "banner": banner.code, "name": name[-120:], "rows": rows},
                     input_name=name, input_content=content, total=rows)
    messages.info(request, f"文件共{rows}行，超过{settings.PINGAN_JOB_IMPORT_ROWS}行，已转为后台任务导入；"
                           "可以离开本页，稍后在“后台任务”中查看结果")
    return redirect("jobs:detail", pk=job.pk)
