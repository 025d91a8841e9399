"""Signals other apps listen to (the disputes app raises a dispute's risk on repeat incidents).

incident_registered(sender=Incident, incident, repeats: list[Incident], actor)
    sent after an incident is saved (form, API or import) and its repeat analysis has run, inside
    the same transaction (on_commit is the receiver's choice); ``repeats`` are the earlier
    incidents it was found to repeat (possibly empty).
"""

from django.dispatch import Signal

incident_registered = Signal()
