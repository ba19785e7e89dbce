"""活动名单 exported as Excel, Word and PDF from a demo archive, read back whole: every child's
name is there and no word that labels a child is anywhere in the file (DOMAIN.md §12)."""

import html
import re
import subprocess
import zipfile
from datetime import date, timedelta

import docx
import openpyxl
import pytest

from desktop.commands.common import ChineseParser, UserError
from desktop.commands.export_tables import register_table_exports
from exports.tables import render_table
from forms import activity_list as al
from models import reports
from models.profiles import get_profile
from models.rules import child_state, in_archive_scope
from models.rules.dates import age_on
from models.schema import Township
from models.snapshot import load_facts

ON = date.today()
FORMATS = ("xlsx", "docx", "pdf")
# The list's own FORBIDDEN_WORDS is checked too, but the words are written out here as well
# so that shortening that tuple cannot make these tests pass.
LABELS = ("留守", "困境", "孤儿", "事实无人抚养", "低保", "特困", "重残", "残疾", "红色", "黄色",
          "蓝色", "风险", "身份证")


@pytest.fixture
def marked_demo(tmp_path):
    """A scratch archive marked as demo (is_demo) with 60 generated children."""
    from conftest import RECOVERY

    from models import demo
    from models.archive import Archive
    from models.derived import refresh_all

    archive, _ = Archive.create(tmp_path / "demo.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=RECOVERY, is_demo=True)
    try:
        demo.generate(60, seed=7, writer=archive.writer())
        refresh_all()
        yield archive
    finally:
        archive.close()


def open_children(on):
    profile = get_profile(Township.get().profile)
    out = []
    for facts in load_facts():
        if facts.entered_on and facts.entered_on > on:
            continue
        state = child_state(facts, on, profile)
        if not state.closed and in_archive_scope(state):
            out.append(facts)
    return out


def xml_text(path) -> str:
    """The text of every part of an Office file (sheets, shared strings, headers, properties)."""
    with zipfile.ZipFile(path) as z:
        raw = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                      if n.endswith((".xml", ".rels")))
    return html.unescape(re.sub(r"<[^>]+>", "", raw))


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text + info)


def file_text(path) -> str:
    return pdf_text(path) if str(path).endswith(".pdf") else re.sub(r"\s+", "", xml_text(path))


def assert_unlabelled(text: str, children) -> None:
    for word in (*LABELS, *al.FORBIDDEN_WORDS):
        assert word not in text, word
    for child in children:
        assert child.id_number not in text
        assert child.id_number[:6] + "********" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_lists_the_children_and_no_label(marked_demo, tmp_path, fmt):
    children = open_children(ON)
    assert len(children) > 10
    filled = reports.activity_list_form(ON, header=reports.ReportHeader("西岭中心小学", "王老师",
                                                                        "13800138000"),
                                        activity="暑期阅读班")
    out = render_table(filled, tmp_path / f"activity.{fmt}", fmt)
    text = file_text(out)
    assert_unlabelled(text, children)
    for child in children:
        assert child.name in text, child.name
    for word in ("丹朱镇关爱活动儿童名单（演示数据）", "活动名称：暑期阅读班", "组织单位：西岭中心小学",
                 "联系人：王老师", "就读学校", "照护人", "不得对外公开"):
        assert word in text, word


def test_excel_rows_hold_what_the_archive_says(marked_demo, tmp_path):
    children = {c.name: c for c in open_children(ON)}
    out = render_table(reports.activity_list_form(ON), tmp_path / "a.xlsx", "xlsx")
    ws = openpyxl.load_workbook(out).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    heading = next(i for i, r in enumerate(cells) if r[0] == "序号")
    assert cells[heading] == ["序号", "姓名", "性别", "年龄", "村（社区）", "就读学校", "年级",
                              "照护人", "联系电话", "备注"]
    body = [r for r in cells[heading + 1:] if isinstance(r[0], int)]
    assert sorted(r[1] for r in body) == sorted(children)
    for row in body:
        child = children[row[1]]
        assert int(row[3]) == age_on(child.birth_date, ON)
        assert (row[2], row[4]) == (child.sex, child.village)
        assert (row[5] or "") == child.school


