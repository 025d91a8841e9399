"""Listening to the disputes app: an incident a dispute was registered from moves to 转为矛盾纠纷 on
its trail (when its trail allows that step now; otherwise the dispute's link is enough and the
trail is left as it is). A failure here never stops the dispute's registration."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from pingan.core.scope import NotVisible

logger = logging.getLogger(__name__)


def on_dispute_registered(sender, dispute, actor=None, **kwargs):
    from pingan.incidents.models import TRANSITIONS, Incident, IncidentStatus
    from pingan.incidents.services import incident_transition

    if not dispute.source_incident_id:
        return None
    incident = Incident.objects.get(pk=dispute.source_incident_id)
    if IncidentStatus.TO_DISPUTE not in TRANSITIONS.get(incident.status, ()):
        return None
    try:
        with transaction.atomic():
            return incident_transition(actor=actor, incident=incident, status=IncidentStatus.TO_DISPUTE,
                                       note=f"登记为矛盾纠纷{dispute.number}"[:200], at=dispute.registered_at)
    except (NotVisible, ValidationError):
        logger.info("警情%s未转为矛盾纠纷：处置轨迹或范围不允许", incident.number)
        return None
