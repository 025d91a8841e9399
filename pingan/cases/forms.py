"""Forms: parse and check the shape of the input (phone-friendly: one column, native date inputs);
the business rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from pingan.areas.models import Area, Level
from pingan.cases import selectors
from pingan.cases.models import (
    DEALT_ROLES,
    DISPOSITIONS_BY_KIND,
    ROLES_BY_KIND,
    Campaign,
    CampaignKind,
    Case,
    CaseCategory,
    CaseKind,
    DispositionKind,
    Goods,
    ItemKind,
    Metric,
    PartyRole,
    PlaceKind,
    TheftMethod,
)
from pingan.org.models import Agency

DATE = {"type": "date"}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class Styled:
    """Bootstrap classes on the widgets, so templates render ``{{ field }}`` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput | forms.CheckboxInput):
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def today():
    return timezone.localdate()


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        if obj.level == Level.VILLAGE and obj.parent_id:
            return f"{obj.parent.short_name} {obj.short_name}"
        return f"{obj.short_name}（全乡镇）" if obj.level == Level.TOWNSHIP else obj.short_name


class AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.short_name or obj.name


class AgenciesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.short_name or obj.name


def category_choices() -> list:
    groups: list = [("", "请选择")]
    tops: dict[int, tuple[str, list]] = {}
    for c in selectors.categories():
        if c.parent_id is None:
            tops[c.pk] = (c.name, [])
    for c in selectors.categories():
        if c.parent_id:
            tops[c.parent_id][1].append((str(c.pk), c.name))
    for pk, (name, kinds) in tops.items():
        groups.append((name, kinds) if kinds else (str(pk), name))
    return groups


# ------------------------------------------------------------------------------------ cases

