"""Issue 11: rules a county inspector can trust, per profile (pure facts, no database)."""

from dataclasses import replace
from datetime import date

import pytest

from forms.idnumber import make_id_number
from models.facts import (
    AgreementFacts,
    AssessmentFacts,
    CarerFacts,
    CarerFollowUpFacts,
    ChildFacts,
    ContactFacts,
    FamilyMemberFacts,
    ProblemFacts,
    ReferralFacts,
    RiskFinding,
)
from models.profiles import PROFILES, basis_code, get_profile, profile_settings
from models.rules import child_state
from models.rules.completeness import referral_suggestions
from models.statistics import annex1

ON = date(2026, 5, 20)
ALL = sorted(PROFILES)
PUNING_FILE = "002_a63d9cbfd8eb9185.txt"


def kid(**kw):
    base = {
        "id_number": make_id_number("130402", date(2014, 3, 10), 12, True), "name": "周小军",
        "birth_date": date(2014, 3, 10), "sex": "男", "registration": "农村", "village": "东村",
        "entered_on": date(2025, 5, 1), "address": "东村3组", "schooling": "小学", "health": "健康",
        "hardship_categories": frozenset({"低保"}),
        "family": (FamilyMemberFacts("父亲", "周大", "在家"), FamilyMemberFacts("母亲", "李二", "在家")),
    }
    base.update(kw)
    return ChildFacts(**base)


def codes(state):
    return {p.code for p in state.problems}


# -- 1. manual colour ------------------------------------------------------------------------

@pytest.mark.parametrize("code", ALL)
def test_manual_green_then_red_finding_is_red_and_urgent(code):
    c = kid(manual_colour="green", manual_colour_reason="乡镇评估确认", manual_colour_on=date(2025, 6, 1),
            manual_colour_by="admin", risk_findings=(RiskFinding("自杀自残", date(2026, 2, 1)),))
    state = child_state(c, ON, get_profile(code))
    assert state.colour == "red" and not state.colour_manual and state.urgent
    assert "red_urgent" in codes(state)
    assert "已被其后发现的更高情形取代" in state.colour_reasons[0]


@pytest.mark.parametrize("code", ALL)
def test_red_always_wins_even_found_before_the_manual_colour(code):
    c = kid(manual_colour="green", manual_colour_reason="已核实", manual_colour_on=date(2026, 3, 1),
            risk_findings=(RiskFinding("遭受侵害", date(2026, 2, 1)),))
    assert child_state(c, ON, get_profile(code)).colour == "red"


@pytest.mark.parametrize("code", ALL)
def test_later_higher_finding_beats_manual_lowering(code):
    c = kid(manual_colour="green", manual_colour_reason="已核实", manual_colour_on=date(2026, 3, 1),
            risk_findings=(RiskFinding("监护严重不足", date(2026, 4, 1)),))
    assert child_state(c, ON, get_profile(code)).colour == "yellow"


@pytest.mark.parametrize("code", ALL)
def test_manual_lowering_expires_and_asks_for_confirmation(code):
    profile = get_profile(code)
    c = kid(manual_colour="green", manual_colour_reason="已核实", manual_colour_on=date(2026, 3, 1),
            risk_findings=(RiskFinding("监护不足", date(2026, 1, 1)),))
    within = child_state(c, date(2026, 5, 31), profile)
    assert within.colour == "green" and within.colour_manual
    expired = child_state(c, date(2026, 6, 1), profile)  # 3 months (local practice default)
    assert expired.colour == "blue" and not expired.colour_manual
    problem = next(p for p in expired.problems if p.code == "manual_colour_expired")
    assert problem.to_json()["basis"] == "local" and "本地做法" in problem.message
    longer = profile.with_local({"manual_lowering_months": 6})
    assert child_state(c, date(2026, 6, 1), longer).colour == "green"


