"""Home-page items of 林草湖警长: zones whose chain has a gap, for the people who fill it."""

from django.urls import reverse
from django.utils import timezone

from pingan.core.home import TodoItem, home_provider
from pingan.ecology import access
from pingan.ecology.models import Zone


@home_provider
def chain_gaps(user):
    if user.role not in access.MANAGERS:
        return []
    n = Zone.objects.visible_to(user).in_force(timezone.localdate()).with_incomplete_chain().count()
    if not n:
        return []
    return [TodoItem("责任链有缺级的林草湖责任区", n, reverse("ecology:zone_list") + "?chain=incomplete&in_force=true",
                     level="warning", hint="旗级警长、所长、驻村民警/辅警、护林员/村干部四级须落实到人")]
