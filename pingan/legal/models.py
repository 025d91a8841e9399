"""法律明白人 (legal-literate persons) of a banner's justice line.

A person's identity (name, ID number, phone, gender, ethnicity) lives on ``org.Staff`` and is never
copied here: a ``LegalPerson`` is the programme's file on one Staff for one village — candidacy,
selection checks, assessment, decision, status with dates, training, pairing, activities,
evaluations. Candidates may be people already in Pingan (a 网格员, a 人民调解员, a 驻村辅警) or new
people, who are then created as Staff of category 法律明白人 under the village's judicial office.

Scope: every record here is on the justice line (police, grid and procuratorate roles see none of
it) and hangs on a village through ``scope_area_field``. A legal-literate user is narrowed further
inside ``LegalQuerySet.visible_to``: to their own file (records of the person whose Staff is
``user.staff``) and to the activities and pairing of the villages they serve.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pingan.areas.models import Area, AreaKind
from pingan.core.models import TimeStampedModel
from pingan.core.scope import Line, Scope, ScopedModel, ScopedQuerySet
from pingan.org.models import Agency, Staff

JUSTICE_ONLY = frozenset({Line.JUSTICE})


# ---- dictionaries ------------------------------------------------------------------------------

class SourceCategory(models.TextChoices):
    COMMITTEE = "两委成员", "嘎查(社区)两委成员"
    MEDIATOR = "人民调解员", "人民调解员"
    GRID_WORKER = "网格员", "网格员"
    ENTREPRENEUR = "致富能手", "致富能手"
    OLD_CADRE = "老干部", "五老·老干部"
    OLD_SOLDIER = "老战士", "五老·老战士"
    OLD_EXPERT = "老专家", "五老·老专家"
    OLD_TEACHER = "老教师", "五老·老教师"
    OLD_MODEL = "老模范", "五老·老模范"
    AUXILIARY = "驻村辅警", "驻村辅警"
    OTHER = "其他", "其他"


WULAO = frozenset({SourceCategory.OLD_CADRE, SourceCategory.OLD_SOLDIER, SourceCategory.OLD_EXPERT,
                   SourceCategory.OLD_TEACHER, SourceCategory.OLD_MODEL})


class Channel(models.TextChoices):
    SELF = "自荐", "自荐"
    COMMITTEE = "两委推荐", "两委推荐"


class PoliticalStatus(models.TextChoices):
    PARTY = "中共党员", "中共党员"
    PROBATIONARY = "中共预备党员", "中共预备党员"
    LEAGUE = "共青团员", "共青团员"
    DEMOCRATIC = "民主党派", "民主党派"
    MASSES = "群众", "群众"


class Education(models.TextChoices):
    PRIMARY = "小学", "小学"
    JUNIOR = "初中", "初中"
    SENIOR = "高中(中专)", "高中(中专)"
    COLLEGE = "大专", "大专"
    BACHELOR = "本科及以上", "本科及以上"


class Status(models.TextChoices):
    CANDIDATE = "候选", "候选"
    ASSESSING = "考察", "考察"
    TRAINING = "培训", "培训"
    SERVING = "上岗", "上岗"
    EXITED = "退出", "退出"
    NOT_SELECTED = "未入选", "未入选"


# The status flow, one table: from → the statuses it may move to. 入选 (考察 → 培训) and 未入选
# are made by the selection decision, which applies the selection rules; the rest by transitions.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.CANDIDATE: frozenset({Status.ASSESSING, Status.NOT_SELECTED}),
    Status.ASSESSING: frozenset({Status.TRAINING, Status.NOT_SELECTED}),
    Status.TRAINING: frozenset({Status.SERVING, Status.EXITED}),
    Status.SERVING: frozenset({Status.EXITED}),
    Status.EXITED: frozenset(),
    Status.NOT_SELECTED: frozenset(),
}
DECISION_STATUSES = frozenset({Status.TRAINING, Status.NOT_SELECTED})
# A person counts as a 法律明白人 (for quotas and the year's figure) from selection until exit.
SELECTED_STATUSES = frozenset({Status.TRAINING, Status.SERVING})
OPEN_STATUSES = frozenset({Status.CANDIDATE, Status.ASSESSING, Status.TRAINING, Status.SERVING})


class Criterion(models.TextChoices):
    """The selection criteria, in the order they are examined: the political standard first."""

    POLITICAL = "political", "政治标准：拥护党的领导，政治素质好"
    MASS_BASE = "mass_base", "群众基础扎实，热心公益、办事公道"
    LAW_ABIDING = "law_abiding", "遵纪守法，无违法犯罪记录"
    LEARNING = "learning", "具备一定文化水平和学法用法能力"
    HEALTH = "health", "身体健康，能胜任工作"


CRITERIA = tuple(Criterion.values)  # political first


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "优秀", "优秀"
    COMPETENT = "称职", "称职"
    BASIC = "基本称职", "基本称职"
    INCOMPETENT = "不称职", "不称职"


class Organiser(models.TextChoices):
    NATIONAL = "national", "全国“法律明白人”示范培训班"
    LEAGUE = "league", "盟(市)司法局"
    BANNER = "banner", "旗(县)司法局"
    TOWNSHIP = "township", "司法所"


class CourseKind(models.TextChoices):
    CLASS = "培训班", "培训班"
    DEMONSTRATION = "示范培训", "示范培训(专家专题授课、以案说法)"
    EXCHANGE = "交流座谈会", "代表交流座谈会"


class Mode(models.TextChoices):
    ONLINE = "线上", "线上"
    OFFLINE = "线下", "线下"


class Topic(models.TextChoices):
    XI_RULE_OF_LAW = "习近平法治思想", "习近平法治思想"
    CONSTITUTION = "宪法", "《中华人民共和国宪法》"
    CIVIL_CODE = "民法典", "《中华人民共和国民法典》"
    MEDIATION = "人民调解", "人民调解"
    CASES = "以案说法", "以案说法"
    EXPERIENCE = "经验交流", "工作经验交流"
    OTHER = "其他", "其他"


class ActivityKind(models.TextChoices):
    PUBLICITY = "publicity", "法治宣传"
    MEDIATION = "mediation", "矛盾纠纷调解"
    CONSULTATION = "consultation", "法律咨询"
    VISIT = "visit", "走访"


class MediationOutcome(models.TextChoices):
    SETTLED = "调解成功", "调解成功"
    FAILED = "调解未成功", "调解未成功"
    REFERRED = "已移交", "已移交有关部门"
    ONGOING = "调解中", "调解中"


QUOTA_UNIT_KINDS = (AreaKind.COMMUNITY, AreaKind.GACHA, AreaKind.VILLAGE)
QUOTA_UNIT_CHOICES = [(k.value, k.label) for k in QUOTA_UNIT_KINDS]


def mask_names(value: str | None) -> str:
    """当事人: keep each name's first character (张三、李四 → 张*、李*)."""
    if not value:
        return ""
    parts = [p.strip() for p in value.replace("，", "、").replace(",", "、").split("、") if p.strip()]
    return "、".join(p[0] + "*" * (len(p) - 1 or 1) for p in parts)


