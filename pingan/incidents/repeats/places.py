"""Resolving the place of an incident from its address text against the banner's tree.

Names are matched with or without their suffix (海流图镇 / 海流图, 苏独仑嘎查 / 苏独仑 / 苏独仑村,
巴仁宝勒格村村民委员会 / 巴仁宝勒格村 / 巴仁宝勒格). A bare stem (no suffix) counts only where a place
name can end: before a number, 组/社/队, punctuation, another place name, a direction, or the end —
so 团结路 is not 团结嘎查 and 呼和浩特 is not 呼和嘎查. Two villages of the same name (哈拉图嘎查 in
two 苏木) are told apart by the township named in the address; what stays ambiguous is not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pingan.incidents.repeats.normalise import CN_NUM, to_halfwidth

TOWNSHIP, VILLAGE = 3, 4
_TOWNSHIP_SUFFIXES = ("镇", "苏木", "乡", "街道")
_VILLAGE_SUFFIXES = ("村村民委员会", "村民委员会", "嘎查委员会", "居民委员会", "村委会", "委员会", "居委会",
                     "社区", "嘎查", "村")
_STEM_FOLLOWERS = re.compile(f"^(?:$|[0-9{CN_NUM}第组社队号,，。;；:：、\\s(（]|附近|境内|一带|草场|牧点|地界|"
                             "东|西|南|北|路口|村口|村部|辖区|嘎查|村|镇|苏木)")
_GENERIC = re.compile(r"^(第|[一二三四五六七八九十\d]+$)")


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    short_name: str
    level: int  # 3 township, 4 village-level
    parent_id: int | None


@dataclass(frozen=True)
class Resolution:
    area_id: int | None  # the village, or the township when only that is known, or None
    level: int | None  # VILLAGE, TOWNSHIP, or None (banner)
    names: tuple[str, ...] = ()  # the place names matched in the text, as written
    note: str = ""  # why it was not resolved to a village (Chinese)
    candidates: tuple[int, ...] = ()  # the villages it may be, when the text is ambiguous

    @property
    def resolved(self) -> bool:
        return self.level == VILLAGE


def _stem(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def variants(place: Place) -> list[tuple[str, bool]]:
    """(text, strong) pairs a place may be written as; strong ones carry a suffix."""
    out: dict[str, bool] = {}
    for full in (place.name, place.short_name):
        full = to_halfwidth(full)
        out[full] = True
        if place.level == TOWNSHIP:
            stem = _stem(full, _TOWNSHIP_SUFFIXES)
            for prefix in ("巴彦淖尔市",):
                if stem.startswith(prefix):
                    stem = stem[len(prefix):]
                    out[stem] = True
                    for tail in ("牧场有限公司", "种畜繁育中心"):
                        if stem.endswith(tail):
                            out.setdefault(stem[: -len(tail)], False)
            out.setdefault(stem, False)
        else:
            stem = _stem(full, _VILLAGE_SUFFIXES)
            if stem != full and not _GENERIC.match(stem):
                out.setdefault(stem, False)
                if full.endswith("嘎查"):
                    out.setdefault(stem + "村", True)
                if full.endswith("村"):
                    out.setdefault(stem + "嘎查", True)
    return [(text, strong) for text, strong in out.items() if len(text) >= 2]


@dataclass
class Gazetteer:
    """The township and village-level units of one banner, compiled for matching."""

    places: dict[int, Place]
    _by_text: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)
    _pattern: re.Pattern | None = None

    @classmethod
    def build(cls, places: list[Place]) -> Gazetteer:
        g = cls({p.id: p for p in places})
        for place in places:
            for text, strong in variants(place):
                g._by_text.setdefault(text, []).append((place.id, strong))
        texts = sorted(g._by_text, key=len, reverse=True)
        g._pattern = re.compile("|".join(map(re.escape, texts))) if texts else re.compile(r"(?!x)x")
        return g

    def township_of(self, area_id: int) -> int | None:
        place = self.places.get(area_id)
        if place is None:
            return None
        return place.id if place.level == TOWNSHIP else place.parent_id

    def matches(self, text: str) -> list[tuple[str, list[tuple[int, bool]]]]:
        s = to_halfwidth(text or "").replace(" ", "")
        found = list(self._pattern.finditer(s))
        out = []
        for k, m in enumerate(found):
            entries = self._by_text[m.group(0)]
            follows_place = k + 1 < len(found) and found[k + 1].start() == m.end()
            weak_ok = follows_place or bool(_STEM_FOLLOWERS.match(s[m.end():]))
            kept = [(pid, strong) for pid, strong in entries if strong or weak_ok]
            if kept:
                out.append((m.group(0), kept))
        return out

    def resolve(self, text: str) -> Resolution:
        matches = self.matches(text)
        names = tuple(t for t, _ in matches)
        townships: set[int] = set()
        villages: dict[int, bool] = {}
        for _, entries in matches:
            kinds = {self.places[pid].level for pid, _ in entries}
            for pid, strong in entries:
                place = self.places[pid]
                if place.level == TOWNSHIP:
                    # 温更 is both 温更镇 and 温更嘎查: a bare township stem that is also a village stem
                    # counts as the township only if nothing else names a village.
                    if strong or kinds == {TOWNSHIP}:
                        townships.add(pid)
                else:
                    villages[pid] = villages.get(pid, False) or strong
        if townships and villages:
            inside = {v: s for v, s in villages.items() if self.places[v].parent_id in townships}
            if inside:
                villages = inside
            elif len(townships) == 1:
                return Resolution(next(iter(townships)), TOWNSHIP, names, "地址中的村与乡镇不对应，请人工确认")
        if len(villages) > 1:
            strong = [v for v, s in villages.items() if s]
            if len(strong) == 1:
                villages = {strong[0]: True}
        if len(villages) == 1:
            return Resolution(next(iter(villages)), VILLAGE, names)
        if len(villages) > 1:
            parents = {self.places[v].parent_id for v in villages}
            candidates = tuple(sorted(villages))
            if len(parents) == 1:
                return Resolution(parents.pop(), TOWNSHIP, names, "地址对应多个同名村，请人工确认", candidates)
            return Resolution(None, None, names, "地址对应多个同名村，请人工确认", candidates)
        if len(townships) == 1:
            return Resolution(next(iter(townships)), TOWNSHIP, names, "地址中只能识别到乡镇(苏木)，请人工确认村")
        if townships:
            return Resolution(None, None, names, "地址中出现多个乡镇(苏木)，请人工确认")
        return Resolution(None, None, names, "地址中没有可识别的乡镇或村，请人工确认")


_SHORT_SUFFIXES = ("居民委员会", "村民委员会", "村委会", "居委会", "委员会")


def short_name(name: str, level: int) -> str:
    """巴仁宝勒格村村民委员会 → 巴仁宝勒格村, 苏独仑嘎查委员会 → 苏独仑嘎查, 白音厂汗村民委员会 → 白音厂汗村
    (the same rule as pingan.areas.naming, without Django, for the evaluation set)."""
    if level != VILLAGE:
        return name
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if suffix == "村民委员会" and not base.endswith("村"):
                return base + "村"
            if suffix in ("居民委员会", "居委会") and not base.endswith("社区"):
                return base + ("居委会" if base.startswith("第") else "社区")
            return base
    return name


def gazetteer_from_csv(path: str, banner_code: str) -> Gazetteer:
    """A gazetteer straight from the division-code CSV (code,name,level,parent_code), ids = int(code)."""
    import csv

    places = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code"]
            if not code.startswith(banner_code[:6]) or row["level"] not in ("township", "village"):
                continue
            level = TOWNSHIP if row["level"] == "township" else VILLAGE
            parent = int(row["parent_code"]) if level == VILLAGE else None
            places.append(Place(int(code), row["name"], short_name(row["name"], level), level, parent))
    return Gazetteer.build(places)
