"""One FilterSet per list, shared by the page, the API and the xlsx export."""

import django_filters
from django import forms
from django.db.models import Q

from pingan.core.filters import DayFilter, StyledFilterSet, YesNoFilter, in_area
from pingan.onestop.models import Channel, Outcome, ServiceKind, ServiceRequest
from pingan.org.models import Agency

OUTCOME_CHOICES = [*Outcome.choices, ("pending", "未办结")]


class RequestFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="受理编号、事项或申请人姓名")
    station = django_filters.NumberFilter(label="派出所", field_name="station_id", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(label="业务类别", choices=ServiceKind.choices)
    channel = django_filters.ChoiceFilter(label="受理渠道", choices=Channel.choices)
    outcome = django_filters.ChoiceFilter(label="办理结果", choices=OUTCOME_CHOICES, method="by_outcome")
    area = django_filters.CharFilter(label="辖区代码", method="by_area")
    after = DayFilter(label="受理日期自", field_name="received_at", lookup_expr="date__gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    before = DayFilter(label="受理日期至", field_name="received_at", lookup_expr="date__lte",
                                       widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = ServiceRequest
        fields = ["q", "station", "kind", "channel", "outcome", "area", "after", "before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(item__icontains=value)
                               | Q(applicant_name__icontains=value))

    def by_outcome(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(completed_at__isnull=True)
        return queryset.filter(outcome=value) if value else queryset

    def by_area(self, queryset, name, value):
        return in_area(queryset, value, "station__area__path__contains")


class StationFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="派出所名称")
    one_stop = YesNoFilter(label="一站式派出所", method="by_one_stop")
    since_year = django_filters.NumberFilter(label="成为一站式的年份", field_name="one_stop__since__year",
                                             min_value=1900, max_value=2100)  # unbounded, 10^10 was a 500
    year = django_filters.NumberFilter(label="统计年度", method="by_year", help_text="受理数按该年度计数")

    class Meta:
        model = Agency
        fields = ["q", "one_stop", "since_year", "year"]

    def by_year(self, queryset, name, value):
        return queryset  # read by the view for the yearly counts

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def by_one_stop(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(one_stop__isnull=not value)
