"""The archive's tables (peewee models).

Portable across SQLite/SQLCipher and PostgreSQL: no SQLite-only SQL here; that stays in
``models/storage.py``. Enumerated fields hold the Chinese words of ``forms.vocab``. Several
words in one field (困境类别, assistance received) are joined with 、 (``forms.vocab.join_multi``).
Every write goes through ``models.writer.Writer``, which keeps the audit trail.
"""

import peewee as pw

database = pw.DatabaseProxy()

SCHEMA_VERSION = 11


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False

    # Fields the audit trail leaves out (large binary content is recorded by its hash).
    audit_exclude: tuple[str, ...] = ()


class Township(BaseModel):
    name = pw.CharField()
    county = pw.CharField()
    profile = pw.CharField()  # models.profiles code
    area_code = pw.CharField(default="")  # 6-digit administrative code of the county
    is_demo = pw.BooleanField(default=False)
    created_on = pw.DateField()
    # v10: the county's public key its 上报包 are encrypted for (models.report_package), "" = none
    county_public_key = pw.TextField(default="")


class Village(BaseModel):
    name = pw.CharField(unique=True)
    kind = pw.CharField(default="村")  # 村 / 社区


class User(BaseModel):
    username = pw.CharField(unique=True)
    display_name = pw.CharField(default="")
    role = pw.CharField()  # 管理员 / 录入员 / 查阅
    password_hash = pw.CharField(default="")
    failed_attempts = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    active = pw.BooleanField(default=True)

    audit_exclude = ("password_hash", "failed_attempts", "locked_until")


class ChildDirector(BaseModel):
    """儿童主任."""

    name = pw.CharField()
    phone = pw.CharField(default="")
    id_number = pw.CharField(default="")
    started_on = pw.DateField(null=True)
    ended_on = pw.DateField(null=True)
    notes = pw.TextField(default="")


class DirectorVillage(BaseModel):
    director = pw.ForeignKeyField(ChildDirector, backref="villages", on_delete="CASCADE")
    village = pw.ForeignKeyField(Village, backref="directors", on_delete="CASCADE")

    class Meta:
        indexes = ((("director", "village"), True),)


class Training(BaseModel):
    director = pw.ForeignKeyField(ChildDirector, backref="trainings")
    on = pw.DateField()
    topic = pw.CharField()
    hours = pw.DecimalField(max_digits=5, decimal_places=1, default=0)
    organiser = pw.CharField(default="")


class ScreeningRound(BaseModel):
    """摸底排查."""

    started_on = pw.DateField()
    finished_on = pw.DateField(null=True)
    scope = pw.CharField(default="全乡镇")
    children_screened = pw.IntegerField(default=0)
    notes = pw.TextField(default="")


class GuidanceSession(BaseModel):
    """家庭教育指导."""

    on = pw.DateField()
    topic = pw.CharField()
    audience = pw.CharField(default="")  # 父母、监护人、受委托照护人
    attendees = pw.IntegerField(default=0)
    notes = pw.TextField(default="")


