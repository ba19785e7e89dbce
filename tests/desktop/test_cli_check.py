"""tongdang check: the state of every open child, as a table or as JSON."""

import json
from datetime import date

import pytest

from desktop.cli import main
from forms.idnumber import make_id_number
from models.schema import Carer, Child, Contact, FamilyMember, RiskFinding, Village

ON = "2026-05-20"
LEFT_BEHIND = make_id_number("140428", date(2015, 4, 2), 11, True)
YELLOW = make_id_number("140428", date(2014, 6, 9), 12, False)
CLOSED = make_id_number("140428", date(2013, 1, 5), 13, True)


@pytest.fixture
def archive_path(new_archive):
    """A hand-made archive: a left-behind child, a child with a yellow criterion, a closed file."""
    w = new_archive.writer()
    village = w.create(Village, name="东坡村")
    a = w.create(Child, id_number=LEFT_BEHIND, name="刘小军", village=village, address="东坡村1号",
                 entered_on=date(2026, 1, 1), schooling="小学", health="健康")
    for relation in ("父亲", "母亲"):
        w.create(FamilyMember, child=a, relation=relation, name="刘某", status="外出务工",
                 distance="跨省", away_since=date(2025, 1, 1))
    # A carer is recorded: without one, a child under 16 with both parents away is flagged
    # red as possibly living without a guardian (issue 11, Art. 21).
    w.create(Carer, child=a, name="刘奶奶", relation="祖母")
    w.create(Contact, child=a, on=date(2026, 3, 1), kind="入户走访", visitor="张主任")
    # 低保: a child in no category is off the colour lists (issue 11).
    b = w.create(Child, id_number=YELLOW, name="陈小红", village=village, entered_on=date(2026, 1, 1),
                 hardship_categories="低保")
    w.create(RiskFinding, child=b, criterion="辍学", found_on=date(2026, 2, 1))
    w.create(Contact, child=b, on=date(2026, 5, 10), kind="入户走访", visitor="张主任")
    c = w.create(Child, id_number=CLOSED, name="赵小明", village=village, entered_on=date(2025, 1, 1))
    w.close_child(c, date(2026, 4, 1), "随父母迁出")
    path = new_archive.path
    new_archive.close()
    return path


def run(path, *args):
    return main(["--archive", str(path), "check", *args])


def test_json_has_exactly_the_agreed_shape(archive_path, capsys):
    assert run(archive_path, "--on", ON, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["on", "profile", "children"]
    assert data["on"] == ON and data["profile"] == "changzhi"
    children = {c["id_number"]: c for c in data["children"]}
    assert set(children) == {LEFT_BEHIND, YELLOW}  # the closed file is left out
    for child in data["children"]:
        assert list(child) == ["id_number", "name", "categories", "single_parent", "colour",
                               "colour_manual", "next_contact_due", "next_home_visit_due",
                               "overdue", "urgent", "ages_out_on", "problems"]
    a = children[LEFT_BEHIND]
    assert a["name"] == "刘小军" and a["categories"] == ["left_behind"]
    assert a["colour"] == "green" and a["colour_manual"] is False
    assert a["next_contact_due"] == "2026-04-01" and a["next_home_visit_due"] == "2026-06-01"
    assert a["overdue"] == ["contact"] and a["urgent"] is False
    assert a["ages_out_on"] == "2031-04-02"  # 16th birthday
    assert any(p["code"] for p in a["problems"])
    # Added (issue 11): each problem says whether it rests on the plan, the law or local practice.
    assert all(p["basis"] for p in a["problems"])
    overdue = next(p for p in a["problems"] if p["code"] == "contact_overdue")
    assert overdue["basis"].startswith("000_9b0adbf7c28a03a4.txt#二、（三）9.")
    assert all("002_a63d9cbfd8eb9185" not in p["basis"] for p in a["problems"])  # no 普宁 clause
    b = children[YELLOW]
    assert b["colour"] == "yellow" and b["overdue"] == []
    # Changed on purpose (issue 11): 长治 has no colour intervals; quarterly home visits.
    assert b["next_home_visit_due"] == "2026-08-10"


def test_table_in_chinese(archive_path, capsys):
    assert run(archive_path, "--on", ON) == 0
    out = capsys.readouterr().out
    assert "检查日期：2026-05-20　在档儿童：2 名" in out
    names = [x.split()[0] for x in out.splitlines() if x.strip() and "小" in x.split()[0]]
    assert names == ["陈小红", "刘小军"]  # yellow before green
    assert "刘小军" in out and "陈小红" in out and "赵小明" not in out
    line = next(x for x in out.splitlines() if "刘小军" in x)
    assert "留守" in line and "绿色" in line and "2026-04-01" in line and "联系" in line
    assert "黄色（中高风险）1 名" in out and "逾期未联系：1 名" in out


@pytest.mark.parametrize("bad", ["20260520", "明天", "2026-5", "05-20-2026"])
def test_bad_date_is_a_chinese_error_with_status_2(archive_path, capsys, bad):
    assert run(archive_path, "--on", bad) == 2
    err = capsys.readouterr().err
    assert "日期" in err and "YYYY-MM-DD" in err and "格式" in err


@pytest.mark.parametrize("bad, why", [("2026-02-30", "2026年2月只有28天"),
                                      ("2025-02-29", "2025年2月只有28天"),
                                      ("2026-04-31", "2026年4月只有30天"),
                                      ("2026-13-01", "月份应在 1 到 12 之间")])
def test_a_date_that_does_not_exist_is_not_called_a_format_error(archive_path, capsys, bad, why):
    assert run(archive_path, "--on", bad) == 2
    err = capsys.readouterr().err
    assert "不存在" in err and why in err and "格式" not in err


def test_a_short_month_or_day_is_accepted(archive_path, capsys):
    """2026-5-20 means 2026-05-20 (earlier it was refused as a format error)."""
    assert run(archive_path, "--on", "2026-5-20", "--json") == 0
    assert json.loads(capsys.readouterr().out)["on"] == "2026-05-20"


def test_empty_archive(new_archive, capsys):
    path = new_archive.path
    new_archive.close()
    assert run(path, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["children"] == [] and data["on"] == date.today().isoformat()
