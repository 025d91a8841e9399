from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "pingan.incidents"
    label = "incidents"
    verbose_name = "警情"

    def ready(self):
        from pingan.core.navigation import register_menu
        from pingan.incidents import home  # noqa: F401  (home-page items)
        from pingan.incidents.roles import READERS

        register_menu("警情", "incidents:list", roles=READERS, order=50)
        register_menu("每日梳理", "incidents:daily", roles=READERS, order=51)
        register_menu("情指行", "incidents:tasks", roles=READERS, order=52)
