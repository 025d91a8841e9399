"""Forms only parse and validate input; the services decide and write."""

from __future__ import annotations

import decimal

from django import forms
from django.conf import settings

from pingan.areas.models import Area
from pingan.core.scope import Line
from pingan.org.models import Agency
from pingan.procuratorate.models import (
    DEFAULT_REPLY_MONTHS,
    AttachmentKind,
    Field,
    FraudStage,
    LeadSource,
    Verification,
)

DATE = forms.DateInput(attrs={"type": "date"})


class Bootstrap:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm")
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)


class Form(Bootstrap, forms.Form):
    pass


def area_field(user, label: str = "所在辖区") -> forms.ModelChoiceField:
    """Townships (and the root) of the user's jurisdiction: records hang on these."""
    qs = Area.objects.visible_to(user).filter(level__lte=3).order_by("code")
    return forms.ModelChoiceField(label=label, queryset=qs)


class MoneyField(forms.DecimalField):
    def __init__(self, label: str, required: bool = True, **kwargs):
        super().__init__(label=label, required=required, max_digits=14, decimal_places=2,
                         min_value=decimal.Decimal("0"), **kwargs)


class AttachmentForm(Form):
    file = forms.FileField(label="文件", help_text=f"单个文件不超过{settings.PINGAN_UPLOAD_MAX_BYTES // 1048576}MB")
    kind = forms.ChoiceField(label="类别", choices=AttachmentKind.choices, initial=AttachmentKind.EVIDENCE)
    note = forms.CharField(label="说明", required=False, max_length=200)


class ShareForm(Form):
    line = forms.ChoiceField(label="共享给条线", required=False,
                             choices=[("", "—")] + [(v, Line(v).label) for v in (Line.POLICE, Line.JUSTICE, Line.GRID)])
    agency = forms.ModelChoiceField(label="或共享给行政机关", required=False, queryset=Agency.objects.none())
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies


# ---------------------------------------------------------------------------------------- leads