# ---- scope ---------------------------------------------------------------------------------------

def _is_legal_literate(actor) -> bool:
    from pingan.accounts.roles import Role

    return getattr(actor, "is_authenticated", False) and getattr(actor, "role", None) == Role.LEGAL_LITERATE


def own_villages(user):
    """Ids of the villages a legal-literate user serves: their open files' villages (a subquery)."""
    if not getattr(user, "staff_id", None):
        return Area.objects.none().values("pk")
    return LegalPerson.objects.filter(staff_id=user.staff_id, status__in=OPEN_STATUSES).values("village_id")


class LegalQuerySet(ScopedQuerySet):
    """``visible_to`` = the jurisdiction × line scope of ``ScopedModel``, then, for a legal-literate
    user, the model's ``own_q``: their own file, their villages. No staff link → nothing."""

    def visible_to(self, actor):
        qs = super().visible_to(actor)
        if _is_legal_literate(actor):
            qs = qs.filter(self.model.own_q(actor))
        return qs


def _subtree_or_ancestors_q(prefix: str, scope: Scope) -> Q:
    """Records on the scope's subtree, or on one of its ancestors (a banner's course or quota is
    read by the banner's judicial offices and legal-literate persons too)."""
    codes = [c for c in scope.path.split("/") if c]
    ancestors = ["/".join(codes[:i]) + "/" for i in range(1, len(codes))]
    return Q(**{f"{prefix}path__startswith": scope.path}) | Q(**{f"{prefix}path__in": ancestors})


