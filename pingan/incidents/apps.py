from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "pingan.incidents"
    label = "incidents"
    verbose_name = "警情"

    def ready(self):
        from pingan.core.navigation import POLICING, register_menu
        from pingan.disputes.models import Dispute
        from pingan.disputes.signals import dispute_registered
        from pingan.incidents import home  # noqa: F401  (home-page items)
        from pingan.incidents.receivers import on_dispute_registered
        from pingan.incidents.roles import READERS

        dispute_registered.connect(on_dispute_registered, sender=Dispute, dispatch_uid="incidents.to_dispute")
        register_menu("警情", "incidents:list", roles=READERS, order=50, group=POLICING)
        register_menu("每日梳理", "incidents:daily", roles=READERS, order=51, group=POLICING)
        register_menu("情指行", "incidents:tasks", roles=READERS, order=52, group=POLICING)
