from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "pingan.legal"
    label = "legal"
    verbose_name = "法律明白人"

    def ready(self):
        from pingan.accounts.roles import Role
        from pingan.core.navigation import register_menu
        from pingan.legal import home  # noqa: F401  (home-page items)
        from pingan.legal.views.common import MANAGERS, READERS

        # One menu entry; the programme's pages are tabs (legal/_nav.html).
        register_menu("法律明白人", "legal:person_list", roles=MANAGERS, order=50)
        register_menu("我的档案", "legal:me", roles={Role.LEGAL_LITERATE}, order=50)
        register_menu("法治活动", "legal:activity_list", roles=READERS - MANAGERS, order=54)
