"""The project's job kinds. Each handler re-checks, as the job's owner, what the page re-checked when
the job was submitted (the owner's role or post may have changed while it waited), then calls the
app's own service and leaves the result on the run."""

from __future__ import annotations

from urllib.parse import unquote

from django.contrib.messages.storage import default_storage as message_storage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from pingan.jobs.registry import JobError, register
from pingan.jobs.services import Run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _owner(run: Run):
    owner = run.job.owner
    if owner is None or not owner.is_active or not owner.role:
        raise JobError("发起人账号已停用或没有角色，任务不能执行")
    return owner


# ---------------------------------------------------------------------------------------------
# 110 import
# ---------------------------------------------------------------------------------------------

@register("incidents.import", "110警情导入")
def incidents_import(run: Run) -> None:
    from pingan.areas.models import Area
    from pingan.incidents.importer import import_incidents
    from pingan.incidents.roles import IMPORTERS
    from pingan.incidents.selectors import banner_for

    job = run.job
    actor = _owner(run) if job.owner_id else None
    banner = Area.objects.filter(pk=job.params.get("banner_id")).first()
    if banner is None:
        raise JobError("导入的旗县不存在")
    if actor is not None and (actor.role not in IMPORTERS or banner_for(actor) != banner):
        raise JobError("您的角色或辖区已变更，无权向该旗县导入警情")
    if not job.input_file:
        raise JobError("上传的文件已不存在（超过保存期限），请重新上传")
    with job.input_file.open("rb") as fh:
        content = fh.read()
    run.progress(0, job.total or None, "读取文件", force=True)
    report = import_incidents(actor=actor, banner=banner, name=job.params.get("name") or "import.csv",
                              content=content, progress=run.progress)
    run.counts = {"rows": report.rows, "imported": report.imported, "skipped": report.skipped,
                  "rejected": report.rejected_rows, "repeats": report.repeats, "notes": len(report.notes)}
    for e in report.rejected:
        run.add_error(e.row, e.column, e.reason)
    for e in report.notes:
        run.add_error(e.row, e.column, e.reason, note=True)
    if report.file_error:
        raise JobError(report.summary())
    run.message = report.summary()


# ---------------------------------------------------------------------------------------------
# Re-analysis of repeated incidents
# ---------------------------------------------------------------------------------------------

@register("incidents.reanalyse", "重复警情重新研判")
def incidents_reanalyse(run: Run) -> None:
    from pingan.areas.models import Area
    from pingan.incidents.analysis import reanalyse
    from pingan.incidents.roles import DECIDERS
    from pingan.incidents.selectors import banner_for

    job = run.job
    banner = Area.objects.filter(pk=job.params.get("banner_id")).first()
    if banner is None:
        raise JobError("旗县不存在")
    if job.owner_id:
        actor = _owner(run)
        if actor.role not in DECIDERS or banner_for(actor) != banner:
            raise JobError("您的角色或辖区已变更，无权重新研判该旗县的重复警情")
    run.progress(0, None, "研判中", force=True)
    result = reanalyse(banner)
    run.counts = dict(result)
    run.message = (f"{banner.short_name}：警情{result['incidents']}起，候选对{result['candidates']}，"
                   f"关联{result['links']}条，重复警情组{result['clusters']}个")


# ---------------------------------------------------------------------------------------------
# Year report as a workbook
# ---------------------------------------------------------------------------------------------

@register("reports.year_xlsx", "年度统计报表(Excel)")
def report_xlsx(run: Run) -> None:
    from django.utils import timezone

    from pingan.core.audit import audit_record
    from pingan.core.models import AuditAction
    from pingan.core.xlsx import workbook_bytes
    from pingan.reports import selectors
    from pingan.reports.access import REPORT_READERS
    from pingan.reports.registry import compute_all
    from pingan.reports.text import report_title
    from pingan.reports.xlsx import report_workbook

    owner = _owner(run)
    if owner.role not in REPORT_READERS:
        raise JobError("您的角色无权查看统计报表")
    try:
        ctx = selectors.report_context(owner, run.job.params.get("banner_code", ""), run.job.params.get("year"))
    except Http404 as exc:
        raise JobError(str(exc) or "旗县不存在或超出您的辖区范围") from exc
    run.progress(0, None, "计算指标", force=True)
    values = compute_all(ctx)
    run.progress(0, None, "生成Excel", force=True)
    data = workbook_bytes(report_workbook(ctx, values))
    audit_record(owner, AuditAction.EXPORT, object_type="reports.Report", object_repr=report_title(ctx)[:200],
                 detail=f"导出统计报表（后台任务{run.job.pk}）：{ctx.banner.code} {ctx.year}年，{len(values)}项指标",
                 after={"banner": ctx.banner.code, "year": ctx.year, "indicators": len(values)})
    run.save_file(f"统计报表-{ctx.banner.short_name}-{ctx.year}-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data)
    run.counts = {"indicators": len(values)}
    run.message = f"{report_title(ctx)}：{len(values)}项指标"


# ---------------------------------------------------------------------------------------------
# Any list's xlsx export above the threshold (pingan.core.exports)
# ---------------------------------------------------------------------------------------------

class _Session(SessionBase):
    """An empty session that is never stored (the replayed request is not a browser's)."""

    def load(self):
        return {}

    def exists(self, session_key):
        return False

    def create(self):
        pass

    def save(self, must_create=False):
        pass

    def delete(self, session_key=None):
        pass


@register("export", "导出Excel")
def export(run: Run) -> None:
    """Replays the list page's own export as its owner: the same view, FilterSet, scope, masking and
    audit row as the download would have had, only without the size limit of a web request."""
    owner = _owner(run)
    path, query = run.job.params.get("path", ""), run.job.params.get("query", "")
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise JobError("导出的页面已不存在") from exc
    request = RequestFactory().get(f"{path}?{query}" if query else path)
    request.user = owner
    request.session = _Session()
    request._messages = message_storage(request)
    request.pingan_job = run.job  # pingan.core.exports: write the workbook here, do not start another job
    run.progress(0, run.job.total or None, "生成Excel", force=True)
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except PermissionDenied as exc:
        raise JobError(str(exc) or "您的角色无权访问此功能") from exc
    except Http404 as exc:
        raise JobError(str(exc) or "记录不存在或超出您的辖区范围") from exc
    if response.status_code != 200 or not response.get("Content-Type", "").startswith(XLSX):
        raise JobError(f"导出失败：页面返回{response.status_code}")
    disposition = response.get("Content-Disposition", "")
    name = unquote(disposition.split("''", 1)[1]) if "''" in disposition else f"{run.job.title}.xlsx"
    run.save_file(name, response.content)
    rows = run.job.params.get("rows", 0)
    run.counts = {"rows": rows}
    run.message = f"已导出{rows}行"
