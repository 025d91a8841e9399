"""Property-based tests (Hypothesis, issue 8 item 6 c) of the code that reads what people type:

* the ID-number validator (pingan.core.idcard, GB 11643);
* the address normaliser (pingan.incidents.repeats.normalise) and place resolution
  (pingan.incidents.repeats.places, and pingan.incidents.analysis.resolve_place on the real tree);
* the import cell parsers and row reader (pingan.core.imports, the 110 import's
  parse_received_at / parse_phone, the areas and org 台账 importers): whatever is in a cell or a
  file, the only exceptions are the documented ones (CellError for a cell, UploadError for a file).

The profile (``ci`` by default: bounded, derandomised) is in pingan/fuzz/profiles.py; the number of
examples run is printed at the end of the pytest run (pingan/fuzz/summary.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import pingan.fuzz.profiles  # noqa: F401  (registers and loads the Hypothesis profile first)
from pingan.core import idcard, imports
from pingan.core.imports import CellError, UploadError
from pingan.incidents.repeats import normalise as nz
from pingan.incidents.repeats import places

# ---------------------------------------------------------------- counting examples

_TALLY: Counter[str] = Counter()


def tallied(fn):
    """Counts the examples a property runs (put it under @given)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        _TALLY[fn.__name__] += 1
        return fn(*args, **kwargs)

    return run


@pytest.fixture(autouse=True)
def _examples_run(request):
    before = sum(_TALLY.values())
    yield
    request.node.user_properties.append(("hypothesis_examples", sum(_TALLY.values()) - before))


# ---------------------------------------------------------------- strategies

DIGITS = string.digits
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
regions = st.text(DIGITS, min_size=6, max_size=6)
sequences = st.integers(0, 999)
# Text as people paste it: ASCII, full-width forms, CJK, Chinese numerals, punctuation, odd spaces —
# and then anything at all.
TYPED = (string.printable + "０１２３４５６７８９ＡＢＸｘ，。；：（）【】、　\xa0\u200b"
         "一二三四五六七八九十百千万零〇两壹贰叁拾第组社队号户村镇苏木嘎查小民委员会旗中乌拉特巴彦淖尔市内蒙古自治区"
         "²³¹١٢٣٤٥")
typed_text = st.one_of(st.text(TYPED, max_size=40), st.text(max_size=40))


def first17_with_valid_date():
    return st.builds(lambda r, b, s: f"{r}{b:%Y%m%d}{s:03d}", regions, birth_dates, sequences)


# ---------------------------------------------------------------- ID numbers (GB 11643)


@given(first17_with_valid_date())
@tallied
def test_seventeen_digits_and_the_computed_check_digit_validate(first17):
    number = first17 + idcard.check_digit(first17)
    assert idcard.validate(number) == number
    assert idcard.validate(" " + number.lower() + " ") == number  # a lowercase x and spaces are fine
    assert idcard.birth_date(number) == dt.date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    assert idcard.gender(number) == ("M" if int(first17[16]) % 2 else "F")


@given(first17_with_valid_date(), st.sampled_from("0123456789X"))
@tallied
def test_any_other_check_digit_is_refused(first17, last):
    assume(last != idcard.check_digit(first17))
    with pytest.raises(idcard.InvalidIdNumber, match="校验位"):
        idcard.validate(first17 + last)


@given(first17_with_valid_date(), st.integers(0, 16), st.integers(1, 9))
@tallied
def test_a_single_mistyped_digit_is_caught(first17, position, delta):
    """MOD 11-2 catches every single-digit error: change one of the first 17 digits and the old
    check digit no longer fits (unless the change makes an impossible birth date first)."""
    number = first17 + idcard.check_digit(first17)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    with pytest.raises(idcard.InvalidIdNumber):
        idcard.validate(typo)


@given(regions, birth_dates, sequences)
@tallied
def test_made_numbers_validate_and_carry_their_birth_date(region, born, sequence):
    number = idcard.make(region, born, sequence)
    assert idcard.validate(number) == number
    assert idcard.birth_date(number) == born


@given(st.text(DIGITS, min_size=15, max_size=15))
@tallied
def test_old_fifteen_digit_numbers_are_refused_with_the_length(number):
    # Pingan takes only the 18-digit number (first-generation 15-digit cards expired in 2013).
    with pytest.raises(idcard.InvalidIdNumber, match="18位"):
        idcard.validate(number)


@given(typed_text)
@example("²50824199001010058")  # a superscript digit: str.isdigit() says yes, int() says no
@example("١٥٠٨٢٤١٩٩٠٠١٠١٠٠٥٨")  # Arabic-Indic digits
@tallied
def test_any_text_validates_to_18_ascii_characters_or_is_refused_in_chinese(raw):
    try:
        number = idcard.validate(raw)
    except idcard.InvalidIdNumber as exc:
        assert str(exc).startswith("身份证号码")
        return
    assert len(number) == 18 and number.isascii() and number[:17].isdigit()
    assert number[17] in DIGITS + "X" and number[17] == idcard.check_digit(number[:17])
    assert idcard.validate(number) == number