class Child(BaseModel):
    id_number = pw.CharField(unique=True)
    name = pw.CharField()
    # Derived from id_number by the writer, never typed.
    birth_date = pw.DateField()
    sex = pw.CharField()
    # Search keys kept by the writer (schema v2).
    pinyin = pw.CharField(default="", index=True)
    pinyin_initials = pw.CharField(default="", index=True)
    # Every reading and its initials, " zengjie cengjie zj cj " (schema v8).
    pinyin_keys = pw.TextField(default="")
    ethnicity = pw.CharField(default="")
    registration = pw.CharField(default="农村")
    household_registered = pw.BooleanField(default=True)
    registered_address = pw.CharField(default="")
    village = pw.ForeignKeyField(Village, backref="children", null=True)
    address = pw.CharField(default="")
    school = pw.CharField(default="")
    grade = pw.CharField(default="")
    schooling = pw.CharField(default="")
    boarding = pw.BooleanField(default=False)
    health = pw.CharField(default="")
    illness = pw.CharField(default="")
    disability_category = pw.CharField(default="")
    disability_grade = pw.CharField(default="")
    single_parent = pw.BooleanField(default=False)
    hardship_categories = pw.CharField(default="")  # 困境类别 words joined with 、
    guardianship_type = pw.CharField(default="")
    income_sources = pw.CharField(default="")
    assistance_received = pw.CharField(default="")
    support_ended_on = pw.DateField(null=True)
    manual_colour = pw.CharField(null=True)  # red/yellow/blue/green
    manual_colour_reason = pw.TextField(default="")
    manual_colour_on = pw.DateField(null=True)
    # v5: who set it (a 管理员, 普宁 三4) and whether it still needs confirming (carried over
    # from an older archive without a reason).
    manual_colour_by = pw.CharField(default="")
    manual_colour_confirmed = pw.BooleanField(default=True)
    # v5: 普宁 二(一): workplace and residence both in the core urban districts → not counted.
    core_urban_excluded = pw.BooleanField(default=False)
    # v5: 一户一档 (香格里拉 二(二)6): siblings with the same household key share one entrustment
    # agreement, their carers and one 外出务工备案, entered once.
    household = pw.CharField(default="", index=True)
    director = pw.ForeignKeyField(ChildDirector, backref="children", null=True)
    entered_on = pw.DateField()
    closed_on = pw.DateField(null=True)
    closed_reason = pw.TextField(default="")
    notes = pw.TextField(default="")
    # Cached rule results for lists and filters, refreshed by models.state after each write.
    colour = pw.CharField(default="green", index=True)
    categories = pw.CharField(default="")
    next_contact_due = pw.DateField(null=True, index=True)
    next_home_visit_due = pw.DateField(null=True, index=True)
    urgent = pw.BooleanField(default=False)
    state_on = pw.DateField(null=True, index=True)  # indexed in v8: "is the cache current?"
    # v9: what the rules need from the contacts, for any day (models.contact_summary), kept
    # by the writer in the same transaction as each contact written (models.summaries).
    contact_days = pw.BlobField(default=b"")
    visit_days = pw.BlobField(default=b"")

    audit_exclude = ("pinyin", "pinyin_initials", "pinyin_keys", "colour", "categories",
                     "next_contact_due",
                     "next_home_visit_due", "urgent", "state_on", "contact_days", "visit_days")


class FamilyMember(BaseModel):
    child = pw.ForeignKeyField(Child, backref="family", on_delete="CASCADE")
    relation = pw.CharField()  # 父亲 母亲 祖父 祖母 外祖父 外祖母 其他监护人
    name = pw.CharField(default="")
    id_number = pw.CharField(default="")
    birth_date = pw.DateField(null=True)
    status = pw.CharField(default="在家")
    workplace = pw.CharField(default="")  # province + city
    distance = pw.CharField(null=True)  # 县内 跨县 跨市 跨省
    away_since = pw.DateField(null=True)
    phone = pw.CharField(default="")
    notes = pw.TextField(default="")


class Carer(BaseModel):
    """被委托照护人."""

    child = pw.ForeignKeyField(Child, backref="carers", on_delete="CASCADE")
    name = pw.CharField()
    id_number = pw.CharField(default="")
    relation = pw.CharField(default="")
    birth_date = pw.DateField(null=True)
    health = pw.CharField(default="")
    address = pw.CharField(default="")
    phone = pw.CharField(default="")
    exclusions = pw.CharField(default="")  # Art. 22 exclusions found, joined with 、
    current = pw.BooleanField(default=True)


class Attachment(BaseModel):
    """A scan or photo kept inside the archive."""

    child = pw.ForeignKeyField(Child, backref="attachments", on_delete="CASCADE")
    file_name = pw.CharField()
    mime_type = pw.CharField(default="application/octet-stream")
    sha256 = pw.CharField()
    size = pw.IntegerField()
    content = pw.BlobField()
    description = pw.CharField(default="")
    added_on = pw.DateField()

    audit_exclude = ("content",)


class EntrustmentAgreement(BaseModel):
    child = pw.ForeignKeyField(Child, backref="agreements", on_delete="CASCADE")
    principal = pw.ForeignKeyField(FamilyMember, null=True)  # 委托人 (甲方)
    carer = pw.ForeignKeyField(Carer, null=True)  # 受托人 (乙方)
    starts_on = pw.DateField(null=True)
    ends_on = pw.DateField(null=True)
    signed_on = pw.DateField(null=True)
    status = pw.CharField(default="草稿")  # 草稿 已签订 已终止
    carer_declared = pw.BooleanField(default=False)  # 乙方 declared no Art. 22 exclusion applies
    # v5: Art. 23 written notice of the entrustment to the school and the village committee.
    school_told_on = pw.DateField(null=True)
    village_told_on = pw.DateField(null=True)
    witness = pw.CharField(default="")  # village committee
    scan = pw.ForeignKeyField(Attachment, null=True)
    notes = pw.TextField(default="")


