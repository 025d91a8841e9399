"""Listening to the incidents app: each registered incident is checked against the open disputes'
parties (early warning). A failure here is logged and never stops the incident's registration.

A 110 import announces each incident with ``bulk=True`` and then the whole file once
(``incidents_imported``): the per-incident sends are skipped and the file is matched in one batch.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def on_incident_registered(sender, incident, repeats=(), actor=None, bulk=False, **kwargs):
    from pingan.disputes.services import dispute_warn_from_incident

    if bulk:
        return []
    try:
        with transaction.atomic():  # a savepoint: the incident stays registered whatever happens here
            return dispute_warn_from_incident(incident=incident, repeats=list(repeats or ()), actor=actor)
    except Exception:  # noqa: BLE001 - the warning is secondary to registering the incident
        logger.exception("矛盾纠纷预警失败：警情%s", getattr(incident, "number", incident))
        return []


def on_incidents_imported(sender, incidents, repeats=None, actor=None, **kwargs):
    from pingan.disputes.services import dispute_warn_from_import

    try:
        with transaction.atomic():  # a savepoint: the import stays whatever happens here
            return dispute_warn_from_import(incidents=list(incidents), repeats=repeats or {}, actor=actor)
    except Exception:  # noqa: BLE001 - the warning is secondary to importing the incidents
        logger.exception("矛盾纠纷预警失败：导入%s起警情", len(incidents))
        return []
