from django.core.management.base import BaseCommand, CommandError

from pingan.accounts.models import User
from pingan.accounts.services import AccountError, token_create


class Command(BaseCommand):
    help = "API令牌：pingan token create LOGIN 为用户签发令牌并打印（只显示一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="签发令牌")
        create.add_argument("login")
        create.add_argument("--name", default="命令行签发")

    def handle(self, *args, action, login, name, **options):
        try:
            user = User.objects.get(username=login)
        except User.DoesNotExist as exc:
            raise CommandError(f"没有登录名为 {login} 的用户") from exc
        try:
            self.stdout.write(token_create(actor=None, user=user, name=name))
        except AccountError as exc:
            raise CommandError(str(exc)) from exc
