"""The county tables filled from a real (scratch) archive, checked against independent counts.

The counts come from ``tests/county_counts.py``: a plain loop over ``child_state`` results and a
row map written out there; ``models.statistics.annex1`` is never called by the test itself.
"""

import re
from collections import Counter
from datetime import date

import pytest

from forms import county_tables as ct
from forms.colours import level_with_colour
from models import reports
from models.schema import Child
from models.snapshot import load_facts
from tests.county_counts import (
    OTHER_ROW,
    ROW_OF,
    TODAY,
    in_scope_states,
    independent_annex1,
)

# On SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends


def colour_of_level(level: str) -> str:
    for colour, name in (("red", "红色"), ("yellow", "黄色"), ("blue", "蓝色"), ("green", "绿色")):
        if name in level:
            return colour
    raise AssertionError(level)


def annex1_by_key(rows):
    """(colour, row number) / (colour, "subtotal") / "total" -> (count, of-whom count)."""
    out, last = {}, None
    for row in rows:
        style = row[ct.ROW_STYLE]
        if style == ct.TOTAL:
            out["total"] = (row["count"], None)
            continue
        colour = colour_of_level(row["level"])
        if style == ct.ITEM:
            last = (colour, int(row["item"].split(".")[0]))
            out[last] = (row["count"], None)
        elif style == ct.OF_WHOM:
            out[last] = (out[last][0], row["count"])
        else:
            out[(colour, "subtotal")] = (row["count"], None)
    return out


def test_annex1_numbers_equal_independent_counts(county_archive):
    expected = independent_annex1(TODAY)
    filled = reports.annex1_form(TODAY)
    got = annex1_by_key(filled.rows[ct.ANNEX1_TABLE])
    assert got["total"][0] == expected["total"]
    for colour in ("red", "yellow", "blue", "green"):
        assert got[(colour, "subtotal")][0] == expected[(colour, "subtotal")], colour
        for n in range(1, OTHER_ROW[colour] + 1):
            count, of_whom = got[(colour, n)]
            assert count == expected[(colour, n)], (colour, n)
            assert 0 <= of_whom <= count
    assert sum(expected[(c, "subtotal")] for c in ("red", "yellow", "blue", "green")) == \
        expected["total"]
    # the three red children made in the fixture, each in its own row
    assert got[("red", 1)][0] >= 1 and got[("red", 4)][0] >= 1 and got[("red", 5)][0] >= 1


def test_red_rows_count_only_a_real_intervention_since_the_finding(county_archive):
    got = annex1_by_key(reports.annex1_form(TODAY).rows[ct.ANNEX1_TABLE])
    expected = Counter()
    for facts, state in in_scope_states(TODAY):
        if state.colour != "red":
            continue
        done = [r.on for r in facts.referrals] + list(facts.mandatory_reports_on) + \
            list(facts.care_records_on)
        for crit in state.colour_criteria:
            if crit.colour == "red":
                n = ROW_OF.get(("red", crit.word), 5)
                expected[n] += any(crit.since <= d <= TODAY for d in done)
        if state.colour_manual and not any(c.colour == "red" for c in state.colour_criteria):
            since = facts.manual_colour_on
            expected[5] += any(since <= d <= TODAY for d in done)
    for n in range(1, 6):
        assert got[("red", n)][1] == expected[n], n
    assert got[("red", 1)][1] >= 1  # the referral ten days after the finding


def test_annex1_header_title_and_demo_flag(county_archive):
    header = reports.ReportHeader(unit="丹朱镇人民政府", filler="李四", phone="0355-5234567")
    filled = reports.annex1_form(date(2026, 6, 30), header)
    assert filled.spec.title == "2026年长子县农村留守儿童和困境儿童摸排情况数据表"
    assert filled.values == {"unit": "丹朱镇人民政府", "filler": "李四", "on": date(2026, 6, 30),
                             "phone": "0355-5234567"}
    assert filled.errors() == {}
    assert filled.demo is False  # the scratch archive is not marked as demo data
    assert reports.annex1_form(TODAY).values["unit"] == "丹朱镇"  # default: the township


def test_as_of_an_earlier_date_leaves_out_later_entries(county_archive):
    entries = sorted(f.entered_on for f in load_facts())
    middle = entries[len(entries) // 2]
    filled = reports.annex1_form(middle)
    total = filled.rows[ct.ANNEX1_TABLE][-1]["count"]
    assert total == independent_annex1(middle)["total"]
    assert total < independent_annex1(TODAY)["total"]


def test_annex2_one_row_per_open_screened_child_with_colour_in_remarks(county_archive):
    pairs = in_scope_states(TODAY)
    filled = reports.annex2_form(TODAY)
    rows = filled.rows[ct.ANNEX2_TABLE]
    assert len(rows) == len(pairs)
    assert [r["no"] for r in rows] == list(range(1, len(rows) + 1))
    by_id = {r["id_number"]: r for r in rows}
    for facts, state in pairs:
        row = by_id[facts.id_number]
        assert row["note"] == level_with_colour(state.colour)
        assert row["name"] == facts.name
    closed = Child.get_by_id(county_archive.marked["closed"])
    assert closed.id_number not in by_id
    manual = Child.get_by_id(county_archive.marked["manual"])
    assert by_id[manual.id_number]["note"] == "高风险（红色）"
    villages = [r["village"] for r in rows]
    assert villages == sorted(villages)


def test_annex2_can_mask_id_numbers(county_archive):
    rows = reports.annex2_form(TODAY, mask_ids=True).rows[ct.ANNEX2_TABLE]
    assert rows and all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", r["id_number"]) for r in rows)


def test_risk_lists_hold_red_yellow_blue_children_with_masked_ids(county_archive):
    pairs = in_scope_states(TODAY)
    filled = reports.risk_list_form(TODAY, "残联")
    assert filled.values["recipient"] == "长子县残疾人联合会"
    assert list(filled.rows) == ["red", "yellow", "blue"]
    for colour in ("red", "yellow", "blue"):
        expected = sorted(f.name for f, s in pairs if s.colour == colour)
        rows = filled.rows[colour]
        assert sorted(r["name"] for r in rows) == expected
        for r in rows:
            assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", r["id_number"]), r["id_number"]
            assert r["criteria"]
    full_ids = {f.id_number for f, _s in pairs}
    printed = {r["id_number"] for rows in filled.rows.values() for r in rows}
    assert not printed & full_ids
    red_names = {r["name"] for r in filled.rows["red"]}
    assert Child.get_by_id(county_archive.marked["abused"]).name in red_names


def test_risk_list_refuses_an_unknown_recipient(county_archive):
    with pytest.raises(ValueError, match="团委、妇联、残联"):
        reports.risk_list_form(TODAY, "公安")
