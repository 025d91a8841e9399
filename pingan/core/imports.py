"""xlsx 台账 import, shared by every programme's importer.

Three layers, each usable alone:

1. ``check_upload``/``open_table``: the file is refused before any parsing unless it is a small,
   plain .xlsx (zip magic, entry count and unpacked size bounded, no macros) or, where the caller
   allows it, a .csv. openpyxl parses the XML through defusedxml (``openpyxl.DEFUSEDXML``); a
   corrupt file is a Chinese error, never a 500. ``upload_limited`` (a view decorator) keeps an
   oversized upload from being stored at all.
2. ``Column`` and ``read_rows``: a declarative column spec (Chinese header, required, parser,
   dictionary) and a reader that maps headers, parses every row and collects every error as
   (Excel row number, column header, reason in Chinese).
3. ``Importer`` and ``run_import``: the contract — validate every row first; if any row is bad,
   import nothing and report every bad row; otherwise write all rows in one transaction. One
   IMPORT audit row per attempt, successful or rejected.

``build_template`` writes the downloadable template: header row, dropdowns for dictionary
columns (long lists through a hidden sheet), ID/phone/code columns formatted as text, and a
填写说明 sheet with an example for every column.

Numbers in ID-number columns are always refused: Excel keeps 15 significant digits, so an
18-digit number typed into a number cell has already lost its last digits. Phone numbers and
area codes (at most 15 digits) typed as numbers are exact and are converted to text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import Any

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import DatabaseError, transaction
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from pingan.core import idcard
from pingan.core.audit import audit_record
from pingan.core.models import AuditAction, AuditResult

# Limits. The upload size comes from settings.PINGAN_UPLOAD_MAX_BYTES; the others may be set in
# settings too, and otherwise default to values far above any real 台账.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and every password-protected workbook
DEFAULT_MAX_ZIP_ENTRIES = 500
DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_ROWS = 5000
TEMPLATE_ROWS = 1000  # rows the template's dropdowns and text formats cover
INLINE_LIST_LIMIT = 255  # Excel's limit on an inline list formula
DICTIONARY_SHEET = "字典"
NOTES_SHEET = "填写说明"


def max_upload_bytes() -> int:
    return settings.PINGAN_UPLOAD_MAX_BYTES


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class UploadError(Exception):
    """The file as a whole is refused; the message (Chinese) says why."""


class CellError(ValueError):
    """A parser refuses a cell; the message (Chinese) is the reason shown to the user."""


@dataclass(frozen=True, order=True)
class RowError:
    """One error: ``row`` as Excel numbers it (None for the file as a whole), the column header
    ("" when the whole row or file is concerned), and the reason in Chinese."""

    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}{'「' + self.column + '」' if self.column else ''}：{self.reason}"


def _fmt_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)}KB"


# ---------------------------------------------------------------------------------------------
# 1. Upload checks
# ---------------------------------------------------------------------------------------------

def check_upload(upload, *, allow_csv: bool = False) -> tuple[str, bytes]:
    """Refuse anything but a small, plain workbook; return ("xlsx"|"csv", content).

    Runs before any parsing. ``upload`` is a Django UploadedFile (or anything with ``name``,
    ``size`` and ``read``)."""
    if upload is None:
        raise UploadError("请选择要上传的文件")
    name = (getattr(upload, "name", "") or "").strip()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = "xlsx或csv" if allow_csv else "xlsx"
    if ext == "xlsm":
        raise UploadError("不接受启用宏的工作簿(.xlsm)，请另存为“Excel工作簿(.xlsx)”后再上传")
    if ext == "xls":
        raise UploadError("不接受旧版Excel文件(.xls)，请另存为“Excel工作簿(.xlsx)”后再上传")
    if ext not in ("xlsx", "csv") or (ext == "csv" and not allow_csv):
        raise UploadError(f"文件类型不正确：只接受{allowed}格式，请使用下载的模板填写")
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadError(f"文件过大：{_fmt_size(size)}，上限为{_fmt_size(limit)}")
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadError(f"文件过大：超过上限{_fmt_size(limit)}")
    if not content:
        raise UploadError("文件是空的")
    if ext == "csv":
        if content.startswith((ZIP_MAGIC, OLE_MAGIC)) or b"\x00" in content[:4096]:
            raise UploadError("文件内容不是CSV文本：扩展名与内容不符")
        return "csv", content
    if content.startswith(OLE_MAGIC):
        raise UploadError("这是旧版Excel(.xls)或设置了打开密码的工作簿，请去掉密码并另存为.xlsx后再上传")
    if not content.startswith(ZIP_MAGIC):
        raise UploadError("文件内容不是Excel工作簿(.xlsx)：扩展名与内容不符，请使用下载的模板填写")
    _check_zip(content)
    return "xlsx", content


class UploadLimitHandler(FileUploadHandler):
    """Stores at most the upload limit of each file. Past it, the rest of the file is read and
    dropped, and the file arrives as an empty stand-in carrying its real size, which
    ``check_upload`` refuses as 文件过大 — so an oversized upload never fills memory or disk."""

    received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        return raw_data if self.received <= max_upload_bytes() else None

    def file_complete(self, file_size):
        if self.received <= max_upload_bytes():
            return None  # the regular handlers after this one hold the file
        stand_in = SimpleUploadedFile(self.file_name, b"", self.content_type)
        stand_in.size = file_size
        return stand_in


def upload_limited(view):
    """For views taking an upload: install UploadLimitHandler before anything reads the request
    body. The CSRF check (which reads the body) then runs inside, as Django documents for views
    that change upload handlers."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, UploadLimitHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper


