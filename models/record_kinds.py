"""Each kind of record in a child's file: its fields, and which paper-form field each column fills.

This is the one place where a form's field is linked to the archive column it is stored in
(docs/architecture.md, "Adding a field to the agreement"). Every editor field is a field of a
``forms/`` definition (same label, kind, choices and checks), re-keyed to its column; the
pair (form key, column) is kept, and ``models.records`` uses it both ways: the editor reads
and writes the column, ``models.fill`` prints the column into the form's field, the ledger
import stores a ledger column into it. The few fields no paper form has (建档日期, 备注,
结案) are plain ``Field``s here and are not printed.

A kind whose record *is* one paper form (``form=``) also gets, at the end of its editor,
every field of that form whose key is a column of its table: adding a field to the form and
a column of the same name to the table is all it takes to edit, store and print it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from forms import vocab
from forms.assessment import ASSESSMENT
from forms.basic_info import BASIC_INFO
from forms.checks import WORKS_AWAY
from forms.entrustment import ENTRUSTMENT
from forms.running_lists import (
    CARE_RECORDS,
    PROBLEMS,
    PSYCH_ASSESSMENTS,
    REPORTS_REFERRALS,
    WORK_LOG,
)
from forms.spec import Field, FormSpec, Section
from forms.visit_record import VISIT_RECORD
from forms.work_trip import WORK_TRIP
from models import schema as s


@dataclass(frozen=True)
class FromForm:
    """An editor field that is a paper form's field, stored in a column of another name."""

    form_key: str
    field: Field


def _field(spec: FormSpec, key: str, column: str | None = None, **changes) -> FromForm:
    return FromForm(key, replace(spec.field(key), key=column or key, **changes))


def _column(spec: FormSpec, key: str, column: str | None = None, **changes) -> FromForm:
    section = next(sec for sec in spec.sections if sec.kind == "table")
    f = next(c for c in section.columns if c.key == key)
    width = changes.pop("width", 3 if f.kind != "multiline" else None)
    return FromForm(key, replace(f, key=column or key, width=width, **changes))


Pairs = tuple[tuple[str, str], ...]  # (form field key, column)


def _unwrap(items) -> tuple[tuple[Field, ...], Pairs]:
    fields = tuple(i.field if isinstance(i, FromForm) else i for i in items)
    pairs = tuple((i.form_key, i.field.key) for i in items if isinstance(i, FromForm))
    return fields, pairs


B, V = BASIC_INFO, VISIT_RECORD

# -- the child itself -------------------------------------------------------------------
_CHILD_SECTIONS = (
    ("儿童基本情况", (
        _field(B, "name", width=2),
        _field(B, "id_number", width=4),
        _field(B, "sex", width=2, required=False, help="由身份证号自动填写"),
        _field(B, "birth_date", width=2, required=False, help="由身份证号自动填写"),
        _field(B, "ethnicity", width=2),
        _field(B, "village", width=3, help="输入村（社区）名称，新名称会自动添加"),
        Field("entered_on", "建档日期", "date", required=True, width=3, not_future=True),
        _field(B, "registration_type", "registration", width=2),
        _field(B, "registered", "household_registered", width=2),
        _field(B, "single_parent", width=2),
        _field(B, "registered_address", width=6),
        _field(B, "current_address", "address", width=6),
    )),
    ("健康与就学", (
        _field(B, "health", width=2),
        _field(B, "illness", width=4),
        _field(B, "disability_category", width=3),
        _field(B, "disability_grade", width=3),
        _field(B, "schooling", width=2),
        Field("school", "就读学校", width=2),
        Field("grade", "年级", width=1),
        _field(B, "boarding", width=1),
    )),
    ("类别与监护", (
        _field(B, "categories", "hardship_categories", label="困境类别",
               choices=vocab.HARDSHIP_CATEGORIES,
               help="留守儿童由规则根据父母情况判断，不在此勾选"),
        _field(B, "guardianship_type", width=6),
        _field(B, "income_sources", lines=2),
        _field(B, "assistance", "assistance_received"),
        Field("support_ended_on", "停止基本生活保障日期", "date", width=3,
              help="孤儿、事实无人抚养儿童退出保障后有6个月过渡期"),
        Field("household", "户编号（一户一档）", width=3,
              help="同户兄弟姐妹填同一户编号：委托照护协议、照护人和外出务工备案只需录入一次"),
        Field("core_urban_excluded", "务工地和户籍地均在核心城区", "bool", width=3,
              help="普宁方案二（一）：设区的市务工地和户籍地均在核心城区的，不计入留守儿童"),
    )),
    ("风险等级人工确认", (
        Field("manual_colour", "人工确认的风险等级", "choice",
              tuple(vocab.COLOUR_NAMES[c] for c in vocab.COLOURS), width=3,
              help="情形复杂难判断的由乡镇确认（普宁方案三4）；仅管理员可设置，须填写理由；"
                   "其后发现更高情形（红色情形始终）以情形为准"),
        Field("manual_colour_on", "确认日期", "date", width=3, not_future=True),
        Field("manual_colour_reason", "确认理由", "multiline", lines=2),
        Field("notes", "备注", "multiline", lines=2),
    )),
)
CHILD_SPEC = FormSpec("child", "儿童基本信息", tuple(
    Section(title, _unwrap(items)[0]) for title, items in _CHILD_SECTIONS))
