from django.apps import AppConfig


class EcologyConfig(AppConfig):
    name = "pingan.ecology"
    label = "ecology"
    verbose_name = "林草湖警长"

    def ready(self):
        from pingan.core.navigation import PROGRAMMES, register_menu
        from pingan.ecology import access, home, indicators  # noqa: F401  (home-page items, report indicators)

        register_menu("林草湖警长", "ecology:zone_list", roles=access.READERS, order=60, group=PROGRAMMES)
