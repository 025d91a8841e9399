from django.core.management.base import BaseCommand

from pingan.procuratorate.services import suggestions_remind_overdue


class Command(BaseCommand):
    help = ("检察建议逾期催告：为每一份超过回复期限仍未回复、且近 --every 天内未催告过的检察建议记录一次“催告回复”"
            "（被建议单位联络员在办理经过和工作台上看到）。可每日定时运行。")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=7, help="同一份检察建议两次催告至少间隔的天数（默认7）")

    def handle(self, *args, every, **options):
        reminded = suggestions_remind_overdue(every_days=every)
        for s in reminded:
            self.stdout.write(f"已催告：{s.number} {s.addressed_agency}（回复期限{s.reply_deadline}）")
        self.stdout.write(f"共催告{len(reminded)}份逾期未回复的检察建议")
