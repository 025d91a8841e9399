"""Forms: parse and check the shape of the input; the business rules are the services'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from pingan.core.forms import DateInput, DateTimeInput
from pingan.onestop.models import Channel, Outcome, ServiceKind


def now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.short_name or obj.name


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.category}）"


class DesignateForm(Styled, forms.Form):
    since = forms.DateField(label="成为一站式派出所日期", widget=DateInput)
    services = forms.MultipleChoiceField(label="综窗办理业务", choices=ServiceKind.choices,
                                         widget=forms.CheckboxSelectMultiple,
                                         initial=[ServiceKind.HOUSEHOLD, ServiceKind.VEHICLE])
    windows = forms.IntegerField(label="综合窗口数", min_value=1, max_value=50, initial=1)
    note = forms.CharField(label="说明", max_length=200, required=False)


class RequestForm(Styled, forms.Form):
    station = StationChoiceField(label="受理派出所", queryset=None)
    kind = forms.ChoiceField(label="业务类别", choices=ServiceKind.choices, widget=forms.RadioSelect,
                             initial=ServiceKind.HOUSEHOLD)
    item = forms.CharField(label="办理事项", max_length=40, widget=forms.TextInput(attrs={"list": "items"}))
    channel = forms.ChoiceField(label="受理渠道", choices=Channel.choices, widget=forms.RadioSelect,
                                initial=Channel.WINDOW)
    received_at = forms.DateTimeField(label="受理时间", widget=DateTimeInput, initial=now_local)
    applicant_name = forms.CharField(label="申请人姓名", max_length=40)
    applicant_id_number = forms.CharField(label="申请人身份证号码", max_length=20)
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    handler = HandlerChoiceField(label="经办人", queryset=None, required=False)
    done_now = forms.BooleanField(label="当场办结", required=False, initial=True)
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "—"), *Outcome.choices], required=False)
    completed_at = forms.DateTimeField(label="办结(答复)时间", widget=DateTimeInput, required=False,
                                       help_text="当场办结可不填，默认为现在")
    transferred_to = forms.CharField(label="转办单位", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, stations, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["handler"].queryset = handlers
        self.fields["done_now"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("done_now"):
            data["outcome"] = data.get("outcome") or Outcome.DONE
            data["completed_at"] = data.get("completed_at") or now_local()
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("done_now", None)
        if not data.get("outcome"):
            data["outcome"], data["completed_at"] = "", data.get("completed_at")
        return data


class CompleteForm(Styled, forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=Outcome.choices)
    completed_at = forms.DateTimeField(label="办结(答复)时间", widget=DateTimeInput, initial=now_local)
    transferred_to = forms.CharField(label="转办单位", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)
