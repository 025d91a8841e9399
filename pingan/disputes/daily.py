"""The disputes' section of the daily review (每日警情梳理, in the incidents app): the disputes whose
risk rose on the day reviewed, one row per raise with its reason in words."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from pingan.disputes.models import Dispute, RiskChange

HEADERS = ["纠纷编号", "乡镇(苏木)", "村(嘎查、社区)", "事由", "风险变化", "依据", "理由", "时间", "承办"]


def raised_on(user, day: dt.date, area_code: str = "") -> QuerySet[RiskChange]:
    """Risk raises made on ``day`` (local time) on disputes the user may see, newest first."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    disputes = Dispute.objects.visible_to(user)
    if area_code:
        disputes = disputes.filter(area__path__contains=f"{area_code.strip()}/")
    return (RiskChange.objects.filter(dispute__in=disputes, at__gte=start, at__lt=start + dt.timedelta(days=1),
                                      to_risk__gt=F("from_risk"))
            .select_related("dispute__area__parent", "dispute__assigned_agency", "dispute__assigned_staff")
            .order_by("-at"))


def raised_disputes_section(user, day: dt.date, area_code: str = ""):
    """For ``pingan.incidents.daily.register_section``: 风险升级的矛盾纠纷 on the day reviewed."""
    from pingan.incidents.daily import DailySection

    rows = []
    for c in raised_on(user, day, area_code):
        d = c.dispute
        rows.append([d.number, d.area.parent.short_name if d.area.parent_id else "", d.area.short_name, d.title,
                     f"{c.get_from_risk_display()}→{c.get_to_risk_display()}", c.get_signal_display(), c.reason,
                     timezone.localtime(c.at).replace(tzinfo=None), d.handler or "未分派"])
    query = {"raised": "true", "status": "open", **({"area": area_code} if area_code else {})}
    return DailySection("风险升级的矛盾纠纷", HEADERS, rows, url=reverse("disputes:list") + "?" + urlencode(query),
                        note="系统预警（当事人重复报警、威胁暴力言语、涉及人数众多）或人工研判升级风险的纠纷"
                        if rows else "当日没有风险升级的矛盾纠纷")
