"""One FilterSet per list, shared by the page, the API and the xlsx export."""

import datetime as dt

import django_filters
from django.db.models import Q

from pingan.core.filters import YesNoFilter
from pingan.legal.models import Activity, ActivityKind, LegalPerson, SourceCategory, Status


def _in_area(queryset, lookup: str, value: str):
    value = (value or "").strip()
    if not value.isdigit():
        return queryset.none()
    return queryset.filter(**{f"{lookup}__path__contains": f"{value}/"})


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="姓名、拼音首字母或身份证号后4位")
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices)
    source_category = django_filters.ChoiceFilter(label="人员来源", choices=SourceCategory.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area", help_text="乡镇(苏木)或嘎查(社区)代码")
    counted = YesNoFilter(label="在册(已入选未退出)", method="only_counted")

    class Meta:
        model = LegalPerson
        fields = ["q", "status", "source_category", "area", "counted"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q(staff__name__icontains=value)
        if value.isascii() and value.isalpha():
            q |= Q(staff__name_initials__startswith=value.lower())
        # The ID number is encrypted and stays out of URLs: only its last four (the masked form's) match.
        if (value.isdigit() or value.upper().endswith("X")) and len(value) <= 4:
            q |= Q(staff__id_number_tail__endswith=value.upper())
        return queryset.filter(q)

    def in_area(self, queryset, name, value):
        return _in_area(queryset, "village", value)

    def only_counted(self, queryset, name, value):
        if value is None:
            return queryset
        counted = Q(status__in=[Status.TRAINING, Status.SERVING])
        return queryset.filter(counted) if value else queryset.exclude(counted)


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="主题", method="search")
    kind = django_filters.ChoiceFilter(label="类型", choices=ActivityKind.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    year = django_filters.NumberFilter(label="年度", field_name="date", lookup_expr="year", min_value=1900, max_value=2100)
    month = django_filters.CharFilter(label="月份(YYYY-MM)", method="in_month")
    person = django_filters.NumberFilter(label="法律明白人", field_name="participants")

    class Meta:
        model = Activity
        fields = ["q", "kind", "area", "year", "month", "person"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)) if value else queryset

    def in_area(self, queryset, name, value):
        return _in_area(queryset, "village", value)

    def in_month(self, queryset, name, value):
        try:
            first = dt.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError:
            return queryset.none()
        return queryset.filter(date__year=first.year, date__month=first.month)