class LegalModel(ScopedModel):
    scope_lines = JUSTICE_ONLY
    objects = LegalQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def own_q(cls, user) -> Q:
        """What a legal-literate user may see of this model (within their scope); default: all."""
        return Q()


class BannerWideModel(LegalModel):
    """Non-personal records of a banner or township (quotas, courses) visible down the tree."""

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if not (cls.scope_lines & scope.lines):
            return Q(pk__in=[])
        return _subtree_or_ancestors_q(f"{cls.scope_area_field}__", scope)


def _own_file_q(lookup: str, user) -> Q:
    staff_id = getattr(user, "staff_id", None)
    return Q(**{lookup: staff_id}) if staff_id else Q(pk__in=[])


# ---- quota ---------------------------------------------------------------------------------------

class Quota(BannerWideModel, TimeStampedModel):
    """How many 法律明白人 each unit of a kind should have (阿右旗: 社区 5, 嘎查 3), set by the bureau."""

    banner = models.ForeignKey(Area, verbose_name="旗县", on_delete=models.PROTECT, related_name="legal_quotas")
    unit_kind = models.CharField("单位类型", max_length=8, choices=QUOTA_UNIT_CHOICES)
    quota = models.PositiveSmallIntegerField("定额(名)")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设定人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "banner"

    class Meta:
        verbose_name = verbose_name_plural = "法律明白人定额"
        ordering = ["banner__code", "unit_kind"]
        constraints = [models.UniqueConstraint(fields=["banner", "unit_kind"], name="legal_quota_unique")]

    def __str__(self) -> str:
        return f"{self.banner} 每个{self.get_unit_kind_display()} {self.quota}名"


# ---- the person's file ------------------------------------------------------------------------