def test_manual_colour_without_reason_asks_for_confirmation():
    c = kid(manual_colour="blue", manual_colour_confirmed=False)
    state = child_state(c, ON, get_profile("puning"))
    assert state.colour == "blue"  # kept
    p = next(p for p in state.problems if p.code == "manual_colour_unconfirmed")
    assert p.basis.file == PUNING_FILE and p.basis.clause.startswith("三、")


def test_manual_colour_shows_who_and_when():
    c = kid(manual_colour="yellow", manual_colour_reason="情形复杂", manual_colour_on=date(2026, 3, 1),
            manual_colour_by="张科长")
    assert child_state(c, ON, get_profile("puning")).colour_reasons[0] == \
        "乡镇确认为黄色（2026-03-01，张科长）：情形复杂"


# -- 2. red means acted on -------------------------------------------------------------------

def harmed(**kw):
    return kid(risk_findings=(RiskFinding("遭受侵害", date(2026, 4, 10)),), **kw)


@pytest.mark.parametrize("code", ALL)
@pytest.mark.parametrize("kw, urgent", [
    ({}, True),
    ({"care_records_on": (date(2026, 4, 11),)}, True),  # a care record alone does not clear it
    ({"referrals": (ReferralFacts(date(2026, 4, 11), "县级公安"),)}, False),
    ({"referrals": (ReferralFacts(date(2026, 4, 11), "县级残联"),)}, True),  # not the fitting one
    ({"mandatory_reports_on": (date(2026, 4, 11),)}, False),
])
def test_red_stays_urgent_until_reported_or_fittingly_referred(code, kw, urgent):
    state = child_state(harmed(**kw), ON, get_profile(code))
    assert state.colour == "red" and state.urgent is urgent


@pytest.mark.parametrize("criterion, department, urgent", [
    ("辍学", "县级教育", False),  # yellow: never urgent
    ("自杀自残", "县级卫生健康", False),
    ("自杀自残", "县级医保", True),
    ("脱离监护", "县级民政", False),
])
def test_fitting_department_per_finding(criterion, department, urgent):
    c = kid(risk_findings=(RiskFinding(criterion, date(2026, 4, 1)),),
            referrals=(ReferralFacts(date(2026, 4, 2), department),))
    assert child_state(c, ON, get_profile("puning")).urgent is urgent


def test_each_red_finding_needs_its_own_action():
    c = kid(risk_findings=(RiskFinding("遭受侵害", date(2026, 4, 1)), RiskFinding("自杀自残", date(2026, 4, 1))),
            referrals=(ReferralFacts(date(2026, 4, 2), "县级检察院"),))
    state = child_state(c, ON, get_profile("puning"))
    assert state.urgent and [w for w, _d in state.red_pending] == ["自杀自残"]


def test_file_suggests_departments_per_finding():
    c = kid(risk_findings=(RiskFinding("遭受侵害", date(2026, 4, 1)), RiskFinding("辍学", date(2026, 4, 1))))
    state = child_state(c, ON, get_profile("puning"))
    got = {w: depts for w, depts, _note in referral_suggestions(state.colour_criteria)}
    assert got["遭受侵害"] == ("公安", "检察", "法院") and got["辍学"] == ("教育",)


def test_red_urgent_cites_the_profiles_own_clause():
    p = next(p for p in child_state(harmed(), ON, get_profile("puning")).problems if p.code == "red_urgent")
    assert p.basis.file == PUNING_FILE and p.basis.clause.startswith("三、分级分色跟踪服务 1.")
    p = next(p for p in child_state(harmed(), ON, get_profile("shangrila")).problems if p.code == "red_urgent")
    assert p.basis.file.startswith("004_") and "教体、卫生健康" in p.message


# -- 3. no guardian ---------------------------------------------------------------------------

def no_guardian(father="失联", mother="失联", **kw):
    return kid(hardship_categories=frozenset(), family=(
        FamilyMemberFacts("父亲", "周大", father), FamilyMemberFacts("母亲", "李二", mother)), **kw)