def _check_zip(content: bytes) -> None:
    """Entry count, unpacked size (declared sizes bound what zipfile will inflate), macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
            max_entries = _limit("PINGAN_UPLOAD_MAX_ZIP_ENTRIES", DEFAULT_MAX_ZIP_ENTRIES)
            if len(infos) > max_entries:
                raise UploadError(f"文件结构异常：压缩包内有{len(infos)}个部件，超过上限{max_entries}，不予处理")
            unpacked = sum(i.file_size for i in infos)
            max_unpacked = _limit("PINGAN_UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
            if unpacked > max_unpacked:
                raise UploadError(f"文件结构异常：解压后大小{_fmt_size(unpacked)}，超过上限{_fmt_size(max_unpacked)}，不予处理")
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                raise UploadError("文件已损坏：压缩包内有重复的部件")
            if any(i.flag_bits & 0x1 for i in infos):
                raise UploadError("文件已加密，请去掉密码后再上传")
            lowered = {n.lower(): n for n in names}
            if any(n.endswith("vbaproject.bin") for n in lowered):
                raise UploadError("工作簿包含宏(VBA)，出于安全原因不予导入，请另存为不含宏的.xlsx文件")
            if "[content_types].xml" not in lowered or "xl/workbook.xml" not in lowered:
                raise UploadError("文件内容不是Excel工作簿(.xlsx)：缺少工作簿结构，请使用下载的模板填写")
            if zf.getinfo(lowered["[content_types].xml"]).file_size > 1024 * 1024:
                raise UploadError("文件结构异常：内容类型部件过大，不予处理")
            types = zf.read(lowered["[content_types].xml"]).lower()
            if b"macroenabled" in types or b"vbaproject" in types:
                raise UploadError("工作簿为启用宏的格式(.xlsm)，出于安全原因不予导入，请另存为.xlsx文件")
    except UploadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError,
            NotImplementedError, RuntimeError) as exc:
        raise UploadError("文件已损坏或不是有效的Excel工作簿，无法读取") from exc


def _clean_str(value: str) -> str:
    return value.replace("\u3000", " ").replace("\xa0", " ").strip()


def _decode_csv(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("无法识别CSV文件的文字编码，请另存为“CSV UTF-8”或使用xlsx模板")


def _csv_rows(content: bytes) -> Iterator[tuple]:
    text = _decode_csv(content)
    try:
        yield from (tuple(r) for r in csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UploadError(f"CSV文件格式有误：{exc}") from exc


def _xlsx_rows(content: bytes, sheet_title: str | None) -> Iterator[tuple]:
    if not openpyxl.DEFUSEDXML:
        # Parsing untrusted XML without defusedxml is not allowed; fail closed.
        raise UploadError("服务器未启用安全的XML解析(defusedxml)，暂不能导入，请联系系统管理员")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a bad file; none of them may become a 500
        raise UploadError("文件已损坏或不是有效的Excel工作簿，无法读取") from exc
    try:
        sheets = wb.worksheets
        if not sheets:
            raise UploadError("工作簿中没有工作表")
        ws = next((s for s in sheets if sheet_title and s.title == sheet_title), sheets[0])
        ws.reset_dimensions()  # do not trust the stored dimension; read what is there
        try:
            yield from ws.iter_rows(values_only=True)
        except UploadError:
            raise
        except Exception as exc:
            raise UploadError("文件已损坏，工作表内容无法读取") from exc
    finally:
        wb.close()


def open_table(upload, *, allow_csv: bool = False, sheet_title: str | None = None) -> Iterator[tuple]:
    """Check the upload and return an iterator over its rows (tuples of raw cell values)."""
    kind, content = check_upload(upload, allow_csv=allow_csv)
    return _csv_rows(content) if kind == "csv" else _xlsx_rows(content, sheet_title)


# ---------------------------------------------------------------------------------------------
# 2. Columns, parsers, the row reader
# ---------------------------------------------------------------------------------------------

Parser = Callable[[Any], Any]
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_DATE_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_TEXT_HINT = "请将该列设置为“文本”格式后重新填写"


def _number_to_digits(value: int | float, what: str) -> str:
    """An int, or a float holding an integer of at most 15 digits, is exact: convert it."""
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            raise CellError(f"{what}被存成了数字，可能已丢失末尾数字；{_TEXT_HINT}")
        value = int(value)
    text = str(value)
    if len(text) > 15:
        raise CellError(f"{what}被存成了数字，可能已丢失末尾数字；{_TEXT_HINT}")
    return text


def text(max_length: int = 200) -> Parser:
    def parse(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result = str(value).strip()
        if len(result) > max_length:
            raise CellError(f"内容过长：最多{max_length}个字")
        return result

    return parse


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９\u3000", "0123456789 ")


def ascii_digits(text: str) -> str:
    """Full-width digits (typed with a Chinese input method) as ASCII digits: １３８ → 138."""
    return text.translate(_FULL_WIDTH_DIGITS)


def digits(what: str, lengths: Sequence[int]) -> Parser:
    """A string of digits (codes, phone numbers). Exact numbers are converted; others refused."""
    allowed = sorted(set(lengths))
    span = f"{allowed[0]}位" if len(allowed) == 1 else f"{allowed[0]}至{allowed[-1]}位"

    def parse(value):
        if isinstance(value, bool):
            raise CellError(f"{what}应为{span}数字")
        if isinstance(value, int | float):
            value = _number_to_digits(value, what)
        result = ascii_digits(str(value)).strip().replace(" ", "")
        if _SCIENTIFIC.match(result):
            raise CellError(f"{what}显示为科学计数法({result})，末尾数字可能已丢失；{_TEXT_HINT}")
        if not (result.isascii() and result.isdigit()) or len(result) not in allowed:
            raise CellError(f"{what}应为{span}数字，实际为“{result}”")
        return result

    return parse


def phone() -> Parser:
    inner = digits("手机号码", [11])

    def parse(value):
        result = inner(value)
        if not result.startswith("1"):
            raise CellError("手机号码应为以1开头的11位数字")
        return result

    return parse


def id_number() -> Parser:
    """居民身份证号码 with the GB 11643 check digit. A number cell is always refused (see module doc)."""

    def parse(value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise CellError(f"身份证号码被存成了数字，后几位已被Excel改为0或丢失；{_TEXT_HINT}")
        raw = str(value).strip()
        if _SCIENTIFIC.match(raw):
            raise CellError(f"身份证号码显示为科学计数法({raw})，后几位已丢失；{_TEXT_HINT}")
        try:
            return idcard.validate(raw)
        except idcard.InvalidIdNumber as exc:
            raise CellError(str(exc)) from exc

    return parse


def date() -> Parser:
    """An Excel date cell, or text "YYYY-MM-DD" / "YYYY/MM/DD" (also "YYYY.MM.DD")."""

    def parse(value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise CellError("日期应为日期格式或“YYYY-MM-DD”形式的文本，不能是数字")
        match = _DATE_TEXT.match(str(value).strip())
        if not match:
            raise CellError(f"日期“{value}”格式不正确，应为“YYYY-MM-DD”或“YYYY/MM/DD”")
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError as exc:
            raise CellError(f"日期“{value}”不存在") from exc

    return parse


def _fold(value: str) -> str:
    """Compare dictionary values ignoring full-width/half-width parentheses and spaces."""
    return value.replace("（", "(").replace("）", ")").replace(" ", "")


def choice(values: Sequence[str]) -> Parser:
    folded = {_fold(v): v for v in values}

    def parse(value):
        raw = str(value).strip()
        hit = folded.get(_fold(raw))
        if hit is None:
            listed = "、".join(values[:8]) + ("等" if len(values) > 8 else "")
            raise CellError(f"“{raw}”不在字典中，请从下拉列表选择（{listed}）")
        return hit

    return parse


@dataclass(frozen=True)
class Column:
    """One column of a 台账. ``choices`` is a dictionary (字典): checked on import and offered as a
    dropdown in the template. ``as_text`` formats the template column as text ("@")."""

    header: str
    key: str
    required: bool = True
    parser: Parser | None = None
    choices: tuple[str, ...] = ()
    as_text: bool = False
    hint: str = ""
    example: str = ""
    width: int = 16

    @cached_property
    def _parse(self) -> Parser:
        return self.parser or (choice(self.choices) if self.choices else text())

    def parse(self, value):
        return self._parse(value)


@dataclass
class ParsedRow:
    """A data row: ``number`` as Excel shows it; ``values`` holds every cell that parsed (empty
    optional cells as None); ``bad`` the keys whose cell was refused."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)

    def get(self, key: str, default=None):
        return self.values.get(key, default)

    def ok(self, *keys: str) -> bool:
        return not any(k in self.bad for k in keys)


