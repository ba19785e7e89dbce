"""The dossier in Word: 页号 and 本卷页数 as values from the PDF's pagination (with PAGEREF
fields to bookmarks at each part's first title), sections numbering the files only."""

import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples

from exports.atomic import ExportCancelled
from exports.dossier_pdf import paginate
from exports.dossier_word import render_dossier_docx
from exports.word_document import DEMO_MARK


@pytest.fixture(scope="module")
def dossier():
    return form_samples.dossier(visits=24)


@pytest.fixture(scope="module")
def doc(tmp_path_factory, dossier):
    return Document(render_dossier_docx(dossier, tmp_path_factory.mktemp("w") / "d.docx"))


def bookmarks(doc) -> dict[str, str]:
    """Bookmark name -> text of the paragraph holding it."""
    out = {}
    for p in doc.element.body.iter(qn("w:p")):
        for start in p.iter(qn("w:bookmarkStart")):
            out[start.get(qn("w:name"))] = "".join(t.text or "" for t in p.iter(qn("w:t")))
    return out


def test_catalogue_points_at_each_part(doc, dossier):
    catalogue = doc.tables[1]
    header = [c.text for c in catalogue.rows[0].cells]
    assert header == ["顺序号", "文号", "责任者", "题名", "日期", "页号", "备注"]
    parts = dossier.ordered_parts()
    rows = catalogue.rows[1:]
    # the 备考表 is not an item of the volume
    assert [r.cells[3].text for r in rows] == [p.title for p in parts]
    marks = bookmarks(doc)
    pages = paginate(dossier)
    for index, (row, part) in enumerate(zip(rows, parts, strict=True), 1):
        instructions = [t.text.strip() for t in row.cells[5]._tc.iter(qn("w:instrText"))]
        assert instructions == [f"PAGEREF part{index} \\h"]
        assert marks[f"part{index}"] == part.forms[0].spec.title
        # printed as the PDF's 页号 without any field update
        assert row.cells[5].text == str(pages.part_pages[index])
    assert row.cells[5].text != "" and rows[0].cells[5].text == "1"
    assert marks["remarks"] == "卷内备考表"


def test_each_document_starts_a_page(doc, dossier):
    titles = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    forms = [f for part in dossier.ordered_parts() for f in part.forms]
    form_titles = titles[2:-1]  # after the cover and the catalogue, before the 备考表
    assert [p.text for p in form_titles] == [f.spec.title for f in forms]
    # the first file and the 备考表 open sections of their own (a new page each)
    assert titles[1].paragraph_format.page_break_before
    assert all(p.paragraph_format.page_break_before for p in titles[3:-1])
    assert len(doc.sections) == 3
    assert [s.start_type for s in doc.sections[1:]] == [2, 2]  # WD_SECTION.NEW_PAGE


def test_page_numbers_print_without_updating_fields(doc, dossier):
    assert doc.settings.element.find(qn("w:updateFields")) is None
    cover = doc.tables[0]
    cells = {r.cells[0].text: r.cells[1] for r in cover.rows}
    assert cells["姓名"].text == form_samples.CHILD_NAME
    pages = paginate(dossier)
    assert cells["本卷页数"].text == f"共 {pages.file_pages} 页"
    assert pages.file_pages == pages.pdf_pages - 3  # cover, 卷内目录, 备考表 not counted


def test_only_the_files_are_numbered(doc):
    def instructions(section):
        return [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]

    cover, files, remarks = doc.sections
    assert instructions(cover) == [] and instructions(remarks) == []
    assert instructions(files) == ["PAGE", "SECTIONPAGES"]
    start = files._sectPr.find(qn("w:pgNumType"))
    assert start is not None and start.get(qn("w:start")) == "1"


def test_rows_never_split_and_signatures_keep_together(doc):
    rows = [tr for t in doc.tables for tr in t._tbl.tr_lst]
    assert rows and all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None
                        for tr in rows)
    from docx.text.paragraph import Paragraph

    def is_signature_line(element) -> bool:  # "label： ____" with an underlined run
        return element.tag == qn("w:p") and any(
            r.underline for r in Paragraph(element, None).runs)

    lines = [p for p in doc.paragraphs if is_signature_line(p._p)]
    followed = [p for p in lines if p._p.getnext() is not None
                and is_signature_line(p._p.getnext())]
    assert followed and all(p.paragraph_format.keep_with_next for p in followed)


def test_remarks_and_demo(doc):
    remarks = doc.tables[-1]
    cells = {r.cells[0].text: r.cells[1].text for r in remarks.rows}
    assert cells["本卷情况说明"].startswith("无。") and "本卷共有文件材料 33 件" in cells["本卷情况说明"]
    assert cells["本卷页数"].startswith("共 ") and cells["本卷页数"] != "共  页"
    assert cells["立卷人"] == "王芳" and cells["立卷时间"] == "2025年12月31日"
    assert doc.sections[0].header.paragraphs[0].text == DEMO_MARK


def test_full_id_numbers(doc):
    texts = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert form_samples.CHILD_ID in texts


def test_progress_and_cancel(tmp_path, dossier):
    calls = []
    render_dossier_docx(dossier, tmp_path / "ok.docx", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1][0] == calls[-1][1] == 34
    ticks = iter(range(100))
    with pytest.raises(ExportCancelled):
        render_dossier_docx(dossier, tmp_path / "no.docx", is_cancelled=lambda: next(ticks) > 5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.docx"]
