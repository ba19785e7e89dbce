"""The dossier in Word: PAGEREF page numbers to bookmarks at each part's first title."""

import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples

from exports.atomic import ExportCancelled
from exports.dossier_word import render_dossier_docx
from exports.word import DEMO_MARK


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
    assert [r.cells[3].text for r in rows] == [p.title for p in parts] + ["卷内备考表"]
    marks = bookmarks(doc)
    for index, (row, part) in enumerate(zip(rows, parts), 1):
        instructions = [t.text.strip() for t in row.cells[5]._tc.iter(qn("w:instrText"))]
        assert instructions == [f"PAGEREF part{index} \\h"]
        assert marks[f"part{index}"] == part.forms[0].spec.title
    assert marks["remarks"] == "卷内备考表"


def test_each_document_starts_a_page(doc, dossier):
    titles = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    forms = [f for part in dossier.ordered_parts() for f in part.forms]
    form_titles = titles[2:-1]  # after the cover and the catalogue, before the 备考表
    assert [p.text for p in form_titles] == [f.spec.title for f in forms]
    assert all(p.paragraph_format.page_break_before for p in titles[1:])


def test_fields_update_when_opened(doc):
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    cover = doc.tables[0]
    cells = {r.cells[0].text: r.cells[1] for r in cover.rows}
    assert cells["姓名"].text == form_samples.CHILD_NAME
    assert [t.text.strip() for t in cells["本卷页数"]._tc.iter(qn("w:instrText"))] == ["NUMPAGES"]


def test_remarks_and_demo(doc):
    remarks = doc.tables[-1]
    cells = {r.cells[0].text: r.cells[1].text for r in remarks.rows}
    assert cells["本卷情况说明"].startswith("无。") and "本卷共有文件材料 33 件" in cells["本卷情况说明"]
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