# The child's columns printed on 儿童基本信息表 (basic_info), by the form's key.
CHILD_FORM_COLUMNS: Pairs = tuple(
    pair for _, items in _CHILD_SECTIONS for pair in _unwrap(items)[1])
CHILD_DERIVED = ("sex", "birth_date")  # filled from the ID number, never typed


@dataclass(frozen=True)
class RecordKind:
    key: str
    title: str  # the Chinese name of one record
    model: type
    spec: FormSpec
    list_columns: tuple[str, ...]  # fields shown in the tab's table
    order_by: str  # date column, newest first
    form_columns: Pairs = ()  # (paper form's field key, column): what prints where

    def column_of(self, form_key: str) -> str | None:
        return next((column for key, column in self.form_columns if key == form_key), None)


def _kind(key, title, model, items, list_columns, order_by, form: FormSpec | None = None,
          prints: Pairs = ()) -> RecordKind:
    """A kind of record; with ``form``, the paper form one record fills (see the top)."""
    fields, pairs = _unwrap(items)
    if form is not None:
        fields, pairs = _with_form(model, form, fields, pairs)
    return RecordKind(key, title, model, FormSpec(key, title, (Section(title, fields),)),
                      list_columns, order_by, pairs + prints)


def _with_form(model, form: FormSpec, fields: tuple[Field, ...], pairs: Pairs):
    """The form's fields stored under their own name join the editor and the printing."""
    columns = set(model._meta.fields)
    form_keys = {f.key for f in form.fields()}
    edited = {f.key for f in fields} | {key for key, _ in pairs}
    added = tuple(f for f in form.fields() if f.key in columns and f.key not in edited)
    same_name = tuple((f.key, f.key) for f in fields + added
                      if f.key in form_keys and f.key not in {key for key, _ in pairs})
    return fields + added, pairs + same_name


CONTACT = _kind("contact", "走访记录", s.Contact, (
    _field(V, "visited_on", "on", width=2),
    _field(V, "kind", width=2),
    _field(V, "visitor", width=2),
    _field(V, "met", width=3),
    _field(V, "parents_contacted_past_week", width=3),
    _field(V, "living"), _field(V, "guardianship"), _field(V, "safety"), _field(V, "schooling"),
    _field(V, "health"), _field(V, "psychology"),
    _field(V, "carer_fulfils", width=3,
           help="选“否”即开启跟进：告知父母、重新选择或督促照护人（香格里拉还须报村委会）"),
    _field(V, "problems"), _field(V, "actions"),
    _field(V, "referrals", "referral_departments"),
    _field(V, "follow_up"),
    _field(V, "reviewer", width=3),
), ("on", "kind", "visitor", "living", "problems", "actions"), "on", form=V)

CARE = _kind("care", "帮扶记录", s.CareRecord, (
    _column(CARE_RECORDS, "on"), _column(CARE_RECORDS, "kind"),
    _column(CARE_RECORDS, "content"), _column(CARE_RECORDS, "helper", "provider", width=6),
), ("on", "kind", "content", "provider"), "on")

PROBLEM = _kind("problem", "问题与解决", s.Problem, (
    _column(PROBLEMS, "found_on"), _column(PROBLEMS, "responsible"),
    _column(PROBLEMS, "problem", "description", kind="multiline"),
    _column(PROBLEMS, "solution", kind="multiline"), _column(PROBLEMS, "solved_on"),
), ("found_on", "description", "solution", "solved_on"), "found_on")

