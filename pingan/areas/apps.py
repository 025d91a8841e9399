from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "pingan.areas"
    label = "areas"
    verbose_name = "辖区"

    def ready(self):
        from pingan.accounts.roles import Role
        from pingan.core.navigation import ORGANISATION, register_menu

        register_menu("辖区", "areas:browse", roles=set(Role.values) - {Role.SECADMIN, Role.AUDITOR}, order=20, group=ORGANISATION)