@pytest.mark.parametrize("code", ALL)
@pytest.mark.parametrize("father, mother", [("失联", "失联"), ("服刑在押", "重残"), ("死亡", "强制隔离戒毒")])
def test_both_parents_without_capacity_and_no_carer_is_flagged_red(code, father, mother):
    state = child_state(no_guardian(father, mother), ON, get_profile(code))
    assert state.colour == "red" and state.urgent and state.in_colour_lists
    assert state.guardianship_flag == "absent"
    p = next(p for p in state.problems if p.code == "guardianship_absent")
    assert "核实并报县级民政" in p.message
    if code == "puning":
        assert p.basis.file == PUNING_FILE and "（疑似）监护完全缺失" in state.colour_reasons[0]
    # A referral to civil affairs acts on it.
    referred = no_guardian(father, mother, referrals=(ReferralFacts(date(2026, 5, 1), "县级民政"),))
    assert not child_state(referred, ON, get_profile(code)).urgent


@pytest.mark.parametrize("extra", [
    {"carers": (CarerFacts("王奶奶"),)},
    {"family": (FamilyMemberFacts("父亲", "周大", "失联"), FamilyMemberFacts("母亲", "李二", "失联"),
                FamilyMemberFacts("祖母", "王奶奶", "在家"))},
    {"hardship_categories": frozenset({"兜底监护"})},
])
def test_a_known_adult_or_state_guardianship_is_not_flagged(extra):
    c = replace(no_guardian(), **extra)
    assert child_state(c, ON, get_profile("puning")).guardianship_flag == ""


def test_under_16_with_parents_away_and_no_carer_is_flagged():
    c = no_guardian("外出务工", "外出务工")
    state = child_state(c, ON, get_profile("changzhi"))
    assert state.guardianship_flag == "alone" and state.colour == "red"
    p = next(p for p in state.problems if p.code == "child_left_alone")
    assert p.to_json()["basis"] == "law:《未成年人保护法》第二十一条"
    older = replace(c, birth_date=date(2009, 1, 1))  # 17: Art. 21 is about under 16
    assert child_state(older, ON, get_profile("changzhi")).guardianship_flag == ""


def test_a_missing_parent_record_is_unknown_not_absent():
    c = kid(hardship_categories=frozenset(), family=(FamilyMemberFacts("父亲", "周大", "失联"),))
    assert child_state(c, ON, get_profile("puning")).guardianship_flag == ""


# -- 4. policy versus local practice ----------------------------------------------------------

@pytest.mark.parametrize("code", ALL)
def test_invented_deadlines_are_local_and_can_be_turned_off(code):
    profile = get_profile(code)
    c = kid(problems=(ProblemFacts(date(2026, 3, 1), "缺衣物"),),
            referrals=(ReferralFacts(date(2026, 3, 1), "县级教育"),))
    state = child_state(c, ON, profile)
    local = [p for p in state.problems if p.code in ("problem_unsolved", "referral_no_outcome")]
    assert len(local) == 2 and all(p.to_json()["basis"] == "local" for p in local)
    assert all("政策" not in p.message and "本地做法" in p.message for p in local)
    off = profile.with_local({"follow_up_days": 0, "coverage_check": 0})
    assert not {"problem_unsolved", "referral_no_outcome", "months_without_contact"} & codes(
        child_state(c, ON, off))


@pytest.mark.parametrize("code", ALL)
def test_every_problem_has_a_basis(code):
    c = harmed(contacts=(ContactFacts(date(2025, 6, 1), "入户走访", False),), id_number="123")
    for p in child_state(c, ON, get_profile(code)).problems:
        j = p.to_json()
        assert j["basis"] and p.basis_text
        if code != "puning" and code != "national":
            assert PUNING_FILE not in j["basis"], p


@pytest.mark.parametrize("code, required, local", [
    ("changzhi", 2, False), ("puning", 0, True), ("yueqing", 0, True), ("national", 0, True)])
