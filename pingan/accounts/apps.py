from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pingan.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from pingan.accounts import checks, home, signals  # noqa: F401  (checks; home items; sign-in audit)
