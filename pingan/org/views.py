import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from pingan.accounts.roles import Role
from pingan.areas.models import Level
from pingan.areas.selectors import area_get, area_root_for
from pingan.core.audit import audit_record
from pingan.core.exports import export_rows, export_table
from pingan.core.models import AuditAction
from pingan.core.permissions import page
from pingan.org import selectors
from pingan.org.filters import StaffFilter
from pingan.org.tables import StaffTable

# Who may open the staff registry: everyone whose scope covers people (not the security and
# audit administrators, whose job is not the organisation's records).
STAFF_READERS = frozenset(set(Role.values) - {Role.SECADMIN, Role.AUDITOR})
COVERAGE_READERS = frozenset({Role.SYSADMIN, Role.POLICE_LEADER, Role.STATION_CHIEF, Role.COMMUNITY_OFFICER})


@page(STAFF_READERS)
def staff_list(request):
    filterset = StaffFilter(request.GET, queryset=selectors.staff_list(request.user))
    full = request.user.policy.full_personal_data
    table = StaffTable(filterset.qs, full_personal_data=full)
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title="人员台账", object_type="org.Staff")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "org/staff_list.html", {"filter": filterset, "table": table})


@page(STAFF_READERS)
def staff_detail(request, pk: int):
    staff = selectors.staff_get(request.user, pk)
    return render(request, "org/staff_detail.html", {
        "staff": staff, **selectors.staff_history(request.user, staff),
        "can_reveal": request.user.policy.full_personal_data,
    })


@require_POST
@page(lambda user: user.policy.full_personal_data)
def staff_reveal(request, pk: int):
    """Full ID number and phone, on request, for roles entitled to them; every reveal is audited."""
    staff = selectors.staff_get(request.user, pk)
    audit_record(request.user, AuditAction.VIEW_PII, staff, detail="查看完整身份证号码和手机号码")
    response = render(request, "org/_pii.html", {"staff": staff})
    response["Cache-Control"] = "no-store"
    return response


def _as_of(request) -> dt.date:
    raw = request.GET.get("date", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@page(COVERAGE_READERS)
def coverage(request, code: str | None = None):
    root = area_get(request.user, code) if code else area_root_for(request.user)
    if root is None:
        raise Http404("没有可查看的辖区")
    cov = selectors.coverage(request.user, root, _as_of(request))
    if request.GET.get("export") == "xlsx":
        headers = ["乡镇(苏木)", "村级单位", "类型", "区划代码", "驻村辅警", "兼职警务助理", "警务室", "是否配备辅警"]
        rows = [[r.township.short_name, r.village.short_name, r.village.get_kind_display(), r.village.code,
                 "、".join(s.name for s in r.auxiliaries), "、".join(s.name for s in r.assistants),
                 "、".join(room.name for room in r.rooms), "是" if r.covered else "否"] for r in cov.rows]
        return export_rows(request, title=f"一村一警覆盖-{root.short_name}", headers=headers, rows=rows,
                           object_type="org.VillageAssignment", subtitle=f"{root.full_name} 截至{cov.as_of}")
    return render(request, "org/coverage.html", {"root": root, "cov": cov,
                                                  "townships": cov.by_township() if root.level < Level.TOWNSHIP else []})
