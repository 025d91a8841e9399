from django.apps import AppConfig


class ProcuratorateConfig(AppConfig):
    name = "pingan.procuratorate"
    label = "procuratorate"
    verbose_name = "检护民生"
