"""Forms: phone-friendly (one column, native date inputs); they parse and check the shape of the
input, the business rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from pingan.areas.models import Area
from pingan.org.models import Agency, Staff

from . import selectors
from .models import DissuasionChannel, Outcome, PlaceType, RiskType, WarningChannel


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if obj.level == 3:
            return f"{obj.short_name}（乡镇）"
        return f"{obj.parent.short_name if obj.parent_id else ''} {obj.short_name}".strip()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.name}（{obj.category}·{obj.agency.short_name or obj.agency.name}）"


class Styled:
    """Bootstrap classes on the widgets, so templates render ``{{ field }}`` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.HiddenInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def _date(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _count(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, initial=0,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs)


class PublicityForm(Styled, forms.Form):
    held_on = _date("活动日期")
    place_type = forms.ChoiceField(label="场所类型", choices=[("", "请选择"), *PlaceType.choices])
    place = forms.CharField(label="活动地点", max_length=100, help_text="如 海流图镇华联超市")
    area = AreaChoiceField(label="所在村(社区)或乡镇", queryset=Area.objects.none())
    organiser = forms.ModelChoiceField(label="组织单位", queryset=Agency.objects.none())
    theme = forms.CharField(label="主题", max_length=100, required=False, help_text="如 防范刷单返利诈骗")
    posters = _count("张贴海报(张)")
    handbooks = _count("发放手册(份)")
    people_reached = _count("受教育群众(人次)")
    participants = _count("参与民辅警(人)")
    note = forms.CharField(label="活动情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.areas_for(user, townships=True)
        self.fields["organiser"].queryset = selectors.organisers_for(user)
        if not self.is_bound and "held_on" not in self.initial:
            self.initial["held_on"] = timezone.localdate()
            station = selectors.own_station(user)
            if station is not None:
                self.initial.setdefault("organiser", station.pk)


class SnapshotForm(Styled, forms.Form):
    area = AreaChoiceField(label="村(嘎查、社区)", queryset=Area.objects.none())
    on = _date("统计日期", help_text="国家反诈中心统计数据的截止日期")
    registered = _count("累计注册人数")
    population = forms.IntegerField(label="人口基数", min_value=1, required=False,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                    help_text="统计表给出的人口；留空则取该村在辖区中登记的人口")
    replace = forms.BooleanField(label="替换同期已有数据", required=False,
                                 help_text="该村该日期已有统计时，用本次数据替换（原数据记入审计日志）")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.areas_for(user)


class SnapshotEditForm(Styled, forms.Form):
    registered = _count("累计注册人数")
    population = forms.IntegerField(label="人口基数", min_value=1, required=False,
                                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                    help_text="留空则取该村在辖区中登记的人口")


class SnapshotImportForm(Styled, forms.Form):
    on = _date("统计日期", help_text="本期统计数据的截止日期，文件中每一行都按这一天记录")
    file = forms.FileField(label="统计表(xlsx或csv)", allow_empty_file=True)
    replace = forms.BooleanField(label="替换同期已有数据", required=False,
                                 help_text="不勾选时，文件中任何一个村在该日期已有统计，整份文件都不导入")


class WarningForm(Styled, forms.Form):
    number = forms.CharField(label="预警编号", max_length=40, required=False, help_text="预警指令上的编号；留空自动编号")
    received_at = forms.DateTimeField(label="接收时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format="%Y-%m-%dT%H:%M"))
    channel = forms.ChoiceField(label="预警来源", choices=WarningChannel.choices)
    risk_type = forms.ChoiceField(label="风险类型", choices=[("", "请选择"), *RiskType.choices])
    area = AreaChoiceField(label="预警对象所在村(社区)", queryset=Area.objects.none())
    target_name = forms.CharField(label="预警对象姓名", max_length=40, required=False)
    target_phone = forms.CharField(label="预警对象电话", max_length=20, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "tel"}))
    content = forms.CharField(label="预警内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.areas_for(user)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


class DissuasionForm(Styled, forms.Form):
    on = _date("劝阻日期")
    area = AreaChoiceField(label="劝阻对象所在村(社区)", queryset=Area.objects.none(), required=False,
                           help_text="对应预警时可留空，取预警的村")
    person_name = forms.CharField(label="劝阻对象姓名", max_length=40)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    phone = forms.CharField(label="手机号码", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    channel = forms.ChoiceField(label="劝阻方式", choices=DissuasionChannel.choices)
    outcome = forms.ChoiceField(label="劝阻结果", choices=Outcome.choices)
    amount_kept = forms.DecimalField(label="避免转账金额(元)", min_value=0, max_digits=14, decimal_places=2,
                                     required=False, widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                                                    "step": "0.01"}),
                                     help_text="经劝阻未转出的资金；劝阻未成功的留空")
    risk_type = forms.ChoiceField(label="风险类型", required=False, choices=[("", "同预警/未知"), *RiskType.choices])
    officer = StaffChoiceField(label="劝阻民(辅)警", queryset=Staff.objects.none(), required=False)
    note = forms.CharField(label="劝阻经过", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, warning=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas = selectors.areas_for(user)
        self.fields["officer"].queryset = selectors.officers_for(user)
        self.warning = warning
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())
            if warning is None and len(areas) == 1:  # a village officer: their own village
                self.initial.setdefault("area", areas[0].pk)
            staff = getattr(user, "staff", None)
            if staff is not None:
                self.initial.setdefault("officer", staff.pk)
            if warning is not None:
                self.initial.setdefault("area", warning.area_id)
                self.initial.setdefault("risk_type", warning.risk_type)
