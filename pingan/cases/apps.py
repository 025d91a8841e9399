from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pingan.cases"
    label = "cases"
    verbose_name = "案件与专项行动"

    def ready(self):
        from pingan.cases import home, indicators  # noqa: F401  (home-page items, report indicators)
        from pingan.cases.roles import READERS
        from pingan.core.navigation import POLICING, register_menu

        register_menu("案件", "cases:list", roles=READERS, order=53, group=POLICING)
        register_menu("专项行动", "cases:campaigns", roles=READERS, order=58, group=POLICING)
        register_menu("合成作战", "cases:operations", roles=READERS, order=59, group=POLICING)