@given(regions, birth_dates, sequences)
@tallied
def test_full_width_digits_are_read_as_the_number(region, born, sequence):
    number = idcard.make(region, born, sequence)
    full_width = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert idcard.validate(full_width) == number


# ---------------------------------------------------------------- the address normaliser

CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三, 105 → 一百零五 (n < 1000)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + CN_DIGITS[rest] if rest < 10 else chinese_numeral(rest) if rest >= 20
                                else "一" + chinese_numeral(rest))
    return CN_DIGITS[n // 100] + "百" + tail


def group_text(n: int, numeral: str, suffix: str, ordinal: bool) -> str:
    number = {"arabic": str(n), "chinese": chinese_numeral(n),
              "fullwidth": str(n).translate(str.maketrans(DIGITS, "０１２３４５６７８９"))}[numeral]
    return ("第" if ordinal else "") + number + suffix


groups = st.integers(1, 120)
group_writings = st.tuples(st.sampled_from(["arabic", "chinese", "fullwidth"]),
                           st.sampled_from(["组", "社", "队", "小组", "村民小组", "村民组", "生产队"]),
                           st.booleans())
PLACE_WORDS = st.sampled_from(["", "海流图镇", "巴仁宝勒格村", "乌加河镇双荣村", "内蒙古巴彦淖尔市乌拉特中旗", "苏独仑嘎查",
                               "德岭山镇胜利村", "中旗"])


@given(PLACE_WORDS, groups, group_writings, group_writings, st.integers(1, 999))
@example("海流图镇巴仁宝勒格村", 3, ("chinese", "组", False), ("chinese", "社", False), 12)  # 三组 = 三社
@example("", 3, ("arabic", "组", False), ("chinese", "村民小组", True), 5)  # 3组 = 第三村民小组
@example("", 2, ("chinese", "组", False), ("arabic", "队", False), 1)
@tallied
def test_every_way_of_writing_a_group_gives_the_same_address(place, n, one, other, house):
    a = f"{place}{group_text(n, *one)}{house}号"
    b = f"{place}{group_text(n, *other)}{house}号"
    assert nz.canonical_address(a) == nz.canonical_address(b)
    parsed_a, parsed_b = nz.parse_address(a), nz.parse_address(b)
    assert parsed_a == parsed_b
    assert (parsed_a.group, parsed_a.house) == (n, house)


@given(st.integers(0, 99999))
@tallied
def test_chinese_numerals_read_back_as_the_number(n):
    if n < 1000:
        assert nz.cn_to_int(chinese_numeral(n)) == n
    assert nz.cn_to_int("".join(CN_DIGITS[int(d)] for d in str(n))) == n  # 三五 → 35, digit by digit


@given(typed_text)
@example("乌拉特中中旗旗三组")  # removing 中旗 must not leave another admin name behind
@example("内蒙古内蒙古自治区自治区")
@tallied
def test_canonical_address_is_idempotent(text):
    once = nz.canonical_address(text)
    assert nz.canonical_address(once) == once
    assert nz.clean(nz.clean(text)) == nz.clean(text)


@given(typed_text)
@tallied
def test_parse_address_never_fails_and_its_numbers_are_whole(text):
    parsed = nz.parse_address(text)
    assert parsed.group is None or (isinstance(parsed.group, int) and parsed.group >= 0)
    assert parsed.house is None or (isinstance(parsed.house, int) and 0 <= parsed.house <= 9999)


@given(st.one_of(st.none(), typed_text, st.text(DIGITS + " -+()", max_size=25)))
@example("+86 138-0471-1234")
@example("0086 86 13804711234")
@example("١٣٨٠٤٧١١٢٣٤")
@tallied
def test_phone_keys_are_ascii_digits_and_stable(value):
    key = nz.normalise_phone(value)
    assert key == "" or (key.isascii() and key.isdigit() and len(key) >= 5)
    assert nz.normalise_phone(key) == key


@given(st.sampled_from(["13804711234", "+8613804711234", "0086 138 0471 1234", "138-0471-1234",
                        "１３８０４７１１２３４", "86 13804711234"]))
@tallied
def test_every_way_of_writing_a_mobile_gives_the_same_key(value):
    assert nz.normalise_phone(value) == "13804711234"


# ---------------------------------------------------------------- place resolution

@functools.cache
def _gazetteer() -> places.Gazetteer:
    from pingan.incidents.repeats import evalset

    return places.gazetteer_from_csv(str(evalset.DIVISIONS), "150824")


def _villages() -> list[places.Place]:
    return sorted((p for p in _gazetteer().places.values() if p.level == places.VILLAGE), key=lambda p: p.id)


@given(st.data(), groups, group_writings, group_writings,
       st.sampled_from(["", "附近", "12号", "村口", "，有人打架", " 东"]))
@tallied
def test_a_village_named_with_its_township_resolves_to_it_however_the_group_is_written(
        data, n, one, other, tail):
    g = _gazetteer()
    village = data.draw(st.sampled_from(_villages()))
    township = g.places[village.parent_id]
    name = data.draw(st.sampled_from([village.name, village.short_name]))
    first = g.resolve(f"{township.name}{name}{group_text(n, *one)}{tail}")
    second = g.resolve(f"{township.name}{name}{group_text(n, *other)}{tail}")
    assert first == second
    assert first.resolved and first.area_id == village.id, (first, village)


@given(typed_text)
@tallied
def test_resolution_of_any_text_is_well_formed(text):
    g = _gazetteer()
    r = g.resolve(text)
    assert r.level in (None, places.TOWNSHIP, places.VILLAGE)
    if r.level is None:
        assert r.area_id is None
    else:
        assert g.places[r.area_id].level == r.level
    assert r.resolved == (r.level == places.VILLAGE) and (r.note == "") == r.resolved
    assert all(g.places[c].level == places.VILLAGE for c in r.candidates)
    # Full-width forms and spaces do not change the answer.
    assert g.resolve(nz.to_halfwidth(text).replace(" ", "")) == r


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=100)
@given(data=st.data())
@tallied
def test_resolve_place_on_the_loaded_tree_finds_the_village(data):
    """The same on the database (analysis.resolve_place, the tree loaded once per session)."""
    from pingan.areas.models import Area, Level
    from pingan.incidents import analysis

    banner = Area.objects.get(code="150824000000")
    villages = _tree_villages()
    code = data.draw(st.sampled_from(sorted(villages)))
    village = Area.objects.select_related("parent").get(code=code)
    n = data.draw(groups)
    area, needs, note, resolution = analysis.resolve_place(
        banner, f"{village.parent.name}{village.short_name}{group_text(n, *data.draw(group_writings))}")
    assert (area.pk, needs, note) == (village.pk, False, ""), resolution
    assert area.level == Level.VILLAGE


