"""Forms: parse and check the shape of the input; the business rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from pingan.areas.models import Area
from pingan.disputes import selectors
from pingan.disputes.models import (
    DisputeKind,
    DisputeSource,
    FollowUpMethod,
    HazardCategory,
    HazardSeverity,
    MediationOutcome,
    PartyRole,
    PlaceKind,
    RiskLevel,
)
from pingan.disputes.services import HazardIn, PartyIn
from pingan.org.models import Staff

RISK_CHOICES = [(v, f"{label}色") for v, label in reversed(RiskLevel.choices)]
YES_NO = [("1", "是"), ("0", "否")]


def today():
    return timezone.localdate()


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.parent.short_name if obj.parent_id else ''} {obj.short_name}".strip()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.category}·{obj.agency.short_name or obj.agency.name}）"


class StaffMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.category}）"


class Styled:
    """Bootstrap classes on the widgets, so templates render ``{{ field }}`` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


# ---- disputes -------------------------------------------------------------------------------


class DisputeForm(Styled, forms.Form):
    area = VillageChoiceField(label="所在村(嘎查、社区)", queryset=Area.objects.none())
    title = forms.CharField(label="纠纷事由", max_length=100)
    kind = forms.ChoiceField(label="纠纷类型", choices=DisputeKind.choices)
    source = forms.ChoiceField(label="来源", choices=DisputeSource.choices)
    description = forms.CharField(label="基本情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    people_involved = forms.IntegerField(label="涉及人数", min_value=0, required=False,
                                         help_text="群体性纠纷(如欠薪)填写总人数")
    amount = forms.DecimalField(label="涉及金额(元)", min_value=0, max_digits=12, decimal_places=2, required=False)
    risk = forms.TypedChoiceField(label="初步风险等级", choices=[("", "—"), *RISK_CHOICES], coerce=int, required=False,
                                  empty_value=None)
    risk_reason = forms.CharField(label="初步判断理由", max_length=300, required=False)
    incident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.villages_for(user)


class PartyForm(Styled, forms.Form):
    name = forms.CharField(label="姓名(名称)", max_length=40)
    role = forms.ChoiceField(label="身份", choices=PartyRole.choices, initial=PartyRole.APPLICANT)
    id_number = forms.CharField(label="身份证号码", max_length=20, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=100, required=False)

    def has_changed(self) -> bool:
        """A row counts only when it names someone (the role select always posts a value)."""
        return bool((self.data.get(self.add_prefix("name")) or "").strip()) if self.is_bound else super().has_changed()

    def party(self) -> PartyIn:
        return PartyIn(**self.cleaned_data)


PartyFormSet = forms.formset_factory(PartyForm, extra=3, max_num=50)


def parties_from(formset) -> list[PartyIn]:
    return [f.party() for f in formset.forms if f.has_changed() and f.is_valid() and f.cleaned_data.get("name")]


class AssessForm(Styled, forms.Form):
    risk = forms.TypedChoiceField(label="风险等级", choices=RISK_CHOICES, coerce=int)
    reason = forms.CharField(label="定级理由", max_length=300)


