"""Forms of the incidents app: phone-friendly (one column, native date-time and select inputs)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from pingan.incidents import selectors
from pingan.incidents.models import TRANSITIONS, IncidentStatus, TaskSource

_INPUT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


def _local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class IncidentForm(forms.Form):
    number = forms.CharField(label="警情编号", max_length=40, required=False,
                             help_text="110系统的编号；手工登记可留空，系统自动编号",
                             widget=forms.TextInput(attrs=_INPUT))
    received_at = forms.DateTimeField(label="接警时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                                                  "%Y-%m-%d %H:%M:%S"],
                                      widget=forms.DateTimeInput(attrs={**_INPUT, "type": "datetime-local"}))
    category = forms.ChoiceField(label="警情类别", widget=forms.Select(attrs=_SELECT))
    caller_name = forms.CharField(label="报警人", max_length=40, required=False, widget=forms.TextInput(attrs=_INPUT))
    caller_phone = forms.CharField(label="报警电话", max_length=20, required=False,
                                   widget=forms.TextInput(attrs={**_INPUT, "inputmode": "tel"}))
    address = forms.CharField(label="发生地址", max_length=200, required=False,
                              widget=forms.TextInput(attrs={**_INPUT, "placeholder": "如 海流图镇巴仁宝勒格村三组"}))
    area = forms.ChoiceField(label="村(嘎查、社区)", required=False, help_text="留空则按地址自动识别",
                             widget=forms.Select(attrs=_SELECT))
    content = forms.CharField(label="警情内容", widget=forms.Textarea(attrs={**_INPUT, "rows": 4}))

    def __init__(self, *args, user=None, banner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = _local_now()
        groups: dict[str, list] = {}
        for c in selectors.categories_all():
            if c.parent_id:
                groups.setdefault(c.parent.name, []).append((str(c.pk), c.name))
            else:
                groups.setdefault(c.name, []).insert(0, (str(c.pk), f"{c.name}（未细分）"))
        self.fields["category"].choices = [("", "请选择")] + [(top, items) for top, items in groups.items()]
        villages = selectors.villages_for(user, banner) if banner is not None else []
        self.fields["area"].choices = [("", "按地址自动识别")] + [
            (str(v.pk), f"{v.parent.short_name} {v.short_name}") for v in villages]

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("接警时间不能晚于当前时间")
        return value


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label="处置", widget=forms.Select(attrs=_SELECT))
    note = forms.CharField(label="说明", max_length=200, required=False,
                           widget=forms.TextInput(attrs={**_INPUT, "placeholder": "处置说明（选填）"}))

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(incident.status, ()) if incident is not None else ()
        self.fields["status"].choices = [(s, IncidentStatus(s).label) for s in allowed]


class PlaceForm(forms.Form):
    area = forms.ChoiceField(label="村(嘎查、社区)", widget=forms.Select(attrs=_SELECT))

    def __init__(self, *args, user=None, banner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "请选择")] + [
            (str(v.pk), f"{v.parent.short_name} {v.short_name}") for v in selectors.villages_for(user, banner)]


class TaskForm(forms.Form):
    title = forms.CharField(label="任务", max_length=100, widget=forms.TextInput(attrs=_INPUT))
    instruction = forms.CharField(label="工作要求", widget=forms.Textarea(attrs={**_INPUT, "rows": 4}))
    deadline = forms.DateTimeField(label="反馈期限", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                   widget=forms.DateTimeInput(attrs={**_INPUT, "type": "datetime-local"}))
    station = forms.ChoiceField(label="承办派出所", required=False, widget=forms.Select(attrs=_SELECT))
    officer = forms.ChoiceField(label="或承办民警", required=False, widget=forms.Select(attrs=_SELECT))
    source_type = forms.ChoiceField(label="来源", choices=TaskSource.choices, widget=forms.Select(attrs=_SELECT))
    source_id = forms.CharField(label="来源编号", max_length=40, required=False, widget=forms.TextInput(attrs=_INPUT),
                                help_text="重复警情组编号、矛盾纠纷编号等")
    source_label = forms.CharField(label="来源说明", max_length=200, required=False, widget=forms.TextInput(attrs=_INPUT))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        self.fields["station"].choices = [("", "—")] + [(str(s.pk), s.name) for s in selectors.stations_for(user)]
        self.fields["officer"].choices = [("", "—")] + [
            (str(s.pk), f"{s.agency.short_name or s.agency.name} {s.name}({s.category})") for s in selectors.officers_for(user)]

    def clean(self):
        data = super().clean()
        if bool(data.get("station")) == bool(data.get("officer")):
            raise forms.ValidationError("请指定承办派出所或承办民警（二选一）")
        return data


class AnswerForm(forms.Form):
    feedback = forms.CharField(label="反馈情况", widget=forms.Textarea(attrs={**_INPUT, "rows": 4}))


class ImportForm(forms.Form):
    file = forms.FileField(label="110导出文件(CSV或xlsx)", widget=forms.ClearableFileInput(attrs=_INPUT))
