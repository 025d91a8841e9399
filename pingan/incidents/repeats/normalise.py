"""Normalising what the 110 system writes: full-width characters, Chinese numerals, phone numbers,
the group (组/社/队) and house number of an address, the people named in the text, and the
"core" of the content with the stock phrasing of 110 records taken out.

Chinese is matched by characters, never by spaces: nothing here splits on whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
CN_NUM = "零〇一二三四五六七八九两十百千万壹贰叁肆伍陆柒捌玖拾"
_CN_NUM_RE = re.compile(f"[{CN_NUM}]+")


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23, 一百零五 → 105, 三五 → 35 (digit by digit)."""
    if not text:
        return None
    text = text.replace("拾", "十")
    if all(ch in _DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            section += (current or 1) * _UNITS[ch]
            current = 0
        elif ch == "万":
            total += (section + current) * 10000
            section = current = 0
        else:
            return None
    return total + section + current


_UNITS = {"十": 10, "百": 100, "千": 1000}


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation → ASCII (ＡＢ１２，→ AB12,); NFKC also folds ㈠ etc."""
    return unicodedata.normalize("NFKC", text or "")


_PUNCT_RE = re.compile(r"[\s,.;:!?，。；：！？、\"'“”‘’()（）\[\]【】<>《》\-—_~·…/\\|]+")


def clean(text: str) -> str:
    """Half-width, lower case, punctuation and spaces removed."""
    return _PUNCT_RE.sub("", to_halfwidth(text).lower())


def numerals_to_digits(text: str) -> str:
    """Chinese numerals → Arabic digits wherever they count something (三组 → 3组, 十二号 → 12号),
    but not inside words (一些, 一起, 统一): only before a counter."""
    return _NUMBER_BEFORE_COUNTER.sub(lambda m: str(cn_to_int(m.group(1))) + m.group(2), text)


_COUNTERS = "组社队号户元头只匹口人名辆间亩栋排楼单元层室次岁"
_NUMBER_BEFORE_COUNTER = re.compile(f"([{CN_NUM}]+)([{_COUNTERS}])")


def normalise_phone(value: str | None) -> str:
    """Digits only; +86/0086 dropped; a landline's area code kept (0478-1234567 → 04781234567)."""
    if value and value.isascii() and value.isdigit() and len(value) == 11:
        return value
    digits = _NOT_DIGIT.sub("", to_halfwidth(value or ""))
    while True:  # until stable, so that a key normalises to itself
        if digits.startswith("0086"):
            digits = digits[4:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        else:
            break
    return digits if len(digits) >= 5 else ""


_NOT_DIGIT = re.compile(r"\D", re.ASCII)  # ASCII: \d alone also keeps Arabic-Indic and other digits


# --- address ------------------------------------------------------------------------------

_GROUP_RE = re.compile(f"(?:第)?([0-9{CN_NUM}]{{1,4}})(?:村民小组|村民组|小组|组|社|队|生产队)")
_HOUSE_RE = re.compile(r"(\d{1,4})号")
_ADMIN_WORDS = re.compile(r"(内蒙古自治区|内蒙古|巴彦淖尔市|巴彦淖尔|乌拉特中旗|中旗)")


@dataclass(frozen=True)
class Address:
    group: int | None  # 村民小组 (组/社/队) number
    house: int | None  # 门牌号
    rest: str  # what is left once the admin names, group and house are removed (a landmark, a street)


def parse_address(text: str, place_names: tuple[str, ...] = ()) -> Address:
    """三组 = 3组 = 三社 = 第三村民小组 → group 3; 12号 → house 12. ``place_names`` (the matched
    township/village names) are removed from ``rest``."""
    return parse_clean_address(numerals_to_digits(clean(text)), place_names)


def _drop_admin_words(s: str) -> str:
    """The banner and league names out, until none is left (乌拉特中中旗旗 → 乌拉特中旗 → "")."""
    while True:
        shorter = _ADMIN_WORDS.sub("", s)
        if shorter == s:
            return s
        s = shorter


def parse_clean_address(s: str, place_names: tuple[str, ...] = ()) -> Address:
    """parse_address of a text already through clean() and numerals_to_digits()."""
    s = _drop_admin_words(s)
    group = house = None
    m = _GROUP_RE.search(s)
    if m:
        group = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
        s = s[: m.start()] + s[m.end():]
    m = _HOUSE_RE.search(s)
    if m:
        house = int(m.group(1))
        s = s[: m.start()] + s[m.end():]
    for name in sorted(place_names, key=len, reverse=True):
        if name:
            s = s.replace(name, "")
    s = re.sub(r"(镇|苏木|嘎查|村委会|村|社区|居委会|附近|境内|一带|家中|家里|院内|门口)", "", s)
    return Address(group, house, s)


# --- people named -------------------------------------------------------------------------

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
            "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
            "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉"
            "缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇"
            "桑郎甄丛仲虞敖巩明佘池乌")
# Mongolian given names are written without a surname; these openings cover the common ones.
MONGOLIAN_STARTS = ("巴特", "巴图", "巴雅尔", "巴音", "乌云", "乌日", "乌力吉", "其其格", "额尔敦", "孟和", "苏和",
                    "阿拉坦", "那仁", "朝鲁", "达来", "宝音", "格日勒", "敖特根", "图雅", "萨仁", "斯琴", "哈斯",
                    "白音", "布和", "吉日嘎拉", "满都拉", "娜仁", "特木尔", "呼和", "毕力格", "额尔德尼", "青格勒",
                    "阿拉塔", "达瓦", "其木格", "莎仁", "恩和", "赛罕", "浩斯", "德力格尔", "包力高", "金花")
# Words after which a person's name follows in 110 text.
_NAME_MARKERS = ("报警人", "邻居", "丈夫", "妻子", "前夫", "前妻", "老公", "老婆", "村民", "男子", "女子", "其子",
                 "其女", "儿子", "女儿", "哥哥", "弟弟", "姐姐", "妹妹", "其兄", "其弟", "其姐", "其妹", "其父",
                 "其母", "父亲", "母亲", "婆婆", "儿媳", "女婿", "老板", "包工头", "工头", "承包人", "承包商",
                 "亲戚", "嫂子", "侄子", "叔叔", "舅舅", "对方", "雇主", "房东", "租户", "与", "和", "跟", "被",
                 "同村", "邻村", "司机", "车主", "户主", "牧民", "当事人", "称")
# A name ends where one of these begins (a verb, a particle, a counter …).
_NAME_STOPS = set("因发生家的在将把欠打说称等之到来去不拒又再多争吵骂殴砸占私拖借要让一两二三双于为对向从酒醉"
                  "及与和跟是有无没未今昨前后多次家中院门称报现所就也都还已并以又至共其该此那这"
                  "，。；：！？、 ,.;:!?0123456789")
_MONGOLIAN_STOPS = _NAME_STOPS - set("其格日勒尔")
_MARKER_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, _NAME_MARKERS), key=len, reverse=True)) + ")")


