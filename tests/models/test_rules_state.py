import json
from datetime import date

import pytest

from models.facts import CarerFacts, ChildFacts, ContactFacts, FamilyMemberFacts, RiskFinding
from models.profiles import get_profile
from models.rules import child_state, child_states, in_archive_scope

NATIONAL = get_profile("national")
ON = date(2026, 5, 20)


def child(**kw):
    base = {
        "id_number": "", "name": "郑小兰", "birth_date": date(2013, 8, 8), "sex": "女",
        "registration": "农村", "village": "东村", "entered_on": date(2026, 1, 1),
    }
    base.update(kw)
    return ChildFacts(**base)


AWAY = (
    FamilyMemberFacts("父亲", "郑大", "外出务工", "跨省", date(2025, 1, 1)),
    FamilyMemberFacts("母亲", "林二", "外出务工", "跨市", date(2025, 1, 1)),
)


def test_to_json_has_exactly_the_agreed_shape():
    c = child(family=AWAY, hardship_categories=frozenset({"低保"}), single_parent=False,
              carers=(CarerFacts("郑奶奶"),), contacts=(ContactFacts(date(2026, 5, 1), "入户走访", True),),
              risk_findings=(RiskFinding("辍学", date(2026, 2, 1)),))
    data = child_state(c, ON, NATIONAL).to_json()
    assert list(data) == [
        "id_number", "name", "categories", "single_parent", "colour", "colour_manual",
        "next_contact_due", "next_home_visit_due", "overdue", "urgent", "ages_out_on", "problems",
    ]
    assert data["categories"] == ["left_behind", "dibao"]
    assert data["colour"] == "yellow" and data["colour_manual"] is False
    assert data["next_contact_due"] == "2026-06-01"
    # Changed on purpose (issue 11): only 普宁 visits yellow children monthly.
    assert data["next_home_visit_due"] == "2026-08-01"
    assert data["overdue"] == [] and data["urgent"] is False
    assert data["ages_out_on"] == "2031-08-08"  # 18th birthday (低保) is later than the 16th
    # Added on purpose (issue 11): each problem says what it rests on.
    assert all(set(p) == {"code", "message", "basis"} for p in data["problems"])
    json.dumps(data, ensure_ascii=False)  # plain JSON types only


def test_to_json_without_categories():
    data = child_state(child(), ON, NATIONAL).to_json()
    assert data["categories"] == [] and data["ages_out_on"] is None
    # Changed on purpose (issue 11): a child out of every category leaves the overdue lists.
    assert data["overdue"] == [] and data["next_contact_due"] == "2026-01-01"
    data = child_state(child(hardship_categories=frozenset({"低保"})), ON, NATIONAL).to_json()
    assert data["overdue"] == ["contact", "home_visit"]  # no record: due on entry


def test_category_reasons_and_codes():
    c = child(family=AWAY, disability_grade="二级", disability_category="肢体",
              carers=(CarerFacts("郑奶奶"),))  # without a carer the child is flagged red
    state = child_state(c, ON, NATIONAL)
    assert state.categories == ["留守", "重残"]
    assert state.category_codes == ["left_behind", "severe_disability"]
    assert "父母双方跨县外出务工满3个月" in state.category_reasons["留守"]
    assert state.category_reasons["重残"] == ["残疾等级二级（肢体）"]
    assert state.colour == "blue"


@pytest.mark.parametrize(
    "kw, on, in_scope",
    [
        ({"family": AWAY}, ON, True),
        ({"hardship_categories": frozenset({"特困"})}, ON, True),
        ({"single_parent": True}, ON, True),
        ({"single_parent": True}, date(2031, 8, 8), False),  # 18 that day
        ({}, ON, False),
        ({"family": AWAY}, date(2029, 8, 8), False),  # 16th birthday
        ({"family": AWAY, "closed_on": date(2026, 5, 1)}, ON, False),
    ],
)
def test_in_archive_scope(kw, on, in_scope):
    assert in_archive_scope(child_state(child(**kw), on, NATIONAL)) is in_scope


def test_yueqing_counts_urban_left_behind_child():
    c = child(family=AWAY, registration="城镇")
    assert child_state(c, ON, NATIONAL).categories == []
    assert child_state(c, ON, get_profile("yueqing")).categories == ["留守"]


def test_shangrila_needs_parents_away_across_cities():
    family = (
        FamilyMemberFacts("父亲", "郑大", "外出务工", "跨县", date(2025, 1, 1)),
        FamilyMemberFacts("母亲", "林二", "外出务工", "跨省", date(2025, 1, 1)),
    )
    assert child_state(child(family=family), ON, NATIONAL).categories == ["留守"]
    assert child_state(child(family=family), ON, get_profile("shangrila")).categories == []


@pytest.mark.parametrize(
    "kw",
    [
        {"registration": "", "family": (FamilyMemberFacts("父亲", status=""),
                                        FamilyMemberFacts("母亲", status="外出务工", distance="火星"))},
        {"birth_date": None, "single_parent": True},
        {"entered_on": None},
        {"manual_colour": "", "hardship_categories": frozenset({"不存在的类别"})},
        {"contacts": (ContactFacts(date(2030, 1, 1), ""),), "risk_findings": (RiskFinding("乱写", ON),)},
        {"birth_date": date(2030, 1, 1)},  # born after the day asked about
    ],
)
def test_odd_input_never_crashes(kw):
    data = child_state(child(**kw), ON, NATIONAL).to_json()
    assert data["colour"] in ("red", "yellow", "blue", "green")
    json.dumps(data, ensure_ascii=False)


def test_problems_are_worked_out_once_and_only_when_asked_for():
    states = child_states([child(family=AWAY), child(name="", closed_on=date(2026, 3, 1))], ON, NATIONAL)
    assert all(s._problems is None for s in states)  # the county tables never pay for them
    open_child, closed_child = states
    assert "agreement_missing" in [p.code for p in open_child.problems]
    assert open_child.problems is open_child.problems
    assert closed_child.problems == []  # a closed file has nothing left to do