class GuardianshipAssessment(BaseModel):
    child = pw.ForeignKeyField(Child, backref="assessments", on_delete="CASCADE")
    on = pw.DateField()
    answers = pw.TextField(default="{}")  # JSON: indicator key -> answer
    emergency = pw.CharField(default="")  # red criteria found by the emergency screen, 、-joined
    score = pw.IntegerField(null=True)
    level = pw.CharField()
    assessor = pw.CharField(default="")
    reviewer = pw.CharField(default="")
    guardian_acknowledged = pw.BooleanField(default=False)
    notes = pw.TextField(default="")
    # v5: result (forms.vocab.ASSESSMENT_RESULTS) and placement (forms.vocab.PLACEMENTS).
    result = pw.CharField(default="")
    placement = pw.CharField(default="")


class RiskFinding(BaseModel):
    """A risk criterion (DOMAIN §3) found for a child, with when it was found and resolved."""

    child = pw.ForeignKeyField(Child, backref="risk_findings", on_delete="CASCADE")
    criterion = pw.CharField()
    found_on = pw.DateField()
    resolved_on = pw.DateField(null=True)
    notes = pw.TextField(default="")


class Contact(BaseModel):
    """A contact or home visit (走访记录)."""

    child = pw.ForeignKeyField(Child, backref="contacts", on_delete="CASCADE")
    on = pw.DateField(index=True)
    kind = pw.CharField()  # 入户走访 电话 视频 当面 其他
    visitor = pw.CharField(default="")
    met = pw.CharField(default="")  # who was at home / met
    parents_contacted_past_week = pw.BooleanField(null=True)
    living = pw.TextField(default="")
    guardianship = pw.TextField(default="")
    safety = pw.TextField(default="")
    schooling = pw.TextField(default="")
    health = pw.TextField(default="")
    psychology = pw.TextField(default="")
    problems = pw.TextField(default="")
    actions = pw.TextField(default="")
    follow_up = pw.TextField(default="")
    # v5: what the visit found about the entrusted carer, referrals needed, the reviewer.
    carer_fulfils = pw.BooleanField(null=True, index=True)  # 受委托照护人是否履行照护职责
    referral_departments = pw.CharField(default="")  # 需转介部门, 、-joined
    reviewer = pw.CharField(default="")  # 督导员审核

    class Meta:
        # Covering: whole-archive views read every child's contacts in date order from the
        # index alone, without visiting the rows and their long texts (models/snapshot.py).
        indexes = ((("child", "on", "id", "kind", "parents_contacted_past_week"), False),)


class WorkLogEntry(BaseModel):
    child = pw.ForeignKeyField(Child, backref="work_log", on_delete="CASCADE")
    on = pw.DateField()
    author = pw.CharField(default="")
    content = pw.TextField()


class CareRecord(BaseModel):
    """关爱帮扶记录."""

    child = pw.ForeignKeyField(Child, backref="care_records", on_delete="CASCADE")
    on = pw.DateField()
    kind = pw.CharField(default="")
    content = pw.TextField()
    provider = pw.CharField(default="")


class Problem(BaseModel):
    """发现问题和解决方案."""

    child = pw.ForeignKeyField(Child, backref="problems", on_delete="CASCADE")
    found_on = pw.DateField()
    description = pw.TextField()
    solution = pw.TextField(default="")
    solved_on = pw.DateField(null=True)
    responsible = pw.CharField(default="")


class Referral(BaseModel):
    """转介."""

    child = pw.ForeignKeyField(Child, backref="referrals", on_delete="CASCADE")
    on = pw.DateField()
    department = pw.CharField()
    reason = pw.TextField(default="")
    outcome = pw.TextField(default="")
    outcome_on = pw.DateField(null=True)


class MandatoryReport(BaseModel):
    """强制报告."""

    child = pw.ForeignKeyField(Child, backref="mandatory_reports", on_delete="CASCADE")
    on = pw.DateField()
    reporter = pw.CharField()
    reported_to = pw.CharField()
    content = pw.TextField(default="")
    outcome = pw.TextField(default="")


class PsychAssessment(BaseModel):
    """心理测评."""

    child = pw.ForeignKeyField(Child, backref="psych_assessments", on_delete="CASCADE")
    on = pw.DateField()
    instrument = pw.CharField(default="")
    result = pw.TextField()
    assessor = pw.CharField(default="")
    follow_up = pw.TextField(default="")  # 后续措施 (schema v6)


