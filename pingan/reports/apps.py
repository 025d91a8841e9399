from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pingan.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self):
        # Each programme's indicators register themselves when its module is imported.
        from django.utils.module_loading import autodiscover_modules

        from pingan.core.navigation import register_menu
        from pingan.reports.access import REPORT_READERS

        autodiscover_modules("indicators")
        register_menu("统计报表", "reports:index", roles=REPORT_READERS, order=80)
