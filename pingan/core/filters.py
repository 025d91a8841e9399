"""Filter pieces shared by every list's FilterSet."""

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters.widgets import BooleanWidget


class YesNoWidget(BooleanWidget):
    """是/否 with an empty "全部" (Django's NullBooleanSelect says "未知", which reads as a value)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "全部"), ("true", "是"), ("false", "否")]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoWidget)
        super().__init__(*args, **kwargs)


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
_RANGE = f"日期应在{EARLIEST:%Y-%m-%d}至{LATEST:%Y-%m-%d}之间"


class DayFilter(django_filters.DateFilter):
    """A date between 1900 and 2100. Beyond, a day's start in Asia/Shanghai cannot be turned into UTC
    (0001-01-01 overflows), so such a date is an invalid filter (422 in the API), not a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [MinValueValidator(EARLIEST, _RANGE), MaxValueValidator(LATEST, _RANGE)])
        super().__init__(*args, **kwargs)


def query_data(query) -> dict:
    """An API query schema as FilterSet data: the parameters the caller actually gave."""
    return {k: v for k, v in query.dict().items() if v is not None and v != ""}


def filtered_or_400(filterset_class, query, queryset, **kwargs):
    """The page's FilterSet applied to an API query. A parameter the FilterSet refuses (a choice not
    in its list, a year out of range …) answers 422 in Chinese with one ``errors`` entry per field,
    like a parameter that fails the query schema (pingan/api.py). (The name is historical: it once
    answered 400, which the OpenAPI document does not list for reads.)"""
    from ninja.errors import ValidationError

    filterset = filterset_class(query_data(query), queryset=queryset, **kwargs)
    if not filterset.is_valid():
        raise ValidationError([{"loc": ("query", name), "msg": "；".join(messages), "type": "filter_invalid"}
                               for name, messages in filterset.errors.items()])
    return filterset.qs


class StyledFilterSet(django_filters.FilterSet):
    """Small Bootstrap widgets; a select's empty choice names the field ("类型：全部")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
                if hasattr(field, "empty_label"):  # django-filters' own choice fields add the empty choice
                    field.empty_label = None
                field.choices = [("", f"{field.label}：全部"), *[c for c in field.choices if c[0] != ""]]
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")


def in_area(queryset, value: str, lookup: str):
    """Records under the node with this code (its own code included)."""
    value = (value or "").strip()
    if not value.isdigit():
        return queryset.none()
    return queryset.filter(**{lookup: f"{value}/"})
