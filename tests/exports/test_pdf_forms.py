"""PDF forms, read back with poppler: text, sections, A4, embedded fonts, footer, demo mark."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forms"))

import form_samples
import pdf_reading as pdf

from exports.atomic import ExportCancelled, ExportError
from exports.pdf_form import render_form_pdf
from exports.pdf_layout import DEMO_MARK
from forms import vocab
from forms.registry import FORMS
from forms.spec import FilledForm


def printed_headings(spec) -> list[str]:
    return [s.title for s in spec.sections if s.title not in (spec.title, "签名")]


@pytest.mark.parametrize("name", list(FORMS))
def test_blank_form(tmp_path, name):
    spec = FORMS[name]
    path = render_form_pdf(FilledForm.blank(spec), tmp_path / "blank.pdf")
    text = pdf.flat(path)
    assert spec.title in text
    for heading in printed_headings(spec):
        assert heading.replace(" ", "") in text, heading
    for section in spec.sections:
        if section.kind != "text":  # a text section's fields are placeholders in its wording
            for f in section.fields:
                assert f.label in text, f.label
    assert pdf.is_a4(path)
    count = pdf.pages(path)
    assert f"第{count}页共{count}页" in pdf.flat(path, count, count)
    assert DEMO_MARK not in text


def test_fonts_embedded_and_no_base14(tmp_path):
    path = render_form_pdf(form_samples.agreement(), tmp_path / "a.pdf")
    fonts = pdf.fonts(path)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    assert not any("Helvetica" in f["name"] for f in fonts)


def test_filled_agreement(tmp_path):
    path = render_form_pdf(form_samples.agreement(demo=False), tmp_path / "agreement.pdf")
    text = pdf.flat(path)
    assert form_samples.CHILD_NAME in text
    assert form_samples.CHILD_ID in text
    assert form_samples.FATHER_ID in text
    assert "委托照护期限自2024年2月20日起至2025年2月19日止" in text
    for exclusion in vocab.CARER_EXCLUSIONS:
        assert exclusion in text
    assert "本协议一式三份" in text


def test_blank_agreement_leaves_room_to_write(tmp_path):
    path = render_form_pdf(FilledForm.blank(FORMS["委托照护协议书"]), tmp_path / "b.pdf")
    text = pdf.text(path)
    # the wording may wrap inside the blanks: compare without line breaks
    assert "委托照护期限自______年____月____日起至______年____月____日止" in pdf.flat(path)
    assert "□父亲" in text  # tick boxes for a short list


def test_demo_mark_on_every_page(tmp_path):
    path = render_form_pdf(form_samples.basic_info(demo=True), tmp_path / "demo.pdf")
    count = pdf.pages(path)
    assert count >= 2
    for page in range(1, count + 1):
        assert "演示数据" in pdf.text(path, page, page)


def test_filled_assessment_and_visit(tmp_path):
    path = render_form_pdf(form_samples.assessment(), tmp_path / "assess.pdf")
    text = pdf.flat(path)
    assert "体弱多病或轻度残疾（4分）" in text  # the sample's answer to 身体健康
    assert "总分（满分100分）82" in text and "评估等级低风险" in text
    path = render_form_pdf(form_samples.visit(4, form_samples.START), tmp_path / "visit.pdf")
    text = pdf.flat(path)
    assert "父母近一周是否与儿童联系否" in text


def test_running_list_rows(tmp_path):
    rows = [{"on": "2025-03-01", "content": "走访了解学习情况", "people": "李春兰"},
            {"on": "2025-04-02", "content": "电话联系家长", "people": "李春兰"}]
    filled = form_samples.running_list(FORMS["工作日志"], rows)
    text = pdf.flat(render_form_pdf(filled, tmp_path / "log.pdf"))
    assert "2025年3月1日走访了解学习情况" in text
    assert "2025年4月2日电话联系家长" in text


def test_progress_reported(tmp_path):
    calls = []
    render_form_pdf(form_samples.visit(0, form_samples.START), tmp_path / "v.pdf",
                    progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] and len(calls) >= 2


def test_cancelled_export_leaves_nothing(tmp_path):
    target = tmp_path / "c.pdf"
    target.write_bytes(b"old")
    with pytest.raises(ExportCancelled):
        render_form_pdf(form_samples.basic_info(), target, is_cancelled=lambda: True)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pdf"]


def test_cancelled_during_layout_leaves_nothing(tmp_path):
    answers = iter([False, False, True])  # cancelled when the first page is drawn
    with pytest.raises(ExportCancelled):
        render_form_pdf(form_samples.basic_info(), tmp_path / "c.pdf",
                        is_cancelled=lambda: next(answers, True))
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_explained(tmp_path):
    with pytest.raises(ExportError, match="保存位置不存在"):
        render_form_pdf(form_samples.basic_info(), tmp_path / "nope" / "x.pdf")
