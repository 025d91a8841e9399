"""Shared builders for the app's tests (through the services, as the system)."""

from __future__ import annotations

import datetime as dt

from pingan.org.models import Agency, AgencyKind
from pingan.procuratorate import services
from pingan.procuratorate.models import Field
from pingan.testing.factories import area
from pingan.testing.personas import BANNER, TOWNSHIP, agency_for


def procuratorate(code: str = BANNER) -> Agency:
    return agency_for(AgencyKind.PROCURATORATE, area(code))


def admin_agency(name: str = "市场监督管理局", code: str = BANNER) -> Agency:
    agency, _ = Agency.objects.get_or_create(name=name, area=area(code), defaults={"kind": AgencyKind.ADMIN_AGENCY})
    return agency


def draft(agency: Agency | None = None, *, code: str = TOWNSHIP, months: int = 2, title: str = "关于督促整治过期食品的检察建议",
          actor=None, **extra):
    return services.suggestion_draft(
        actor=actor, procuratorate=procuratorate(), area=area(code), addressed_agency=agency or admin_agency(),
        field=extra.pop("field", Field.FOOD_DRUG), title=title, matter=extra.pop("matter", "部分商店销售过期食品"),
        facts="商店销售过期食品", legal_basis=extra.pop("legal_basis", "《中华人民共和国食品安全法》第三十四条"),
        requirements=extra.pop("requirements", "开展专项检查"), reply_period_months=months, on=dt.date(2023, 12, 1), **extra)


def served(agency: Agency | None = None, *, served_on=dt.date(2024, 3, 1), reply_deadline=None, actor=None, **extra):
    s = draft(agency, actor=actor, **extra)
    services.suggestion_submit(actor=actor, suggestion=s, on=served_on - dt.timedelta(days=10))
    services.suggestion_approve(actor=actor, suggestion=s, on=served_on - dt.timedelta(days=5))
    return services.suggestion_serve(actor=actor, suggestion=s, served_on=served_on, reply_deadline=reply_deadline)