def test_screenings_per_year_is_policy_only_in_changzhi(code, required, local):
    count, source = get_profile(code).screenings_required()
    assert count == required and (not source.file) is local


# -- 5. each profile runs its own plan --------------------------------------------------------

def visited(day, **kw):
    return kid(contacts=(ContactFacts(day, "入户走访", True),), **kw)


@pytest.mark.parametrize("code, due", [
    ("puning", date(2026, 3, 1)),  # yellow: monthly (普宁 三2)
    ("changzhi", date(2026, 5, 1)), ("shaoyang", date(2026, 5, 1)), ("national", date(2026, 5, 1)),
    ("yueqing", date(2026, 5, 1)), ("shangrila", date(2026, 5, 1)),
])
def test_colour_intervals_only_under_puning(code, due):
    c = visited(date(2026, 2, 1), schooling="辍学")  # yellow
    state = child_state(c, date(2026, 2, 2), get_profile(code))
    assert state.colour == "yellow" and state.next_home_visit_due == due


@pytest.mark.parametrize("code, kw, frequent", [
    ("changzhi", {"single_parent": True}, True),
    ("changzhi", {"health": "残疾", "disability_grade": "四级"}, True),
    ("changzhi", {"family": (FamilyMemberFacts("父亲", "周大", "重残"), FamilyMemberFacts("母亲", "李二", "在家"))}, True),
    ("yueqing", {"single_parent": True}, False),
    ("yueqing", {"assessments": (AssessmentFacts(date(2026, 1, 5), "中高风险"),)}, True),
    ("shangrila", {"risk_findings": (RiskFinding("心理行为异常", date(2026, 1, 5)),)}, True),
    ("shaoyang", {"single_parent": True}, False),
])
def test_named_groups_get_the_local_frequent_interval(code, kw, frequent):
    state = child_state(visited(date(2026, 2, 1), **kw), date(2026, 2, 2), get_profile(code))
    assert state.next_home_visit_due == (date(2026, 4, 1) if frequent else date(2026, 5, 1))
    if frequent:
        assert state.visit_basis.file == "" and "本地做法" in state.visit_basis.clause


def test_changzhi_archive_shows_no_colour_intervals_and_cites_no_puning_clause():
    rows = profile_settings(get_profile("changzhi"))
    values = {label: value for label, value, _s in rows}
    assert values["入户走访间隔"] == "每3个月" and "红色" not in values["入户走访间隔"]
    assert all(s.file != PUNING_FILE for _l, _v, s in rows)
    state = child_state(visited(date(2025, 6, 1), schooling="辍学"), ON, get_profile("changzhi"))
    assert all(PUNING_FILE not in basis_code(p.basis) for p in state.problems)


def test_national_profile_says_what_it_rests_on():
    assert "全国通用配置" in get_profile("national").basis_note
    assert "不使用普宁的分色走访间隔" in get_profile("national").basis_note


# -- 6. single-parent-only children -----------------------------------------------------------

def test_single_parent_only_child_is_not_in_annex1_or_the_colour_lists():
    sp = kid(hardship_categories=frozenset(), single_parent=True, id_number="x1")
    lb = kid(id_number="x2")
    profile = get_profile("puning")
    pairs = [(c, child_state(c, ON, profile)) for c in (sp, lb)]
    assert pairs[0][1].single_parent_only and not pairs[0][1].in_colour_lists
    assert pairs[0][1].list_colour == ""
    assert annex1(pairs).count == 1


# -- 7. the carer follow-up -------------------------------------------------------------------

@pytest.mark.parametrize("code, village", [("puning", False), ("shangrila", True)])
def test_carer_failure_opens_a_tracked_follow_up(code, village):
    c = kid(carer_follow_ups=(CarerFollowUpFacts(date(2026, 4, 1)),))
    p = next(p for p in child_state(c, ON, get_profile(code)).problems if p.code == "carer_follow_up_open")
    assert "告知父母" in p.message and ("村（居）民委员会" in p.message) is village
    done = kid(carer_follow_ups=(CarerFollowUpFacts(date(2026, 4, 1), "重新选择被委托照护人",
                                                    date(2026, 4, 2), date(2026, 4, 2), date(2026, 4, 20)),))
    assert "carer_follow_up_open" not in codes(child_state(done, ON, get_profile(code)))