class LegalPerson(LegalModel, TimeStampedModel):
    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.PROTECT, related_name="legal_files")
    village = models.ForeignKey(Area, verbose_name="服务嘎查(社区)", on_delete=models.PROTECT,
                                related_name="legal_persons")
    office = models.ForeignKey(Agency, verbose_name="建档司法所", on_delete=models.PROTECT, related_name="legal_persons")
    source_category = models.CharField("人员来源", max_length=8, choices=SourceCategory.choices)
    channel = models.CharField("推荐渠道", max_length=8, choices=Channel.choices)
    recommender = models.CharField("推荐单位(人)", max_length=60, blank=True)
    political_status = models.CharField("政治面貌", max_length=8, choices=PoliticalStatus.choices, blank=True)
    education = models.CharField("文化程度", max_length=8, choices=Education.choices, blank=True)
    occupation = models.CharField("现任职务或职业", max_length=60, blank=True)

    status = models.CharField("状态", max_length=4, choices=Status.choices, default=Status.CANDIDATE, db_index=True)
    status_since = models.DateField("状态起始日期")
    nominated_on = models.DateField("推荐日期")
    selected_on = models.DateField("入选日期", null=True, blank=True)
    serving_on = models.DateField("上岗日期", null=True, blank=True)
    exited_on = models.DateField("退出日期", null=True, blank=True)
    exit_reason = models.CharField("退出原因", max_length=200, blank=True)

    assessment_passed = models.BooleanField("考察结论合格", null=True, blank=True)
    assessment_opinion = models.CharField("考察意见", max_length=300, blank=True)
    assessed_on = models.DateField("考察日期", null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="考察人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.CharField("未入选原因", max_length=200, blank=True)
    certificate_no = models.CharField("聘书(证书)编号", max_length=40, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_area_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "法律明白人档案"
        ordering = ["village__code", "pk"]
        constraints = [
            # One open file per person: a 网格员 cannot be a candidate in two villages at once.
            models.UniqueConstraint(fields=["staff"], condition=Q(status__in=sorted(OPEN_STATUSES)),
                                    name="legal_person_one_open_file"),
        ]
        indexes = [models.Index(fields=["selected_on", "exited_on"])]

    def __str__(self) -> str:
        return f"{self.staff.name}({self.village})"

    @classmethod
    def own_q(cls, user) -> Q:
        return _own_file_q("staff_id", user)

    @property
    def is_selected(self) -> bool:
        return self.status in SELECTED_STATUSES

    @property
    def is_wulao(self) -> bool:
        return self.source_category in WULAO


class StatusChange(LegalModel):
    """The file's history: every status with its date and reason."""

    person = models.ForeignKey(LegalPerson, verbose_name="法律明白人", on_delete=models.CASCADE,
                               related_name="status_changes")
    from_status = models.CharField("原状态", max_length=4, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=4, choices=Status.choices)
    on = models.DateField("日期")
    reason = models.CharField("原因或说明", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_area_field = "person__village"

    class Meta:
        verbose_name = verbose_name_plural = "状态变更"
        ordering = ["person", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.from_status or '—'}→{self.to_status} {self.on}"

    @classmethod
    def own_q(cls, user) -> Q:
        return _own_file_q("person__staff_id", user)


class SelectionCheck(LegalModel, TimeStampedModel):
    """One selection criterion examined: yes/no, by whom, when."""

    person = models.ForeignKey(LegalPerson, verbose_name="法律明白人", on_delete=models.CASCADE, related_name="checks")
    criterion = models.CharField("选拔条件", max_length=16, choices=Criterion.choices)
    passed = models.BooleanField("符合")
    note = models.CharField("审查说明", max_length=200, blank=True)
    checked_on = models.DateField("审查日期")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "person__village"

    class Meta:
        verbose_name = verbose_name_plural = "选拔条件审查"
        ordering = ["person", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "criterion"], name="legal_check_unique")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_criterion_display()} {'符合' if self.passed else '不符合'}"

    @classmethod
    def own_q(cls, user) -> Q:
        return _own_file_q("person__staff_id", user)


class Evaluation(LegalModel, TimeStampedModel):
    """年度评议 of one person."""

    person = models.ForeignKey(LegalPerson, verbose_name="法律明白人", on_delete=models.CASCADE,
                               related_name="evaluations")
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("评议等次", max_length=4, choices=EvaluationGrade.choices)
    comment = models.CharField("评语", max_length=300, blank=True)
    evaluated_on = models.DateField("评议日期")
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评议人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "person__village"

    class Meta:
        verbose_name = verbose_name_plural = "年度评议"
        ordering = ["person", "-year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="legal_evaluation_unique")]

    def __str__(self) -> str:
        return f"{self.person} {self.year}年 {self.grade}"

    @classmethod
    def own_q(cls, user) -> Q:
        return _own_file_q("person__staff_id", user)


# ---- training ----------------------------------------------------------------------------------

class Course(BannerWideModel, TimeStampedModel):
    """A training course or meeting the banner's 法律明白人 take part in, recorded on the banner (or
    township) that organised their participation."""

    name = models.CharField("名称", max_length=100)
    organiser = models.CharField("组织单位", max_length=10, choices=Organiser.choices)
    kind = models.CharField("类型", max_length=8, choices=CourseKind.choices, default=CourseKind.CLASS)
    mode = models.CharField("方式", max_length=4, choices=Mode.choices)
    topics = models.JSONField("内容", default=list, blank=True)
    area = models.ForeignKey(Area, verbose_name="组织辖区", on_delete=models.PROTECT, related_name="legal_courses")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训课程"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def topics_text(self) -> str:
        labels = dict(Topic.choices)
        return "、".join(labels.get(t, t) for t in self.topics)


class TrainingSession(BannerWideModel, TimeStampedModel):
    """One sitting of a course, with its hours; ``representative`` is the 法律明白人 who shared
    their experience there (the banner class's 选树1名代表)."""

    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("主题", max_length=100)
    date = models.DateField("日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    topic = models.CharField("内容类别", max_length=10, choices=Topic.choices)
    place = models.CharField("地点(平台)", max_length=100, blank=True)
    lecturer = models.CharField("授课人", max_length=60, blank=True)
    representative = models.ForeignKey(LegalPerson, verbose_name="经验分享代表", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="shared_sessions")

    scope_area_field = "course__area"

    class Meta:
        verbose_name = verbose_name_plural = "培训场次"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Attendance(LegalModel, TimeStampedModel):
    """One person at one session: hours credited, test result, certificate."""

    session = models.ForeignKey(TrainingSession, verbose_name="培训场次", on_delete=models.CASCADE,
                                related_name="attendances")
    person = models.ForeignKey(LegalPerson, verbose_name="法律明白人", on_delete=models.CASCADE,
                               related_name="attendances")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    test_score = models.PositiveSmallIntegerField("测试成绩", null=True, blank=True)
    passed_test = models.BooleanField("测试合格", null=True, blank=True)
    certificate_no = models.CharField("结业证书编号", max_length=40, blank=True)

    scope_area_field = "person__village"

    class Meta:
        verbose_name = verbose_name_plural = "参训记录"
        ordering = ["session__date", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="legal_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.person} {self.session}"

    @classmethod
    def own_q(cls, user) -> Q:
        return _own_file_q("person__staff_id", user)


# ---- 1名法律顾问 + N名法律明白人 --------------------------------------------------------------------

class Pairing(LegalModel, TimeStampedModel):
    """A village's legal adviser (a lawyer, org.Staff of category 村(居)法律顾问) paired with the
    village's 法律明白人 — the N are the village's selected persons, computed, not listed."""

    village = models.ForeignKey(Area, verbose_name="嘎查(社区)", on_delete=models.PROTECT, related_name="legal_pairings")
    adviser = models.ForeignKey(Staff, verbose_name="法律顾问", on_delete=models.PROTECT, related_name="legal_pairings")
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("职责分工", max_length=200, blank=True)

    scope_area_field = "village"

    class Meta:
        verbose_name = verbose_name_plural = "顾问结对"
        ordering = ["village__code", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["village"], condition=Q(end__isnull=True), name="legal_pairing_one_open"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="legal_pairing_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.adviser.name}"

    @classmethod
    def own_q(cls, user) -> Q:
        return Q(village_id__in=own_villages(user))


# ---- activities --------------------------------------------------------------------------------

class Activity(LegalModel, TimeStampedModel):
    """法治宣传, 矛盾纠纷调解, 法律咨询, 走访 — one record each, with the 法律明白人 who took part."""

    kind = models.CharField("类型", max_length=12, choices=ActivityKind.choices, db_index=True)
    date = models.DateField("日期", db_index=True)
    village = models.ForeignKey(Area, verbose_name="嘎查(社区)", on_delete=models.PROTECT, related_name="legal_activities")
    office = models.ForeignKey(Agency, verbose_name="司法所", on_delete=models.PROTECT, related_name="legal_activities")
    title = models.CharField("主题(事由)", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)
    audience = models.CharField("宣传对象", max_length=60, blank=True)
    audience_count = models.PositiveIntegerField("受众(人次)", default=0)
    materials = models.CharField("宣传资料", max_length=100, blank=True)
    parties = models.CharField("当事人", max_length=100, blank=True)
    outcome = models.CharField("调解结果", max_length=8, choices=MediationOutcome.choices, blank=True)
    dispute_ref = models.CharField("关联纠纷编号", max_length=40, blank=True)
    dispute = models.ForeignKey("disputes.Dispute", verbose_name="关联矛盾纠纷", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="legal_activities",
                                help_text="按纠纷编号关联平台中的矛盾纠纷（须在登记人的辖区内）")
    summary = models.CharField("内容摘要", max_length=300, blank=True)
    participants = models.ManyToManyField(LegalPerson, verbose_name="参与法律明白人", related_name="activities")
    adviser = models.ForeignKey(Staff, verbose_name="参与法律顾问", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="legal_activities")
    attachment = models.FileField("照片或附件", upload_to="legal/activities/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    scope_area_field = "village"
    PII_MASKS = {"parties": mask_names}

    class Meta:
        verbose_name = verbose_name_plural = "法治活动"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["office", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.title}"

    @classmethod
    def own_q(cls, user) -> Q:
        return Q(village_id__in=own_villages(user))

    @property
    def parties_masked(self) -> str:
        return mask_names(self.parties)
