"""What a file still lacks or what is late (the county's spot-check view, DOMAIN.md §4–§8).

Each ``Problem`` has a stable English code (for ``check --json``) and a Chinese message.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from forms import vocab
from forms.idnumber import is_valid_id_number, mask_id_number
from models.facts import AgreementFacts, ChildFacts
from models.profiles import Profile
from models.rules.dates import add_months, fmt
from models.rules.duplicates import DuplicateIndex
from models.rules.schedule import contacts_from, last_home_visit

FOLLOW_UP_DAYS = 30
ASSESSMENT_MONTHS = 12
COVERAGE_MONTHS = 12


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message}


_REQUIRED = (
    ("name", "姓名"), ("id_number", "身份证号"), ("birth_date", "出生日期"), ("sex", "性别"),
    ("village", "所在村（社区）"), ("address", "现住址"), ("registration", "户籍类型"),
    ("schooling", "就学状况"), ("health", "健康状况"),
)


def basic_information(child: ChildFacts, on: date) -> list[Problem]:
    out = [
        Problem(f"missing_{attr}", f"儿童基本信息缺少{label}。")
        for attr, label in _REQUIRED
        if not getattr(child, attr)
    ]
    if child.id_number and not is_valid_id_number(child.id_number, on):
        out.append(Problem("invalid_id_number", "身份证号不是有效的18位号码，请核对。"))
    has_guardian = any(m.name for m in child.family) or any(
        a.carer and a.carer.name for a in child.agreements
    )
    if not has_guardian:
        out.append(Problem("missing_guardian", "未登记监护人或实际照护人。"))
    return out


def _agreement_valid(a: AgreementFacts, on: date) -> bool:
    return (
        a.status == "已签订"
        and (a.starts_on is None or a.starts_on <= on)
        and (a.ends_on is None or a.ends_on >= on)
        and (a.carer is None or not a.carer.exclusions)
    )


def entrustment(child: ChildFacts, on: date) -> list[Problem]:
    """For a left-behind child: a signed, current agreement with an eligible carer (Art. 22)."""
    if any(_agreement_valid(a, on) for a in child.agreements):
        return []
    if not child.agreements:
        return [Problem("agreement_missing", "留守儿童未签订书面委托照护协议。")]
    latest = max(child.agreements, key=lambda a: a.signed_on or a.starts_on or date.min)
    if latest.status != "已签订":
        return [Problem("agreement_not_signed", f"委托照护协议状态为{latest.status}，未生效。")]
    if latest.carer is not None and latest.carer.exclusions:
        why = "；".join(latest.carer.exclusions)
        return [Problem(
            "carer_excluded",
            f"被委托照护人{latest.carer.name}不符合《未成年人保护法》第二十二条（{why}），须重新选择。",
        )]
    if latest.starts_on is not None and latest.starts_on > on:
        return [Problem("agreement_not_started", f"委托照护协议自{fmt(latest.starts_on)}起才生效。")]
    return [Problem("agreement_expired", f"委托照护协议已于{fmt(latest.ends_on)}到期。")]


def assessment(child: ChildFacts, on: date, colour: str) -> list[Problem]:
    if colour not in ("yellow", "blue"):
        return []
    since = add_months(on, -ASSESSMENT_MONTHS)
    if any(since <= a.on <= on for a in child.assessments):
        return []
    return [Problem(
        "assessment_missing",
        f"{vocab.COLOUR_NAMES[colour]}儿童近{ASSESSMENT_MONTHS}个月内无家庭监护能力评估。",
    )]


def overdue(contact_due: date, visit_due: date, on: date) -> list[Problem]:
    out = []
    if contact_due < on:
        out.append(Problem("contact_overdue", f"联系已逾期（最迟应于{fmt(contact_due)}联系）。"))
    if visit_due < on:
        out.append(Problem("home_visit_overdue", f"入户走访已逾期（最迟应于{fmt(visit_due)}入户走访）。"))
    return out


def months_without_contact(child: ChildFacts, on: date) -> list[tuple[int, int]]:
    """Calendar months among the last 12 that ended before ``on``, began on or after the
    child entered the archive, and hold no contact."""
    current = on.year * 12 + on.month - 1
    entered = child.entered_on
    # the first month that began on or after the entry day
    first = max(entered.year * 12 + entered.month - (1 if entered.day == 1 else 0),
                current - COVERAGE_MONTHS)
    if first >= current:
        return []
    contacts = contacts_from(child, _month_start(first), _month_start(current))
    contacted = {c.on.year * 12 + c.on.month - 1 for c in contacts}
    return [(index // 12, index % 12 + 1) for index in range(first, current) if index not in contacted]


def _month_start(index: int) -> date:
    """The first day of a month counted as year * 12 + month - 1."""
    return date(index // 12, index % 12 + 1, 1)


def coverage(child: ChildFacts, on: date) -> list[Problem]:
    gaps = months_without_contact(child, on)
    if not gaps:
        return []
    months = "、".join(f"{y}年{m}月" for y, m in gaps)
    return [Problem(
        "months_without_contact",
        f"近{COVERAGE_MONTHS}个月中有{len(gaps)}个月无联系记录：{months}。",
    )]


def parents_weekly_contact(child: ChildFacts, on: date, profile: Profile) -> list[Problem]:
    """Art. 23: parents away contact the child at least weekly; visits record whether they did."""
    latest = last_home_visit(child, on)
    if latest is None:
        return []
    if latest.parents_contacted_past_week is False:
        return [Problem(
            "parents_no_weekly_contact",
            f"{fmt(latest.on)}走访记录显示父母近一周未与儿童联系。",
        )]
    if latest.parents_contacted_past_week is None and profile.weekly_parent_contact_check:
        return [Problem(
            "parents_contact_not_checked",
            f"{fmt(latest.on)}走访记录未核查父母近一周是否与儿童联系（{profile.name}要求核查）。",
        )]
    return []


def follow_ups(child: ChildFacts, on: date) -> list[Problem]:
    """Problems without a solution and referrals without an outcome, more than 30 days on."""
    late = timedelta(days=FOLLOW_UP_DAYS)
    out = []
    for p in child.problems:
        if not p.solution and p.solved_on is None and on - p.found_on > late:
            what = f"“{p.description}”" if p.description else ""
            out.append(Problem(
                "problem_unsolved",
                f"{fmt(p.found_on)}发现的问题{what}超过{FOLLOW_UP_DAYS}天未记录解决方案。",
            ))
    for r in child.referrals:
        if not r.outcome and r.outcome_on is None and on - r.on > late:
            out.append(Problem(
                "referral_no_outcome",
                f"{fmt(r.on)}转介至{r.department or '相关部门'}超过{FOLLOW_UP_DAYS}天未记录办理结果。",
            ))
    return out


def urgent(red_since: date | None) -> list[Problem]:
    since = f"（自{fmt(red_since)}起）" if red_since else ""
    return [Problem("red_urgent", f"红色高风险儿童{since}尚未记录干预措施（转介、强制报告或关爱帮扶），须即时介入。")]


def work_trip_registration(child: ChildFacts, profile: Profile) -> list[Problem]:
    if not profile.work_trip_registration_required:
        return []
    if child.extra.get("work_trip_registrations", 0):
        return []
    return [Problem("work_trip_registration_missing", f"留守儿童父母未办理外出务工备案（{profile.name}要求）。")]


def duplicates(child: ChildFacts, index: DuplicateIndex | None) -> list[Problem]:
    if index is None:
        return []
    return [
        Problem(
            "possible_duplicate",
            f"可能重复登记：与{m.name}（身份证号{mask_id_number(m.id_number)}）{m.same}、同出生日期、同村。",
        )
        for m in index.matches(child)
    ]