@functools.cache
def _tree_villages() -> frozenset[str]:
    from pingan.areas.models import Area, Level

    return frozenset(Area.objects.filter(code__startswith="150824", level=Level.VILLAGE).values_list("code", flat=True))


# ---------------------------------------------------------------- import cell parsers

# What a cell can hold once openpyxl or the CSV reader has read it: text, numbers (ints up to the
# 4300 digits Python parses; floats, with nan and inf), booleans, dates and times.
cells = st.one_of(
    typed_text,
    st.text(DIGITS + "-/.: 年月日时分秒T", max_size=25),
    st.integers(-(10 ** 20), 10 ** 20),
    st.integers(0, 10 ** 400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(),
    st.times(),
)


@functools.cache
def _parsers():
    from pingan.areas.importers import PopulationImporter, count
    from pingan.incidents import importer as incident_import
    from pingan.org.importers import AssignmentImporter, StaffImporter

    out = {
        "text": imports.text(40), "digits": imports.digits("区划代码", range(12, 16)), "phone": imports.phone(),
        "id_number": imports.id_number(), "date": imports.date(), "choice": imports.choice(["辅警", "民警（在编）"]),
        "count": count("人口"), "received_at": incident_import.parse_received_at,
        "caller_phone": incident_import.parse_phone,
    }
    for importer in (PopulationImporter, StaffImporter, AssignmentImporter):
        for column in importer.columns:
            out[f"{importer.kind}.{column.key}"] = column.parse
    for column in incident_import.COLUMNS:
        out[f"incidents.{column.key}"] = column.parse
    return out


PARSERS = sorted(_parsers())


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=200)
@given(value=cells)
@example(value="²")
@example(value="²50824199001010058")
@example(value=float("nan"))
@example(value=10 ** 300)
@tallied
def test_a_cell_parser_returns_a_value_or_a_chinese_cell_error(parser, value):
    parse = _parsers()[parser]
    try:
        parse(value)
    except CellError as exc:
        assert str(exc) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))


@given(st.text(DIGITS, min_size=11, max_size=15))
@tallied
def test_digit_cells_typed_as_text_or_as_exact_numbers_read_the_same(digits):
    parse = imports.digits("区划代码", range(11, 16))
    assume(not digits.startswith("0"))  # a number cell cannot keep a leading zero
    assert parse(digits) == parse(int(digits)) == parse(float(int(digits))) == digits


