from django.apps import AppConfig


class AntifraudConfig(AppConfig):
    name = "pingan.antifraud"
    label = "antifraud"
    verbose_name = "反电信网络诈骗"
