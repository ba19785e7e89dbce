from datetime import date

import pytest

from models.facts import ChildFacts, RiskFinding
from models.profiles import get_profile
from models.rules import ages_out_on, category_ends_on, child_state, hardship_categories

NATIONAL = get_profile("national")
SHANGRILA = get_profile("shangrila")
ON = date(2026, 5, 28)


def child(**kw):
    base = {
        "id_number": "", "name": "李小红", "birth_date": date(2014, 3, 10), "sex": "女", "registration": "农村",
        "village": "西村", "entered_on": date(2025, 1, 1),
    }
    base.update(kw)
    return ChildFacts(**base)


def words(result):
    return [w for w, _r in result]


def test_recorded_categories_in_vocabulary_order():
    c = child(hardship_categories=frozenset({"低保", "孤儿"}))
    result = hardship_categories(c, ON, NATIONAL)
    assert words(result) == ["孤儿", "低保"]
    assert result[0][1] == ["登记为孤儿"]


def test_unknown_words_are_ignored():
    assert hardship_categories(child(hardship_categories=frozenset({"乱写"})), ON, NATIONAL) == []


@pytest.mark.parametrize(
    "grade, kind, severe",
    [
        ("一级", "肢体", True),
        ("二级", "视力", True),
        ("三级", "智力", True),
        ("四级", "精神", True),
        ("三级", "肢体", False),
        ("四级", "听力", False),
        ("", "", False),
    ],
)
def test_derived_severe_disability(grade, kind, severe):
    result = hardship_categories(child(disability_grade=grade, disability_category=kind), ON, NATIONAL)
    assert ("重残" in words(result)) is severe


@pytest.mark.parametrize(
    "on, applies",
    [(date(2032, 3, 9), True), (date(2032, 3, 10), False)],  # the 18th birthday ends it
)
def test_eighteenth_birthday(on, applies):
    c = child(hardship_categories=frozenset({"低保"}))
    assert bool(hardship_categories(c, on, NATIONAL)) is applies


def test_born_29_february_turns_18_on_28_february():
    c = child(birth_date=date(2008, 2, 29), hardship_categories=frozenset({"特困"}))
    assert hardship_categories(c, date(2026, 2, 27), NATIONAL)
    assert not hardship_categories(c, date(2026, 2, 28), NATIONAL)


@pytest.mark.parametrize(
    "code, expected",
    [("national", []), ("puning", []), ("shangrila", ["重病"])],
)
def test_serious_illness_only_where_the_profile_adds_it(code, expected):
    recorded = child(hardship_categories=frozenset({"重病"}))
    derived = child(health="重病")
    assert words(hardship_categories(recorded, ON, get_profile(code))) == expected
    assert words(hardship_categories(derived, ON, get_profile(code))) == expected


def test_shangrila_inadequate_guardianship_counts_as_other():
    c = child(risk_findings=(RiskFinding("监护不足", date(2026, 1, 1)),))
    assert hardship_categories(c, ON, NATIONAL) == []
    result = hardship_categories(c, ON, SHANGRILA)
    assert result == [("其他", ["家庭监护不到位（监护不足）"])]
    resolved = child(risk_findings=(RiskFinding("监护不足", date(2026, 1, 1), date(2026, 3, 1)),))
    assert hardship_categories(resolved, ON, SHANGRILA) == []


@pytest.mark.parametrize(
    "on, applies",
    [
        (date(2026, 7, 30), True),  # last day of the 6-month transition
        (date(2026, 7, 31), False),
    ],
)
def test_transition_after_support_ended(on, applies):
    c = child(hardship_categories=frozenset({"孤儿", "低保"}), support_ended_on=date(2026, 1, 31))
    result = dict(hardship_categories(c, on, NATIONAL))
    assert ("孤儿" in result) is applies
    assert "低保" in result  # other categories are not affected
    if applies:
        assert "已退出基本生活保障，6个月过渡期至2026年7月30日" in result["孤儿"]


def test_category_end_dates_and_ages_out():
    c = child(hardship_categories=frozenset({"事实无人抚养", "低保"}), support_ended_on=date(2026, 1, 31))
    assert category_ends_on(c, "留守", NATIONAL) == date(2030, 3, 10)
    assert category_ends_on(c, "事实无人抚养", NATIONAL) == date(2026, 7, 31)
    assert category_ends_on(c, "低保", NATIONAL) == date(2032, 3, 10)
    assert ages_out_on(c, ["事实无人抚养"], NATIONAL) == date(2026, 7, 31)
    assert ages_out_on(c, ["留守", "事实无人抚养"], NATIONAL) == date(2030, 3, 10)
    assert ages_out_on(c, ["留守", "低保"], NATIONAL) == date(2032, 3, 10)
    assert ages_out_on(c, [], NATIONAL) is None


def test_state_ages_out_over_its_categories():
    c = child(hardship_categories=frozenset({"孤儿"}), support_ended_on=date(2026, 3, 1))
    assert child_state(c, ON, NATIONAL).ages_out_on == date(2026, 9, 1)
    plain = child()
    assert child_state(plain, ON, NATIONAL).ages_out_on is None
