from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "pingan.disputes"
    label = "disputes"
    verbose_name = "矛盾纠纷与走访"

    def ready(self):
        from pingan.core.navigation import GRASSROOTS, register_menu
        from pingan.disputes import access, home  # noqa: F401  (home-page items)
        from pingan.disputes.receivers import on_incident_registered, on_incidents_imported
        from pingan.incidents.models import Incident
        from pingan.incidents.signals import incident_registered, incidents_imported

        incident_registered.connect(on_incident_registered, sender=Incident, dispatch_uid="disputes.early_warning")
        incidents_imported.connect(on_incidents_imported, sender=Incident, dispatch_uid="disputes.early_warning_import")
        register_menu("矛盾纠纷", "disputes:list", roles=access.READERS, order=55, group=GRASSROOTS)
        register_menu("走访", "disputes:visit_list", roles=access.READERS, order=56, group=GRASSROOTS)
        register_menu("隐患整改", "disputes:hazard_list", roles=access.READERS, order=57, group=GRASSROOTS)
        self._register_daily_section()

    @staticmethod
    def _register_daily_section():
        """The incidents app's daily review (每日警情梳理) shows the disputes raised in risk, when it
        offers the hook."""
        try:
            from pingan.incidents.daily import register_section
        except ImportError:
            return
        from pingan.disputes.daily import raised_disputes_section

        register_section(raised_disputes_section)
