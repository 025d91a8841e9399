from django.apps import AppConfig


class ProcuratorateConfig(AppConfig):
    name = "pingan.procuratorate"
    label = "procuratorate"
    verbose_name = "检护民生"

    def ready(self):
        from pingan.accounts.roles import Role
        from pingan.core.navigation import register_menu
        from pingan.procuratorate import home  # noqa: F401  (home-page items)
        from pingan.procuratorate.views.common import SHARED_READERS

        register_menu("检护民生", "procuratorate:index", roles={Role.PROSECUTOR}, order=50)
        register_menu("检察建议", "procuratorate:suggestion_list", roles={Role.AGENCY_LIAISON}, order=50)
        register_menu("检察院共享", "procuratorate:shared", roles=SHARED_READERS, order=90)
