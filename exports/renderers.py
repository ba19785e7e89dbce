"""Which function writes which document in which format: one table, looked up by key.

``renderer(kind, fmt)`` gives ``render(document, path, progress=None, is_cancelled=None)
-> Path``, which writes the file atomically:

| kind      | document                           | formats         |
|-----------|------------------------------------|-----------------|
| "form"    | one filled or blank form           | pdf, docx       |
| "dossier" | a child's whole file (一人一档)     | pdf, docx       |
| "table"   | a county table, the activity list  | xlsx, docx, pdf |
| "book"    | a county table, a part per township | xlsx, docx, pdf |

A renderer's module (reportlab, python-docx, openpyxl) is imported when it is first asked
for, not when the program starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Render = Callable[..., Path]


class UnknownFormat(ValueError):
    """No renderer for this kind of document in this format; ``str()`` is Chinese."""


def _form_pdf() -> Render:
    from exports.pdf_form import render_form_pdf

    return render_form_pdf


def _form_docx() -> Render:
    from exports.word_form import render_form_docx

    return render_form_docx


def _dossier_pdf() -> Render:
    from exports.dossier_pdf import render_dossier_pdf

    return render_dossier_pdf


def _dossier_docx() -> Render:
    from exports.dossier_word import render_dossier_docx

    return render_dossier_docx


def _table_xlsx() -> Render:
    from exports.excel import render_xlsx

    return render_xlsx


def _table_docx() -> Render:
    from exports.tables import render_table_docx

    return render_table_docx


def _table_pdf() -> Render:
    from exports.tables import render_table_pdf

    return render_table_pdf


def _book_xlsx() -> Render:
    from exports.excel import render_book_xlsx

    return render_book_xlsx


def _book_docx() -> Render:
    from exports.tables import render_book_docx

    return render_book_docx


def _book_pdf() -> Render:
    from exports.tables import render_book_pdf

    return render_book_pdf


RENDERERS: dict[tuple[str, str], Callable[[], Render]] = {
    ("form", "pdf"): _form_pdf,
    ("form", "docx"): _form_docx,
    ("dossier", "pdf"): _dossier_pdf,
    ("dossier", "docx"): _dossier_docx,
    ("table", "xlsx"): _table_xlsx,
    ("table", "docx"): _table_docx,
    ("table", "pdf"): _table_pdf,
    ("book", "xlsx"): _book_xlsx,
    ("book", "docx"): _book_docx,
    ("book", "pdf"): _book_pdf,
}


def formats(kind: str) -> tuple[str, ...]:
    return tuple(fmt for k, fmt in RENDERERS if k == kind)


def renderer(kind: str, fmt: str) -> Render:
    """The function that writes a ``kind`` document as ``fmt`` (pdf, docx, xlsx)."""
    fmt = fmt.lower().lstrip(".")
    load = RENDERERS.get((kind, fmt))
    if load is None:
        raise UnknownFormat(f"不支持的格式“{fmt}”，可选：{'、'.join(formats(kind))}")
    return load()
