"""活动名单 from a demo archive: which children, what is printed, and that nothing labels them.

The expected children are picked here with a plain loop over ``child_state`` results."""

from datetime import date

import pytest

from forms import activity_list as al
from forms import county_tables as ct
from forms.spec import format_value
from models import reports
from models.profiles import get_profile
from models.rules import child_state, in_archive_scope
from models.rules.dates import age_on
from models.schema import Township
from models.snapshot import load_facts

ON = date.today()


def open_children(on):
    """name -> facts of every open child in the archive scope on ``on``."""
    profile = get_profile(Township.get().profile)
    out = {}
    for facts in load_facts():
        if facts.entered_on and facts.entered_on > on:
            continue
        state = child_state(facts, on, profile)
        if not state.closed and in_archive_scope(state):
            out[facts.id_number] = facts
    return out


def rows(filled):
    return filled.rows[al.TABLE_KEY]


def printed_text(filled) -> str:
    """Every word the form prints: title, header, headings, cells, note."""
    parts = [filled.title, filled.spec.copies_note]
    for section in filled.spec.sections:
        parts += [section.title, *section.text]
        parts += [f"{f.label}{filled.text_of(f)}" for f in section.fields]
        for column in section.columns:
            parts.append(column.label)
            parts += [format_value(column, r.get(column.key)) for r in filled.rows_of(section)]
    return "\n".join(parts)


@pytest.mark.both_backends
@pytest.mark.usefixtures("demo_archive")
def test_every_open_child_listed_once_without_labels():
    expected = open_children(ON)
    filled = reports.activity_list_form(ON, activity="暑期阅读班")
    listed = rows(filled)
    assert len(listed) == len(expected) > 10
    assert sorted(r["name"] for r in listed) == sorted(c.name for c in expected.values())
    assert [r["no"] for r in listed] == list(range(1, len(listed) + 1))
    assert filled.demo == bool(Township.get().is_demo) and filled.values["unit"] == "丹朱镇"
    assert filled.values["activity"] == "暑期阅读班"
    by_name = {c.name: c for c in expected.values()}
    for row in listed:
        child = by_name[row["name"]]
        assert row["age"] == age_on(child.birth_date, ON)
        assert (row["village"], row["school"], row["grade"]) == (child.village, child.school,
                                                                 child.grade)
    assert sum(1 for r in listed if r["carer"] and r["phone"]) > len(listed) // 2
    text = printed_text(filled)
    for word in al.FORBIDDEN_WORDS:
        assert word not in text, word
    for child in expected.values():
        assert child.id_number not in text


def test_the_form_has_no_labelling_column_or_wording():
    spec = ct.COUNTY_TABLES["activity"]
    assert spec is al.ACTIVITY_LIST
    assert spec.section(ct.HEADER_KEY).key == al.HEADER_KEY == ct.HEADER_KEY
    labels = [c.label for c in spec.section(al.TABLE_KEY).columns]
    assert labels == ["序号", "姓名", "性别", "年龄", "村（社区）", "就读学校", "年级", "照护人",
                      "联系电话", "备注"]
    wording = "".join([spec.title, spec.copies_note, al.activity_title("丹朱镇"),
                       *(s.title for s in spec.sections), *(f.label for f in spec.fields())])
    for word in al.FORBIDDEN_WORDS:
        assert word not in wording, word


@pytest.mark.both_backends
@pytest.mark.usefixtures("demo_archive")
def test_village_filter():
    expected = open_children(ON)
    village = max({c.village for c in expected.values()},
                  key=lambda v: sum(c.village == v for c in expected.values()))
    filled = reports.activity_list_form(ON, reports.ActivityFilter(village=village))
    names = sorted(r["name"] for r in rows(filled))
    assert names == sorted(c.name for c in expected.values() if c.village == village)
    assert 0 < len(names) < len(expected)
    assert {r["village"] for r in rows(filled)} == {village}


@pytest.mark.both_backends
@pytest.mark.usefixtures("demo_archive")
def test_age_filter_is_inclusive():
    expected = open_children(ON)
    filled = reports.activity_list_form(ON, reports.ActivityFilter(min_age=6, max_age=12))
    ages = [r["age"] for r in rows(filled)]
    want = sorted(c.name for c in expected.values() if 6 <= age_on(c.birth_date, ON) <= 12)
    assert sorted(r["name"] for r in rows(filled)) == want
    assert want and all(6 <= a <= 12 for a in ages)
    only_min = reports.activity_list_form(ON, reports.ActivityFilter(min_age=14))
    assert all(r["age"] >= 14 for r in rows(only_min))
    assert len(rows(only_min)) == sum(age_on(c.birth_date, ON) >= 14 for c in expected.values())


@pytest.mark.both_backends
@pytest.mark.usefixtures("demo_archive")
def test_village_and_age_together():
    expected = open_children(ON)
    village = min({c.village for c in expected.values()})
    filled = reports.activity_list_form(ON, reports.ActivityFilter(village, max_age=10))
    assert sorted(r["name"] for r in rows(filled)) == sorted(
        c.name for c in expected.values() if c.village == village and age_on(c.birth_date, ON) <= 10)


@pytest.mark.usefixtures("demo_archive")
@pytest.mark.parametrize("chosen, message", [
    (reports.ActivityFilter(min_age=12, max_age=6), "最小年龄 12 岁大于最大年龄 6 岁"),
    (reports.ActivityFilter(min_age=-1), "最小年龄应为0到18之间的整数"),
    (reports.ActivityFilter(max_age=30), "最大年龄应为0到18之间的整数"),
    (reports.ActivityFilter(village="不存在村"), "没有村（社区）“不存在村”"),
])
def test_bad_filters_are_refused_in_chinese(chosen, message):
    with pytest.raises(ValueError, match=message):
        reports.activity_list_form(ON, chosen)


@pytest.mark.both_backends
@pytest.mark.usefixtures("demo_archive")
def test_closed_and_later_children_are_left_out():
    early = date(2000, 1, 1)
    assert rows(reports.activity_list_form(early)) == []
