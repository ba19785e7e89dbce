"""The renderers are one table: every kind and format found by key, none by a module's name."""

from pathlib import Path

import pytest

from exports import dossier_pdf, dossier_word, excel, pdf_form, tables, word_form
from exports.renderers import RENDERERS, UnknownFormat, formats, renderer

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_and_format():
    assert renderer("form", "pdf") is pdf_form.render_form_pdf
    assert renderer("form", "docx") is word_form.render_form_docx
    assert renderer("dossier", "PDF") is dossier_pdf.render_dossier_pdf
    assert renderer("dossier", ".docx") is dossier_word.render_dossier_docx
    assert renderer("table", "xlsx") is excel.render_xlsx
    assert renderer("table", "docx") is tables.render_table_docx
    assert renderer("table", "pdf") is tables.render_table_pdf
    assert formats("table") == ("xlsx", "docx", "pdf")
    assert renderer("book", "xlsx") is excel.render_book_xlsx
    assert renderer("book", "docx") is tables.render_book_docx
    assert renderer("book", "pdf") is tables.render_book_pdf
    assert len(RENDERERS) == 10


def test_an_unknown_format_is_a_chinese_error():
    with pytest.raises(UnknownFormat, match="不支持的格式“odt”，可选：pdf、docx"):
        renderer("form", "odt")


def test_no_renderer_is_looked_up_by_a_modules_name():
    for path in [*(ROOT / "exports").rglob("*.py"), ROOT / "desktop" / "print_preview.py",
                 ROOT / "desktop" / "commands" / "export.py"]:
        assert "import_module" not in path.read_text(encoding="utf-8"), path
