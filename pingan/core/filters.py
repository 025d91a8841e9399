"""Filter pieces shared by every list's FilterSet."""

import django_filters
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


def query_data(query) -> dict:
    """An API query schema as FilterSet data: the parameters the caller actually gave."""
    return {k: v for k, v in query.dict().items() if v is not None and v != ""}


def filtered_or_400(filterset_class, query, queryset, **kwargs):
    """The page's FilterSet applied to an API query; invalid parameters answer 400 in Chinese."""
    from ninja.errors import HttpError

    filterset = filterset_class(query_data(query), queryset=queryset, **kwargs)
    if not filterset.is_valid():
        raise HttpError(400, "；".join(f"{k}：{'；'.join(v)}" for k, v in filterset.errors.items()))
    return filterset.qs
