"""One FilterSet per list, shared by the page, the API and the xlsx export."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from pingan.core.filters import YesNoFilter
from pingan.org.models import Agency, AgencyKind
from pingan.procuratorate.models import (
    ClaimStatus,
    Field,
    FraudIntervention,
    FraudStage,
    Lead,
    LeadSource,
    LeadStatus,
    PublicityEvent,
    Suggestion,
    SuggestionStatus,
    WageClaim,
)


def _in_area(queryset, name, value):
    value = (value or "").strip()
    if not value.isdigit():
        return queryset.none()
    return queryset.filter(area__path__contains=f"{value}/")


def _search(*fields):
    def method(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    return method


class YearFilter(django_filters.NumberFilter):
    """A calendar year on one date field."""

    def __init__(self, *args, date_field: str, **kwargs):
        self.date_field = date_field
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("min_value", 1900)  # a year out of range is an invalid filter, not a database error
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(**{f"{self.date_field}__year": int(value)})


class LeadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="编号、事由、地点")
    field = django_filters.ChoiceFilter(label="领域", choices=Field.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=LeadSource.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=LeadStatus.choices)
    year = YearFilter(date_field="received_on")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    search = _search("number", "subject", "place")
    in_area = staticmethod(_in_area)

    class Meta:
        model = Lead
        fields = ["q", "field", "source", "status", "year", "area"]


def _admin_agencies(request):
    qs = Agency.objects.filter(kind=AgencyKind.ADMIN_AGENCY)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "jurisdiction_id", None):
        banner_codes = user.jurisdiction.ancestor_codes()
        qs = qs.filter(Q(area__path__startswith=user.jurisdiction.path) | Q(area__code__in=banner_codes))
    return qs.order_by("area__code", "name")


class SuggestionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="文号、标题、违法情形")
    status = django_filters.ChoiceFilter(label="状态", choices=SuggestionStatus.choices)
    field = django_filters.ChoiceFilter(label="领域", choices=Field.choices)
    agency = django_filters.ModelChoiceFilter(label="被建议单位", field_name="addressed_agency",
                                              queryset=_admin_agencies)
    year = YearFilter(date_field="served_on", label="送达年度")
    awaiting = YesNoFilter(label="待回复", method="filter_awaiting")
    overdue = YesNoFilter(label="逾期未回复", method="filter_overdue")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    search = _search("number", "title", "matter")
    in_area = staticmethod(_in_area)

    class Meta:
        model = Suggestion
        fields = ["q", "status", "field", "agency", "year", "awaiting", "overdue", "area"]

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.awaiting_reply() if value else queryset.exclude(pk__in=queryset.awaiting_reply().values("pk"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="编号、项目、承包人、建设单位")
    status = django_filters.ChoiceFilter(label="状态", choices=ClaimStatus.choices)
    year = YearFilter(date_field="received_on", label="受理年度")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    search = _search("number", "project", "contractor", "employer")
    in_area = staticmethod(_in_area)

    class Meta:
        model = WageClaim
        fields = ["q", "status", "year", "area"]


class FraudFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="案件编号、案件名称、罪名")
    cross_border = YesNoFilter(label="跨境案件")
    stage = django_filters.ChoiceFilter(label="阶段", choices=FraudStage.choices)
    year = YearFilter(date_field="intervened_on", label="介入年度")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    search = _search("case_ref", "case_name", "crime")
    in_area = staticmethod(_in_area)

    class Meta:
        model = FraudIntervention
        fields = ["q", "cross_border", "stage", "year", "area"]


class PublicityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="地点、形式")
    year = YearFilter(date_field="held_on")
    area = django_filters.CharFilter(label="辖区代码", method="in_area")

    search = _search("place", "forms", "note")
    in_area = staticmethod(_in_area)

    class Meta:
        model = PublicityEvent
        fields = ["q", "year", "area"]
