from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pingan.cases"
    label = "cases"
    verbose_name = "案件与专项行动"