WORK_LOG_KIND = _kind("work_log", "工作日志", s.WorkLogEntry, (
    _column(WORK_LOG, "on"), _column(WORK_LOG, "people", "author", label="记录人"),
    _column(WORK_LOG, "content"),
), ("on", "author", "content"), "on")

_R = REPORTS_REFERRALS
REFERRAL = _kind("referral", "转介", s.Referral, (
    _column(_R, "on"),
    _column(_R, "recipient", "department", kind="choice", choices=vocab.REFERRAL_DEPARTMENTS,
            required=True),
    _column(_R, "matter", "reason"), _column(_R, "outcome"),
    Field("outcome_on", "处理日期", "date", width=3, not_future=True, not_before="on"),
), ("on", "department", "reason", "outcome"), "on")

REPORT = _kind("report", "强制报告", s.MandatoryReport, (
    _column(_R, "on"), _column(_R, "reporter", required=True),
    _column(_R, "recipient", "reported_to", kind="choice", choices=vocab.REPORT_RECIPIENTS,
            required=True),
    _column(_R, "matter", "content"), _column(_R, "outcome"),
), ("on", "reporter", "reported_to", "content", "outcome"), "on")

_A = ASSESSMENT
GUARDIANSHIP = _kind("assessment", "家庭监护能力评估", s.GuardianshipAssessment, (
    _field(_A, "assessed_on", "on"),
    _field(_A, "level"),
    _field(_A, "score", width=2),
    _field(_A, "assessor", width=2),
    _field(_A, "reviewer", width=2),
    Field("emergency", "存在的紧急情形", "multichoice", vocab.RED_CRITERIA),
    Field("guardian_acknowledged", "监护人已确认", "bool", width=3),
    Field("result", "评估结论", "choice", vocab.ASSESSMENT_RESULTS, width=3,
          help="“监护不足”在普宁方案下至少为蓝色（疑似监护存在不足）"),
    Field("placement", "临时监护安置方式", "choice", vocab.PLACEMENTS, width=3),
    _field(_A, "measures", "notes"),
), ("on", "level", "score", "emergency", "assessor"), "on", form=_A,
    prints=(("assessor_signed_on", "on"),))

PSYCH = _kind("psych", "心理测评", s.PsychAssessment, (
    _column(PSYCH_ASSESSMENTS, "on"), _column(PSYCH_ASSESSMENTS, "tool", "instrument"),
    _column(PSYCH_ASSESSMENTS, "result"), Field("assessor", "测评人", width=3),
    _column(PSYCH_ASSESSMENTS, "follow_up"),
), ("on", "instrument", "result", "follow_up"), "on")

RISK = _kind("risk", "风险情形", s.RiskFinding, (
    Field("criterion", "风险情形", "choice", vocab.RISK_CRITERIA, required=True, width=2),
    Field("found_on", "发现日期", "date", required=True, width=2, not_future=True),
    Field("resolved_on", "消除日期", "date", width=2, not_future=True, not_before="found_on"),
    Field("notes", "情况说明", "multiline", lines=2),
), ("criterion", "found_on", "resolved_on", "notes"), "found_on")


def _parent_field(key: str, column: str, **changes) -> Field:
    return _field(B, f"father_{key}", column, **changes)


FAMILY = _kind("family", "家庭成员", s.FamilyMember, (
    Field("relation", "与儿童关系", "choice", vocab.FAMILY_RELATIONS, required=True, width=2),
    _parent_field("name", "name", label="姓名", width=2),
    _parent_field("birth_date", "birth_date", width=2),
    _parent_field("id_number", "id_number", width=3),
    _parent_field("status", "status", width=3),
    # A workplace, distance and date away only for a parent who works away (not the 备案's
    # "always required").
    _field(WORK_TRIP, "workplace", width=3, required=False, only_when=("status", WORKS_AWAY)),
    _field(WORK_TRIP, "distance", width=3, only_when=("status", WORKS_AWAY)),
    Field("away_since", "外出时间", "date", width=3, not_future=True,
          only_when=("status", WORKS_AWAY)),
    _parent_field("phone", "phone", width=3),
    Field("notes", "备注", "multiline", lines=1),
), ("relation", "name", "status", "workplace", "distance", "phone"), "relation")

