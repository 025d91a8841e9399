from django.apps import AppConfig


class EcologyConfig(AppConfig):
    name = "pingan.ecology"
    label = "ecology"
    verbose_name = "林草湖警长"
