"""Home-page items: disputes to grade, overdue or high-risk in the user's scope; what the user's
unit (or the user) handles, its 督办 and the early-warning notices; overdue hazards; visits."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from pingan.core.home import TodoItem, home_provider
from pingan.disputes import access, selectors
from pingan.disputes.models import Hazard, Visit


def _list(**params) -> str:
    return reverse("disputes:list") + ("?" + urlencode(params) if params else "")


@home_provider
def dispute_items(user):
    if user.role not in access.READERS:
        return []
    counts = selectors.dispute_counts(user)
    items = []
    if user.role in access.MANAGERS:
        items.append(TodoItem("待研判定级的矛盾纠纷", counts.to_assess, _list(status="registered"),
                              level="warning" if counts.to_assess else "info", hint="登记后尽快研判定级、分派"))
    items.append(TodoItem("超期未办结的矛盾纠纷", counts.overdue, _list(overdue="true"),
                          level="danger" if counts.overdue else "info", hint="时限按风险等级：红3天、橙7天、黄15天、蓝30天"))
    items.append(TodoItem("红、橙色风险矛盾纠纷(未办结)", counts.high_risk, _list(status="open", risk_min=3),
                          level="warning" if counts.high_risk else "info"))
    if user.agency_id or user.staff_id:
        items.append(TodoItem("本单位(本人)承办中的矛盾纠纷", counts.mine_open, _list(mine="true", status="open"),
                              level="danger" if counts.mine_overdue else "info",
                              hint=f"其中超期{counts.mine_overdue}件" if counts.mine_overdue else ""))
        supervisions = list(selectors.open_supervisions_for(user).order_by("-at")[:50])
        latest = supervisions[0] if supervisions else None
        items.append(TodoItem("督办待反馈", len(supervisions), _list(mine="true", supervised="true"),
                              level="danger" if supervisions else "info",
                              hint=f"{latest.by_name}：{latest.note[:40]}" if latest else ""))
        unread = selectors.notifications_for(user).filter(read_at__isnull=True)
        n = unread.count()
        newest = unread.order_by("-created_at").first() if n else None
        items.append(TodoItem("矛盾纠纷提醒(风险升级、分派、督办)", n, reverse("disputes:notifications"),
                              level="warning" if n else "info", hint=newest.text[:60] if newest else ""))
    overdue_hazards = Hazard.objects.visible_to(user).overdue().count()
    items.append(TodoItem("超期未整改的隐患", overdue_hazards,
                          reverse("disputes:hazard_list") + "?" + urlencode({"overdue": "true"}),
                          level="danger" if overdue_hazards else "info"))
    if user.role in access.VISIT_WRITERS:
        month_start = timezone.localdate().replace(day=1)
        visits = Visit.objects.visible_to(user).filter(visited_on__gte=month_start).count()
        items.append(TodoItem("本月走访(点击记录走访)", visits, reverse("disputes:visit_new"), hint="手机上一分钟记一次走访"))
    return items
