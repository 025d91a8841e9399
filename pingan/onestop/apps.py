from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "pingan.onestop"
    label = "onestop"
    verbose_name = "放管服一站式"