class AssignForm(Styled, forms.Form):
    agency = forms.ModelChoiceField(label="承办单位", queryset=None, required=False)
    staff = StaffChoiceField(label="承办人", queryset=None, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.assignable_agencies(dispute)
        self.fields["staff"].queryset = selectors.assignable_staff(dispute)


class SessionForm(Styled, forms.Form):
    held_on = forms.DateField(label="调解日期", initial=today, widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label="调解结果", choices=MediationOutcome.choices)
    mediator = StaffChoiceField(label="主持调解人", queryset=None, required=False)
    participants = forms.CharField(label="参与人员", max_length=200, required=False)
    place = forms.CharField(label="调解地点", max_length=100, required=False)
    summary = forms.CharField(label="调解经过", widget=forms.Textarea(attrs={"rows": 3}))
    agreement = forms.CharField(label="协议内容", max_length=300, required=False)

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = selectors.mediators(dispute)


class FollowUpForm(Styled, forms.Form):
    on = forms.DateField(label="回访日期", initial=today, widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label="方式", choices=FollowUpMethod.choices)
    stable = forms.TypedChoiceField(label="纠纷已平稳化解", choices=YES_NO, coerce=lambda v: v == "1", initial="1")
    satisfied = forms.TypedChoiceField(label="当事人满意", choices=YES_NO, coerce=lambda v: v == "1", initial="1")
    note = forms.CharField(label="回访情况", max_length=300, required=False)


class CloseForm(Styled, forms.Form):
    note = forms.CharField(label="办结说明", max_length=300, required=False)


class ExtendForm(Styled, forms.Form):
    days = forms.IntegerField(label="延期天数", min_value=1, max_value=30)
    reason = forms.CharField(label="延期理由", max_length=300)


class SuperviseForm(Styled, forms.Form):
    note = forms.CharField(label="督办意见", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(Styled, forms.Form):
    answer = forms.CharField(label="反馈", max_length=300)


# ---- visits and hazards ---------------------------------------------------------------------


class VisitForm(Styled, forms.Form):
    """The phone form: few fields, big buttons, today and the user's own village and team by default.
    The team's choices follow the chosen village (people working there or in its township)."""

    area = VillageChoiceField(label="村(嘎查、社区)", queryset=Area.objects.none())
    visited_on = forms.DateField(label="日期", initial=today, widget=forms.DateInput(attrs={"type": "date"}))
    place_kind = forms.ChoiceField(label="走访对象", choices=PlaceKind.choices, widget=forms.RadioSelect,
                                   initial=PlaceKind.VILLAGE)
    place_name = forms.CharField(label="名称", max_length=100)
    team = StaffMultipleField(label="走访人员", queryset=None, widget=forms.CheckboxSelectMultiple)
    findings = forms.CharField(label="走访情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    dispute_title = forms.CharField(label="发现矛盾纠纷线索（填写即登记）", max_length=100, required=False)
    dispute_kind = forms.ChoiceField(label="纠纷类型", choices=DisputeKind.choices, initial=DisputeKind.NEIGHBOUR,
                                     required=False)
    hazard_description = forms.CharField(label="发现安全隐患（填写即登记）", max_length=300, required=False)
    hazard_category = forms.ChoiceField(label="隐患类别", choices=HazardCategory.choices, required=False,
                                        initial=HazardCategory.FIRE)
    hazard_severity = forms.ChoiceField(label="隐患等级", choices=HazardSeverity.choices, required=False,
                                        initial=HazardSeverity.MINOR)
    hazard_responsible = forms.CharField(label="整改责任单位(人)", max_length=100, required=False)

    def __init__(self, *args, user, area: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.villages_for(user)
        self.fields["team"].queryset = selectors.team_candidates(area) if area else Staff.objects.none()

    def hazard(self) -> HazardIn | None:
        d = self.cleaned_data
        if not d.get("hazard_description", "").strip():
            return None
        return HazardIn(category=d["hazard_category"] or HazardCategory.OTHER, description=d["hazard_description"],
                        severity=d["hazard_severity"] or HazardSeverity.MINOR, responsible=d["hazard_responsible"])


class HazardForm(Styled, forms.Form):
    area = VillageChoiceField(label="村(嘎查、社区)", queryset=Area.objects.none())
    place_kind = forms.ChoiceField(label="场所类型", choices=PlaceKind.choices, initial=PlaceKind.ENTERPRISE)
    place_name = forms.CharField(label="场所", max_length=100)
    category = forms.ChoiceField(label="隐患类别", choices=HazardCategory.choices)
    severity = forms.ChoiceField(label="隐患等级", choices=HazardSeverity.choices, initial=HazardSeverity.MINOR)
    description = forms.CharField(label="隐患描述", widget=forms.Textarea(attrs={"rows": 3}))
    found_on = forms.DateField(label="发现日期", initial=today, widget=forms.DateInput(attrs={"type": "date"}))
    responsible = forms.CharField(label="整改责任单位(人)", max_length=100, required=False)
    deadline = forms.DateField(label="整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="不填则按等级：一般30天、较大15天、重大7天")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.villages_for(user)


class RectifyForm(Styled, forms.Form):
    rectified_on = forms.DateField(label="整改完成日期", initial=today, widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="整改情况及佐证", widget=forms.Textarea(attrs={"rows": 2}))
