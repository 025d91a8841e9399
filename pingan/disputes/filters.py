"""One FilterSet per list, shared by the page, the API and the xlsx export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from pingan.core.filters import YesNoFilter
from pingan.disputes.models import (
    OPEN_STATUSES,
    Dispute,
    DisputeKind,
    DisputeSource,
    DisputeStatus,
    Hazard,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    MediationOutcome,
    PlaceKind,
    RiskLevel,
    Visit,
)

STATUS_CHOICES = [("open", "未办结(全部)"), *DisputeStatus.choices]
RISK_CHOICES = [(str(v), f"{label}色") for v, label in reversed(RiskLevel.choices)]


class StyledFilterSet(django_filters.FilterSet):
    """Small Bootstrap selects whose empty choice names the field ("纠纷类型：全部")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
                field.choices = [("", f"{field.label}：全部"), *[c for c in field.choices if c[0] != ""]]


def _in_area(queryset, value: str, lookup: str = "area__path__contains"):
    value = (value or "").strip()
    if not value.isdigit():
        return queryset.none()
    return queryset.filter(**{lookup: f"{value}/"})


class DisputeFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="编号、事由或当事人姓名")
    kind = django_filters.ChoiceFilter(label="纠纷类型", choices=DisputeKind.choices)
    risk = django_filters.ChoiceFilter(label="风险等级", choices=RISK_CHOICES)
    risk_min = django_filters.ChoiceFilter(label="风险不低于", choices=RISK_CHOICES, field_name="risk", lookup_expr="gte")
    status = django_filters.ChoiceFilter(label="办理状态", choices=STATUS_CHOICES, method="by_status")
    source = django_filters.ChoiceFilter(label="来源", choices=DisputeSource.choices)
    result = django_filters.ChoiceFilter(label="化解结果", choices=MediationOutcome.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    overdue = YesNoFilter(label="超期未办结", method="by_overdue")
    mine = YesNoFilter(label="本单位(本人)承办", method="by_mine")
    supervised = YesNoFilter(label="有督办未反馈", method="by_supervised")
    raised = YesNoFilter(label="系统预警升级过", method="by_raised")
    registered_after = django_filters.DateFilter(label="登记日期自", field_name="registered_at", lookup_expr="date__gte")
    registered_before = django_filters.DateFilter(label="登记日期至", field_name="registered_at", lookup_expr="date__lte")

    class Meta:
        model = Dispute
        fields = ["q", "kind", "risk", "risk_min", "status", "source", "result", "area", "overdue", "mine", "supervised", "raised",
                  "registered_after", "registered_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching = Q(number__icontains=value) | Q(title__icontains=value) | Q(parties__name__icontains=value)
        return queryset.filter(pk__in=Dispute.objects.filter(matching).values("pk"))

    def by_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def in_area(self, queryset, name, value):
        return _in_area(queryset, value)

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def by_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None) or getattr(self.request, "auth", None)
        if not value or user is None:
            return queryset
        return queryset.assigned_to(user)

    def by_supervised(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Q(supervisions__answered_at__isnull=True, supervisions__isnull=False)
        ids = Dispute.objects.filter(pending).values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)

    def by_raised(self, queryset, name, value):
        if value is None:
            return queryset
        ids = Dispute.objects.filter(risk_changes__signal__in=["threat_words", "many_parties", "repeat_incident"]
                                     ).values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class VisitFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="走访对象或走访情况")
    place_kind = django_filters.ChoiceFilter(label="走访对象类型", choices=PlaceKind.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    visited_after = django_filters.DateFilter(label="走访日期自", field_name="visited_on", lookup_expr="gte")
    visited_before = django_filters.DateFilter(label="走访日期至", field_name="visited_on", lookup_expr="lte")
    found = django_filters.ChoiceFilter(label="发现问题", method="by_found",
                                        choices=[("any", "有发现"), ("dispute", "纠纷线索"), ("hazard", "隐患"),
                                                 ("none", "无异常")])
    mine = YesNoFilter(label="我记录的", method="by_mine")

    class Meta:
        model = Visit
        fields = ["q", "place_kind", "area", "visited_after", "visited_before", "found", "mine"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(place_name__icontains=value) | Q(findings__icontains=value))

    def in_area(self, queryset, name, value):
        return _in_area(queryset, value)

    def by_found(self, queryset, name, value):
        with_dispute = Q(disputes__isnull=False)
        with_hazard = Q(hazards__isnull=False)
        ids = {
            "dispute": Visit.objects.filter(with_dispute).values("pk"),
            "hazard": Visit.objects.filter(with_hazard).values("pk"),
            "any": Visit.objects.filter(with_dispute | with_hazard).values("pk"),
        }
        if value == "none":
            return queryset.exclude(pk__in=ids["any"])
        return queryset.filter(pk__in=ids[value]) if value in ids else queryset

    def by_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None) or getattr(self.request, "auth", None)
        if not value or user is None:
            return queryset
        return queryset.filter(logged_by=user)


class HazardFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="场所或隐患描述")
    category = django_filters.ChoiceFilter(label="隐患类别", choices=HazardCategory.choices)
    severity = django_filters.ChoiceFilter(label="隐患等级", choices=HazardSeverity.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=HazardStatus.choices)
    place_kind = django_filters.ChoiceFilter(label="场所类型", choices=PlaceKind.choices)
    area = django_filters.CharFilter(label="辖区代码", method="in_area")
    overdue = YesNoFilter(label="超期未整改", method="by_overdue")
    found_after = django_filters.DateFilter(label="发现日期自", field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(label="发现日期至", field_name="found_on", lookup_expr="lte")

    class Meta:
        model = Hazard
        fields = ["q", "category", "severity", "status", "place_kind", "area", "overdue", "found_after", "found_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(place_name__icontains=value) | Q(description__icontains=value))

    def in_area(self, queryset, name, value):
        return _in_area(queryset, value)

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status=HazardStatus.OPEN, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
