from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pingan.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        from pingan.core.navigation import register_menu

        register_menu("后台任务", "jobs:list", roles=None, order=190)
