"""Home-page items of the organisation: 一村一警 gaps and HQ staff short of grassroots experience."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from pingan.accounts.roles import Role
from pingan.areas.selectors import area_root_for
from pingan.core.home import TodoItem, home_provider
from pingan.org import selectors
from pingan.org.models import StaffCategory


@home_provider
def coverage_gaps(user):
    if user.role not in (Role.POLICE_LEADER, Role.STATION_CHIEF, Role.SYSADMIN):
        return []
    root = area_root_for(user)
    if root is None:
        return []
    cov = selectors.coverage_counts(user, root, timezone.localdate())
    admin_gaps = cov.admin_villages - cov.admin_villages_covered
    other_gaps = (cov.units - cov.covered) - admin_gaps
    return [
        TodoItem("行政村已配备驻村辅警", cov.admin_villages_covered, reverse("org:coverage"),
                 hint=f"共{cov.admin_villages}个行政村"),
        TodoItem("未配备驻村辅警的行政村", admin_gaps, reverse("org:coverage"),
                 level="danger" if admin_gaps else "info", hint="一村一警缺口，需尽快配备"),
        TodoItem("未配备辅警的其他村级单位", other_gaps, reverse("org:coverage"),
                 level="warning" if other_gaps else "info", hint="社区、居委会、农场分场等"),
    ]


@home_provider
def hq_short_of_grassroots(user):
    if user.role != Role.POLICE_LEADER:
        return []
    people = selectors.hq_staff_short_of_grassroots(user, timezone.localdate())
    return [TodoItem("机关民辅警基层经历不满2年", len(people), reverse("org:staff_list") + "?" + urlencode({"category": StaffCategory.POLICE_OFFICER}),
                     level="warning" if people else "info", hint="警力下沉的候选人员")]


@home_provider
def legal_adviser_gaps(user):
    """1名村(居)法律顾问: village-level units of the justice user's scope without an adviser."""
    if user.role not in (Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE):
        return []
    root = area_root_for(user)
    if root is None:
        return []
    missing = selectors.villages_without_adviser(user, root)
    return [TodoItem("未配备村(居)法律顾问的嘎查、社区", len(missing), reverse("org:staff_list") + "?" + urlencode({"category": StaffCategory.LEGAL_ADVISER}),
                     level="warning" if missing else "info")]