class WorkTripRegistration(BaseModel):
    """外出务工备案."""

    child = pw.ForeignKeyField(Child, backref="work_trips", on_delete="CASCADE")
    member = pw.ForeignKeyField(FamilyMember, null=True)
    parent = pw.CharField(default="")  # v5: 父亲 / 母亲 / 父母双方 (香格里拉: per parent)
    registered_on = pw.DateField()
    workplace = pw.CharField(default="")
    employer = pw.CharField(default="")
    phone = pw.CharField(default="")
    carer_name = pw.CharField(default="")
    village_notified = pw.BooleanField(default=False)
    school_notified = pw.BooleanField(default=False)


class CarerFollowUp(BaseModel):
    """What was done after a visit found the carer not doing the job (v5; DOMAIN §5)."""

    child = pw.ForeignKeyField(Child, backref="carer_follow_ups", on_delete="CASCADE")
    contact = pw.ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    found_on = pw.DateField()
    action = pw.CharField(default="")  # forms.vocab.CARER_FOLLOW_UP_ACTIONS
    parents_told_on = pw.DateField(null=True)
    village_told_on = pw.DateField(null=True)  # 香格里拉 二(一)2
    closed_on = pw.DateField(null=True)
    notes = pw.TextField(default="")


class LocalSetting(BaseModel):
    """A county's value for a local-practice setting (v5; models.profiles.LOCAL_SETTINGS)."""

    key = pw.CharField(unique=True)
    value = pw.IntegerField()


class SpotCheck(BaseModel):
    """抽查记录."""

    on = pw.DateField()
    inspector = pw.CharField(default="")
    share = pw.FloatField()
    per_village = pw.BooleanField(default=False)
    seed = pw.CharField()
    sample = pw.TextField()  # JSON list of ID numbers
    findings = pw.TextField(default="{}")  # JSON: id_number -> [{code, message}]
    notes = pw.TextField(default="")
    # The audit chain head (models.audit.ChainHead.code) when the check was recorded (v7).
    chain_head = pw.CharField(default="")
    # v11: a check the county made of this township (models.server.county_spotcheck): the
    # county draw it belongs to, as JSON (seed, share or count, townships); "" = the
    # township's own check. The rows of one county draw carry the same text.
    county_draw = pw.TextField(default="")


class AuditEntry(BaseModel):
    """One write, chained to the previous entry by its hash (tamper evidence)."""

    at = pw.DateTimeField()
    username = pw.CharField()
    table = pw.CharField()
    record_id = pw.IntegerField()
    # A bulk creation (import, demo data) is one entry for the records record_id..last_record_id.
    last_record_id = pw.IntegerField(null=True)
    action = pw.CharField()  # create / update / close / reopen / delete
    changes = pw.TextField()  # JSON: field -> [before, after]
    prev_hash = pw.CharField()
    hash = pw.CharField()

    class Meta:
        indexes = ((("table", "record_id"), False),)


class Draft(BaseModel):
    """Unsaved edits of an open editor, kept so that a crash loses at most the field being typed.

    Not an archive record: drafts are written directly (no audit entry) and removed on save or
    discard. They live inside the encrypted archive, never in a plain file.
    """

    editor = pw.CharField(unique=True)  # e.g. "child:42:basic_info" or "new_child"
    values = pw.TextField()  # JSON
    saved_at = pw.DateTimeField()


ALL_MODELS = (
    Township, Village, User, ChildDirector, DirectorVillage, Training, ScreeningRound,
    GuidanceSession, Child, FamilyMember, Carer, Attachment, EntrustmentAgreement,
    GuardianshipAssessment, RiskFinding, Contact, WorkLogEntry, CareRecord, Problem, Referral,
    MandatoryReport, PsychAssessment, WorkTripRegistration, CarerFollowUp, LocalSetting, SpotCheck,
    AuditEntry, Draft,
)

# Tables hanging off a child, in the order of the file (used by snapshots and backups).
CHILD_RECORDS = (
    FamilyMember, Carer, Attachment, EntrustmentAgreement, GuardianshipAssessment, RiskFinding,
    Contact, WorkLogEntry, CareRecord, Problem, Referral, MandatoryReport, PsychAssessment,
    WorkTripRegistration, CarerFollowUp,
)