class LeadForm(Form):
    area = forms.ModelChoiceField(label="所在辖区", queryset=Area.objects.none())
    field = forms.ChoiceField(label="领域", choices=Field.choices)
    source = forms.ChoiceField(label="来源", choices=LeadSource.choices)
    source_ref = forms.CharField(label="来源编号/说明", required=False, max_length=100)
    subject = forms.CharField(label="事由", max_length=200)
    description = forms.CharField(label="线索内容", required=False, widget=forms.Textarea)
    place = forms.CharField(label="地点", required=False, max_length=200)
    received_on = forms.DateField(label="受理日期", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(user)
        self.fields["area"].widget.attrs["class"] = "form-select form-select-sm"


class LeadAssessForm(Form):
    outcome = forms.ChoiceField(label="评估结论", choices=[("suggestion", "转为检察建议"), ("case", "立案办理"),
                                                          ("close", "结束(不予立案)")])
    on = forms.DateField(label="评估日期", widget=DATE, required=False)
    assessment = forms.CharField(label="评估意见", required=False, widget=forms.Textarea)
    reason = forms.CharField(label="结束理由", required=False, widget=forms.Textarea)
    case_ref = forms.CharField(label="案号", required=False, max_length=60)
    addressed_agency = forms.ModelChoiceField(label="被建议单位(转检察建议时)", required=False,
                                              queryset=Agency.objects.none())

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["addressed_agency"].queryset = agencies


# ---------------------------------------------------------------------------------------- suggestions

class SuggestionForm(Form):
    addressed_agency = forms.ModelChoiceField(label="被建议单位", queryset=Agency.objects.none())
    area = forms.ModelChoiceField(label="所在辖区", queryset=Area.objects.none())
    field = forms.ChoiceField(label="领域", choices=Field.choices)
    title = forms.CharField(label="标题", max_length=200)
    matter = forms.CharField(label="违法情形(概述)", max_length=100, help_text="一句话，用于工作总结，如“村医非法售卖假药”")
    facts = forms.CharField(label="查明的事实", widget=forms.Textarea)
    legal_basis = forms.CharField(label="法律依据", widget=forms.Textarea, required=False,
                                  help_text="可先保存草稿，提请审批前须填写")
    requirements = forms.CharField(label="建议事项(整改要求)", widget=forms.Textarea, required=False,
                                   help_text="可先保存草稿，提请审批前须填写")
    reply_period_months = forms.IntegerField(label="回复期限(月)", min_value=1, max_value=12,
                                             initial=DEFAULT_REPLY_MONTHS, help_text="自送达之日起计算，默认两个月")

    def __init__(self, *args, user=None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(user)
        self.fields["area"].widget.attrs["class"] = "form-select form-select-sm"
        if agencies is not None:
            self.fields["addressed_agency"].queryset = agencies


class ActionForm(Form):
    """Every step of a suggestion's state machine; which fields matter depends on the step."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("submit", "return", "approve", "serve", "verify",
                                                         "verify_result", "litigate", "remind", "reissue")])
    on = forms.DateField(label="日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea)
    number = forms.CharField(label="文号", required=False, max_length=60)
    reply_deadline = forms.DateField(label="回复期限", required=False, widget=DATE)
    result = forms.ChoiceField(label="核查结论", required=False, choices=[("", "—")] + Verification.choices)
    litigation_ref = forms.CharField(label="公益诉讼案号", required=False, max_length=60)


class ReplyForm(Form):
    replied_on = forms.DateField(label="回复日期", required=False, widget=DATE)
    reply = forms.CharField(label="回复内容", widget=forms.Textarea)
    rectification = forms.CharField(label="整改情况报告", required=False, widget=forms.Textarea)
    file = forms.FileField(label="整改佐证材料", required=False,
                           help_text=f"可选；单个文件不超过{settings.PINGAN_UPLOAD_MAX_BYTES // 1048576}MB")


# ---------------------------------------------------------------------------------------- wage claims

class ClaimForm(Form):
    area = forms.ModelChoiceField(label="所在辖区", queryset=Area.objects.none())
    project = forms.CharField(label="建设工程项目", max_length=200)
    employer = forms.CharField(label="建设单位(发包方)", required=False, max_length=100)
    contractor = forms.CharField(label="施工承包人", max_length=100)
    contractor_code = forms.CharField(label="承包人证件/统一社会信用代码", required=False, max_length=30)
    received_on = forms.DateField(label="受理日期", widget=DATE)
    summary = forms.CharField(label="基本案情", required=False, widget=forms.Textarea)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(user)
        self.fields["area"].widget.attrs["class"] = "form-select form-select-sm"


class WorkerForm(Form):
    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="身份证号码", max_length=18)
    phone = forms.CharField(label="手机号码", required=False, max_length=11)
    hometown = forms.CharField(label="籍贯/住址", required=False, max_length=100)
    amount_owed = MoneyField("被拖欠工资(元)")


class ProsecutionForm(Form):
    case_ref = forms.CharField(label="案号(起诉书文号)", max_length=60)
    police_case_ref = forms.CharField(label="公安机关案件编号", required=False, max_length=60)
    defendant = forms.CharField(label="被告人", max_length=100)
    court = forms.CharField(label="审判法院", max_length=60)
    filed_on = forms.DateField(label="提起公诉日期", widget=DATE)


class JudgmentForm(Form):
    judgment = forms.CharField(label="判决结果", max_length=200)
    judged_on = forms.DateField(label="判决日期", widget=DATE)


class WorkersPickForm(Form):
    """Pick some of a claim's workers (support suit, aid referral)."""

    workers = forms.ModelMultipleChoiceField(label="农民工", queryset=None, widget=forms.CheckboxSelectMultiple,
                                             required=False)
    all_workers = forms.BooleanField(label="全部农民工", required=False)
    on = forms.DateField(label="日期", widget=DATE)
    referred_to = forms.ModelChoiceField(label="移送部门(司法救助)", required=False, queryset=Agency.objects.none())
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, workers=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers
        if departments is not None:
            self.fields["referred_to"].queryset = departments

    def chosen(self):
        return list(self.fields["workers"].queryset) if self.cleaned_data.get("all_workers") else list(
            self.cleaned_data.get("workers") or [])


class SupportStepForm(Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("review", "issue", "refuse", "court", "decide")])
    on = forms.DateField(label="日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)
    document_ref = forms.CharField(label="支持起诉书文号", required=False, max_length=60)
    court = forms.CharField(label="受理法院", required=False, max_length=60)
    court_case_ref = forms.CharField(label="法院案号", required=False, max_length=60)
    outcome = forms.CharField(label="结果", required=False, max_length=200)
    amount_awarded = MoneyField("确认金额(元)", required=False)


class EnforcementForm(Form):
    on = forms.DateField(label="日期", widget=DATE)
    court = forms.CharField(label="执行法院", required=False, max_length=60)
    action = forms.CharField(label="跟进事项", max_length=200)
    amount_recovered = MoneyField("执行到位金额(元)", required=False)


class CloseForm(Form):
    closed_on = forms.DateField(label="办结日期", widget=DATE)
    note = forms.CharField(label="办结说明", required=False, max_length=200)


# ---------------------------------------------------------------------------------------- fraud, publicity

class FraudForm(Form):
    area = forms.ModelChoiceField(label="所在辖区", queryset=Area.objects.none())
    case_ref = forms.CharField(label="公安机关案件编号", max_length=60)
    case_name = forms.CharField(label="案件名称", max_length=200)
    police_agency = forms.CharField(label="侦查机关", max_length=60)
    crime = forms.CharField(label="涉嫌罪名", max_length=60, initial="诈骗罪")
    cross_border = forms.BooleanField(label="跨境案件", required=False)
    region = forms.CharField(label="境外地区", required=False, max_length=30, help_text="如：缅北")
    intervened_on = forms.DateField(label="介入日期", widget=DATE)
    opinion = forms.CharField(label="介入意见(引导取证)", required=False, widget=forms.Textarea)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(user)
        self.fields["area"].widget.attrs["class"] = "form-select form-select-sm"


class VictimForm(Form):
    name = forms.CharField(label="被害人", max_length=40)
    loss = MoneyField("被骗金额(元)")
    recovered = MoneyField("挽回损失(元)", required=False)
    recovered_on = forms.DateField(label="返还日期", required=False, widget=DATE)


class StageForm(Form):
    stage = forms.ChoiceField(label="阶段", choices=FraudStage.choices)
    on = forms.DateField(label="日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=200)


class PublicityForm(Form):
    area = forms.ModelChoiceField(label="所在辖区", queryset=Area.objects.none())
    held_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    forms_ = forms.CharField(label="形式", max_length=100, initial="发放宣传资料、现场答疑解惑")
    materials = forms.IntegerField(label="发放资料(份)", min_value=0, initial=0)
    audience = forms.IntegerField(label="受众(人次)", min_value=0, initial=0)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = area_field(user)
        self.fields["area"].widget.attrs["class"] = "form-select form-select-sm"
