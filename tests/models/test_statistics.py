from datetime import date

import pytest

from models.facts import (
    CarerFacts,
    ChildFacts,
    ContactFacts,
    FamilyMemberFacts,
    ReferralFacts,
    RiskFinding,
)
from models.profiles import get_profile
from models.rules import child_state
from models.statistics import annex1

NATIONAL = get_profile("national")
ON = date(2026, 5, 20)
VISITED = (ContactFacts(date(2026, 5, 10), "入户走访", True),)
AWAY = (
    FamilyMemberFacts("父亲", "甲", "外出务工", "跨省", date(2025, 1, 1)),
    FamilyMemberFacts("母亲", "乙", "外出务工", "跨省", date(2025, 1, 1)),
)


def child(name, **kw):
    base = {
        "id_number": "", "name": name, "birth_date": date(2014, 3, 10), "sex": "男",
        "registration": "农村", "village": "东村", "entered_on": date(2026, 1, 1), "family": AWAY,
        # a carer is recorded: without one these children would be flagged red (issue 11)
        "carers": (CarerFacts("祖母"),),
    }
    base.update(kw)
    return ChildFacts(**base)


def red(criteria, found=date(2026, 4, 1)):
    return tuple(RiskFinding(c, found) for c in criteria)


CHILDREN = [
    # red, intervened by a referral after the finding
    child("甲", risk_findings=red(["遭受侵害"], date(2026, 3, 1)),
          referrals=(ReferralFacts(date(2026, 3, 2), "县级公安"),)),
    # red in two rows; a visit alone is not an intervention for red
    child("乙", risk_findings=red(["遭受侵害", "自杀自残"]), contacts=VISITED),
    # manual red without a red criterion -> 其他; the referral predates the manual colour
    child("丙", manual_colour="red", manual_colour_reason="乡镇评估", manual_colour_on=date(2026, 5, 1),
          referrals=(ReferralFacts(date(2026, 4, 1), "县级民政"),)),
    # yellow derived 辍学, followed up regularly
    child("丁", schooling="辍学", contacts=VISITED),
    # yellow 严重心理疾病 has no row of its own -> 其他; never contacted
    child("戊", risk_findings=red(["严重心理疾病"])),
    # blue: HIV infection counts with 孤儿; also 低保 but counted only in its colour's block
    child("己", hardship_categories=frozenset({"艾滋病病毒感染", "低保"}), contacts=VISITED, family=()),
    # green 困难家庭 in two rows
    child("庚", hardship_categories=frozenset({"低保", "支出型困难"}), contacts=VISITED, family=()),
    # green left-behind only -> 其他, overdue so not followed up
    child("辛"),
    # out of scope: not left-behind, no category
    child("壬", family=()),
    # closed file
    child("癸", closed_on=date(2026, 2, 1), risk_findings=red(["遭受侵害"])),
]


@pytest.fixture(scope="module")
def table():
    return annex1((c, child_state(c, ON, NATIONAL)) for c in CHILDREN)


def counts(block):
    return [(r.count, r.intervened) for r in block.rows]


def test_red_block(table):
    b = table.block("red")
    assert b.title == "高风险等级（红色）"
    assert counts(b) == [(2, 1), (0, 0), (0, 0), (1, 0), (1, 0)]
    assert (b.count, b.intervened) == (3, 1)


def test_yellow_block(table):
    b = table.block("yellow")
    assert len(b.rows) == 6
    assert counts(b) == [(0, 0), (0, 0), (0, 0), (1, 1), (0, 0), (1, 0)]
    assert (b.count, b.intervened) == (2, 1)


def test_blue_block(table):
    b = table.block("blue")
    assert b.rows[0].label == "孤儿数（含艾滋病病毒感染儿童）"
    assert counts(b) == [(1, 1)] + [(0, 0)] * 6
    assert (b.count, b.intervened) == (1, 1)


def test_green_block_by_family_type(table):
    b = table.block("green")
    assert [r.label for r in b.rows] == [
        "最低生活保障家庭中的儿童数", "最低生活保障边缘家庭和支出型困难家庭中的儿童数",
        "特困人员中的儿童数", "其他情况的儿童数",
    ]
    assert counts(b) == [(1, 1), (1, 1), (0, 0), (1, 0)]
    assert (b.count, b.intervened) == (2, 1)


def test_total_is_children_in_scope(table):
    assert (table.count, table.intervened) == (8, 4)


def test_lines_in_print_order(table):
    lines = table.lines()
    assert [ln.kind for ln in lines].count("subtotal") == 4
    assert lines[-1].kind == "total" and lines[-1].label == "人数合计" and lines[-1].count == 8
    assert lines[0].label.startswith("1. （疑似）遭受性侵害") and lines[0].intervened_label == "其中已干预的儿童数"
    assert [ln.colour for ln in lines if ln.kind == "subtotal"] == ["red", "yellow", "blue", "green"]
    assert len(lines) == 5 + 6 + 7 + 4 + 4 + 1


def test_resolved_finding_is_not_counted():
    c = child("子", risk_findings=(RiskFinding("遭受侵害", date(2026, 1, 1), date(2026, 2, 1)),))
    table = annex1([(c, child_state(c, ON, NATIONAL))])
    assert table.block("red").count == 0
    assert table.block("green").rows[-1].count == 1


def test_empty_archive():
    table = annex1([])
    assert table.count == 0 and all(ln.count == 0 for ln in table.lines())
