"""Home-page items: open cases and cases left at 受案, the campaigns under way, open operations."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.cases import selectors
from pingan.cases.models import Operation, OperationStatus
from pingan.cases.roles import READERS, WRITERS
from pingan.core.home import TodoItem, home_provider


@home_provider
def case_items(user):
    if user.role not in READERS:
        return []
    items = [TodoItem("在办案件", selectors.open_cases(user).count(), reverse("cases:list") + "?status=open")]
    if user.role in WRITERS:
        stale = selectors.stale_accepted(user).count()
        since = timezone.localdate() - dt.timedelta(days=31)
        items.append(TodoItem("受案超过30日未立案(调查)的案件", stale,
                              reverse("cases:list") + f"?status=accepted&accepted_to={since:%Y-%m-%d}",
                              level="warning" if stale else "info", hint="请及时审查立案或开展调查"))
        running = selectors.campaigns_open_for(user, timezone.localdate()).count()
        items.append(TodoItem("进行中的专项行动", running, reverse("cases:campaigns")))
        ops = Operation.objects.visible_to(user).filter(status=OperationStatus.OPEN).count()
        items.append(TodoItem("进行中的合成作战", ops, reverse("cases:operations") + "?status=open"))
    return items
