"""One FilterSet per list, shared by the page, the API and the xlsx export."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.cases.models import (
    Campaign,
    CampaignKind,
    Case,
    CaseKind,
    CaseStatus,
    Goods,
    Operation,
    OperationStatus,
)
from pingan.core.filters import YesNoFilter


def _in_area(queryset, value: str, field: str = "area"):
    value = (value or "").strip()
    if not value:
        return queryset
    if not value.isdigit():
        return queryset.none()
    return queryset.filter(**{f"{field}__path__contains": f"{value}/"})


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="案件编号、名称、地址或涉案人员姓名")
    kind = django_filters.ChoiceFilter(label="性质", choices=CaseKind.choices, empty_label="全部性质")
    category = django_filters.CharFilter(label="类别", method="in_category", help_text="类别代码或名称（大类含其细类）")
    status = django_filters.ChoiceFilter(label="状态", choices=[("open", "在办"), *CaseStatus.choices],
                                         method="by_status", empty_label="全部状态")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    station = django_filters.NumberFilter(label="主办单位", field_name="station_id")
    accepted_from = django_filters.DateFilter(label="受案日期起", field_name="accepted_on", lookup_expr="gte")
    accepted_to = django_filters.DateFilter(label="受案日期止", field_name="accepted_on", lookup_expr="lte")
    solved = YesNoFilter(label="已破案", method="by_solved")
    campaign = django_filters.NumberFilter(label="专项行动", field_name="campaigns")
    operation = django_filters.NumberFilter(label="合成作战", field_name="operation_id")
    goods = django_filters.ChoiceFilter(label="侵害物品", choices=Goods.choices, empty_label="全部物品")

    class Meta:
        model = Case
        fields = ["q", "kind", "category", "status", "area", "station", "accepted_from", "accepted_to", "solved",
                  "campaign", "operation", "goods"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(address__icontains=value)
                               | Q(pk__in=Case.objects.filter(parties__person__name__icontains=value).values("pk")))

    def in_category(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(category__code=value) | Q(category__parent__code=value) | Q(category__name=value)
                               | Q(category__parent__name=value))

    def by_status(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(status__in=(CaseStatus.CLOSED, CaseStatus.DROPPED, CaseStatus.PROSECUTED))
        return queryset.filter(status=value)

    def in_area(self, queryset, name, value):
        return _in_area(queryset, value)

    def by_solved(self, queryset, name, value):
        return queryset.filter(solved_on__isnull=not value)


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="类型", choices=CampaignKind.choices, empty_label="全部类型")
    # Bounded: a year beyond 9999 overflowed the year lookup (a 500, found by pingan/testing/attacks.py).
    year = django_filters.NumberFilter(label="年度", method="in_year", min_value=1900, max_value=2100)

    class Meta:
        model = Campaign
        fields = ["q", "kind", "year"]

    def in_year(self, queryset, name, value):
        return queryset.filter(start__year__lte=value, end__year__gte=value)


class OperationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label="状态", choices=OperationStatus.choices, empty_label="全部状态")

    class Meta:
        model = Operation
        fields = ["q", "status"]
