from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "pingan.incidents"
    label = "incidents"
    verbose_name = "警情"