@dataclass
class ReadResult:
    rows: list[ParsedRow]
    errors: list[RowError]


def normalise_header(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", "", _clean_str(str(value))).rstrip("*＊")


def _is_formula(value) -> bool:
    return isinstance(value, ArrayFormula | DataTableFormula) or (isinstance(value, str) and value.startswith("="))


_EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"})


def _normalise_cell(value):
    if isinstance(value, str):
        value = _clean_str(value)
        return value or None
    return value


def read_rows(rows: Iterable[tuple], columns: Sequence[Column], *, max_rows: int | None = None) -> ReadResult:
    """Map the header row (the first non-empty row) to ``columns`` and parse every data row.

    Headers tolerate surrounding spaces, a trailing * and any order; unknown columns are ignored.
    A missing required column is one error naming it, and no row is read. Empty rows are skipped.
    """
    max_rows = max_rows or _limit("PINGAN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    iterator = iter(rows)
    header_row = 0
    positions: dict[str, int] = {}
    for number, raw in enumerate(iterator, start=1):
        if any(_normalise_cell(v) is not None for v in raw):
            header_row = number
            positions, errors = _map_headers(raw, columns, number)
            break
    if not header_row:
        return ReadResult([], [RowError(None, "", "文件中没有表头和数据")])
    if errors:
        return ReadResult([], errors)
    data_rows = 0
    for number, raw in enumerate(iterator, start=header_row + 1):
        cells = [_normalise_cell(v) for v in raw]
        if all(v is None for v in cells):
            continue
        data_rows += 1
        if data_rows > max_rows:
            return ReadResult([], [RowError(None, "", f"单次最多导入{max_rows}行数据，请拆分为多个文件")])
        row = ParsedRow(number)
        for column in columns:
            index = positions.get(column.key)
            value = cells[index] if index is not None and index < len(cells) else None
            reason = _cell_reason(column, value)
            if reason:
                errors.append(RowError(number, column.header, reason))
                row.bad.add(column.key)
                continue
            if value is None:
                row.values[column.key] = None
                continue
            try:
                row.values[column.key] = column.parse(value)
            except CellError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                row.bad.add(column.key)
        parsed.append(row)
    if not parsed and not errors:
        errors.append(RowError(None, "", "文件中没有数据行：请从表头下一行起填写"))
    return ReadResult(parsed, errors)


def _cell_reason(column: Column, value) -> str:
    if _is_formula(value):
        return "不允许使用公式，请填写数值本身（可复制后“选择性粘贴—数值”）"
    if isinstance(value, str) and value in _EXCEL_ERRORS:
        return f"单元格为错误值{value}"
    if value is None and column.required:
        return "必填项不能为空"
    return ""


def _map_headers(raw: tuple, columns: Sequence[Column], number: int) -> tuple[dict[str, int], list[RowError]]:
    by_header = {normalise_header(c.header): c for c in columns}
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, value in enumerate(raw):
        header = normalise_header(value)
        column = by_header.get(header)
        if column is None:
            continue
        if column.key in positions:
            errors.append(RowError(number, column.header, f"表头“{column.header}”重复出现"))
            continue
        positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(RowError(number, column.header, f"缺少必填列“{column.header}”，请使用下载的模板"))
    return positions, errors


# ---------------------------------------------------------------------------------------------
# 3. Template writer
# ---------------------------------------------------------------------------------------------

def build_template(columns: Sequence[Column], *, title: str, dropdowns: dict[str, Sequence[str]] | None = None,
                   notes: Sequence[str] = ()) -> openpyxl.Workbook:
    """A template workbook: the data sheet (header row only, dropdowns, text formats), a 填写说明
    sheet (rules and an example for every column) and a hidden 字典 sheet for long lists.

    ``dropdowns`` adds lists that are not dictionaries (e.g. the agencies the user may see),
    keyed by column key; a column's own ``choices`` are used otherwise."""
    dropdowns = dropdowns or {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title[:31]
    lists = wb.create_sheet(DICTIONARY_SHEET)
    lists.sheet_state = "hidden"
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    last = TEMPLATE_ROWS + 1
    list_col = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.data_type = "s"
        hint = ("必填。" if column.required else "选填。") + column.hint
        cell.comment = Comment(hint, "平安乡村")
        ws.column_dimensions[letter].width = column.width
        if column.as_text:
            ws.column_dimensions[letter].number_format = "@"
        values = list(dropdowns.get(column.key) or column.choices)
        if not values:
            continue
        inline = ",".join(values)
        # Counted as double-byte text (GBK), as older Excel and WPS count their 255-character limit.
        if len(inline.encode("gb18030")) + 2 <= INLINE_LIST_LIMIT and not any(ch in inline for ch in '"\'') and \
                not any("," in v for v in values):
            formula = f'"{inline}"'
        else:
            list_col += 1
            list_letter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=column.header)
            for r, value in enumerate(values, start=2):
                lists.cell(row=r, column=list_col, value=value).data_type = "s"
            formula = f"'{DICTIONARY_SHEET}'!${list_letter}$2:${list_letter}${len(values) + 1}"
        strict = bool(column.choices) and not dropdowns.get(column.key)
        validation = DataValidation(
            type="list", formula1=formula, allow_blank=not column.required, showDropDown=False,
            showErrorMessage=strict, errorStyle="stop" if strict else "warning",
            errorTitle="输入有误", error=f"请从下拉列表中选择{column.header}",
            showInputMessage=True, promptTitle=column.header, prompt="请从下拉列表中选择",
        )
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    _write_notes(wb.create_sheet(NOTES_SHEET), columns, notes)
    return wb


def _write_notes(ws, columns: Sequence[Column], notes: Sequence[str]) -> None:
    general = [
        "第1行为表头，请勿修改或删除；从第2行起每行填写一条记录。",
        "表头为红色的列必须填写；带下拉箭头的列请从下拉列表中选择。",
        "身份证号码、手机号码、代码类列已设为文本格式，请勿改为数字格式，否则末尾数字会丢失。",
        "日期请填写为日期，或“2024-03-01”“2024/03/01”形式的文本。",
        "不允许使用公式。",
        "只要有一行出错，整份文件都不会导入；请按提示的行号、列名修改后重新上传。",
        *notes,
    ]
    ws.cell(row=1, column=1, value="填写说明").font = Font(bold=True, size=13)
    for r, line in enumerate(general, start=2):
        ws.cell(row=r, column=1, value=f"{r - 1}. {line}")
    start = len(general) + 3
    for c, header in enumerate(["列名", "是否必填", "说明", "示例"], start=1):
        ws.cell(row=start, column=c, value=header).font = Font(bold=True)
    for r, column in enumerate(columns, start=start + 1):
        ws.cell(row=r, column=1, value=column.header)
        ws.cell(row=r, column=2, value="必填" if column.required else "选填")
        ws.cell(row=r, column=3, value=column.hint)
        ws.cell(row=r, column=4, value=column.example).data_type = "s"
    for letter, width in zip("ABCD", (18, 10, 60, 24), strict=True):
        ws.column_dimensions[letter].width = width


# ---------------------------------------------------------------------------------------------
# 4. Importers and the all-or-nothing run
# ---------------------------------------------------------------------------------------------

class Importer:
    """Base of every 台账 importer. Subclasses declare the columns and implement ``check`` (every
    check that needs the database or several rows; no writes) and ``write`` (one row, through
    services). ``field_headers`` maps service field names to column headers, so a
    ValidationError raised by a service still names the column."""

    kind: str = ""
    label: str = ""
    columns: tuple[Column, ...] = ()
    allow_csv: bool = True
    object_type: str = ""
    field_headers: dict[str, str] = {}
    notes: tuple[str, ...] = ()

    @property
    def sheet_title(self) -> str:
        return f"{self.label}导入"

    def available_to(self, user) -> bool:
        return True

    def dropdowns(self, user) -> dict[str, Sequence[str]]:
        return {}

    def template(self, user) -> openpyxl.Workbook:
        return build_template(self.columns, title=self.sheet_title, dropdowns=self.dropdowns(user), notes=self.notes)

    def check(self, user, rows: list[ParsedRow]) -> list[RowError]:
        return []

    def write(self, user, row: ParsedRow) -> dict[str, int]:
        raise NotImplementedError

    def header(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), "")


@dataclass
class ImportResult:
    kind: str
    label: str
    filename: str
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rejected(Exception):
    """Raised inside the write transaction to roll every row back."""


def errors_from_validation(exc: ValidationError, row: int, field_headers: dict[str, str]) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [RowError(row, field_headers.get(name, ""), message)
                for name, messages in exc.message_dict.items() for message in messages]
    return [RowError(row, "", message) for message in exc.messages]


def run_import(importer: Importer, user, upload) -> ImportResult:
    """Check, read, validate every row; if all are good, write them all in one transaction.

    Any error anywhere (file, cell, cross-row, database, or a service refusing a row) means
    nothing is saved and every error found is returned. Writes one IMPORT audit row."""
    filename = (getattr(upload, "name", "") or "")[:120]
    result = ImportResult(kind=importer.kind, label=importer.label, filename=filename)
    try:
        table = open_table(upload, allow_csv=importer.allow_csv, sheet_title=importer.sheet_title)
        read = read_rows(table, importer.columns)
    except UploadError as exc:
        result.errors = [RowError(None, "", str(exc))]
        return _audit_rejected(importer, user, result)
    result.rows = len(read.rows)
    result.errors = list(read.errors)
    if read.rows and not any(e.row is None for e in read.errors):
        result.errors += importer.check(user, read.rows)
    if result.errors:
        return _audit_rejected(importer, user, result)
    try:
        with transaction.atomic():
            created: dict[str, int] = {}
            for row in read.rows:
                try:
                    with transaction.atomic():
                        for name, n in importer.write(user, row).items():
                            created[name] = created.get(name, 0) + n
                except ValidationError as exc:
                    result.errors += errors_from_validation(exc, row.number, importer.field_headers)
                except Http404:
                    result.errors.append(RowError(row.number, "", "超出您的辖区范围"))
                except DatabaseError:
                    result.errors.append(RowError(row.number, "", "与系统中已有的记录冲突，未能保存"))
            if result.errors:
                raise _Rejected
            result.created = created
            audit_record(user, AuditAction.IMPORT, object_type=importer.object_type,
                         object_repr=f"{importer.label}导入：{filename}"[:200],
                         detail=f"导入{result.rows}行：" + "，".join(f"{k}{v}条" for k, v in created.items()),
                         after={"kind": importer.kind, "file": filename, "rows": result.rows, "created": created})
    except _Rejected:
        return _audit_rejected(importer, user, result)
    return result


def _audit_rejected(importer: Importer, user, result: ImportResult) -> ImportResult:
    order = {c.header: i for i, c in enumerate(importer.columns)}
    result.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
    # Where, not what: reasons may quote the cell, and the cell may be personal data.
    shown = "、".join(f"第{e.row}行{e.column}" if e.row else "文件" for e in result.errors[:10])
    audit_record(user, AuditAction.IMPORT, result=AuditResult.FAILED, object_type=importer.object_type,
                 object_repr=f"{importer.label}导入：{result.filename}"[:200],
                 detail=f"导入被拒绝，共{len(result.errors)}处错误，未保存任何数据。出错位置：{shown}",
                 after={"kind": importer.kind, "file": result.filename, "rows": result.rows,
                        "errors": len(result.errors)})
    return result