@given(st.text(DIGITS, min_size=11, max_size=11).map(lambda s: "1" + s[1:]))
@tallied
def test_full_width_phone_digits_are_read_as_the_number(phone):
    full_width = phone.translate(str.maketrans(DIGITS, "０１２３４５６７８９"))
    assert imports.phone()(full_width) == imports.phone()(phone) == phone


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.sampled_from("-/."),
       st.booleans())
@tallied
def test_date_cells_round_trip(day, sep, padded):
    parse = imports.date()
    text = f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}" if padded else f"{day.year}{sep}{day.month}{sep}{day.day}"
    assert parse(text) == parse(day) == parse(dt.datetime.combine(day, dt.time(13, 5))) == day


RECEIVED = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2025, 12, 31))


@given(RECEIVED.map(lambda d: d.replace(microsecond=0)), st.sampled_from([
    "{d:%Y-%m-%d %H:%M:%S}", "{d:%Y/%m/%d %H:%M:%S}", "{d:%Y.%m.%d %H:%M:%S}", "{d:%Y-%m-%dT%H:%M:%S}",
    "{d.year}年{d.month}月{d.day}日 {d.hour}时{d.minute}分{d.second}秒", "{d.year}-{d.month}-{d.day} {d.hour}:{d.minute}:{d.second}",
    "{d:%Y-%m-%d %H：%M：%S}",
]))
@tallied
def test_received_at_round_trips_every_accepted_text_format(moment, fmt):
    from django.utils import timezone

    from pingan.incidents.importer import parse_received_at

    expected = timezone.make_aware(moment)
    assert parse_received_at(fmt.format(d=moment)) == expected
    assert parse_received_at(moment) == expected  # an Excel date cell
    assert parse_received_at(moment.strftime("%Y-%m-%d %H:%M")) == expected.replace(second=0)


@given(RECEIVED.map(lambda d: d.replace(microsecond=0)), st.sampled_from([15, 17]))
@example(dt.datetime(2024, 3, 1, 8, 15, 7), 15)
@tallied
def test_received_at_round_trips_an_excel_serial_number(moment, significant):
    """A time cell not formatted as a date arrives as Excel's serial number (days since 1899-12-30),
    which Excel keeps to 15 significant digits: the seconds must come back exactly, not one less."""
    from django.utils import timezone

    from pingan.incidents.importer import parse_received_at

    serial = float(f"{(moment - dt.datetime(1899, 12, 30)).total_seconds() / 86400:.{significant}g}")
    assert parse_received_at(serial) == timezone.make_aware(moment)


# ---------------------------------------------------------------- the row reader and the file


def _importer_columns():
    from pingan.areas.importers import PopulationImporter
    from pingan.incidents.importer import COLUMNS
    from pingan.org.importers import AssignmentImporter, StaffImporter

    return {"population": PopulationImporter.columns, "staff": StaffImporter.columns,
            "assignments": AssignmentImporter.columns, "incidents": COLUMNS}


@pytest.mark.parametrize("kind", ["population", "staff", "assignments", "incidents"])
@settings(max_examples=100)
@given(data=st.data())
@tallied
def test_the_row_reader_reports_bad_cells_as_row_errors_and_never_raises(kind, data):
    columns = _importer_columns()[kind]
    headers = [c.header for c in columns]
    header_row = data.draw(st.one_of(st.permutations(headers + ["备注列", None]),
                                     st.lists(st.one_of(st.none(), st.sampled_from(headers), typed_text), max_size=10)))
    rows = data.draw(st.lists(st.lists(st.one_of(st.none(), cells), max_size=len(header_row) + 2).map(tuple),
                              max_size=6))
    result = imports.read_rows([tuple(header_row), *rows], columns)
    keys = {c.key for c in columns}
    numbers = {r.number for r in result.rows}
    for error in result.errors:
        assert error.reason and (error.row is None or error.row >= 1)
        assert error.column in {c.header for c in columns} | {""}
        if error.row is not None and error.row in numbers:
            row = next(r for r in result.rows if r.number == error.row)
            assert row.bad <= keys and row.bad
    for row in result.rows:
        assert set(row.values) | row.bad == keys
        assert not (set(row.values) & row.bad)


@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.xlsm", "a", "a.CSV"]),
       st.booleans())
@example(b"PK\x03\x04" + b"\x00" * 60, "a.xlsx", False)
@example("警情编号,接警时间\n1,2024-03-01 08:00\n".encode("gbk"), "a.csv", True)
@example(b"a,b\n\x00", "a.csv", True)
@tallied
def test_any_upload_is_read_or_refused_with_an_upload_error(content, name, allow_csv):
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        for _ in imports.open_table(SimpleUploadedFile(name, content), allow_csv=allow_csv):
            pass
    except UploadError as exc:
        assert str(exc)
