from datetime import date

import pytest

from forms import vocab
from models.facts import AssessmentFacts, CarerFacts, ChildFacts, FamilyMemberFacts, RiskFinding
from models.profiles import get_profile
from models.rules import colour

NATIONAL = get_profile("national")
ON = date(2026, 5, 28)


def child(**kw):
    base = {
        "id_number": "", "name": "赵小华", "birth_date": date(2014, 3, 10), "sex": "男", "registration": "农村",
        "village": "南村", "entered_on": date(2025, 1, 1),
    }
    base.update(kw)
    return ChildFacts(**base)


def finding(criterion, found=date(2026, 1, 10), resolved=None):
    return RiskFinding(criterion, found, resolved)


def parents(father, mother):
    return (FamilyMemberFacts("父亲", status=father), FamilyMemberFacts("母亲", status=mother))


def test_no_criterion_is_green():
    result = colour(child(), ON, NATIONAL)
    assert (result.colour, result.manual, result.red_since) == ("green", False, None)


@pytest.mark.parametrize(
    "criterion, expected",
    [(c, "red") for c in vocab.RED_CRITERIA]
    + [(c, "yellow") for c in vocab.YELLOW_CRITERIA]
    + [(c, "blue") for c in vocab.BLUE_CRITERIA],
)
def test_recorded_criterion_colour(criterion, expected):
    result = colour(child(risk_findings=(finding(criterion),)), ON, NATIONAL)
    assert result.colour == expected
    assert any(criterion in r for r in result.reasons)


@pytest.mark.parametrize(
    "criteria, expected",
    [
        (("监护不足", "辍学"), "yellow"),
        (("监护不足", "遭受侵害", "辍学"), "red"),
        (("心理行为异常", "父母一方有恶习"), "blue"),
    ],
)
def test_highest_level_wins(criteria, expected):
    c = child(risk_findings=tuple(finding(x) for x in criteria))
    assert colour(c, ON, NATIONAL).colour == expected


@pytest.mark.parametrize(
    "found, resolved, active",
    [
        (date(2026, 5, 28), None, True),  # found that day
        (date(2026, 5, 29), None, False),  # found later
        (date(2026, 1, 1), date(2026, 5, 28), False),  # resolved by then
        (date(2026, 1, 1), date(2026, 5, 29), True),  # resolved later
    ],
)
def test_finding_active_on_the_day(found, resolved, active):
    c = child(risk_findings=(finding("遭受侵害", found, resolved),))
    assert (colour(c, ON, NATIONAL).colour == "red") is active


@pytest.mark.parametrize(
    "kw, expected, reason",
    [
        ({"family": parents("重残", "重残")}, "yellow", "父母双方均重残"),
        ({"family": parents("重残", "在家")}, "green", None),
        ({"family": parents("服刑在押", "服刑在押")}, "yellow", "父母双方均服刑在押"),
        ({"family": parents("服刑在押", "外出务工")}, "green", None),
        ({"schooling": "辍学"}, "yellow", "就学状况为辍学"),
        ({"hardship_categories": frozenset({"孤儿"})}, "blue", "困境类别：孤儿"),
        ({"hardship_categories": frozenset({"艾滋病病毒感染"})}, "blue", "困境类别：艾滋病病毒感染"),
        ({"hardship_categories": frozenset({"事实无人抚养"})}, "blue", "困境类别：事实无人抚养"),
        ({"hardship_categories": frozenset({"重残"})}, "blue", "困境类别：重残"),
        ({"disability_grade": "三级", "disability_category": "智力"}, "blue", "困境类别：重残"),
        ({"disability_grade": "三级", "disability_category": "肢体"}, "green", None),
        ({"hardship_categories": frozenset({"低保"})}, "green", None),
        ({"hardship_categories": frozenset({"孤儿"}), "birth_date": date(2008, 1, 1)}, "green", None),
    ],
)
def test_derived_criteria(kw, expected, reason):
    # A carer is recorded: without one, parents who both lack capacity flag the child red
    # (see test_rules_policy.py).
    result = colour(child(carers=(CarerFacts("王奶奶"),), **kw), ON, NATIONAL)
    assert result.colour == expected
    if reason:
        assert f"{vocab.COLOUR_NAMES[expected]}：{reason}" in result.reasons


@pytest.mark.parametrize(
    "assessments, expected",
    [
        ((AssessmentFacts(date(2026, 3, 1), "中高风险"),), "yellow"),
        ((AssessmentFacts(date(2026, 3, 1), "高风险"),), "red"),
        ((AssessmentFacts(date(2026, 3, 1), "中风险"),), "green"),
        ((AssessmentFacts(date(2026, 3, 1), "低风险"),), "green"),
        # the latest assessment counts
        ((AssessmentFacts(date(2025, 3, 1), "高风险"), AssessmentFacts(date(2026, 3, 1), "低风险")), "green"),
        ((AssessmentFacts(date(2026, 3, 1), "低风险"), AssessmentFacts(date(2025, 3, 1), "高风险")), "green"),
        # an assessment after the day does not count yet
        ((AssessmentFacts(date(2026, 6, 1), "高风险"),), "green"),
    ],
)
def test_assessment_raises_colour(assessments, expected):
    assert colour(child(assessments=assessments), ON, NATIONAL).colour == expected


def test_assessment_only_raises_never_lowers():
    c = child(risk_findings=(finding("遭受侵害"),), assessments=(AssessmentFacts(date(2026, 3, 1), "中高风险"),))
    assert colour(c, ON, NATIONAL).colour == "red"
    c = child(schooling="辍学", assessments=(AssessmentFacts(date(2026, 3, 1), "高风险"),))
    result = colour(c, ON, NATIONAL)
    assert result.colour == "red" and result.red_since == date(2026, 3, 1)


def test_red_since_is_earliest_active_red_finding():
    c = child(risk_findings=(
        finding("自杀自残", date(2026, 4, 2)),
        finding("遭受侵害", date(2026, 2, 3)),
        finding("脱离监护", date(2025, 12, 1), resolved=date(2026, 1, 1)),  # no longer active
    ))
    assert colour(c, ON, NATIONAL).red_since == date(2026, 2, 3)


@pytest.mark.parametrize("manual", ["green", "blue", "yellow", "red"])
def test_manual_colour_overrides(manual):
    # Changed on purpose (issue 11): a manual colour no longer hides a red finding, so the
    # criterion here is blue and found before the colour was set; lowering it to green holds
    # within the local-practice period (3 months by default).
    c = child(
        risk_findings=(finding("监护不足"),), manual_colour=manual,
        manual_colour_reason="乡镇组织评估确认", manual_colour_on=date(2026, 4, 1),
    )
    result = colour(c, ON, NATIONAL)
    assert (result.colour, result.manual) == (manual, True)
    assert result.reasons[0] == f"乡镇确认为{vocab.COLOUR_NAMES[manual]}（2026-04-01）：乡镇组织评估确认"
    assert result.red_since == (date(2026, 4, 1) if manual == "red" else None)


def test_invalid_manual_colour_is_ignored():
    result = colour(child(manual_colour="purple"), ON, NATIONAL)
    assert (result.colour, result.manual) == ("green", False)
