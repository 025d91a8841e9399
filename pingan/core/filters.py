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
