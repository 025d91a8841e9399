"""One FilterSet per list, shared by the page, the API and the xlsx export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from pingan.core.filters import DayFilter, StyledFilterSet, YesNoFilter, in_area
from pingan.ecology.models import EcoCase, FindingKind, JointAction, Patrol, Zone, ZoneKind


class ZoneFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="责任区名称或覆盖的村(嘎查)")
    kind = django_filters.ChoiceFilter(label="类型", choices=ZoneKind.choices)
    area = django_filters.CharFilter(label="辖区代码", method="by_area")
    chain = django_filters.ChoiceFilter(label="责任链", method="by_chain",
                                        choices=[("complete", "四级完整"), ("incomplete", "有缺级")])
    in_force = YesNoFilter(label="在册(未撤销)", method="by_in_force")
    year = django_filters.NumberFilter(label="统计年度", method="by_year",
                                       help_text="巡护、联合执法按该年度计数（不筛选责任区）")

    class Meta:
        model = Zone
        fields = ["q", "kind", "area", "chain", "in_force", "year"]

    def by_year(self, queryset, name, value):
        return queryset  # read by the view for the yearly counts

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        ids = Zone.objects.filter(Q(name__icontains=value) | Q(places__short_name__icontains=value)).values("pk")
        return queryset.filter(pk__in=ids)

    def by_area(self, queryset, name, value):
        """Zones hanging on the node or below it, and zones covering a place under it."""
        value = (value or "").strip()
        if not value.isdigit():
            return queryset.none()
        ids = Zone.objects.filter(Q(area__path__contains=f"{value}/") | Q(places__path__contains=f"{value}/"))
        return queryset.filter(pk__in=ids.values("pk"))

    def by_chain(self, queryset, name, value):
        if value == "complete":
            return queryset.with_complete_chain()
        if value == "incomplete":
            return queryset.with_incomplete_chain()
        return queryset

    def by_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        live = queryset.in_force(timezone.localdate())
        return live if value else queryset.exclude(pk__in=live.values("pk"))


class PatrolFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="责任区、路线或巡护情况")
    zone = django_filters.NumberFilter(label="责任区", field_name="zone_id", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(label="责任区类型", field_name="zone__kind", choices=ZoneKind.choices)
    finding_kind = django_filters.ChoiceFilter(label="发现问题", choices=FindingKind.choices)
    found = YesNoFilter(label="有发现", method="by_found")
    area = django_filters.CharFilter(label="辖区代码", method="by_area")
    after = DayFilter(label="巡护日期自", field_name="patrolled_on", lookup_expr="gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    before = DayFilter(label="巡护日期至", field_name="patrolled_on", lookup_expr="lte",
                                       widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Patrol
        fields = ["q", "zone", "kind", "finding_kind", "found", "area", "after", "before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(zone__name__icontains=value) | Q(route__icontains=value)
                               | Q(findings__icontains=value))

    def by_found(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(finding_kind=FindingKind.NONE) if value else queryset.filter(
            finding_kind=FindingKind.NONE)

    def by_area(self, queryset, name, value):
        return in_area(queryset, value, "zone__area__path__contains")


class ActionFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="行动名称、责任区或检查发现")
    zone = django_filters.NumberFilter(label="责任区", field_name="zone_id", widget=forms.HiddenInput)
    agency = django_filters.CharFilter(label="参加部门", method="by_agency", help_text="部门名称")
    area = django_filters.CharFilter(label="辖区代码", method="by_area")
    after = DayFilter(label="执法日期自", field_name="acted_on", lookup_expr="gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    before = DayFilter(label="执法日期至", field_name="acted_on", lookup_expr="lte",
                                       widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = JointAction
        fields = ["q", "zone", "agency", "area", "after", "before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(zone__name__icontains=value)
                               | Q(findings__icontains=value))

    def by_agency(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        ids = JointAction.objects.filter(Q(agencies__name__icontains=value) | Q(agencies__short_name__icontains=value))
        return queryset.filter(pk__in=ids.values("pk"))

    def by_area(self, queryset, name, value):
        return in_area(queryset, value, "zone__area__path__contains")


class EcoCaseFilter(StyledFilterSet):
    q = django_filters.CharFilter(label="搜索", method="search", help_text="案件编号、名称或责任区")
    zone = django_filters.NumberFilter(label="责任区", field_name="zone_id", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(label="责任区类型", field_name="zone__kind", choices=ZoneKind.choices)
    source = django_filters.ChoiceFilter(label="来源", method="by_source",
                                         choices=[("joint", "联合执法"), ("patrol", "巡护发现"), ("other", "其他")])
    area = django_filters.CharFilter(label="辖区代码", method="by_area")
    after = DayFilter(label="受案日期自", field_name="case__accepted_on", lookup_expr="gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    before = DayFilter(label="受案日期至", field_name="case__accepted_on", lookup_expr="lte",
                                       widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = EcoCase
        fields = ["q", "zone", "kind", "source", "area", "after", "before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(case__number__icontains=value) | Q(case__title__icontains=value)
                               | Q(zone__name__icontains=value))

    def by_source(self, queryset, name, value):
        if value == "joint":
            return queryset.filter(joint_action__isnull=False)
        if value == "patrol":
            return queryset.filter(joint_action__isnull=True, patrol__isnull=False)
        if value == "other":
            return queryset.filter(joint_action__isnull=True, patrol__isnull=True)
        return queryset

    def by_area(self, queryset, name, value):
        return in_area(queryset, value, "zone__area__path__contains")
