"""Forms: parse and check the shape of the input; the business rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from pingan.core.forms import DateInput
from pingan.ecology import selectors, services
from pingan.ecology.models import FindingKind, Keeper, KeeperLevel, SizeUnit, ZoneKind


def today():
    return timezone.localdate()


class Styled:
    """Bootstrap classes on the widgets, so templates render ``{{ field }}`` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class PlacesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.level == 3:
            return f"{obj.short_name}（全乡镇）"
        return f"{obj.parent.short_name if obj.parent_id else ''} {obj.short_name}".strip()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.category}·{obj.agency.short_name or obj.agency.name}·{obj.area.short_name}）"


class ZoneForm(Styled, forms.Form):
    name = forms.CharField(label="责任区名称", max_length=60)
    kind = forms.ChoiceField(label="类型", choices=ZoneKind.choices)
    places = PlacesField(label="覆盖乡镇(苏木)、村(嘎查、社区)", queryset=None,
                         widget=forms.SelectMultiple(attrs={"size": 10}),
                         help_text="可多选（按住Ctrl）；责任区归属于所选范围的共同上级")
    size = forms.DecimalField(label="面积", min_value=0, max_digits=12, decimal_places=2)
    size_unit = forms.ChoiceField(label="面积单位", choices=SizeUnit.choices)
    established_on = forms.DateField(label="设立日期", widget=DateInput, initial=today)
    ended_on = forms.DateField(label="撤销日期", widget=DateInput, required=False)
    geometry = forms.CharField(label="范围(GeoJSON，可选)", required=False,
                               widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace small"}),
                               help_text='几何对象，如 {"type":"Polygon","coordinates":[[[108.5,41.5],[108.6,41.5],'
                                         '[108.6,41.6],[108.5,41.5]]]}，经纬度(WGS84)')
    description = forms.CharField(label="基本情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = selectors.places_for(user)
        if not editing:
            del self.fields["ended_on"]


class KeeperForm(Styled, forms.Form):
    level = forms.TypedChoiceField(label="层级", choices=KeeperLevel.choices, coerce=int)
    staff = StaffChoiceField(label="人员(从人员台账选择)", queryset=None, required=False,
                             help_text="旗级警长、所长、驻村民警/辅警须从台账选择；护林员、村干部不在台账的，填写姓名和电话")
    name = forms.CharField(label="姓名", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    post = forms.CharField(label="职务", max_length=40, required=False)
    start = forms.DateField(label="起始日期", widget=DateInput, initial=today)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from pingan.org.models import Staff

        categories = {c for cats in services.LEVEL_CATEGORIES.values() for c in cats}
        self.fields["staff"].queryset = (
            Staff.objects.filter(active=True, category__in=categories)
            .filter(Q(area__code__in=zone.area.ancestor_codes()) | Q(area__path__startswith=zone.area.path))
            .select_related("agency", "area").order_by("category", "area__code", "name"))


class KeeperEndForm(Styled, forms.Form):
    end = forms.DateField(label="结束日期", widget=DateInput, initial=today)
    reason = forms.CharField(label="原因", max_length=200, required=False)


class KeeperChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Keeper) -> str:
        return f"{obj.name}（{obj.level_short}）"


class PatrolForm(Styled, forms.Form):
    zone = forms.ModelChoiceField(label="责任区", queryset=None)
    patrolled_on = forms.DateField(label="巡护日期", widget=DateInput, initial=today)
    people = KeeperChoices(label="巡护人员", queryset=Keeper.objects.none(), required=False,
                           widget=forms.CheckboxSelectMultiple)
    others = forms.CharField(label="其他参加人员", max_length=200, required=False,
                             help_text="不在责任链上的人员，如：嘎查牧民护林员2人")
    others_count = forms.IntegerField(label="其他参加人数", min_value=0, required=False, initial=0)
    route = forms.CharField(label="巡护路线", max_length=200, required=False)
    distance_km = forms.DecimalField(label="巡护里程(公里)", min_value=0, max_digits=7, decimal_places=1,
                                     required=False)
    finding_kind = forms.ChoiceField(label="发现问题", choices=FindingKind.choices, widget=forms.RadioSelect,
                                     initial=FindingKind.NONE)
    findings = forms.CharField(label="巡护情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label="处置情况", max_length=300, required=False)

    def __init__(self, *args, user, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = selectors.zones_for(user)
        if zone is not None:
            self.fields["people"].queryset = Keeper.objects.current().filter(zone=zone).order_by("level", "id")


class ActionForm(Styled, forms.Form):
    zone = forms.ModelChoiceField(label="责任区", queryset=None)
    acted_on = forms.DateField(label="执法日期", widget=DateInput, initial=today)
    title = forms.CharField(label="行动名称", max_length=100)
    agencies = forms.ModelMultipleChoiceField(label="参加部门", queryset=None, widget=forms.CheckboxSelectMultiple)
    participants = forms.IntegerField(label="出动人数", min_value=0, required=False, initial=0)
    findings = forms.CharField(label="检查发现", widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label="处置结果", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        from pingan.org.models import Agency

        self.fields["zone"].queryset = selectors.zones_for(user)
        self.fields["agencies"].queryset = (services.partner_agencies(zone) if zone is not None
                                            else Agency.objects.none())


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} {obj.title}（{obj.category.name}·{obj.area.short_name}·{obj.accepted_on:%Y-%m-%d}）"


class CaseLinkForm(Styled, forms.Form):
    case = CaseChoiceField(label="生态环境案件", queryset=None)
    joint_action = forms.ModelChoiceField(label="联合执法立案", queryset=None, required=False,
                                          help_text="该案是某次联合执法中立的案时选择")
    patrol = forms.ModelChoiceField(label="发现于巡护", queryset=None, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = selectors.linkable_cases(user, zone)
        self.fields["joint_action"].queryset = zone.joint_actions.order_by("-acted_on")
        self.fields["patrol"].queryset = zone.patrols.exclude(finding_kind=FindingKind.NONE).order_by("-patrolled_on")
