"""One FilterSet per list, shared by the page, the API and the xlsx export."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone

from pingan.core.filters import DayFilter, YesNoFilter
from pingan.incidents.models import Incident, IncidentStatus, RepeatKind


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="警情编号、地址、报警人或内容中的文字")
    date_from = DayFilter(label="接警日期起", method="from_day")
    date_to = DayFilter(label="接警日期止", method="to_day")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    category = django_filters.CharFilter(label="类别", method="in_category")
    status = django_filters.ChoiceFilter(label="处置状态", choices=IncidentStatus.choices)
    needs_placement = YesNoFilter(label="待人工定位")
    repeats = django_filters.ChoiceFilter(label="重复警情", method="by_repeat",
                                          choices=[("any", "仅重复警情"), *RepeatKind.choices])

    class Meta:
        model = Incident
        fields = ["q", "date_from", "date_to", "area", "category", "status", "needs_placement", "repeats"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The phone is personal data: it is searched only by its last four digits.
        q = Q(number__icontains=value) | Q(address__icontains=value) | Q(caller_name__icontains=value) | \
            Q(content__icontains=value)
        if value.isdigit() and len(value) == 4:
            q |= Q(caller_phone_tail=value)
        return queryset.filter(q)

    def from_day(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))

    def in_area(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(area__path__contains=f"{value}/")

    def in_category(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(category__name=value) | Q(category__parent__name=value))

    def by_repeat(self, queryset, name, value):
        if value == "any":
            return queryset.filter(cluster__isnull=False)
        return queryset.filter(cluster__kind=value)
