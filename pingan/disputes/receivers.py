"""Listening to the incidents app: each registered incident is checked against the open disputes'
parties (early warning). A failure here is logged and never stops the incident's registration."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def on_incident_registered(sender, incident, repeats=(), actor=None, **kwargs):
    from pingan.disputes.services import dispute_warn_from_incident

    try:
        with transaction.atomic():  # a savepoint: the incident stays registered whatever happens here
            return dispute_warn_from_incident(incident=incident, repeats=list(repeats or ()), actor=actor)
    except Exception:  # noqa: BLE001 - the warning is secondary to registering the incident
        logger.exception("矛盾纠纷预警失败：警情%s", getattr(incident, "number", incident))
        return []