def test_word_table_has_one_row_per_child(marked_demo, tmp_path):
    children = open_children(ON)
    out = render_table(reports.activity_list_form(ON), tmp_path / "a.docx", "docx")
    document = docx.Document(out)
    table = document.tables[-1]
    names = [r.cells[1].text for r in table.rows[1:]]
    assert sorted(names) == sorted(c.name for c in children)
    assert "演示数据" in document.sections[0].header.paragraphs[0].text


# --- the command line --------------------------------------------------------------------------

def run_cli(*argv):
    parser = ChineseParser(prog="tongdang export")
    register_table_exports(parser.add_subparsers(dest="what", parser_class=ChineseParser))
    args = parser.parse_args(list(argv))
    return args.handler(args)


def xlsx_names(path) -> list[str]:
    ws = openpyxl.load_workbook(path).active
    return sorted(r[1] for r in ws.iter_rows(values_only=True) if isinstance(r[0], int))


def test_cli_filters_by_village_and_age(marked_demo, tmp_path, capsys):
    archive = str(marked_demo.path)
    children = open_children(ON)
    village = max({c.village for c in children}, key=lambda v: sum(c.village == v for c in children))
    assert run_cli("activity", "--archive", archive, "--village", village, "--min-age", "6",
                   "--max-age", "14", "--name", "假期走访", "--out", str(tmp_path / "v.xlsx")) == 0
    want = sorted(c.name for c in children
                  if c.village == village and 6 <= age_on(c.birth_date, ON) <= 14)
    assert want and xlsx_names(tmp_path / "v.xlsx") == want
    assert f"共 {len(want)} 名儿童" in capsys.readouterr().out

    for fmt in ("docx", "pdf"):
        out = tmp_path / f"v.{fmt}"
        assert run_cli("activity", "--archive", archive, "--village", village, "--format", fmt,
                       "--out", str(out)) == 0
        text = file_text(out)
        assert_unlabelled(text, children)
        in_village = [c.name for c in children if c.village == village]
        assert all(name in text for name in in_village)
        others = [c.name for c in children if c.village != village and c.name not in in_village]
        assert not any(name in text for name in others if len(name) >= 3)


def test_cli_accepts_a_planned_date(marked_demo, tmp_path, capsys):
    later = ON + timedelta(days=40)
    assert run_cli("activity", "--archive", str(marked_demo.path), "--on", later.isoformat(),
                   "--out", str(tmp_path / "p.xlsx")) == 0
    assert f"活动日期{later.year}年{later.month}月{later.day}日" in capsys.readouterr().out
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert any(f"活动日期：{later.year}年{later.month}月{later.day}日" in str(c.value or "")
               for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("extra, message", [
    (("--min-age", "12", "--max-age", "6"), "最小年龄 12 岁大于最大年龄 6 岁"),
    (("--max-age", "40"), "最大年龄应为0到18之间的整数"),
    (("--village", "不存在村"), "没有村（社区）“不存在村”"),
    (("--on", "2026-02-30"), "2026-02-30.*不存在：2026年2月只有28天"),
])
def test_cli_refuses_bad_filters_in_chinese(marked_demo, tmp_path, extra, message):
    with pytest.raises(UserError, match=message):
        run_cli("activity", "--archive", str(marked_demo.path), *extra,
                "--out", str(tmp_path / "x.xlsx"))
    assert not list(tmp_path.glob("x*"))


def test_cli_refuses_an_age_that_is_not_a_number(marked_demo, tmp_path, capsys):
    with pytest.raises(SystemExit):
        run_cli("activity", "--archive", str(marked_demo.path), "--min-age", "六",
                "--out", str(tmp_path / "x.xlsx"))
    assert "年龄应为整数" in capsys.readouterr().err