# -- 8. entrustment checks --------------------------------------------------------------------

AWAY = (FamilyMemberFacts("父亲", "周大", "外出务工", "跨省", date(2025, 3, 1)),
        FamilyMemberFacts("母亲", "李二", "外出务工", "跨省", date(2025, 3, 1)))


def entrusted(signed=date(2025, 2, 20), carer_birth=date(1960, 1, 1), declared=True,
              school=date(2025, 2, 21), village=date(2025, 2, 21), entered=date(2025, 1, 1)):
    carer = CarerFacts("王奶奶", birth_date=carer_birth)
    return kid(family=AWAY, carers=(carer,), entered_on=entered, agreements=(AgreementFacts(
        "已签订", signed, signed, None, carer, declared, school, village),))


def test_entrustment_all_in_order():
    state = child_state(entrusted(), ON, get_profile("changzhi"))
    assert not {p.code for p in state.problems} & {
        "agreement_after_leaving", "carer_not_adult", "carer_declaration_missing", "entrustment_notice_missing"}


def test_agreement_signed_after_leaving_only_under_changzhi():
    c = entrusted(signed=date(2025, 4, 1))
    assert "agreement_after_leaving" in codes(child_state(c, ON, get_profile("changzhi")))
    assert "agreement_after_leaving" not in codes(child_state(c, ON, get_profile("puning")))
    # Parents who left before the child entered the archive are not judged on it.
    c = entrusted(signed=date(2025, 4, 1), entered=date(2025, 3, 15))
    assert "agreement_after_leaving" not in codes(child_state(c, ON, get_profile("changzhi")))


def test_carer_must_be_adult_and_declare():
    assert "carer_not_adult" in codes(child_state(entrusted(carer_birth=date(2010, 1, 1)), ON, get_profile("puning")))
    state = child_state(entrusted(declared=False), ON, get_profile("puning"))
    assert "carer_declaration_missing" in codes(state)


def test_art23_notice_is_tracked():
    state = child_state(entrusted(school=None), ON, get_profile("puning"))
    p = next(p for p in state.problems if p.code == "entrustment_notice_missing")
    assert "学校" in p.message and p.to_json()["basis"] == "law:《未成年人保护法》第二十三条"


# -- 9. guardianship assessment ---------------------------------------------------------------

def test_assessment_result_insufficient_makes_the_child_blue_under_puning():
    c = kid(assessments=(AssessmentFacts(date(2026, 3, 1), "中风险", "监护不足"),))
    state = child_state(c, ON, get_profile("puning"))
    assert state.colour == "blue" and "（疑似）监护存在不足" in state.colour_reasons[0]


@pytest.mark.parametrize("code, left_behind_needs, hardship_needs", [
    ("yueqing", False, True), ("shaoyang", True, True), ("puning", False, False), ("changzhi", False, False)])
def test_who_needs_an_assessment_per_profile(code, left_behind_needs, hardship_needs):
    hardship = kid()
    left = kid(hardship_categories=frozenset(), family=AWAY, carers=(CarerFacts("王奶奶"),))
    p = get_profile(code)
    assert ("assessment_missing" in codes(child_state(hardship, ON, p))) is hardship_needs
    assert ("assessment_missing" in codes(child_state(left, ON, p))) is left_behind_needs


# -- 11. smaller --------------------------------------------------------------------------------

def test_child_out_of_every_category_leaves_the_overdue_lists():
    c = kid(hardship_categories=frozenset())
    state = child_state(c, ON, get_profile("puning"))
    assert state.categories == [] and state.overdue == []
    assert not {"contact_overdue", "home_visit_overdue"} & codes(state)


