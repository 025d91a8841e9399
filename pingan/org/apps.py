from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "pingan.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self):
        from pingan.core.navigation import ORGANISATION, register_menu
        from pingan.org import home  # noqa: F401  (home-page items)
        from pingan.org.views import COVERAGE_READERS, STAFF_READERS

        register_menu("人员台账", "org:staff_list", roles=STAFF_READERS, order=30, group=ORGANISATION)
        register_menu("一村一警", "org:coverage", roles=COVERAGE_READERS, order=40, group=ORGANISATION)
