"""Home-page items of the 法律明白人 programme: units below quota, candidates waiting for a
decision, incomplete files; for a legal-literate person, their village's work this month."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from pingan.accounts.roles import Role
from pingan.areas.selectors import area_root_for
from pingan.core.home import TodoItem, home_provider
from pingan.legal import selectors
from pingan.legal.models import Status


@home_provider
def programme_items(user):
    if user.role not in (Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE):
        return []
    root = area_root_for(user)
    if root is None:
        return []
    cov = selectors.coverage(user, root, timezone.localdate())
    below = cov.below
    pending = selectors.person_list(user).filter(status__in=(Status.CANDIDATE, Status.ASSESSING)).count()
    return [
        TodoItem("法律明白人(在册)", cov.persons, reverse("legal:coverage"),
                 hint=f"{len(cov.meeting)}个嘎查(社区)达到定额"),
        TodoItem("法律明白人未达定额的嘎查(社区)", len(below), reverse("legal:coverage"),
                 level="danger" if below else "info",
                 hint=f"共缺{sum(r.shortfall for r in below)}名" if below else "全部达到定额"),
        TodoItem("待审查、考察的候选人", pending,
                 reverse("legal:person_list") + "?" + urlencode({"status": Status.CANDIDATE}),
                 level="warning" if pending else "info", hint="政治标准审查在先"),
    ]


@home_provider
def own_village_work(user):
    if user.role != Role.LEGAL_LITERATE:
        return []
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    done = selectors.activity_list(user).filter(date__year=today.year, date__month=today.month).count()
    return [TodoItem("本村本月法治活动", done, reverse("legal:activity_list") + "?" + urlencode({"month": month}),
                     hint="宣传、调解、咨询、走访")]
