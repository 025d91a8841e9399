"""Shared helpers of the incidents tests."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from pingan.areas.models import Area
from pingan.incidents import services
from pingan.incidents.models import IncidentCategory

_numbers = itertools.count(1)
BANNER = "150824000000"


def at(day: int = 1, hour: int = 9, minute: int = 0, month: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2024, month, day, hour, minute))


def register(address="海流图镇巴仁宝勒格村三组", content="报警人称家中被盗，丢失现金2000元。", category="入户盗窃",
             when=None, caller="张建国", phone="13804711234", number=None, actor=None):
    banner = Area.objects.get(code=BANNER)
    return services.incident_register(
        actor=actor, banner=banner, number=number or f"T{next(_numbers):06d}", received_at=when or at(),
        category=IncidentCategory.objects.get(name=category), caller_name=caller, caller_phone=phone,
        address=address, content=content)
