"""Home-page items of 放管服: window requests still open after three days."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.core.home import TodoItem, home_provider
from pingan.onestop import access
from pingan.onestop.models import ServiceRequest

OPEN_DAYS = 3


@home_provider
def open_requests(user):
    if user.role not in access.CLERKS:
        return []
    cutoff = timezone.now() - dt.timedelta(days=OPEN_DAYS)
    n = ServiceRequest.objects.visible_to(user).pending().filter(received_at__lt=cutoff).count()
    if not n:
        return []
    return [TodoItem(f"受理超过{OPEN_DAYS}天未办结的窗口业务", n, reverse("onestop:request_list") + "?outcome=pending",
                     level="warning", hint="请及时办结、答复或转办")]