_E = ENTRUSTMENT
CARER = _kind("carer", "受委托照护人", s.Carer, (
    _field(_E, "carer_name", "name"), _field(_E, "carer_relation", "relation"),
    Field("birth_date", "出生日期", "date", width=2, not_future=True),
    _field(_E, "carer_id_number", "id_number", required=False),
    _field(_E, "carer_health", "health"),
    _field(_E, "carer_address", "address"),
    _field(_E, "carer_phone", "phone", required=False),
    Field("exclusions", "存在的不宜情形（《未成年人保护法》第二十二条）", "multichoice",
          vocab.CARER_EXCLUSIONS, help="有任一情形者不得担任受委托照护人"),
    Field("current", "目前在照护", "bool", width=2),
), ("name", "relation", "phone", "current"), "name")

AGREEMENT = _kind("agreement", "委托照护协议", s.EntrustmentAgreement, (
    _field(_E, "starts_on", width=3), _field(_E, "ends_on", width=3),
    Field("signed_on", "签订日期", "date", width=2, not_future=True),
    Field("status", "状态", "choice", vocab.AGREEMENT_STATUSES, required=True, width=2),
    Field("carer_declared", "乙方已声明无不宜情形", "bool", width=2,
          help="《未成年人保护法》第二十二条：受托人须声明不存在禁止情形"),
    Field("school_told_on", "书面告知学校日期", "date", width=3,
          help="《未成年人保护法》第二十三条：父母将委托照护情况书面告知学校和村（居）委会"),
    Field("village_told_on", "书面告知村（居）委会日期", "date", width=3),
    _field(_E, "village_name", "witness", label="见证的村（居）民委员会", width=6),
    _field(_E, "other_terms", "notes", label="备注", lines=1),
), ("status", "starts_on", "ends_on", "signed_on"), "starts_on", form=_E,
    prints=(("entrustor_signed_on", "signed_on"), ("carer_signed_on", "signed_on"),
            ("village_signed_on", "signed_on")))

WORK_TRIP_KIND = _kind("work_trip", "外出务工备案", s.WorkTripRegistration, (
    Field("registered_on", "备案日期", "date", required=True, width=2, not_future=True),
    Field("parent", "外出务工人", "choice", ("父亲", "母亲", "父母双方"), width=2,
          help="香格里拉方案二（一）2：父母双方外出务工前备案，告知村（居）委会和学校"),
    _field(WORK_TRIP, "workplace", width=4),
    _field(WORK_TRIP, "employer"),
    _field(WORK_TRIP, "worker_phone", "phone", required=False, width=3),
    Field("carer_name", "照护人姓名", width=3),
    Field("village_notified", "已告知村委会", "bool", width=3),
    Field("school_notified", "已告知学校", "bool", width=3),
), ("registered_on", "workplace", "carer_name"), "registered_on", form=WORK_TRIP)

CARER_FOLLOW_UP = _kind("carer_follow_up", "照护人履职跟进", s.CarerFollowUp, (
    Field("found_on", "发现日期", "date", required=True, width=2),
    Field("action", "处理方式", "choice", vocab.CARER_FOLLOW_UP_ACTIONS, width=4),
    Field("parents_told_on", "告知父母日期", "date", width=2),
    Field("village_told_on", "报告村（居）委会日期", "date", width=2),
    Field("closed_on", "办结日期", "date", width=2),
    Field("notes", "情况说明", "multiline", lines=2),
), ("found_on", "action", "parents_told_on", "closed_on"), "found_on")

# The tabs of a child's file that hold lists of records, and the kinds in each.
RECORD_TABS = (
    ("家庭与监护", (FAMILY, CARER, AGREEMENT, WORK_TRIP_KIND, CARER_FOLLOW_UP)),
    ("评估", (GUARDIANSHIP, RISK, PSYCH)),
    ("走访记录", (CONTACT,)),
    ("帮扶记录", (CARE,)),
    ("问题与解决", (PROBLEM,)),
    ("工作日志", (WORK_LOG_KIND,)),
    ("转介与报告", (REFERRAL, REPORT)),
)
ALL_KINDS = tuple(kind for _, kinds in RECORD_TABS for kind in kinds)
KIND_BY_MODEL = {kind.model: kind for kind in ALL_KINDS}
