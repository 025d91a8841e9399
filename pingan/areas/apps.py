from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "pingan.areas"
    label = "areas"
    verbose_name = "辖区"
