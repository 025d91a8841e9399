"""Signals other apps listen to (the disputes app raises a dispute's risk on repeat incidents).

incident_registered(sender=Incident, incident, repeats: list[Incident], actor)
    sent after an incident is saved (form, API or import) and its repeat analysis has run, inside
    the same transaction (on_commit is the receiver's choice); ``repeats`` are the earlier
    incidents it was found to repeat (possibly empty). An import also passes ``bulk=True``: the
    whole file is then announced once more by ``incidents_imported`` (below), so a receiver with
    per-incident queries may skip bulk sends and do one batch of work instead.

incidents_imported(sender=Incident, incidents: list[Incident], repeats: dict[int, list[Incident]], actor)
    sent once after a 110 import (inside its transaction), after every incident_registered of
    that import; ``repeats`` maps an incident id to the earlier incidents it repeats.
"""

from django.dispatch import Signal

incident_registered = Signal()
incidents_imported = Signal()
