from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pingan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from pingan.accounts.roles import Role
        from pingan.core.navigation import register_menu

        register_menu("工作台", "accounts:home", order=0)
        register_menu("审计日志", "core:audit_list", roles={Role.AUDITOR}, order=90)
        register_menu("后台管理", "admin:index", roles={Role.SYSADMIN, Role.SECADMIN}, order=95)
