"""Bulk registration of incidents from a 110 export (CSV in UTF-8 with or without BOM, or GBK; or xlsx).

Columns (Chinese headers, any order, extra columns ignored): 警情编号, 接警时间, 报警人, 报警电话,
发生地址, 警情类别, 警情内容. 接警时间 is "YYYY-MM-DD HH:MM[:SS]", "YYYY/MM/DD HH:MM[:SS]" or an Excel
date cell; 警情类别 is a top-level or a sub-category name as the 110 system writes it.

Policy — row by row, unlike the all-or-nothing 台账 rule of pingan.core.imports: a 110 export holds
thousands of calls, and one mistyped time should not keep the rest from the morning review. So:

* a file-level fault (not a workbook/CSV, a required column missing, no data) rejects the whole file;
* every good row is imported; every bad row is rejected and listed with its row number (as Excel
  numbers it), its column and the reason in Chinese — a row is saved whole or not at all;
* a 警情编号 already in Pingan for the banner is skipped as already present (so re-importing the same
  file changes nothing); a 警情编号 twice in the file: the later row is rejected;
* a category the dictionary does not know is imported as 其他警情 (the 110 text is kept in
  原始类别) and listed as a note, not lost;
* an address that names no village is imported at the township (or banner) level, flagged for a
  person to place, and listed as a note.

The upload checks (extension, magic bytes, size, zip entries and unpacked size, macros, defusedxml)
are pingan.core.imports'; the command line lifts only the size limit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from pingan.areas.models import Area
from pingan.core import imports
from pingan.core.audit import audit_record
from pingan.core.imports import CellError, Column, RowError, UploadError
from pingan.core.models import AuditAction, AuditResult
from pingan.incidents import analysis
from pingan.incidents.categories import CategoryResolver
from pingan.incidents.models import Incident, IncidentCategory, IncidentEvent, IncidentSource, IncidentStatus
from pingan.incidents.services import place_for, station_for
from pingan.incidents.signals import incident_registered, incidents_imported

WEB_MAX_ROWS = 20_000
CLI_MAX_ROWS = 2_000_000
ONLINE_LIMIT = 50  # up to this many new rows are checked one by one; more: one batch re-analysis
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_TIME_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?$")


def parse_received_at(value) -> dt.datetime:
    """An Excel date cell, an Excel serial number, or text "YYYY-MM-DD HH:MM[:SS]" / "YYYY/MM/DD HH:MM[:SS]"."""
    if isinstance(value, dt.datetime):
        naive = value.replace(tzinfo=None) if value.tzinfo else value
    elif isinstance(value, dt.date):
        raise CellError("接警时间缺少时分，应为“YYYY-MM-DD HH:MM”")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 20000 < value < 80000:
            raise CellError(f"接警时间“{value}”不是有效的日期时间")
        # Excel keeps 15 significant digits: 08:15:07 comes back as 08:15:06.99999…, so round to
        # the nearest second rather than cut the fraction off.
        naive = _EXCEL_EPOCH + dt.timedelta(seconds=round(float(value) * 86400))
    else:
        text = str(value).strip()
        m = _TIME_RE.match(text)
        if not m:
            raise CellError(f"接警时间“{text}”格式不正确，应为“YYYY-MM-DD HH:MM[:SS]”或“YYYY/MM/DD HH:MM[:SS]”")
        try:
            naive = dt.datetime(*(int(g) for g in m.groups(default="0")))
        except ValueError as exc:
            raise CellError(f"接警时间“{text}”不存在") from exc
    aware = timezone.make_aware(naive)
    if aware > timezone.now() + dt.timedelta(days=1):
        raise CellError(f"接警时间“{naive:%Y-%m-%d %H:%M}”晚于当前时间")
    if naive.year < 2000:
        raise CellError(f"接警时间“{naive:%Y-%m-%d %H:%M}”早于2000年")
    return aware


def parse_phone(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > 20:
        raise CellError("报警电话过长")
    digits = re.sub(r"[\s\-()（）+]", "", text)
    if digits and not digits.isdigit():
        raise CellError(f"报警电话“{text}”应为数字")
    return text


COLUMNS = (
    Column("警情编号", "number", parser=imports.text(40), as_text=True, example="B150824202403010001"),
    Column("接警时间", "received_at", parser=parse_received_at, example="2024-03-01 08:15"),
    Column("报警人", "caller_name", required=False, parser=imports.text(40), example="张建国"),
    Column("报警电话", "caller_phone", required=False, parser=parse_phone, as_text=True, example="13804711234"),
    Column("发生地址", "address", required=False, parser=imports.text(200), example="海流图镇巴仁宝勒格村三组"),
    Column("警情类别", "category", parser=imports.text(40), example="入户盗窃"),
    Column("警情内容", "content", required=False, parser=imports.text(4000), example="报警人称家中被盗……"),
)


@dataclass
class ImportReport:
    filename: str
    rows: int = 0
    imported: int = 0
    skipped: int = 0  # already present
    rejected: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)  # imported, but worth a look
    skipped_numbers: list[str] = field(default_factory=list)
    repeats: int = 0  # new incidents found to repeat an earlier one
    file_error: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.rejected if e.row}) or (1 if self.file_error else 0)

    def summary(self) -> str:
        if self.file_error:
            return "文件被拒绝：" + "；".join(str(e) for e in self.rejected)
        return (f"共{self.rows}行：导入{self.imported}条，已存在跳过{self.skipped}条，"
                f"拒绝{self.rejected_rows}行；新导入警情中发现重复警情{self.repeats}起")


def read_file(name: str, content: bytes, *, cli: bool = False) -> imports.ReadResult:
    upload = SimpleUploadedFile(Path(name).name, content)
    limit = max(len(content) + 1, settings.PINGAN_UPLOAD_MAX_BYTES) if cli else settings.PINGAN_UPLOAD_MAX_BYTES
    with override_settings(PINGAN_UPLOAD_MAX_BYTES=limit):
        table = imports.open_table(upload, allow_csv=True)
        return imports.read_rows(table, COLUMNS, max_rows=CLI_MAX_ROWS if cli else WEB_MAX_ROWS)


def import_incidents(*, actor, banner: Area, name: str, content: bytes, cli: bool = False,
                     progress=None) -> ImportReport:
    """Read, check every row, import the good ones (one transaction), analyse repeats, notify.
    ``progress(done, total, stage)`` (a background job's) hears how far the row checks have got."""
    report = ImportReport(filename=Path(name).name[:120])
    try:
        read = read_file(name, content, cli=cli)
    except UploadError as exc:
        report.rejected, report.file_error = [RowError(None, "", str(exc))], True
        return _audit(actor, banner, report)
    if any(e.row is None or e.reason.startswith("缺少必填列") or "表头" in e.reason for e in read.errors) and not read.rows:
        report.rejected, report.file_error = sorted(read.errors, key=lambda e: (e.row or 0, e.column)), True
        return _audit(actor, banner, report)
    report.rows = len(read.rows)
    errors_by_row: dict[int, list[RowError]] = defaultdict(list)
    for e in read.errors:
        errors_by_row[e.row or 0].append(e)
    resolver = CategoryResolver(list(IncidentCategory.objects.select_related("parent")))
    existing = set(Incident.objects.filter(banner=banner).values_list("number", flat=True))
    seen: dict[str, int] = {}
    areas: dict[int, Area] = {}
    stations: dict[int, object] = {}
    new: list[tuple[int, Incident]] = []
    creator = actor if getattr(actor, "is_authenticated", False) else None
    for index, row in enumerate(read.rows):
        if progress is not None and index % 200 == 0:
            progress(index, report.rows, "逐行校验")
        row_errors = list(errors_by_row.get(row.number, []))
        number = (row.get("number") or "").strip()
        if number and row.ok("number"):
            if number in seen:
                row_errors.append(RowError(row.number, "警情编号", f"警情编号{number}与第{seen[number]}行重复"))
            elif number in existing:
                report.skipped += 1
                report.skipped_numbers.append(number)
                seen[number] = row.number
                continue
            else:
                seen[number] = row.number
        category = None
        raw_category = row.get("category") or ""
        if row.ok("category") and raw_category:
            category = resolver.resolve(raw_category)
            if category is None:
                category = resolver.other
                report.notes.append(RowError(row.number, "警情类别", f"类别“{raw_category}”不在字典中，已按“其他警情”导入"))
        address = row.get("address") or ""
        place = None
        if not row_errors:
            try:
                place, needs, note = place_for(actor, banner, address)
            except ValidationError as exc:
                row_errors += [RowError(row.number, "发生地址", m) for m in exc.messages]
        if row_errors:
            report.rejected += row_errors
            continue
        if needs:
            report.notes.append(RowError(row.number, "发生地址", (note or "未能识别到村") + "，已挂在"
                                         f"{place.short_name}，待人工定位"))
        areas.setdefault(place.pk, place)
        if place.pk not in stations:
            stations[place.pk] = station_for(place)
        caller_name, caller_phone, text = row.get("caller_name") or "", row.get("caller_phone") or "", row.get("content") or ""
        new.append((row.number, Incident(
            number=number, banner=banner, area=place, needs_placement=needs, placement_note=note[:100],
            received_at=row.get("received_at"), caller_name=caller_name[:40], caller_phone=caller_phone[:20],
            address=address[:200], category=category, raw_category=raw_category[:40], content=text,
            source=IncidentSource.IMPORT, station=stations[place.pk],
            people=analysis.people_of(caller_name, text), created_by=creator)))
    if progress is not None:
        progress(report.rows, report.rows, "写入并研判重复警情", force=True)
    with transaction.atomic():
        created = Incident.objects.bulk_create([i for _, i in new], batch_size=1000)
        IncidentEvent.objects.bulk_create([
            IncidentEvent(incident=i, status=IncidentStatus.RECEIVED, at=i.received_at, by=creator, note="110导入")
            for i in created], batch_size=2000)
        report.imported = len(created)
        repeats = _analyse(banner, created)
        report.repeats = sum(1 for r in repeats.values() if r)
        _audit(actor, banner, report)
        for incident in sorted(created, key=lambda i: (i.received_at, i.pk)):
            incident_registered.send(sender=Incident, incident=incident, repeats=repeats.get(incident.pk, []),
                                     actor=actor, bulk=True)
        incidents_imported.send(sender=Incident, incidents=created, repeats=repeats, actor=actor)
    report.rejected.sort(key=lambda e: (e.row or 0, e.column))
    return report


def _analyse(banner: Area, created: list[Incident]) -> dict[int, list[Incident]]:
    """Repeats of every new incident: one by one for a few rows, one batch re-analysis for more."""
    if not created:
        return {}
    out: dict[int, list[Incident]] = {}
    if len(created) <= ONLINE_LIMIT:
        for incident in sorted(created, key=lambda i: (i.received_at, i.pk)):
            incident.banner = banner
            links = analysis.find_repeats(incident)
            analysis.attach(incident, links)
            out[incident.pk] = list(Incident.objects.filter(pk__in=[link.earlier for link in links]))
        return out
    analysis.reanalyse(banner)
    from pingan.incidents.models import RepeatLink

    ids = [i.pk for i in created]
    pairs: dict[int, list[int]] = defaultdict(list)
    for k in range(0, len(ids), 900):
        for earlier, later in RepeatLink.objects.filter(later_id__in=ids[k:k + 900]).values_list("earlier_id", "later_id"):
            pairs[later].append(earlier)
    wanted = {e for es in pairs.values() for e in es}
    by_id = {}
    wanted_list = list(wanted)
    for k in range(0, len(wanted_list), 900):
        by_id.update({i.pk: i for i in Incident.objects.filter(pk__in=wanted_list[k:k + 900])})
    for later, earlier in pairs.items():
        out[later] = [by_id[e] for e in earlier if e in by_id]
    return out


def _audit(actor, banner: Area, report: ImportReport) -> ImportReport:
    where = "、".join(f"第{e.row}行{e.column}" if e.row else "文件" for e in report.rejected[:10])
    audit_record(actor, AuditAction.IMPORT, banner, object_type="incidents.Incident",
                 object_repr=f"110警情导入：{report.filename}"[:200],
                 result=AuditResult.FAILED if report.file_error else AuditResult.OK,
                 detail=report.summary() + (f"。被拒绝的位置：{where}" if where else ""),
                 after={"file": report.filename, "rows": report.rows, "imported": report.imported,
                        "skipped": report.skipped, "rejected_rows": report.rejected_rows})
    return report
