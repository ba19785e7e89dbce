"""Plain snapshots of a child's records: the input of the policy rules.

The rules (``models/rules``) are pure functions over these and a date; they never touch the
database. ``models/snapshot.py`` builds them from archive rows; tests build them by hand.
Enumerated fields hold the words of ``forms.vocab``.

Treat them as read-only. They are not frozen dataclasses because a whole archive builds
hundreds of thousands of them, and a frozen one sets each field through
``object.__setattr__``: that was an eighth of the time of ``tongdang check`` on 20,000 children.
"""

from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import NamedTuple


@dataclass(slots=True)
class FamilyMemberFacts:
    relation: str  # forms.vocab.FAMILY_RELATIONS
    name: str = ""
    status: str = "在家"  # forms.vocab.PERSON_STATUSES
    distance: str | None = None  # forms.vocab.DISTANCES, only for 外出务工
    away_since: date | None = None
    phone: str = ""
    id_number: str = ""


class ContactFacts(NamedTuple):
    """A named tuple, not a dataclass: an archive has hundreds of thousands of these."""

    on: date
    kind: str  # forms.vocab.CONTACT_KINDS; only 入户走访 is a home visit
    parents_contacted_past_week: bool | None = None  # asked on visits (Art. 23)
    carer_fulfils: bool | None = None  # 受委托照护人是否履行照护职责 (schema v5)


_ON = attrgetter("on")


@dataclass(slots=True)
class CarerFacts:
    name: str
    id_number: str = ""
    birth_date: date | None = None
    relation: str = ""
    phone: str = ""
    exclusions: tuple[str, ...] = ()  # forms.vocab.CARER_EXCLUSIONS found to apply


@dataclass(slots=True)
class AgreementFacts:
    status: str  # forms.vocab.AGREEMENT_STATUSES
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    carer: CarerFacts | None = None
    carer_declared: bool | None = None  # None: not known (facts built without it)
    school_told_on: date | None = None  # Art. 23 written notice
    village_told_on: date | None = None


@dataclass(slots=True)
class AssessmentFacts:
    on: date
    level: str  # forms.vocab.ASSESSMENT_LEVELS
    result: str = ""  # forms.vocab.ASSESSMENT_RESULTS (监护缺失/失当/不足/正常)


@dataclass(slots=True)
class RiskFinding:
    criterion: str  # forms.vocab.RISK_CRITERIA
    found_on: date
    resolved_on: date | None = None


@dataclass(slots=True)
class ProblemFacts:
    found_on: date
    description: str = ""
    solution: str = ""
    solved_on: date | None = None


@dataclass(slots=True)
class CarerFollowUpFacts:
    """A visit found the carer not doing the job (受委托照护人未履行照护职责)."""
    found_on: date
    action: str = ""  # forms.vocab.CARER_FOLLOW_UP_ACTIONS
    parents_told_on: date | None = None
    village_told_on: date | None = None
    closed_on: date | None = None


@dataclass(slots=True)
class ReferralFacts:
    on: date
    department: str = ""
    outcome: str = ""
    outcome_on: date | None = None


@dataclass(slots=True)
class ChildFacts:
    id_number: str
    name: str
    birth_date: date
    sex: str
    registration: str  # 农村 / 城镇
    village: str
    entered_on: date
    ethnicity: str = ""
    address: str = ""
    school: str = ""
    grade: str = ""
    schooling: str = ""  # forms.vocab.SCHOOLING_STATUSES
    health: str = ""  # forms.vocab.HEALTH_STATUSES
    disability_category: str = ""
    disability_grade: str = ""
    single_parent: bool = False
    hardship_categories: frozenset[str] = frozenset()  # as recorded (forms.vocab.HARDSHIP_CATEGORIES)
    risk_findings: tuple[RiskFinding, ...] = ()
    manual_colour: str | None = None  # red/yellow/blue/green, set by the township
    manual_colour_reason: str = ""
    manual_colour_on: date | None = None
    manual_colour_by: str = ""
    manual_colour_confirmed: bool = True  # False: carried over without a reason (schema v5)
    core_urban_excluded: bool = False  # 普宁 二(一): workplace and residence both in the core districts
    closed_on: date | None = None
    closed_reason: str = ""
    # Date basic living support (孤儿/事实无人抚养) ended, for the 6-month transition.
    support_ended_on: date | None = None
    family: tuple[FamilyMemberFacts, ...] = ()
    contacts: tuple[ContactFacts, ...] = ()  # in date order
    agreements: tuple[AgreementFacts, ...] = ()
    assessments: tuple[AssessmentFacts, ...] = ()
    problems: tuple[ProblemFacts, ...] = ()
    referrals: tuple[ReferralFacts, ...] = ()
    mandatory_reports_on: tuple[date, ...] = ()
    care_records_on: tuple[date, ...] = ()
    carers: tuple[CarerFacts, ...] = ()  # current entrusted carers (被委托照护人)
    carer_follow_ups: tuple["CarerFollowUpFacts", ...] = ()
    pinyin: str = ""  # full pinyin of the name, lower case, no spaces (duplicate check)
    # What the rules need from the contacts, read instead of them by the whole-archive views
    # (models.contact_summary; then ``contacts`` is empty). None: the rules read ``contacts``.
    contact_summary: "ContactSummary | None" = None  # noqa: F821
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        # The rules find contacts by date (bisect); same-day contacts keep the order given.
        self.contacts = tuple(sorted(self.contacts, key=_ON))

    def parent(self, relation: str) -> FamilyMemberFacts | None:
        for member in self.family:
            if member.relation == relation:
                return member
        return None
