"""The rules of the closed loop, in one place: which transition is allowed from which status, the
time limit of each risk level, how a deadline moves, and the thresholds of the early-warning
signals. Plain data and functions (no database), so they read as the policy they are and can be
changed (or monkeypatched in tests) in one spot.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from pingan.disputes.models import DisputeStatus as S
from pingan.disputes.models import RiskLevel

# 登记 → 研判定级 → 分派 → 化解 → 回访 → 办结. Re-assignment (分派 again) is allowed while the dispute is
# assigned or in mediation; an unstable 回访 sends it back to mediation. Nothing leaves 办结.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.ASSESSED}),
    S.ASSESSED: frozenset({S.ASSIGNED}),
    S.ASSIGNED: frozenset({S.ASSIGNED, S.MEDIATING}),
    S.MEDIATING: frozenset({S.ASSIGNED, S.MEDIATING, S.FOLLOW_UP}),
    S.FOLLOW_UP: frozenset({S.MEDIATING, S.CLOSED}),
    S.CLOSED: frozenset(),
}

# What each step is called in an error message ("当前状态为“已登记”，不能分派").
STEP_NAMES = {
    S.ASSESSED: "研判定级",
    S.ASSIGNED: "分派",
    S.MEDIATING: "记录调解",
    S.FOLLOW_UP: "转入回访",
    S.CLOSED: "办结",
}

# 办结时限 per risk level, in calendar days from registration (settable).
TIME_LIMIT_DAYS: dict[int, int] = {RiskLevel.RED: 3, RiskLevel.ORANGE: 7, RiskLevel.YELLOW: 15, RiskLevel.BLUE: 30}
MAX_EXTENSION_DAYS = 30  # one 延期 at most this long
MAX_EXTENSIONS = 2  # and at most this many per dispute

# Early-warning thresholds (settable).
MANY_PARTIES = 5  # ≥ this many people involved (e.g. wage claimants): at least 橙
MASS_PARTIES = 30  # ≥ this many: 红 (risk of a mass incident)
REPEAT_WINDOW_DAYS = 30  # calls by the parties within this many days count as repeats
# Calls by a dispute's parties after it was registered (within the window) → the level they call for.
REPEAT_LEVELS = ((3, RiskLevel.RED), (2, RiskLevel.ORANGE), (1, RiskLevel.YELLOW))


class IllegalTransition(ValidationError):
    """A step the closed loop does not allow from the dispute's current status (message in Chinese)."""


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]


def check_transition(from_status: str, to_status: str) -> None:
    if not allowed(from_status, to_status):
        step = STEP_NAMES.get(to_status, S(to_status).label)
        raise IllegalTransition(f"当前状态为“{S(from_status).label}”，不能{step}")


def time_limit(risk: int) -> int:
    return TIME_LIMIT_DAYS[RiskLevel(risk)]


def initial_deadline(registered_on: dt.date, risk: int) -> dt.date:
    """The deadline set at registration and at 研判定级: the level's limit counted from registration."""
    return registered_on + dt.timedelta(days=time_limit(risk))


def deadline_after_raise(current: dt.date, on: dt.date, new_risk: int) -> dt.date:
    """A graver level never gives more time: the new level's limit counts from the day of the raise,
    and the earlier deadline stands if it is sooner. (Lowering the level keeps the deadline; more
    time is what 延期 is for, with its reason.)"""
    return min(current, on + dt.timedelta(days=time_limit(new_risk)))


def repeat_level(calls: int) -> int | None:
    """The level that ``calls`` repeat incidents by the parties call for (None below one call)."""
    for at_least, level in REPEAT_LEVELS:
        if calls >= at_least:
            return level
    return None


def head_count_level(people: int) -> int | None:
    if people >= MASS_PARTIES:
        return RiskLevel.RED
    if people >= MANY_PARTIES:
        return RiskLevel.ORANGE
    return None
