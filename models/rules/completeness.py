"""What a file still lacks or what is late (the county's spot-check view, DOMAIN.md §4–§8).

Each ``Problem`` has a stable English code (for ``check --json``), a Chinese message and its
``basis``: the clause of the archive's own plan (or the law) it rests on, or local practice
(本地做法, a setting the county can change in 设置). A local-practice finding never calls itself
policy.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from forms import vocab
from forms.idnumber import is_valid_id_number, mask_id_number, parse_id_number
from models.facts import AgreementFacts, ChildFacts
from models.profiles import (
    LAW_ART21,
    LAW_ART22,
    LAW_ART23,
    LOCAL_SOURCE,
    Profile,
    Source,
    basis_code,
    basis_text,
    local_source,
)
from models.rules.dates import add_months, age_on, fmt
from models.rules.duplicates import DuplicateIndex
from models.rules.routing import ROUTES, suggestions
from models.rules.schedule import contact_days, last_home_visit

# Defaults of the local-practice settings (models.profiles.LOCAL_SETTINGS), kept for callers.
FOLLOW_UP_DAYS = 30
ASSESSMENT_MONTHS = 12
COVERAGE_MONTHS = 12
DATA_CHECK = Source("", "本地做法：数据核对（非方案条款）")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    basis: Source = field(default=LOCAL_SOURCE)

    @property
    def local(self) -> bool:
        return basis_code(self.basis) == "local"

    @property
    def basis_text(self) -> str:
        return basis_text(self.basis)

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "basis": basis_code(self.basis)}


_REQUIRED = (
    ("name", "姓名"), ("id_number", "身份证号"), ("birth_date", "出生日期"), ("sex", "性别"),
    ("village", "所在村（社区）"), ("address", "现住址"), ("registration", "户籍类型"),
    ("schooling", "就学状况"), ("health", "健康状况"),
)


def _src(profile: Profile | None, key: str) -> Source:
    if profile is None:
        return LOCAL_SOURCE
    return profile.sources.get(key, LOCAL_SOURCE)


def basic_information(child: ChildFacts, on: date, profile: Profile | None = None) -> list[Problem]:
    archive = _src(profile, "archive")
    out = [
        Problem(f"missing_{attr}", f"儿童基本信息缺少{label}。", archive)
        for attr, label in _REQUIRED
        if not getattr(child, attr)
    ]
    if child.id_number and not is_valid_id_number(child.id_number, on):
        out.append(Problem("invalid_id_number", "身份证号不是有效的18位号码，请核对。", DATA_CHECK))
    has_guardian = any(m.name for m in child.family) or any(
        a.carer and a.carer.name for a in child.agreements
    ) or any(c.name for c in child.carers)
    if not has_guardian:
        out.append(Problem("missing_guardian", "未登记监护人或实际照护人。", archive))
    return out


def _agreement_ends(a: AgreementFacts, profile: Profile | None) -> tuple[date | None, bool]:
    """(last day, whether that day comes from the local-practice term)."""
    if a.ends_on is not None:
        return a.ends_on, False
    term = profile.local_value("agreement_term_months") if profile else 0
    start = a.starts_on or a.signed_on
    if term and start is not None:
        return add_months(start, term), True
    return None, False


def _agreement_valid(a: AgreementFacts, on: date, profile: Profile | None = None) -> bool:
    ends, _local = _agreement_ends(a, profile)
    return (
        a.status == "已签订"
        and (a.starts_on is None or a.starts_on <= on)
        and (ends is None or ends >= on)
        and (a.carer is None or not a.carer.exclusions)
    )


def carer_age(carer, on: date) -> int | None:
    birth = carer.birth_date
    if birth is None and carer.id_number:
        try:
            birth = parse_id_number(carer.id_number).birth_date
        except ValueError:  # IdNumberError: not a valid number, age unknown
            birth = None
    return None if birth is None else age_on(birth, on)


def entrustment(child: ChildFacts, on: date, profile: Profile | None = None) -> list[Problem]:
    """For a left-behind child: a signed, current agreement with an eligible adult carer (Art. 22),
    signed before the parents left (长治 二(二)5), school and village told in writing (Art. 23)."""
    out = _agreement(child, on, profile)
    if not getattr(child, "carers", ()):  # the dashboard passes agreements only
        return out
    seen = {(p.code, p.message) for p in out}
    return out + [p for p in current_carers(child, on) if (p.code, p.message) not in seen]


def current_carers(child: ChildFacts, on: date) -> list[Problem]:
    """The carers recorded as caring now, whether or not linked to an agreement (Art. 22)."""
    out = []
    for carer in child.carers:
        if carer.exclusions:
            why = "；".join(carer.exclusions)
            out.append(Problem(
                "carer_excluded",
                f"被委托照护人{carer.name}不符合《未成年人保护法》第二十二条（{why}），须重新选择。",
                LAW_ART22))
        age = carer_age(carer, on)
        if age is not None and age < 18:
            out.append(Problem("carer_not_adult",
                               f"被委托照护人{carer.name}未满十八周岁（{age}岁），不能担任被委托人。", LAW_ART22))
    return out


def _agreement(child: ChildFacts, on: date, profile: Profile | None) -> list[Problem]:
    plan = _src(profile, "entrust")
    current = [a for a in child.agreements if _agreement_valid(a, on, profile)]
    if current:
        return _agreement_details(child, max(current, key=_signed_key), on, profile)
    if not child.agreements:
        return [Problem("agreement_missing", "留守儿童未签订书面委托照护协议。", plan)]
    latest = max(child.agreements, key=_signed_key)
    if latest.status != "已签订":
        return [Problem("agreement_not_signed", f"委托照护协议状态为{latest.status}，未生效。", plan)]
    if latest.carer is not None and latest.carer.exclusions:
        why = "；".join(latest.carer.exclusions)
        return [Problem(
            "carer_excluded",
            f"被委托照护人{latest.carer.name}不符合《未成年人保护法》第二十二条（{why}），须重新选择。",
            LAW_ART22,
        )]
    if latest.starts_on is not None and latest.starts_on > on:
        return [Problem("agreement_not_started", f"委托照护协议自{fmt(latest.starts_on)}起才生效。", plan)]
    ends, by_term = _agreement_ends(latest, profile)
    if by_term:
        return [Problem("agreement_expired",
                        f"委托照护协议未写明到期日，按本地做法有效期已于{fmt(ends)}届满，请续签或确认。",
                        local_source("agreement_term_months"))]
    return [Problem("agreement_expired", f"委托照护协议已于{fmt(ends)}到期。", plan)]


def _signed_key(a: AgreementFacts):
    return a.signed_on or a.starts_on or date.min


def _agreement_details(child, a: AgreementFacts, on, profile) -> list[Problem]:
    out = []
    carer = a.carer
    if carer is not None:
        age = carer_age(carer, on)
        if age is not None and age < 18:
            out.append(Problem("carer_not_adult",
                               f"被委托照护人{carer.name}未满十八周岁（{age}岁），不能担任被委托人。", LAW_ART22))
    if a.carer_declared is False:
        out.append(Problem("carer_declaration_missing",
                           "委托照护协议缺少受托人关于不存在第二十二条禁止情形的声明。", LAW_ART22))
    if a.carer_declared is not None and (a.school_told_on is None or a.village_told_on is None):
        missing = "、".join(w for w, d in (("学校", a.school_told_on), ("村（居）民委员会", a.village_told_on))
                           if d is None)
        out.append(Problem("entrustment_notice_missing",
                           f"未记录父母已将委托照护情况书面告知{missing}。", LAW_ART23))
    if profile is not None and "entrust_before" in profile.sources:
        # The first agreement (renewals come later by nature), for a departure the archive saw:
        # parents who left before the child entered the archive cannot be judged on it.
        left = [m.away_since for m in child.family
                if m.relation in vocab.PARENT_RELATIONS and m.status == "外出务工" and m.away_since
                and m.away_since >= child.entered_on]
        signed = [x.signed_on for x in child.agreements if x.status == "已签订" and x.signed_on]
        if left and signed and min(signed) > max(left):
            out.append(Problem("agreement_after_leaving",
                               f"委托照护协议签订于{fmt(min(signed))}，晚于父母外出（{fmt(max(left))}），"
                               "方案要求外出务工前签订。", profile.sources["entrust_before"]))
    return out


def assessment(child: ChildFacts, on: date, colour: str, profile: Profile | None = None,
               left_behind: bool = False, in_difficulty: bool = False) -> list[Problem]:
    """Children the plan asks to assess (乐清: 困境; 邵阳: 留守 and 困境) need an assessment;
    how often it is renewed is local practice."""
    if profile is None or not profile.assessment_required_for:
        return []
    wanted = (left_behind and "留守" in profile.assessment_required_for) or (
        in_difficulty and "困境" in profile.assessment_required_for)
    if not wanted:
        return []
    done = [a for a in child.assessments if a.on <= on]
    if not done:
        return [Problem("assessment_missing", "按本方案须做家庭监护能力评估，尚无评估记录。",
                        profile.sources["assessment_required"])]
    months = profile.local_value("assessment_months")
    if months and add_months(max(a.on for a in done), months) < on:
        return [Problem("assessment_outdated",
                        f"近{months}个月内无家庭监护能力评估（复评周期为本地做法）。",
                        local_source("assessment_months"))]
    return []


def overdue(contact_due: date, visit_due: date, on: date, contact_basis: Source = LOCAL_SOURCE,
            visit_basis: Source = LOCAL_SOURCE) -> list[Problem]:
    out = []
    if contact_due < on:
        out.append(Problem("contact_overdue", f"联系已逾期（最迟应于{fmt(contact_due)}联系）。", contact_basis))
    if visit_due < on:
        out.append(Problem("home_visit_overdue", f"入户走访已逾期（最迟应于{fmt(visit_due)}入户走访）。",
                           visit_basis))
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
    days = contact_days(child, _month_start(first), _month_start(current))
    contacted = {d.year * 12 + d.month - 1 for d in days}
    return [(index // 12, index % 12 + 1) for index in range(first, current) if index not in contacted]


def _month_start(index: int) -> date:
    """The first day of a month counted as year * 12 + month - 1."""
    return date(index // 12, index % 12 + 1, 1)


def coverage(child: ChildFacts, on: date, profile: Profile | None = None) -> list[Problem]:
    if profile is not None and not profile.local_value("coverage_check"):
        return []
    gaps = months_without_contact(child, on)
    if not gaps:
        return []
    months = "、".join(f"{y}年{m}月" for y, m in gaps)
    return [Problem(
        "months_without_contact",
        f"近{COVERAGE_MONTHS}个月中有{len(gaps)}个月无联系记录：{months}（按自然月核查，本地做法）。",
        local_source("coverage_check"),
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
            profile.sources["weekly_parent_contact_check"] if profile.weekly_parent_contact_check
            else LAW_ART23,
        )]
    if latest.parents_contacted_past_week is None and profile.weekly_parent_contact_check:
        return [Problem(
            "parents_contact_not_checked",
            f"{fmt(latest.on)}走访记录未核查父母近一周是否与儿童联系（{profile.name}要求核查）。",
            profile.sources["weekly_parent_contact_check"],
        )]
    return []


def follow_ups(child: ChildFacts, on: date, profile: Profile | None = None) -> list[Problem]:
    """Problems without a solution and referrals without an outcome after the local-practice
    reminder period (no plan sets a deadline)."""
    days = profile.local_value("follow_up_days") if profile is not None else FOLLOW_UP_DAYS
    if not days:
        return []
    late = timedelta(days=days)
    basis = local_source("follow_up_days")
    out = []
    for p in child.problems:
        if not p.solution and p.solved_on is None and on - p.found_on > late:
            what = f"“{p.description}”" if p.description else ""
            out.append(Problem(
                "problem_unsolved",
                f"{fmt(p.found_on)}发现的问题{what}超过{days}天未记录解决方案（提醒期限为本地做法）。",
                basis,
            ))
    out.extend(Problem(
        "referral_no_outcome",
        f"{fmt(r.on)}转介至{r.department or '相关部门'}超过{days}天未记录办理结果（提醒期限为本地做法）。",
        basis,
    ) for r in child.referrals if not r.outcome and r.outcome_on is None and on - r.on > late)
    return out


def urgent(red_since: date | None, profile: Profile | None = None, pending=()) -> list[Problem]:
    """``pending``: (finding word, since) of red findings not yet reported or fittingly referred."""
    since = f"（自{fmt(red_since)}起）" if red_since else ""
    routes = []
    for word, _since in pending:
        depts = ROUTES.get(word, ())
        routes.append(f"{word}→{'、'.join(depts)}" if depts else word)
    todo = f"待办：{'；'.join(routes)}。" if routes else ""
    basis = LOCAL_SOURCE
    if profile is not None:
        basis = profile.sources.get("red") or profile.sources.get("report", LOCAL_SOURCE)
    recipients = "、".join(profile.report_recipients) if profile is not None else "公安、民政、教育"
    return [Problem(
        "red_urgent",
        f"红色高风险儿童{since}尚未记录强制报告（{recipients}）或向对口部门转介，须即时介入；"
        f"关爱帮扶记录不能代替报告和转介。{todo}",
        basis,
    )]


def guardianship(criteria, profile: Profile) -> list[Problem]:
    """The suspected-no-guardian flag (普宁 三1; 未成年人保护法 第二十一条)."""
    out = []
    for c in criteria:
        if c.derived == "absent":
            out.append(Problem("guardianship_absent", f"{c.reason}。须核实并报县级民政。",
                               profile.sources.get("absent", LOCAL_SOURCE)))
        elif c.derived == "alone":
            out.append(Problem("child_left_alone", f"{c.reason}。须核实并报县级民政。", LAW_ART21))
    return out


def manual_colour(child: ChildFacts, result, profile: Profile) -> list[Problem]:
    """``result``: a ColourResult or ChildState (both have manual_state, manual_expires_on)."""
    out = []
    if result.manual_state == "expired":
        out.append(Problem("manual_colour_expired",
                           f"人工确认的较低颜色已于{fmt(result.manual_expires_on)}到期（期限为本地做法），"
                           "已按情形恢复，须由管理员重新确认。", local_source("manual_lowering_months")))
    if child.manual_colour and (not child.manual_colour_confirmed or not child.manual_colour_reason):
        basis = profile.sources.get("manual") or Source("", "本地做法：人工确认风险等级")
        out.append(Problem("manual_colour_unconfirmed",
                           "人工确认的风险等级没有理由或确认人，须由管理员重新确认。", basis))
    return out


def carer_follow_ups(child: ChildFacts, on: date, profile: Profile) -> list[Problem]:
    """A visit found the carer not doing the job: tell the parents, re-select or supervise the
    carer (every plan); 香格里拉 also report to the village committee."""
    out = []
    basis = profile.sources.get("carer", LOCAL_SOURCE)
    for f in child.carer_follow_ups:
        if f.found_on > on or (f.closed_on is not None and f.closed_on <= on):
            continue
        todo = []
        if f.parents_told_on is None:
            todo.append("告知父母或其他监护人")
        if not f.action:
            todo.append("重新选择被委托照护人或帮助、督促其履行职责")
        if profile.carer_failure_village_report and f.village_told_on is None:
            todo.append("向村（居）民委员会报告")
        what = "；".join(todo) or "落实后记录办结"
        out.append(Problem("carer_follow_up_open",
                           f"{fmt(f.found_on)}走访发现受委托照护人未履行照护职责，跟进未办结：{what}。", basis))
    return out


def work_trip_registration(child: ChildFacts, profile: Profile) -> list[Problem]:
    """香格里拉 二(一)2: both parents going away register the trip before leaving, with the
    village committee and the school told."""
    if not profile.work_trip_registration_required:
        return []
    basis = profile.sources["work_trip_registration_required"]
    away = [m for m in child.family if m.relation in vocab.PARENT_RELATIONS and m.status == "外出务工"]
    if len(away) < 2:
        return []  # the plan asks it of 父母双方外出务工
    trips = child.extra.get("work_trips")
    if trips is None:  # facts without per-parent trips: only the count is known
        if child.extra.get("work_trip_registrations", 0):
            return []
        return [Problem("work_trip_registration_missing", f"留守儿童父母未办理外出务工备案（{profile.name}要求）。", basis)]
    out = []
    for parent in away:
        mine = [t for t in trips if t[0] in (parent.relation, "父母双方")]
        if not mine:
            out.append(Problem("work_trip_registration_missing",
                               f"{parent.relation}未办理外出务工备案（{profile.name}要求）。", basis))
            continue
        registered_on, village, school = min(mine, key=lambda t: t[1])[1:4]
        if parent.away_since is not None and registered_on > parent.away_since:
            out.append(Problem("work_trip_registration_late",
                               f"{parent.relation}外出务工备案（{fmt(registered_on)}）晚于外出日期（{fmt(parent.away_since)}），"
                               "方案要求外出前备案。", basis))
        if not (village and school):
            out.append(Problem("work_trip_not_notified",
                               f"{parent.relation}外出务工备案未同时告知村（居）民委员会和学校。", basis))
    return out


def duplicates(child: ChildFacts, index: DuplicateIndex | None) -> list[Problem]:
    if index is None:
        return []
    return [
        Problem(
            "possible_duplicate",
            f"可能重复登记：与{m.name}（身份证号{mask_id_number(m.id_number)}）{m.same}、同出生日期、同村。",
            DATA_CHECK,
        )
        for m in index.matches(child)
    ]


def referral_suggestions(criteria) -> list[tuple[str, tuple[str, ...], str]]:
    """For the child's file: which departments each current finding goes to (普宁 四(二))."""
    words = []
    for c in criteria:
        if c.word not in words:
            words.append(c.word)
    return suggestions(words)
