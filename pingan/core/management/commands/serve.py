from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "在前台运行平安乡村网站：pingan serve [--host H] [--port P]"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        # Static files come from var/static through WhiteNoise, as in production.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"平安乡村 已启动: http://{host}:{port}/  (Ctrl+C 停止)")
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_static_handler=False, skip_checks=False)
