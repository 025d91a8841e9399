"""Early-warning signals read from text: threats, violence, self-harm and mass action (plain
functions, no database).

Each pattern carries the risk level it calls for. Chinese has no spaces, so the patterns are
matched on characters; a few guard against common innocent words (砍伐 is forestry, not a threat;
杀羊 is a pastoral chore), and a hit right after a negation (没有打人, 不会上访) does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pingan.disputes.models import RiskLevel

# (regular expression, level, the words shown in the reason)
THREAT_PATTERNS: tuple[tuple[str, int, str], ...] = (
    (r"同归于尽", RiskLevel.RED, "同归于尽"),
    (r"喝农药|服毒|跳楼|跳河|上吊|自杀|轻生|不想活", RiskLevel.RED, "扬言自伤自杀"),
    (r"杀了(?!羊|牛|猪|鸡)|杀人|弄死|捅死|砍死|打死|要了?(他|她|你)的命", RiskLevel.RED, "扬言杀人"),
    (r"砍(?!伐|价|树|柴)", RiskLevel.RED, "持刀砍人"),
    (r"放火|纵火|烧(了|掉)?(他|她|你)家|点了(他|她|你)家|炸药|炸了", RiskLevel.RED, "扬言放火爆炸"),
    (r"报复", RiskLevel.ORANGE, "扬言报复"),
    (r"打人|殴打|打伤|动手打|持刀|拿刀|动刀|拿棍|拿铁锹|抡铁锹|撕打|厮打|打起来", RiskLevel.ORANGE, "暴力或持械"),
    (r"闹事|堵路|围堵|聚集|拉横幅|群访|堵工地", RiskLevel.ORANGE, "扬言聚集闹事"),
    (r"上访|越级访|进京|去北京|信访", RiskLevel.YELLOW, "扬言上访"),
    (r"威胁|恐吓|堵门|砸(了|坏)?(他|她|你)?家", RiskLevel.YELLOW, "威胁滋扰"),
)
_COMPILED = tuple((re.compile(p), level, label) for p, level, label in THREAT_PATTERNS)
NEGATIONS = ("没有", "没", "未", "不会", "不再", "不", "无", "别")


@dataclass(frozen=True)
class ThreatHit:
    word: str  # the text that matched
    label: str  # what it means
    level: int


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 2):start]
    return any(before.endswith(n) for n in NEGATIONS)


def threat_hits(text: str) -> list[ThreatHit]:
    """Every threat or violence phrase in ``text``, gravest first (one per phrase)."""
    text = text or ""
    hits: dict[str, ThreatHit] = {}
    for pattern, level, label in _COMPILED:
        for m in pattern.finditer(text):
            if _negated(text, m.start()):
                continue
            hits.setdefault(m.group(0), ThreatHit(m.group(0), label, level))
    return sorted(hits.values(), key=lambda h: (-h.level, text.find(h.word)))


def threat_level(text: str) -> tuple[int | None, str]:
    """The level the text calls for and the reason in words, or (None, "")."""
    hits = threat_hits(text)
    if not hits:
        return None, ""
    level = hits[0].level
    words = "、".join(f"“{h.word}”" for h in hits[:4])
    labels = "、".join(dict.fromkeys(h.label for h in hits))
    return level, f"出现{words}（{labels}）"
