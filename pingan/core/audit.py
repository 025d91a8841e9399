"""Writing the audit log. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from pingan.core.middleware import current_ip, current_request_id
from pingan.core.models import AuditAction, AuditLog, AuditResult


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Field values of a record for before/after, with personal data masked (PII_MASKS on the model)."""
    masks = getattr(type(obj), "PII_MASKS", {})
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if field.name in masks and value:
            value = masks[field.name](value)
        data[field.name] = _jsonable(value)
    return data


def changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict | None, dict | None]:
    """Only the fields that differ, so update rows read as what changed."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k) and k != "updated_at"]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    result: str = AuditResult.OK,
    detail: str = "",
    object_type: str = "",
    object_repr: str = "",
    login: str = "",
) -> AuditLog:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if action == AuditAction.UPDATE:
        before, after = changed(before, after)
    return AuditLog.objects.create(
        actor=actor if is_user else None,
        actor_login=(actor.get_username() if is_user else login or "system")[:150],
        actor_role=(getattr(actor, "role", "") if is_user else "")[:40],
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        before=before,
        after=after,
        request_id=current_request_id(),
        ip=current_ip(),
        result=result,
        detail=detail,
    )