_MONGOLIAN_RE = re.compile("|".join(sorted(MONGOLIAN_STARTS, key=len, reverse=True)))


def _name_at(text: str, i: int) -> str:
    """The person's name beginning at ``text[i]``, or ""."""
    m = _MONGOLIAN_RE.match(text, i)
    if m:
        j = m.end()
        while j < len(text) and j - i < 6 and text[j] not in _MONGOLIAN_STOPS and "\u4e00" <= text[j] <= "\u9fff":
            j += 1
        return text[i:j]
    if i >= len(text) or text[i] not in SURNAMES:
        return ""
    j = i + 1
    while j < len(text) and j - i < 3 and text[j] not in _NAME_STOPS and "\u4e00" <= text[j] <= "\u9fff":
        j += 1
    return text[i:j] if j - i >= 2 else ""


def extract_names(text: str, also: tuple[str, ...] = (), *, halfwidth: bool = False) -> tuple[str, ...]:
    """Names of the people a 110 text mentions ("报警人张三称其邻居李四…" → 张三, 李四), plus ``also``
    (e.g. the caller's name) where they occur. Deduplicated, in order of appearance.
    ``halfwidth``: the text has already been through to_halfwidth."""
    text = (text or "") if halfwidth else to_halfwidth(text or "")
    found: list[str] = []
    for m in _MARKER_RE.finditer(text):
        if _MARKER_RE.match(text, m.end()):
            continue  # 称包工头方秀英: the name follows the next marker
        name = _name_at(text, m.end())
        if name and name not in found:
            found.append(name)
    for name in also:
        name = clean(name)
        if len(name) >= 2 and name not in found:
            found.append(name)
    return tuple(found)


# --- content ------------------------------------------------------------------------------

# Stock phrasing of 110 records: removed before similarity so two records are compared on what
# they say, not on how every record is worded. (The frequent-shingle filter removes the rest.)
_BOILERPLATE = tuple(sorted((
    "报警人称", "报警人", "报警称", "来电称", "群众报警", "群众来电", "请求出警", "请求处理", "请求民警处理",
    "请求帮助", "要求处理", "需要民警", "民警已到场处理", "民警已到场", "现场已处置", "已派警", "请民警",
    "请派警", "请尽快", "速来", "报警求助", "其称", "称其", "称在", "我在", "现在", "目前", "现场", "一名",
    "反映", "称", "请", "求助",
), key=len, reverse=True))
_BOILER_RE = re.compile("|".join(map(re.escape, _BOILERPLATE)))


def content_core(text: str, *, halfwidth: bool = False) -> str:
    """The content with punctuation, stock phrasing removed, and numerals as digits."""
    s = _PUNCT_RE.sub("", (text if halfwidth else to_halfwidth(text)).lower())
    return _BOILER_RE.sub("", numerals_to_digits(s))


_DETAIL_RE = re.compile(r"(\d+)(只|头|匹|峰|元|亩|人|名|辆|岁|公里|万元)")


def details(core: str) -> tuple[str, ...]:
    """The counted details of a text (14只, 2000元, 5人 …): two reports of one event share them,
    two like events seldom do. 名 counts as 人."""
    out = []
    for m in _DETAIL_RE.finditer(core):
        if m.group(1) == "1":
            continue  # 一辆, 一人: said of everything
        item = m.group(1) + ("人" if m.group(2) == "名" else m.group(2))
        if item not in out:
            out.append(item)
    return tuple(out)


def canonical_address(text: str) -> str:
    """An address for comparison: half-width, no punctuation, numerals as digits, every way of
    writing a group as "N组", the banner and league names dropped."""
    return canonical_clean_address(numerals_to_digits(clean(text)))


def canonical_clean_address(s: str) -> str:
    s = _drop_admin_words(s)
    return _GROUP_RE.sub(lambda m: f"{m.group(1) if m.group(1).isdigit() else cn_to_int(m.group(1))}组", s)
