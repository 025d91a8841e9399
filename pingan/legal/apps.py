from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "pingan.legal"
    label = "legal"
    verbose_name = "法律明白人"
