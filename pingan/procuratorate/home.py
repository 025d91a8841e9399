"""Home-page items of 检护民生: overdue and unverified replies for the prosecutor, the suggestions
awaiting their agency's reply for the liaison."""

from django.urls import reverse

from pingan.accounts.roles import Role
from pingan.core.home import TodoItem, home_provider
from pingan.procuratorate import selectors


@home_provider
def suggestion_items(user):
    if user.role not in (Role.PROSECUTOR, Role.AGENCY_LIAISON):
        return []
    counts = selectors.suggestion_counts(user)
    url = reverse("procuratorate:suggestion_list")
    overdue = TodoItem("逾期未回复的检察建议", counts.overdue, f"{url}?overdue=true",
                       level="danger" if counts.overdue else "info",
                       hint="已超过回复期限" + ("，可催告回复或径行核查" if user.role == Role.PROSECUTOR else "，请尽快回复"))
    if user.role == Role.AGENCY_LIAISON:
        return [TodoItem("待本单位回复的检察建议", counts.awaiting, f"{url}?awaiting=true",
                         level="warning" if counts.awaiting else "info", hint="在平安乡村中回复并上传整改材料"),
                overdue]
    return [
        overdue,
        TodoItem("已回复待核查的检察建议", counts.replied, f"{url}?status=replied",
                 level="warning" if counts.replied else "info"),
        TodoItem("待审批的检察建议", counts.review, f"{url}?status=review", level="warning" if counts.review else "info"),
    ]
