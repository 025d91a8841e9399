from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pingan.core"
    label = "core"
    verbose_name = "基础"
