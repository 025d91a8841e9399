"""Who may open what, and the small parsing helpers the legal pages share."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.utils import timezone

from pingan.accounts.roles import Role
from pingan.areas.models import Area
from pingan.areas.selectors import area_get, area_root_for
from pingan.legal.models import QUOTA_UNIT_KINDS

# The bureau and the judicial offices keep the programme; a legal-literate person reads their own
# file and their village's activities, and records their own activities.
MANAGERS = frozenset({Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE})
READERS = MANAGERS | {Role.LEGAL_LITERATE}
BUREAU = frozenset({Role.JUSTICE_BUREAU})


def root_area(user, code: str | None) -> Area:
    root = area_get(user, code) if code else area_root_for(user)
    if root is None:
        raise Http404("没有可查看的辖区")
    return root


def village_area(user, code: str) -> Area:
    village = area_get(user, code)
    if village.kind not in QUOTA_UNIT_KINDS:
        raise Http404("不是嘎查(社区)")
    return village


def as_of(request) -> dt.date:
    raw = request.GET.get("date", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def year_of(request, default: int | None = None) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    return default or timezone.localdate().year


def flash_errors(request, form) -> None:
    """A posted action that failed: its errors as one message on the page it returns to."""
    texts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        texts.append((f"{label}：" if label else "") + "；".join(errors))
    messages.error(request, "；".join(texts) or "提交的内容有误")


def run(request, form, call):
    """Validate a posted form and run ``call(cleaned_data)``; a refusal is flashed as a message."""
    if not form.is_valid():
        flash_errors(request, form)
        return None
    result = form.apply(call)
    if result is None and form.errors:
        flash_errors(request, form)
    return result


