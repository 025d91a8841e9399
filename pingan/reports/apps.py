from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pingan.reports"
    label = "reports"
    verbose_name = "统计报表"

    def ready(self):
        # Each programme's indicators register themselves when its module is imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("indicators")
