from django.core.management.base import BaseCommand, CommandError

from pingan.areas.services import AreaError, areas_load_banner


class Command(BaseCommand):
    help = "辖区树：pingan areas load --banner CODE 加载一个旗县及其盟市、全部乡镇苏木和村级单位"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="从2023年统计用区划代码加载一个旗县")
        load.add_argument("--banner", required=True, action="append",
                          help="旗县代码，6位或12位（可重复）：150824 乌拉特中旗")

    def handle(self, *args, action, banner, **options):
        for code in banner:
            try:
                counts = areas_load_banner(banner_code=code)
            except AreaError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{code}: 共{counts['units']}个单位，新增{counts['created']}，更新{counts['updated']}")
