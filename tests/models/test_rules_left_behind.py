from datetime import date

import pytest

from models.facts import ChildFacts, FamilyMemberFacts
from models.profiles import get_profile
from models.rules import left_behind
from models.rules.dates import add_months

NATIONAL = get_profile("national")
ON = date(2026, 5, 28)


def parent(relation, status="外出务工", distance="跨省", since=date(2025, 1, 1)):
    if status != "外出务工":
        distance = since = None
    return FamilyMemberFacts(relation, name=relation, status=status, distance=distance, away_since=since)


def child(*, birth=date(2015, 6, 15), registration="农村", family=None):
    if family is None:
        family = (parent("父亲"), parent("母亲"))
    return ChildFacts(
        id_number="", name="王小明", birth_date=birth, sex="男", registration=registration,
        village="东村", entered_on=date(2025, 1, 1), family=family,
    )


def test_both_parents_away_applies_with_reasons():
    found = left_behind(child(), ON, NATIONAL)
    assert found.applies
    assert "父母双方跨县外出务工满3个月" in found.reasons
    assert "农村户籍" in found.reasons


@pytest.mark.parametrize(
    "on, applies",
    [
        (date(2026, 6, 14), True),  # the day before the 16th birthday
        (date(2026, 6, 15), False),  # the 16th birthday ends it
        (date(2027, 1, 1), False),
    ],
)
def test_sixteenth_birthday(on, applies):
    found = left_behind(child(birth=date(2010, 6, 15)), on, NATIONAL)
    assert found.applies is applies
    if not applies:
        assert found.reasons[0].startswith("已满16周岁")


def test_born_29_february_turns_16_on_29_february_of_a_leap_year():
    c = child(birth=date(2012, 2, 29))
    assert left_behind(c, date(2028, 2, 28), NATIONAL).applies
    assert not left_behind(c, date(2028, 2, 29), NATIONAL).applies


@pytest.mark.parametrize(
    "since, on, applies",
    [
        (date(2026, 2, 28), date(2026, 5, 28), True),  # exactly 3 months
        (date(2026, 2, 28), date(2026, 5, 27), False),  # one day short
        (date(2025, 11, 30), date(2026, 2, 28), True),  # month end clamps: 30 Nov + 3 = 28 Feb
        (date(2025, 11, 30), date(2026, 2, 27), False),
        (date(2026, 3, 31), date(2026, 6, 30), True),
        (date(2026, 3, 31), date(2026, 6, 29), False),
    ],
)
def test_three_months_away(since, on, applies):
    c = child(family=(parent("父亲", since=since), parent("母亲", since=date(2020, 1, 1))))
    found = left_behind(c, on, NATIONAL)
    assert found.applies is applies
    if not applies:
        assert any("不满3个月" in r for r in found.reasons)


@pytest.mark.parametrize(
    "distance, code, applies",
    [
        ("县内", "national", False),
        ("跨县", "national", True),
        ("跨市", "national", True),
        ("跨省", "national", True),
        ("县内", "shangrila", False),
        ("跨县", "shangrila", False),  # 香格里拉 needs 跨市
        ("跨市", "shangrila", True),
        ("跨省", "shangrila", True),
        (None, "national", False),
    ],
)
def test_distance_by_profile(distance, code, applies):
    mother = FamilyMemberFacts("母亲", status="外出务工", distance=distance, away_since=date(2025, 1, 1))
    c = child(family=(parent("父亲", distance="跨省"), mother))
    assert left_behind(c, ON, get_profile(code)).applies is applies


def test_shangrila_reason_names_its_distance():
    found = left_behind(child(), ON, get_profile("shangrila"))
    assert "父母双方跨市外出务工满3个月" in found.reasons


@pytest.mark.parametrize("status", ["重残", "重病", "失联", "服刑在押", "强制隔离戒毒", "被遣送出境",
                                    "其他限制人身自由", "死亡"])
def test_one_away_other_without_capacity(status):
    found = left_behind(child(family=(parent("父亲"), parent("母亲", status=status))), ON, NATIONAL)
    assert found.applies
    assert f"父亲跨县外出务工满3个月，母亲无监护能力（{status}）" in found.reasons


@pytest.mark.parametrize("status", ["在家", "其他"])
def test_one_away_other_at_home_does_not_apply(status):
    found = left_behind(child(family=(parent("父亲"), parent("母亲", status=status))), ON, NATIONAL)
    assert not found.applies


def test_neither_away_does_not_apply():
    c = child(family=(parent("父亲", status="重残"), parent("母亲", status="死亡")))
    assert not left_behind(c, ON, NATIONAL).applies


@pytest.mark.parametrize("family", [(), (parent("父亲"),), (parent("母亲"),)])
def test_missing_parent_record_is_unknown_not_away(family):
    found = left_behind(child(family=family), ON, NATIONAL)
    assert not found.applies
    assert any("缺少" in r and "无法认定" in r for r in found.reasons)


@pytest.mark.parametrize(
    "code, registration, applies",
    [
        ("national", "城镇", False),
        ("puning", "城镇", False),
        ("changzhi", "城镇", False),
        ("shaoyang", "城镇", False),
        ("yueqing", "城镇", True),  # 乐清 counts urban children
        ("shangrila", "城镇", True),
        ("national", "农村", True),
    ],
)
def test_registration_by_profile(code, registration, applies):
    found = left_behind(child(registration=registration), ON, get_profile(code))
    assert found.applies is applies


def test_away_since_missing_is_not_away():
    father = FamilyMemberFacts("父亲", status="外出务工", distance="跨省", away_since=None)
    found = left_behind(child(family=(father, parent("母亲"))), ON, NATIONAL)
    assert not found.applies
    assert any("起始日期未填写" in r for r in found.reasons)


def test_add_months_matches_relativedelta():
    from dateutil.relativedelta import relativedelta

    day = date(2023, 1, 1)
    while day < date(2025, 1, 1):
        for months in (-12, -1, 1, 2, 3, 6, 192, 216):
            assert add_months(day, months) == day + relativedelta(months=months)
        day = date.fromordinal(day.toordinal() + 1)
