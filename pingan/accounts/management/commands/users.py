import json

from django.core.management.base import BaseCommand, CommandError

from pingan.accounts.models import User
from pingan.accounts.services import user_set_active, user_unlock

ACTOR = "command-line"


class Command(BaseCommand):
    help = ("用户：pingan users list --format json|text；pingan users disable|enable 登录名（停用时立即结束其全部会话）；"
            "pingan users unlock 登录名（解除登录锁定）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="列出用户")
        listing.add_argument("--format", choices=["json", "text"], default="text")
        for name, text in (("disable", "停用账号并立即结束其全部会话"), ("enable", "启用账号"),
                           ("unlock", "解除登录锁定（连续登录失败造成的）")):
            sub.add_parser(name, help=text).add_argument("login", help="登录名")

    def handle(self, *args, action, **options):
        if action == "list":
            return self.list(options["format"])
        login = options["login"]
        if action == "unlock":
            cleared = user_unlock(actor=None, username=login, login=ACTOR)
            self.stdout.write(f"已解除 {login} 的登录锁定（清除{cleared}条失败记录）")
            return
        user = User.objects.filter(username=login).first()
        if user is None:
            raise CommandError(f"没有登录名为 {login} 的用户")
        user_set_active(actor=None, user=user, active=action == "enable", login=ACTOR)
        self.stdout.write(f"已{'启用' if action == 'enable' else '停用'}账号 {login}")

    def list(self, format):
        users = User.objects.select_related("agency", "jurisdiction").order_by("username")
        rows = [{
            "login": u.username,
            "role": u.role,
            "role_name": u.get_role_display() if u.role else "",
            "agency": u.agency.name if u.agency_id else "",
            "jurisdiction_code": u.jurisdiction_code,
            "name": u.full_name,
            "active": u.is_active,
        } for u in users]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for r in rows:
            self.stdout.write(f"{r['login']:<20} {r['role_name']:<14} {r['jurisdiction_code']:<13} {r['agency']}")
