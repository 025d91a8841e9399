"""One FilterSet per list, shared by the page, the API and the xlsx export."""

import django_filters
from django.db.models import Q

from pingan.core.filters import YesNoFilter
from pingan.org.models import Staff, StaffCategory


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search",
                                  help_text="姓名、拼音首字母、手机号或身份证号后4位")
    category = django_filters.ChoiceFilter(label="人员类别", choices=StaffCategory.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    active = YesNoFilter(label="在岗")

    class Meta:
        model = Staff
        fields = ["q", "category", "area", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q(name__icontains=value)
        if value.isascii() and value.isalpha():
            q |= Q(name_initials__startswith=value.lower())
        # Personal numbers are encrypted and must not travel in URLs: only their last four digits
        # (shown in the masked form anyway) are searchable, through the *_tail columns.
        if (value.isdigit() or value.upper().endswith("X")) and len(value) <= 4:
            if value.isdigit():
                q |= Q(phone_tail__endswith=value)
            q |= Q(id_number_tail__endswith=value.upper())
        return queryset.filter(q)

    def in_area(self, queryset, name, value):
        value = value.strip()
        if not value.isdigit():
            return queryset.none()
        # Whole codes only: the code is the first segment or follows a slash.
        return queryset.filter(Q(area__path__startswith=f"{value}/") | Q(area__path__contains=f"/{value}/"))
