"""每日警情梳理: the morning review for a station or the banner — the day's incidents by village and
category, the ones that repeat flagged, and the tasks due — plus sections other apps add.

Other apps add a section with ``register_section``::

    from pingan.incidents.daily import DailySection, register_section

    @register_section
    def disputes_raised(user, day, area_code):
        rows = ...  # computed within the user's scope (Model.objects.visible_to(user))
        return DailySection("风险升级的矛盾纠纷", ["编号", "村", "风险", "原因"], rows, url="/disputes/?…")

The function gets the reading user, the day reviewed (datetime.date) and the area code filter ("" for
the whole scope); it returns a DailySection or None (nothing to show). Its rows appear on the page
and as a sheet of the xlsx export. It must cut its rows by the user's scope itself.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from pingan.core.masking import mask_phone
from pingan.core.xlsx import safe_cell
from pingan.incidents import selectors
from pingan.incidents.models import CommandTask, Incident, TaskStatus


@dataclass(frozen=True)
class DailySection:
    title: str
    headers: list[str]
    rows: list[list]
    url: str = ""
    note: str = ""


_sections: list[Callable] = []


def register_section(fn: Callable) -> Callable:
    """Add a section to the daily review (see the module docstring)."""
    if fn not in _sections:
        _sections.append(fn)
    return fn


def extra_sections(user, day: dt.date, area_code: str) -> list[DailySection]:
    out = []
    for fn in _sections:
        section = fn(user, day, area_code)
        if section is not None:
            out.append(section)
    return out


@dataclass
class VillageRow:
    township: str
    village: str
    code: str
    counts: dict[str, int]
    total: int = 0


@dataclass
class DailyReview:
    day: dt.date
    area_code: str
    category: str
    incidents: list[Incident]
    categories: list[str]
    by_village: list[VillageRow]
    tasks_due: list[CommandTask]
    sections: list[DailySection] = field(default_factory=list)

    @property
    def repeats(self) -> list[Incident]:
        return [i for i in self.incidents if i.cluster_id]

    @property
    def unplaced(self) -> list[Incident]:
        return [i for i in self.incidents if i.needs_placement]


def daily_review(user, day: dt.date, *, area_code: str = "", category: str = "") -> DailyReview:
    qs = selectors.in_area(selectors.incidents_on(user, day), area_code)
    if category:
        qs = qs.filter(category__parent__name=category) | qs.filter(category__name=category)
    incidents = list(qs.order_by("area__code", "received_at"))
    categories = [c.name for c in selectors.categories_top()]
    rows: OrderedDict[int, VillageRow] = OrderedDict()
    for i in sorted(incidents, key=lambda x: x.area.code):
        township = i.area.parent.short_name if i.area.level == 4 and i.area.parent_id else ""
        row = rows.setdefault(i.area_id, VillageRow(township, i.area.short_name + ("（待定位）" if i.needs_placement else ""),
                                                    i.area.code, {c: 0 for c in categories}))
        top = i.category.top.name
        row.counts[top] = row.counts.get(top, 0) + 1
        row.total += 1
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    tasks = selectors.in_area(selectors.task_list(user).filter(status=TaskStatus.ISSUED, deadline__lt=end + dt.timedelta(days=1)),
                              area_code)
    return DailyReview(day, area_code, category, incidents, categories, list(rows.values()), list(tasks),
                       extra_sections(user, day, area_code))


def review_workbook(review: DailyReview, *, full_personal_data: bool = False) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "按村统计"
    _sheet(ws, f"每日警情梳理 {review.day:%Y-%m-%d}", ["乡镇(苏木)", "村(社区)", "区划代码", *review.categories, "合计"],
           [[r.township, r.village, r.code, *[r.counts.get(c, 0) for c in review.categories], r.total]
            for r in review.by_village])
    _sheet(wb.create_sheet("警情明细"), "警情明细", ["警情编号", "接警时间", "村(社区)", "类别", "报警人", "报警电话",
                                                  "发生地址", "处置状态", "重复警情", "警情内容"],
           [[i.number, timezone.localtime(i.received_at).replace(tzinfo=None), i.area.short_name, i.category.name,
             i.caller_name, i.caller_phone if full_personal_data else mask_phone(i.caller_phone), i.address,
             i.get_status_display(), i.cluster.get_kind_display() if i.cluster_id else "", i.content]
            for i in review.incidents])
    now = timezone.now()
    _sheet(wb.create_sheet("到期任务"), "到期和逾期的情指行任务", ["任务", "承办", "反馈期限", "状态", "来源"],
           [[t.title, t.receiver, timezone.localtime(t.deadline).replace(tzinfo=None),
             "逾期" if t.is_overdue(now) else "待反馈", t.source_label] for t in review.tasks_due])
    for section in review.sections:
        _sheet(wb.create_sheet(section.title[:31]), section.title, section.headers, section.rows)
    return wb


def _sheet(ws, title: str, headers: list[str], rows: list[list]) -> None:
    ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True)
    for c, h in enumerate(headers, start=1):
        ws.cell(row=2, column=c, value=safe_cell(h)).font = Font(bold=True)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=safe_cell(value))
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
