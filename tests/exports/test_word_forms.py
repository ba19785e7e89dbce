"""Word forms read back with python-docx: A4, margins, East Asian fonts, tables, fields."""

import itertools
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import _Cell

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples

from exports.atomic import ExportCancelled
from exports.fonts import WORD_BODY_FONT, WORD_LATIN_FONT
from exports.word_document import CELL_SIZE, DEMO_MARK, text_width_mm
from exports.word_form import list_cell_text, render_form_docx
from forms import vocab
from forms.registry import FORMS
from forms.spec import FilledForm


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def east_asian(rpr) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def field_instructions(part) -> list[str]:
    return [t.text.strip() for t in part._element.iter(qn("w:instrText"))]


@pytest.mark.parametrize("name", list(FORMS))
def test_blank_form(tmp_path, name):
    spec = FORMS[name]
    doc = Document(render_form_docx(FilledForm.blank(spec), tmp_path / "f.docx"))
    text = all_text(doc)
    assert doc.paragraphs[0].text == spec.title
    for section in spec.sections:
        if section.title not in (spec.title, "签名"):
            assert section.title in text
        if section.kind in ("fields",):
            for f in section.fields:
                assert f.label in text, f.label
        for column in section.columns:
            assert column.label in text
    assert DEMO_MARK not in doc.sections[0].header.paragraphs[0].text


def test_page_setup_and_footer(tmp_path):
    doc = Document(render_form_docx(form_samples.agreement(), tmp_path / "a.docx"))
    for section in doc.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.1)  # stored in twips
        assert abs(section.page_height - Mm(297)) < Mm(0.1)
        assert abs(section.top_margin - Mm(37)) < Mm(0.1)
        assert abs(section.left_margin - Mm(28)) < Mm(0.1)
        text_width = section.page_width - section.left_margin - section.right_margin
        assert abs(text_width - Mm(156)) < Mm(0.1)
        assert field_instructions(section.footer) == ["PAGE", "NUMPAGES"]
        footer = section.footer.paragraphs[0].text
        assert footer.startswith("第 ") and " 页 共 " in footer and footer.endswith(" 页")
        assert section.header.paragraphs[0].text == DEMO_MARK


def test_east_asian_fonts_on_styles_and_runs(tmp_path):
    doc = Document(render_form_docx(form_samples.basic_info(), tmp_path / "b.docx"))
    # GB/T 9704: 宋体 for form text, 仿宋 for a document's wording, 黑体 for titles
    assert east_asian(doc.styles["Normal"].element.rPr) == "宋体"
    assert east_asian(doc.styles["Heading 1"].element.rPr) == "黑体"
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(east_asian(r._element.rPr) in ("仿宋", "宋体", "黑体") for r in runs)
    title = doc.paragraphs[0]
    assert title.style.name == "Heading 1" and all(r.bold for r in title.runs)


def test_filled_values_in_tables(tmp_path):
    doc = Document(render_form_docx(form_samples.basic_info(), tmp_path / "b.docx"))
    cells = {}
    for table in doc.tables:
        for row in table.rows:
            texts = [_Cell(tc, table).text for tc in row._tr.tc_lst]  # merged cells once
            for label, value in itertools.pairwise(texts):
                cells.setdefault(label, value)
    assert cells["姓名"] == form_samples.CHILD_NAME
    assert cells["身份证号"] == form_samples.CHILD_ID
    assert cells["出生日期"] == "2014年5月17日"
    assert cells["就学状况"] == "小学"


def test_agreement_wording_and_period(tmp_path):
    doc = Document(render_form_docx(form_samples.agreement(demo=False), tmp_path / "a.docx"))
    text = all_text(doc)
    assert "委托照护期限自2024年2月20日起至2025年2月19日止。" in text
    for exclusion in vocab.CARER_EXCLUSIONS:
        assert exclusion in text
    assert "本协议一式三份" in text
    assert doc.sections[0].header.paragraphs[0].text == ""


def test_running_list_table(tmp_path):
    rows = [{"on": "2025-03-01", "content": "走访了解学习情况", "people": "李春兰"}]
    filled = form_samples.running_list(FORMS["工作日志"], rows)
    doc = Document(render_form_docx(filled, tmp_path / "l.docx"))
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["日期", "工作内容", "参与人员", "备注"]
    # 2025年3月1日 would need a second line in the 26 mm 日期 column: printed compact, whole
    assert [c.text for c in table.rows[1].cells] == ["2025-03-01", "走访了解学习情况", "李春兰", ""]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_list_dates_take_the_form_that_fits_their_column(tmp_path):
    column = next(c for c in FORMS["工作日志"].table_sections()[0].columns if c.key == "on")
    row = {"on": "2025-03-01"}
    assert list_cell_text(column, row, 40) == "2025年3月1日"
    assert list_cell_text(column, row, 26) == "2025-03-01"
    assert list_cell_text(column, {"on": None}, 10) == ""
    for width in (22.3, 26, 30, 40):  # whichever form is printed fits on one line
        assert text_width_mm(list_cell_text(column, row, width), CELL_SIZE) <= width - 2.1
    # a date's digits are in the Chinese face the width is measured with
    rows = [{"on": "2025-03-01", "content": "走访", "people": "李春兰"}]
    doc = Document(render_form_docx(form_samples.running_list(FORMS["工作日志"], rows),
                                    tmp_path / "l.docx"))
    date_cell, text_cell = doc.tables[-1].rows[1].cells[:2]
    date_fonts = date_cell.paragraphs[0].runs[0]._element.rPr.find(qn("w:rFonts"))
    assert date_fonts.get(qn("w:ascii")) == date_fonts.get(qn("w:eastAsia")) == WORD_BODY_FONT
    text_fonts = text_cell.paragraphs[0].runs[0]._element.rPr.find(qn("w:rFonts"))
    assert text_fonts.get(qn("w:ascii")) == WORD_LATIN_FONT


def test_blank_running_list_has_rows_to_write_in(tmp_path):
    spec = FORMS["关爱帮扶记录"]
    doc = Document(render_form_docx(FilledForm.blank(spec), tmp_path / "l.docx"))
    table = doc.tables[-1]
    assert len(table.rows) == 1 + spec.table_sections()[0].blank_rows
    assert table.rows[1].height >= Mm(11.9)


def test_cancelled_leaves_nothing(tmp_path):
    with pytest.raises(ExportCancelled):
        render_form_docx(form_samples.agreement(), tmp_path / "x.docx", is_cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []
