"""Home-page items: incidents to place, repeat groups of the last week, tasks due and overdue."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.core.home import TodoItem, home_provider
from pingan.incidents import selectors
from pingan.incidents.roles import DECIDERS, READERS


@home_provider
def incident_items(user):
    if user.role not in READERS:
        return []
    items = []
    if user.role in DECIDERS:
        n = selectors.needs_placement(user).count()
        items.append(TodoItem("待人工定位的警情", n, reverse("incidents:list") + "?needs_placement=true",
                              level="warning" if n else "info", hint="地址未能识别到村"))
    week = timezone.localdate() - dt.timedelta(days=7)
    # a range on received_at (its index), not received_at__date (a cast that reads every row)
    repeats = selectors.incident_list(user).filter(cluster__isnull=False, received_at__gte=selectors.day_start(week)) \
        .values("cluster_id").distinct().count()
    items.append(TodoItem("近7天重复警情组", repeats, reverse("incidents:clusters") + f"?date_from={week}",
                          level="warning" if repeats else "info"))
    counts = selectors.task_counts(user)
    items.append(TodoItem("待反馈的情指行任务", counts["open"], reverse("incidents:tasks") + "?state=open"))
    items.append(TodoItem("逾期未反馈的情指行任务", counts["overdue"], reverse("incidents:tasks") + "?state=overdue",
                          level="danger" if counts["overdue"] else "info"))
    return items
