"""Unit kinds and short names from the official division codes and names.

Statistical codes carry the kind: at township level digits 7–9 are 0xx 街道, 1xx 镇, 2xx 乡/苏木,
4xx–5xx farms and development zones; at village level digits 10–12 are 0xx–1xx 居委会 (社区),
2xx–3xx 村委会 (村 or 嘎查 by name), 4xx–5xx units "like" a village or a residents' committee.
"""

from __future__ import annotations

import re

from pingan.areas.models import AreaKind, Level

_LEVELS = {"province": Level.PROVINCE, "city": Level.LEAGUE, "county": Level.BANNER,
           "township": Level.TOWNSHIP, "village": Level.VILLAGE}

_VILLAGE_SUFFIXES = ("村民委员会", "村委会", "委员会", "居委会")


def level_of(csv_level: str) -> int:
    return _LEVELS[csv_level]


def kind_of(code: str, name: str, level: int) -> str:
    if level == Level.PROVINCE:
        return AreaKind.PROVINCE
    if level == Level.LEAGUE:
        return AreaKind.LEAGUE
    if level == Level.BANNER:
        return AreaKind.BANNER
    if level == Level.TOWNSHIP:
        group = code[6]
        if group == "0":
            return AreaKind.STREET
        if group == "1":
            return AreaKind.TOWN
        if group == "2":
            return AreaKind.SUMU if name.endswith("苏木") else AreaKind.TOWNSHIP
        return AreaKind.OTHER
    group = int(code[9:12])
    if group < 200:
        return AreaKind.COMMUNITY
    if group < 400:
        return AreaKind.GACHA if "嘎查" in name else AreaKind.VILLAGE
    return AreaKind.OTHER


def short_name_of(name: str, kind: str, parent_name: str = "") -> str:
    """巴仁宝勒格村村民委员会 → 巴仁宝勒格村; 苏独仑嘎查委员会 → 苏独仑嘎查; 乌兰大街社区居委会 → 乌兰大街社区."""
    short = name
    if parent_name and parent_name in short and not short.startswith(parent_name):
        # Some names carry the whole chain: 内蒙古自治区鄂尔多斯市伊金霍洛旗阿勒腾席热镇西苑社区居民委员会
        short = short.split(parent_name, 1)[1] or short
    for suffix in ("居民委员会", "村民委员会", "村委会", "居委会", "委员会"):
        if short.endswith(suffix) and len(short) > len(suffix):
            short = short[: -len(suffix)]
            break
    if kind == AreaKind.VILLAGE and not short.endswith("村"):
        short += "村"
    elif kind == AreaKind.COMMUNITY and not re.search(r"(社区|居委会|居民区)$", short):
        short += "居委会" if short.startswith("第") else "社区"
    elif kind == AreaKind.GACHA and short.endswith("嘎查村"):
        short = short[:-1]
    return short
