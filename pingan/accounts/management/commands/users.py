import json

from django.core.management.base import BaseCommand

from pingan.accounts.models import User


class Command(BaseCommand):
    help = "用户：pingan users list --format json|text"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="列出用户")
        listing.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, action, format, **options):
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
