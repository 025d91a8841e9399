"""Signals other apps may listen to.

dispute_registered(sender=Dispute, dispute, actor)
    sent after a dispute is registered (page, API, visit lead), inside the same transaction; when it
    started from an incident, ``dispute.source_incident`` is set (the incidents app may mark the
    incident 转为矛盾纠纷).
"""

from django.dispatch import Signal

dispute_registered = Signal()
