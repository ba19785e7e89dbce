"""Every form fits: one-page forms stay on one A4 page (blank and with long real values), a
signature block is never split nor alone at the top of a page, signature labels never wrap,
a blank form lists every option of short choice lists with a box to tick."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples
import pdf_reading as pdf

from exports.pdf_form import render_form_pdf
from forms.assessment import ASSESSMENT, DEFAULT_TABLE
from forms.registry import FORMS
from forms.spec import FilledForm

ONE_PAGE = ("外出务工备案表", "联系记录", "关爱帮扶记录", "发现问题和解决方案", "工作日志",
            "心理测评记录")
AT_MOST = {"入户走访记录表": 2, "家庭监护能力评估表": 2, "儿童基本信息表": 2,
           "委托照护协议书": 4, "强制报告与转介记录": 2}


def raw_pages(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")[: pdf.pages(path)]
    return [[line.strip() for line in page.splitlines()
             if line.strip() and not line.startswith("演示数据")] for page in pages]


def variants(name):
    spec = FORMS[name]
    return {"blank": FilledForm.blank(spec), "long": form_samples.long_form(spec)}


@pytest.mark.parametrize("name", list(FORMS))
@pytest.mark.parametrize("kind", ["blank", "long"])
def test_pages_and_signature_blocks(tmp_path, name, kind):
    filled = variants(name)[kind]
    path = render_form_pdf(filled, tmp_path / f"{kind}.pdf")
    count = pdf.pages(path)
    if name in ONE_PAGE:
        assert count == 1, f"{name} ({kind}) takes {count} pages"
    else:
        assert count <= AT_MOST[name], f"{name} ({kind}) takes {count} pages"
    pages = raw_pages(path)
    for section in filled.spec.sections:
        if section.kind != "signatures":
            continue
        others = {f.label + "：" for s in filled.spec.sections if s is not section
                  for f in s.fields}
        labels = [f.label + "：" for f in section.fields if f.label + "：" not in others]
        found = {}
        for number, lines in enumerate(pages):
            for line in lines:
                for label in labels:
                    if label in line:
                        found.setdefault(label, number)
        # every label printed whole on one line (labels never wrap), all on one page
        assert set(found) == set(labels), (section.title, set(labels) - set(found))
        assert len(set(found.values())) == 1, (section.title, found)
        page = pages[next(iter(found.values()))]
        first = page[0]
        # something that is not the block itself comes first on its page
        assert not any(first.startswith(label) for label in labels), (section.title, first)


@pytest.mark.parametrize("name", list(FORMS))
@pytest.mark.parametrize("kind", ["blank", "long"])
def test_no_page_holds_only_a_signature_block(tmp_path, name, kind):
    """Every page carries something besides a signature block (its heading, wording, labels,
    the copies note): a confirmation is never printed alone on a page."""
    filled = variants(name)[kind]
    pages = raw_pages(render_form_pdf(filled, tmp_path / f"{kind}.pdf"))
    block = []
    for section in filled.spec.sections:
        if section.kind == "signatures":
            block += [section.title] + [filled.fill(t) for t in section.text]
            block += [f.label + "：" for f in section.fields]
    if filled.spec.copies_note:
        block.append(filled.spec.copies_note)
    for number, lines in enumerate(pages, 1):
        body = [line for line in lines if not line.startswith("第")  # the page footer
                and not any(part and (part in line or line in part) for part in block)]
        assert body, f"{name} ({kind}) page {number} holds only a signature block: {lines}"


def test_blank_basic_information_sheet_fills_two_pages(tmp_path):
    """The blank 基本信息表 takes two pages, the second well filled (no near-empty page)."""
    from forms.basic_info import BASIC_INFO

    path = render_form_pdf(FilledForm.blank(BASIC_INFO), tmp_path / "blank.pdf")
    pages = raw_pages(path)
    assert len(pages) == 2
    assert "四、实际监护情况" in pages[1] and "五、家庭经济及救助情况" in pages[1]
    assert any(line.startswith("父母或受委托照护人确认（签名）：") for line in pages[1])


def test_work_trip_registration_is_one_page_with_its_stamp_line(tmp_path):
    for kind, filled in variants("外出务工备案表").items():
        path = render_form_pdf(filled, tmp_path / f"{kind}.pdf")
        assert pdf.pages(path) == 1
        text = pdf.flat(path)
        assert "村（居）委会经办人（盖章）：" in text and "本表一式三份" in text


def test_blank_assessment_prints_every_option_with_points_and_a_box(tmp_path):
    path = render_form_pdf(FilledForm.blank(ASSESSMENT), tmp_path / "a.pdf")
    text = pdf.flat(path)
    for indicator in DEFAULT_TABLE.indicators:
        assert indicator.label in text
        for wording, points in indicator.options:
            # each option once, whole, with its points
            assert f"{wording}（{points}分）".replace(" ", "") in text, (indicator.label, wording)


def test_blank_form_boxes_are_text_height(tmp_path):
    """Tick boxes are drawn as squares at least 0.85 of the font size (the CJK glyph height)."""
    from reportlab.lib.units import mm

    from exports import pdf_flowables, pdf_layout

    st = pdf_layout.pdf_styles()
    box = pdf_flowables.PlainText(f"{pdf_layout.BOX}是   {pdf_layout.BOX}否", st.cell)
    drawn = []

    class Canvas:
        def __getattr__(self, name):
            return lambda *a, **k: drawn.append((name, a)) if name == "rect" else (
                _Text() if name == "beginText" else None)

    class _Text:
        def __getattr__(self, name):
            return lambda *a, **k: None

    box.wrap(60 * mm, 100)
    box.canv = Canvas()
    box.draw()
    rects = [a for name, a in drawn if name == "rect"]
    assert len(rects) == 2
    assert all(r[2] >= 0.85 * st.cell.fontSize and r[3] >= 0.85 * st.cell.fontSize for r in rects)
