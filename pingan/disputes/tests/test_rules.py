"""The closed loop's rules and the text signals, as plain functions (no database)."""

import datetime as dt
import itertools

import pytest

from pingan.disputes import rules
from pingan.disputes.models import DisputeStatus as S
from pingan.disputes.models import RiskLevel
from pingan.disputes.warning import threat_hits, threat_level

ALLOWED = {(a, b) for a, targets in rules.TRANSITIONS.items() for b in targets}


def test_the_loop_runs_registration_to_closure_in_order():
    path = [S.REGISTERED, S.ASSESSED, S.ASSIGNED, S.MEDIATING, S.FOLLOW_UP, S.CLOSED]
    assert all(rules.allowed(a, b) for a, b in itertools.pairwise(path))


@pytest.mark.parametrize("pair", sorted(set(itertools.product(S.values, S.values)) - ALLOWED))
def test_every_other_transition_is_refused_in_chinese(pair):
    a, b = pair
    with pytest.raises(rules.IllegalTransition) as exc:
        rules.check_transition(a, b)
    assert f"当前状态为“{S(a).label}”" in exc.value.messages[0]


def test_nothing_leaves_closure_and_nothing_skips_grading():
    assert rules.TRANSITIONS[S.CLOSED] == frozenset()
    assert not rules.allowed(S.REGISTERED, S.ASSIGNED)
    assert not rules.allowed(S.ASSIGNED, S.CLOSED)
    with pytest.raises(rules.IllegalTransition, match="当前状态为“已登记”，不能分派"):
        rules.check_transition(S.REGISTERED, S.ASSIGNED)


def test_time_limits_follow_the_risk_level():
    day = dt.date(2024, 5, 1)
    assert [rules.initial_deadline(day, r) for r in (RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE)] \
        == [dt.date(2024, 5, 4), dt.date(2024, 5, 8), dt.date(2024, 5, 16), dt.date(2024, 5, 31)]


def test_time_limits_are_settable(monkeypatch):
    monkeypatch.setitem(rules.TIME_LIMIT_DAYS, RiskLevel.RED, 1)
    assert rules.initial_deadline(dt.date(2024, 5, 1), RiskLevel.RED) == dt.date(2024, 5, 2)


def test_a_raise_never_gives_more_time():
    current = dt.date(2024, 5, 10)
    assert rules.deadline_after_raise(current, dt.date(2024, 5, 1), RiskLevel.RED) == dt.date(2024, 5, 4)
    assert rules.deadline_after_raise(current, dt.date(2024, 5, 9), RiskLevel.ORANGE) == current


def test_repeat_calls_and_head_counts_map_to_levels():
    assert [rules.repeat_level(n) for n in (0, 1, 2, 3, 7)] == [None, RiskLevel.YELLOW, RiskLevel.ORANGE,
                                                                 RiskLevel.RED, RiskLevel.RED]
    assert [rules.head_count_level(n) for n in (4, 5, 29, 30)] == [None, RiskLevel.ORANGE, RiskLevel.ORANGE,
                                                                    RiskLevel.RED]


@pytest.mark.parametrize("text, level, word", [
    ("他说再不给钱就同归于尽", RiskLevel.RED, "同归于尽"),
    ("女方扬言要喝农药", RiskLevel.RED, "喝农药"),
    ("男方拿菜刀要砍人", RiskLevel.RED, "砍"),
    ("双方推搡中对方打人", RiskLevel.ORANGE, "打人"),
    ("扬言要报复村干部", RiskLevel.ORANGE, "报复"),
    ("工人们说要去旗政府闹事", RiskLevel.ORANGE, "闹事"),
    ("不解决就上访", RiskLevel.YELLOW, "上访"),
    ("对方堵门谩骂", RiskLevel.YELLOW, "堵门"),
])
def test_threats_and_violence_in_the_text_call_for_a_level(text, level, word):
    found, reason = threat_level(text)
    assert found == level
    assert f"“{word}”" in reason


@pytest.mark.parametrize("text", [
    "护林员发现有人砍伐林木",  # forestry, not a threat
    "家里杀羊招待客人时发生口角",  # a pastoral chore
    "对方没有打人，只是吵了几句",  # negated
    "表示不会上访，愿意调解",
    "草场界址不清，双方争执",
])
def test_innocent_text_raises_nothing(text):
    assert threat_hits(text) == []
    assert threat_level(text) == (None, "")


def test_the_gravest_word_sets_the_level_and_all_are_named():
    level, reason = threat_level("先是打人，后来又说要同归于尽，还要上访")
    assert level == RiskLevel.RED
    assert "“同归于尽”" in reason and "“打人”" in reason and "“上访”" in reason