class CaseForm(Styled, forms.Form):
    kind = forms.ChoiceField(label="案件性质", choices=CaseKind.choices)
    number = forms.CharField(label="案件编号", max_length=40, required=False,
                             help_text="警综平台的案件编号；留空由系统编号")
    category = forms.ChoiceField(label="案件类别")
    title = forms.CharField(label="案件名称", max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "如 巴仁宝勒格村王某家中被盗案"}))
    area = PlaceField(label="发案地", queryset=Area.objects.none())
    address = forms.CharField(label="发案地址", max_length=200, required=False)
    occurred_at = forms.DateTimeField(label="发案时间", required=False, input_formats=DATETIME_FORMATS,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    accepted_on = forms.DateField(label="受案日期", initial=today, widget=forms.DateInput(attrs=DATE))
    station = AgencyField(label="主办派出所", queryset=Agency.objects.none(), required=False,
                          help_text="留空为发案地所属派出所")
    unit = AgencyField(label="协办单位", queryset=Agency.objects.none(), required=False)
    method = forms.ChoiceField(label="作案手段", choices=[("", "—"), *TheftMethod.choices], required=False,
                               help_text="盗窃案件填写，用于串并案")
    goods = forms.ChoiceField(label="侵害物品", choices=[("", "—"), *Goods.choices], required=False)
    summary = forms.CharField(label="简要案情", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    campaigns = forms.ModelMultipleChoiceField(label="专项行动", queryset=Campaign.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    incident = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["area"].queryset = selectors.places_for(user)
        self.fields["station"].queryset = selectors.stations_for(user)
        self.fields["unit"].queryset = selectors.police_units_for(user)
        self.fields["campaigns"].queryset = selectors.campaigns_open_for(user)
        if case is not None:  # editing: kind and number stay
            del self.fields["kind"], self.fields["number"], self.fields["incident"]

    def clean_category(self):
        value = self.cleaned_data["category"]
        category = CaseCategory.objects.filter(pk=value).select_related("parent").first() if value else None
        if category is None:
            raise forms.ValidationError("请选择案件类别")
        return category


class TransitionForm(Styled, forms.Form):
    status = forms.ChoiceField(label="办理步骤")
    on = forms.DateField(label="日期", initial=today, widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from pingan.cases.models import CaseStatus

        # Any status parses (the service answers an illegal step with its own message); only the
        # steps allowed now are offered.
        allowed = case.allowed_next() if case is not None else ()
        self.fields["status"].choices = CaseStatus.choices
        self.fields["status"].widget.choices = [(s, CaseStatus(s).label) for s in allowed]


class PartyForm(Styled, forms.Form):
    role = forms.ChoiceField(label="身份")
    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False,
                                help_text="犯罪嫌疑人、违法行为人必填")
    phone = forms.CharField(label="联系电话", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label="住址", max_length=200, required=False)
    caught_on = forms.DateField(label="抓获日期", required=False, widget=forms.DateInput(attrs=DATE),
                                help_text="犯罪嫌疑人已抓获(到案)时填写")
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        roles = ROLES_BY_KIND[case.kind] if case is not None else PartyRole.values
        self.fields["role"].choices = [(r, PartyRole(r).label) for r in roles]


class CaughtForm(Styled, forms.Form):
    party = forms.ChoiceField(label="犯罪嫌疑人")
    caught_on = forms.DateField(label="抓获日期", initial=today, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parties = case.parties.filter(role=PartyRole.SUSPECT, caught_on__isnull=True).select_related("person") \
            if case is not None else []
        self.fields["party"].choices = [(str(p.pk), p.person.name) for p in parties]


class DispositionForm(Styled, forms.Form):
    party = forms.ChoiceField(label="人员")
    kind = forms.ChoiceField(label="处理措施")
    decided_on = forms.DateField(label="决定日期", initial=today, widget=forms.DateInput(attrs=DATE))
    amount = forms.DecimalField(label="金额(元)", required=False, min_value=0, max_digits=14, decimal_places=2,
                                help_text="罚款、没收违法所得填写")
    days = forms.IntegerField(label="拘留天数", required=False, min_value=1, max_value=37)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parties = case.parties.filter(role__in=DEALT_ROLES).select_related("person") if case is not None else []
        self.fields["party"].choices = [(str(p.pk), f"{p.person.name}（{p.get_role_display()}）") for p in parties]
        kinds = DISPOSITIONS_BY_KIND[case.kind] if case is not None else DispositionKind.values
        self.fields["kind"].choices = [(k, DispositionKind(k).label) for k in kinds]


class LossForm(Styled, forms.Form):
    item = forms.CharField(label="物品(损失)", max_length=100)
    quantity = forms.CharField(label="数量", max_length=40, required=False)
    value = forms.DecimalField(label="价值(元)", min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label="备注", max_length=200, required=False)


class RecoveryForm(Styled, forms.Form):
    recovered_on = forms.DateField(label="挽损日期", initial=today, widget=forms.DateInput(attrs=DATE))
    amount = forms.DecimalField(label="金额(元)", min_value=0, max_digits=14, decimal_places=2)
    loss = forms.ChoiceField(label="对应损失", required=False)
    description = forms.CharField(label="说明", max_length=200, required=False)
    returned_to = forms.CharField(label="发还对象", max_length=60, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        losses = case.losses.all() if case is not None else []
        self.fields["loss"].choices = [("", "—")] + [(str(x.pk), f"{x.item} {x.value}元") for x in losses]


class IncidentLinkForm(Styled, forms.Form):
    number = forms.CharField(label="警情编号", max_length=40)


# ------------------------------------------------------------------------------------ campaigns

class CampaignForm(Styled, forms.Form):
    name = forms.CharField(label="行动名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CampaignKind.choices)
    area = PlaceField(label="行动范围", queryset=Area.objects.none())
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE))
    organizer = AgencyField(label="牵头单位", queryset=Agency.objects.none(), required=False)
    units = AgenciesField(label="参战单位", queryset=Agency.objects.none(), required=False,
                          widget=forms.CheckboxSelectMultiple)
    targets = forms.CharField(label="工作目标", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["area"].queryset = Area.objects.visible_to(user).filter(
            Q(level=Level.BANNER) | Q(level=Level.TOWNSHIP)).select_related("parent").order_by("code")
        units = selectors.police_units_for(user)
        self.fields["organizer"].queryset = units
        self.fields["units"].queryset = units
        if editing:
            del self.fields["area"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data


class GoalForm(Styled, forms.Form):
    metric = forms.ChoiceField(label="指标", choices=[("", "—"), *Metric.choices], required=False)
    item_kind = forms.ChoiceField(label="收缴物品", choices=[("", "—"), *ItemKind.choices], required=False)
    value = forms.DecimalField(label="目标值", required=False, min_value=0, max_digits=12, decimal_places=2)


GoalFormSet = forms.formset_factory(GoalForm, extra=4, max_num=12)


class InspectionForm(Styled, forms.Form):
    area = PlaceField(label="所在村(乡镇)", queryset=Area.objects.none())
    place = forms.CharField(label="检查场所", max_length=100)
    place_kind = forms.ChoiceField(label="场所类型", choices=PlaceKind.choices)
    inspected_on = forms.DateField(label="检查日期", initial=today, widget=forms.DateInput(attrs=DATE))
    problems = forms.IntegerField(label="发现问题(处)", min_value=0, initial=0)
    findings = forms.CharField(label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    inspectors = forms.CharField(label="检查人员", max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.places_for(user)


class SeizureForm(Styled, forms.Form):
    area = PlaceField(label="所在村(乡镇)", queryset=Area.objects.none())
    item_kind = forms.ChoiceField(label="物品类别", choices=ItemKind.choices)
    quantity = forms.DecimalField(label="数量", min_value=0, max_digits=12, decimal_places=2,
                                  help_text="枪支(支)、弹药(发)、管制刀具(把)、炸药(千克)、雷管(枚)、毒品(克)")
    seized_on = forms.DateField(label="收缴日期", initial=today, widget=forms.DateInput(attrs=DATE))
    case_number = forms.CharField(label="关联案件编号", max_length=40, required=False)
    description = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.places_for(user)


# ------------------------------------------------------------------------------------ operations

class OperationForm(Styled, forms.Form):
    name = forms.CharField(label="作战名称", max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "如 海流图、乌加河系列盗窃羊只案合成作战"}))
    area = PlaceField(label="组织辖区", queryset=Area.objects.none())
    lead_unit = AgencyField(label="牵头单位", queryset=Agency.objects.none(), required=False)
    opened_on = forms.DateField(label="启动日期", initial=today, widget=forms.DateInput(attrs=DATE))
    method = forms.ChoiceField(label="作案手段", choices=[("", "—"), *TheftMethod.choices], required=False)
    goods = forms.ChoiceField(label="侵害物品", choices=[("", "—"), *Goods.choices], required=False)
    description = forms.CharField(label="串并依据与工作要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        self.fields["area"].queryset = Area.objects.visible_to(user).filter(
            Q(level=Level.BANNER) | Q(level=Level.TOWNSHIP)).select_related("parent").order_by("code")
        self.fields["lead_unit"].queryset = selectors.police_units_for(user)


class OperationCaseForm(forms.Form):
    case = forms.IntegerField()
    action = forms.ChoiceField(choices=[("add", "串并"), ("remove", "移出")])


class OperationCloseForm(Styled, forms.Form):
    closed_on = forms.DateField(label="结束日期", initial=today, widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="战果小结", max_length=200, required=False)
