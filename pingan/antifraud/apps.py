from django.apps import AppConfig


class AntifraudConfig(AppConfig):
    name = "pingan.antifraud"
    label = "antifraud"
    verbose_name = "反电信网络诈骗"

    def ready(self):
        from pingan.antifraud import home, indicators  # noqa: F401  (home-page items, report indicators)
        from pingan.antifraud.access import READERS
        from pingan.core.navigation import PROGRAMMES, register_menu

        register_menu("反诈", "antifraud:index", roles=READERS, order=58, group=PROGRAMMES)
