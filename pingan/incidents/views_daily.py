"""每日警情梳理: the day's incidents (yesterday by default) for a station or the banner."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from pingan.core.audit import audit_record
from pingan.core.models import AuditAction
from pingan.core.permissions import page
from pingan.core.xlsx import xlsx_response
from pingan.incidents import selectors
from pingan.incidents.daily import daily_review, review_workbook
from pingan.incidents.roles import READERS


@page(READERS)
def daily(request):
    g = request.GET
    try:
        day = dt.date.fromisoformat(g.get("date", ""))
    except ValueError:
        day = timezone.localdate() - dt.timedelta(days=1)
    review = daily_review(request.user, day, area_code=g.get("area", ""), category=g.get("category", ""))
    if g.get("export") == "xlsx":
        full = request.user.policy.full_personal_data
        audit_record(request.user, AuditAction.EXPORT, object_type="incidents.Incident",
                     object_repr=f"每日警情梳理{day:%Y-%m-%d}",
                     detail=f"导出{len(review.incidents)}起警情；条件：{dict(g.items())}",
                     after={"rows": len(review.incidents), "day": day.isoformat()})
        return xlsx_response(review_workbook(review, full_personal_data=full), f"每日警情梳理-{day:%Y%m%d}.xlsx")
    banner = selectors.banner_for(request.user)
    areas = selectors.villages_for(request.user, banner) if banner else []
    townships = sorted({a.parent for a in areas if a.parent_id and a.parent.path.startswith(
        request.user.jurisdiction.path if request.user.jurisdiction_id else "")}, key=lambda a: a.code)
    return render(request, "incidents/daily.html", {
        "review": review, "day": day, "prev": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "categories": selectors.categories_top(), "villages": areas, "townships": townships,
        "now": timezone.now()})
