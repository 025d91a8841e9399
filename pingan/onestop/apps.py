from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "pingan.onestop"
    label = "onestop"
    verbose_name = "放管服一站式"

    def ready(self):
        from pingan.core.navigation import PROGRAMMES, register_menu
        from pingan.onestop import access, home, indicators  # noqa: F401  (home-page items, report indicators)

        register_menu("放管服", "onestop:station_list", roles=access.READERS, order=62, group=PROGRAMMES)
