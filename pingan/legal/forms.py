"""Forms parse input; the services decide. Errors a service raises are put back on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.core.dictionaries import ETHNICITIES
from pingan.legal.models import (
    QUOTA_UNIT_CHOICES,
    ActivityKind,
    Channel,
    CourseKind,
    Criterion,
    Education,
    EvaluationGrade,
    MediationOutcome,
    Mode,
    Organiser,
    PoliticalStatus,
    SourceCategory,
    Status,
    Topic,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d")
YES_NO = [("1", "符合"), ("0", "不符合")]


def _blank(choices):
    return [("", "—")] + list(choices)


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)

    def apply(self, call):
        """Run ``call(cleaned_data)`` (a service call); its ValidationError becomes form errors.
        Returns the result, or None when refused."""
        try:
            return call(self.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
            else:
                self.add_error(None, exc.messages)
            return None


def today():
    return timezone.localdate()


class NominateForm(BootstrapForm):
    staff = forms.ModelChoiceField(label="已有人员", queryset=None, required=False,
                                   help_text="从本嘎查(社区)已登记的人员中选择；或在下方填写新人员")
    name = forms.CharField(label="姓名", max_length=40, required=False)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False,
                                help_text="已登记在平安乡村的人员(如网格员)按身份证号码自动关联，不重复建档")
    phone = forms.CharField(label="手机号码", max_length=11, required=False)
    ethnicity = forms.ChoiceField(label="民族", choices=[(e, e) for e in ETHNICITIES], required=False)
    source_category = forms.ChoiceField(label="人员来源", choices=SourceCategory.choices)
    channel = forms.ChoiceField(label="推荐渠道", choices=Channel.choices)
    recommender = forms.CharField(label="推荐单位(人)", max_length=60, required=False)
    political_status = forms.ChoiceField(label="政治面貌", choices=_blank(PoliticalStatus.choices), required=False)
    education = forms.ChoiceField(label="文化程度", choices=_blank(Education.choices), required=False)
    occupation = forms.CharField(label="现任职务或职业", max_length=60, required=False)
    nominated_on = forms.DateField(label="推荐日期", widget=DATE, initial=today)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, staff_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.category}，{s.area.short_name}）"

    def identity(self) -> dict | None:
        data = self.cleaned_data
        if data.get("staff") is not None:
            return None
        return {k: data.get(k) for k in ("name", "id_number", "phone", "ethnicity")}


class PersonEditForm(BootstrapForm):
    recommender = forms.CharField(label="推荐单位(人)", max_length=60, required=False)
    political_status = forms.ChoiceField(label="政治面貌", choices=_blank(PoliticalStatus.choices), required=False)
    education = forms.ChoiceField(label="文化程度", choices=_blank(Education.choices), required=False)
    occupation = forms.CharField(label="现任职务或职业", max_length=60, required=False)
    certificate_no = forms.CharField(label="聘书(证书)编号", max_length=40, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class CheckForm(BootstrapForm):
    criterion = forms.ChoiceField(label="选拔条件", choices=Criterion.choices)
    passed = forms.TypedChoiceField(label="审查结论", choices=YES_NO, coerce=lambda v: v == "1")
    checked_on = forms.DateField(label="审查日期", widget=DATE, initial=today)
    note = forms.CharField(label="审查说明", max_length=200, required=False)


class AssessmentForm(BootstrapForm):
    passed = forms.TypedChoiceField(label="考察结论", choices=[("1", "合格"), ("0", "不合格")], coerce=lambda v: v == "1")
    opinion = forms.CharField(label="考察意见", max_length=300)
    assessed_on = forms.DateField(label="考察日期", widget=DATE, initial=today)


class DecisionForm(BootstrapForm):
    selected = forms.TypedChoiceField(label="决定", choices=[("1", "入选"), ("0", "未入选")], coerce=lambda v: v == "1")
    decided_on = forms.DateField(label="决定日期", widget=DATE, initial=today)
    reason = forms.CharField(label="说明(未入选须填原因)", max_length=200, required=False)
    certificate_no = forms.CharField(label="聘书(证书)编号", max_length=40, required=False)


class TransitionForm(BootstrapForm):
    to_status = forms.ChoiceField(label="变更为", choices=[(s, s) for s in (Status.ASSESSING, Status.SERVING, Status.EXITED)])
    on = forms.DateField(label="日期", widget=DATE, initial=today)
    reason = forms.CharField(label="原因或说明(退出须填)", max_length=200, required=False)


class EvaluationForm(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="评议等次", choices=EvaluationGrade.choices)
    evaluated_on = forms.DateField(label="评议日期", widget=DATE, initial=today)
    comment = forms.CharField(label="评语", max_length=300, required=False)


class QuotaForm(BootstrapForm):
    unit_kind = forms.ChoiceField(label="单位类型", choices=QUOTA_UNIT_CHOICES)
    quota = forms.IntegerField(label="定额(名)", min_value=0, max_value=50)


class CourseForm(BootstrapForm):
    name = forms.CharField(label="名称", max_length=100)
    organiser = forms.ChoiceField(label="组织单位", choices=Organiser.choices)
    kind = forms.ChoiceField(label="类型", choices=CourseKind.choices)
    mode = forms.ChoiceField(label="方式", choices=Mode.choices)
    topics = forms.MultipleChoiceField(label="内容", choices=Topic.choices, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="说明", max_length=200, required=False)


class SessionForm(BootstrapForm):
    title = forms.CharField(label="主题", max_length=100)
    date = forms.DateField(label="日期", widget=DATE, initial=today)
    hours = forms.DecimalField(label="学时", max_digits=4, decimal_places=1, min_value=0)
    topic = forms.ChoiceField(label="内容类别", choices=Topic.choices)
    place = forms.CharField(label="地点(平台)", max_length=100, required=False)
    lecturer = forms.CharField(label="授课人", max_length=60, required=False)
    representative = forms.ModelChoiceField(label="经验分享代表", queryset=None, required=False)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = persons
        self.fields["representative"].label_from_instance = lambda p: f"{p.staff.name}（{p.village.short_name}）"


class AttendanceForm(BootstrapForm):
    persons = forms.ModelMultipleChoiceField(label="参训人员", queryset=None, widget=forms.CheckboxSelectMultiple)
    hours = forms.DecimalField(label="学时(不填按场次学时)", max_digits=4, decimal_places=1, required=False)
    test_score = forms.IntegerField(label="测试成绩", min_value=0, max_value=100, required=False)
    certificate_no = forms.CharField(label="结业证书编号", max_length=40, required=False)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = persons
        self.fields["persons"].label_from_instance = lambda p: f"{p.staff.name}（{p.village.short_name}）"


class PairingForm(BootstrapForm):
    adviser = forms.ModelChoiceField(label="法律顾问", queryset=None)
    start = forms.DateField(label="起始日期", widget=DATE, initial=today)
    note = forms.CharField(label="职责分工", max_length=200, required=False)

    def __init__(self, *args, advisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers
        self.fields["adviser"].label_from_instance = lambda s: f"{s.name}（{s.area.short_name}，{s.note or s.agency}）"


class ActivityForm(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=ActivityKind.choices)
    date = forms.DateField(label="日期", widget=DATE, initial=today)
    village = forms.ModelChoiceField(label="嘎查(社区)", queryset=None)
    title = forms.CharField(label="主题(事由)", max_length=100)
    participants = forms.ModelMultipleChoiceField(label="参与法律明白人", queryset=None,
                                                  widget=forms.CheckboxSelectMultiple)
    adviser = forms.ModelChoiceField(label="参与法律顾问", queryset=None, required=False)
    place = forms.CharField(label="地点", max_length=100, required=False)
    audience = forms.CharField(label="宣传对象", max_length=60, required=False)
    audience_count = forms.IntegerField(label="受众(人次、户)", min_value=0, initial=0, required=False)
    materials = forms.CharField(label="宣传资料", max_length=100, required=False)
    parties = forms.CharField(label="当事人(调解)", max_length=100, required=False, help_text="多人以顿号分隔")
    outcome = forms.ChoiceField(label="调解结果", choices=_blank(MediationOutcome.choices), required=False)
    dispute_ref = forms.CharField(label="关联纠纷编号", max_length=40, required=False)
    summary = forms.CharField(label="内容摘要", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label="照片或附件(jpg、png、pdf)", required=False)

    def clean_audience_count(self):
        return self.cleaned_data.get("audience_count") or 0

    def __init__(self, *args, villages=None, persons=None, advisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda a: f"{a.parent.short_name} {a.short_name}"
        self.fields["participants"].queryset = persons
        self.fields["participants"].label_from_instance = lambda p: f"{p.staff.name}（{p.village.short_name}）"
        self.fields["adviser"].queryset = advisers
        self.fields["adviser"].label_from_instance = lambda s: f"{s.name}（{s.area.short_name}）"
