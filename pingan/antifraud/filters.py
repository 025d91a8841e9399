"""One FilterSet per list, shared by the page, the API and the xlsx export."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone

from .models import (
    Dissuasion,
    DissuasionChannel,
    FraudWarning,
    Outcome,
    PlaceType,
    PublicityEvent,
    RegistrationSnapshot,
    RiskType,
    WarningChannel,
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AreaFilterMixin:
    """``area``: a division code; the records hanging on that unit or below it."""

    def in_area(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(area__path__contains=f"/{value}/")


class PublicityFilter(AreaFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="地点、主题或活动情况中的文字")
    date_from = django_filters.DateFilter(label="活动日期起", field_name="held_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label="活动日期止", field_name="held_on", lookup_expr="lte")
    place_type = django_filters.ChoiceFilter(label="场所类型", choices=PlaceType.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    class Meta:
        model = PublicityEvent
        fields = ["q", "date_from", "date_to", "place_type", "area"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(place__icontains=value) | Q(theme__icontains=value) | Q(note__icontains=value))


class SnapshotFilter(AreaFilterMixin, django_filters.FilterSet):
    date_from = django_filters.DateFilter(label="统计日期起", field_name="on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label="统计日期止", field_name="on", lookup_expr="lte")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    class Meta:
        model = RegistrationSnapshot
        fields = ["date_from", "date_to", "area"]


class WarningFilter(AreaFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="预警编号、内容，或电话后4位")
    date_from = django_filters.DateFilter(label="接收日期起", method="from_day")
    date_to = django_filters.DateFilter(label="接收日期止", method="to_day")
    channel = django_filters.ChoiceFilter(label="预警来源", choices=WarningChannel.choices)
    risk_type = django_filters.ChoiceFilter(label="风险类型", choices=RiskType.choices)
    state = django_filters.ChoiceFilter(label="处置情况", method="by_state",
                                        choices=[("pending", "待劝阻"), ("answered", "已劝阻")])
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    class Meta:
        model = FraudWarning
        fields = ["q", "date_from", "date_to", "channel", "risk_type", "state", "area"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Phones are personal data: searched only by their last four digits.
        q = Q(number__icontains=value) | Q(content__icontains=value)
        if value.isdigit() and len(value) == 4:
            q |= Q(target_phone_tail=value)
        return queryset.filter(q)

    def from_day(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))

    def by_state(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(answered=False)
        if value == "answered":
            return queryset.filter(answered=True)
        return queryset


class DissuasionFilter(AreaFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="姓名、劝阻经过，或电话/身份证后4位")
    date_from = django_filters.DateFilter(label="劝阻日期起", field_name="on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label="劝阻日期止", field_name="on", lookup_expr="lte")
    outcome = django_filters.ChoiceFilter(label="劝阻结果", choices=Outcome.choices)
    channel = django_filters.ChoiceFilter(label="劝阻方式", choices=DissuasionChannel.choices)
    risk_type = django_filters.ChoiceFilter(label="风险类型", choices=RiskType.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    class Meta:
        model = Dissuasion
        fields = ["q", "date_from", "date_to", "outcome", "channel", "risk_type", "area"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q(person_name__icontains=value) | Q(note__icontains=value)
        if len(value) == 4 and (value[:3].isdigit() and (value[3].isdigit() or value[3] in "Xx")):
            q |= Q(phone_tail=value) | Q(id_number_tail=value.upper())
        return queryset.filter(q)
