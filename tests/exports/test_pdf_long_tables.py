"""A section heading stays with the first rows of its table; a long table is not pushed to the
next page as a whole (read back page by page with pdftotext)."""

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import pdf_reading as pdf
from reportlab.platypus import Spacer

from exports.pdf_document import build_pdf
from exports.pdf_flowables import HeadingWithTable
from exports.pdf_form import form_story, render_form_pdf
from exports.pdf_layout import TEXT_HEIGHT
from exports.spotcheck import PacketChild, SpotCheckPacket, record_form
from forms.idnumber import make_id_number
from forms.spec import Field, FilledForm, FormSpec, Section

CHILDREN = 40


def spotcheck_record(children: int) -> FilledForm:
    kids = [PacketChild(make_id_number("140428", date(2015, 1, 1 + i % 28), 10 + i, i % 2 == 0),
                        f"抽查儿童{i:02d}", "东坡村", "绿色 低风险",
                        ["留守儿童未签订书面委托照护协议。"] if i % 3 == 0 else [], None)
            for i in range(children)]
    packet = SpotCheckPacket("丹朱镇", "长子县", date(2026, 5, 20), "2026", 0.1, False, 400, kids,
                             summary=[("委托照护协议缺失或无效", 14)])
    return record_form(packet)


def pages_text(path) -> list[str]:
    return [pdf.flat(path, page, page) for page in range(1, pdf.pages(path) + 1)]


def page_of(pages: list[str], words: str) -> int:
    found = [number for number, text in enumerate(pages, 1) if words in text]
    assert len(found) == 1, (words, found)
    return found[0]


def test_long_spotcheck_table_starts_under_its_heading(tmp_path):
    filled = spotcheck_record(CHILDREN)
    pages = pages_text(render_form_pdf(filled, tmp_path / "record.pdf"))
    ids = [row["id_number"] for row in filled.rows["rows"]]
    assert len(pages) >= 2
    assert page_of(pages, "抽查明细") == 1
    assert page_of(pages, ids[0]) == page_of(pages, ids[1]) == 1  # not pushed to page 2
    # Every row printed once, in order; the column header repeats on every page of the table.
    where = [page_of(pages, number) for number in ids]
    assert where == sorted(where) and where[-1] > 1
    for page in set(where):
        assert "身份证号" in pages[page - 1] and "发现的问题" in pages[page - 1]
    assert page_of(pages, "问题汇总") == page_of(pages, "合计：存在问题的档案")


PROBE = FormSpec("probe", "版面测试表", (
    Section("联系明细", kind="table", key="rows", columns=(
        Field("no", "序号"), Field("text", "内容", width=4))),
))


@pytest.mark.parametrize("left", range(40, 200, 12))
def test_heading_never_ends_a_page_without_rows(tmp_path, left):
    """Whatever room is left on the page, the heading's page shows two rows or more under it."""
    rows = [{"no": str(i), "text": f"第{i:02d}行记录"} for i in range(1, 31)]
    story = [Spacer(1, TEXT_HEIGHT - 12 - left), *form_story(FilledForm(PROBE, {}, {"rows": rows}))]
    pages = pages_text(build_pdf(tmp_path / "probe.pdf", story))
    heading = page_of(pages, "联系明细")
    assert "第01行记录" in pages[heading - 1] and "第02行记录" in pages[heading - 1]
    assert [page_of(pages, f"第{i:02d}行记录") for i in range(1, 31)] == sorted(
        page_of(pages, f"第{i:02d}行记录") for i in range(1, 31))


def test_heading_moves_on_when_no_two_rows_fit():
    """Split with room for the heading and one row only: heading and table start a new page."""
    filled = FilledForm(PROBE, {}, {"rows": [{"no": "1", "text": "甲"}, {"no": "2", "text": "乙"}]})
    kept = next(f for f in form_story(filled) if isinstance(f, HeadingWithTable))
    width = 400
    heading_h = sum(f.wrap(width, 800)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                    for f in kept.heading)
    table_h = kept.table.wrap(width, 800)[1]
    whole = kept.split(width, heading_h + table_h + 1)
    assert whole[-1] is kept.table and whole[0] is kept.heading[0]
    one_row = kept.split(width, heading_h + table_h * 0.8)
    assert type(one_row[0]).__name__ == "_FrameBreak"
