"""Home-page items: warnings still waiting for a dissuasion (the oldest first to act on), and
villages whose app figures are out of date, for the station chief and the bureau."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.core.home import TodoItem, home_provider

from . import selectors
from .access import READERS, STATISTICS_WRITERS


@home_provider
def antifraud_items(user):
    if user.role not in READERS:
        return []
    pending = selectors.pending_warnings(user)
    count = pending.count()
    late = pending.filter(received_at__lt=timezone.now() - dt.timedelta(days=1)).count()
    items = [TodoItem("待劝阻的反诈预警", count, reverse("antifraud:warning_list") + "?state=pending",
                      level="danger" if late else ("warning" if count else "info"),
                      hint=f"其中{late}条接收已超过24小时" if late else "接到预警后尽快电话或上门劝阻")]
    if user.role in STATISTICS_WRITERS:
        stale = selectors.stale_villages(user)
        items.append(TodoItem("超过一个季度未更新APP注册统计的村", stale, reverse("antifraud:registration_rates"),
                              level="warning" if stale else "info", hint="请导入国家反诈中心最新一期统计"))
    return items