def test_annex1_counts_children_back_at_school():
    c = kid(schooling="初中", risk_findings=(RiskFinding("辍学", date(2026, 3, 1)),),
            contacts=(ContactFacts(date(2025, 1, 1), "电话"),))
    state = child_state(c, ON, get_profile("puning"))
    table = annex1([(c, state)])
    row = next(r for r in table.block("yellow").rows if "辍学" in r.label)
    assert row.count == 1 and row.intervened == 1


def test_puning_core_urban_exclusion_can_be_recorded():
    c = kid(hardship_categories=frozenset(), carers=(CarerFacts("王奶奶"),), family=AWAY)
    assert child_state(c, ON, get_profile("puning")).left_behind
    excluded = replace(c, core_urban_excluded=True)
    state = child_state(excluded, ON, get_profile("puning"))
    assert not state.left_behind
    assert child_state(excluded, ON, get_profile("changzhi")).left_behind  # 普宁's rule only


# -- 10. 香格里拉 外出务工备案 per parent ------------------------------------------------------------

@pytest.mark.parametrize("trips, expected", [
    ([], {"work_trip_registration_missing"}),
    ([("父亲", date(2025, 2, 1), True, True)], {"work_trip_registration_missing"}),  # mother missing
    ([("父母双方", date(2025, 2, 1), True, True)], set()),
    ([("父亲", date(2025, 2, 1), True, True), ("母亲", date(2025, 4, 1), True, True)],
     {"work_trip_registration_late"}),  # after she left (2025-03-01)
    ([("父母双方", date(2025, 2, 1), True, False)], {"work_trip_not_notified"}),
])
def test_shangrila_work_trip_per_parent_before_leaving_both_told(trips, expected):
    c = kid(hardship_categories=frozenset(), family=AWAY, carers=(CarerFacts("王奶奶"),),
            extra={"work_trips": trips})
    got = {p for p in codes(child_state(c, ON, get_profile("shangrila"))) if p.startswith("work_trip")}
    assert got == expected
    assert not {p for p in codes(child_state(c, ON, get_profile("puning"))) if p.startswith("work_trip")}


def test_shangrila_only_asks_when_both_parents_are_away():
    one_away = (AWAY[0], FamilyMemberFacts("母亲", "李二", "重残"))
    c = kid(hardship_categories=frozenset(), family=one_away, carers=(CarerFacts("王奶奶"),),
            extra={"work_trips": []})
    state = child_state(c, ON, get_profile("shangrila"))
    assert state.left_behind and not {p for p in codes(state) if p.startswith("work_trip")}


def test_shangrila_report_recipients():
    assert get_profile("shangrila").report_recipients == ("公安", "民政", "教体", "卫生健康")
    assert get_profile("puning").report_recipients == ("公安", "民政", "教育")


def test_spotcheck_record_marks_local_practice_and_never_calls_it_policy():
    from models.spotcheck import SampledChild, finding_kind

    c = kid(problems=(ProblemFacts(date(2026, 3, 1), "缺衣物"),))
    state = child_state(c, ON, get_profile("changzhi"))
    sampled = SampledChild(c.id_number, c.name, c.village, state.colour, state.categories, state.problems)
    local = [m for m in sampled.messages if "超过30天" in m]
    assert local and all(m.startswith("【本地做法】") and "政策" not in m for m in local)
    policy = [m for m in sampled.messages if "联系已逾期" in m]
    assert policy and "依据：长治市方案（000） 二、（三）9." in policy[0]
    assert finding_kind("problem_unsolved").startswith("【本地做法】")
    assert finding_kind("guardianship_absent").startswith("（疑似）监护缺失")


def test_current_carer_checked_even_without_a_linked_agreement():
    young = CarerFacts("小王", id_number=make_id_number("130402", date(2010, 1, 1), 21, True))
    c = kid(family=AWAY, carers=(young,), hardship_categories=frozenset())
    assert "carer_not_adult" in codes(child_state(c, ON, get_profile("national")))
