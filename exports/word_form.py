"""One paper form as a Word document, walking the ``forms.spec`` definitions.

``add_form(doc, filled)`` writes one form into a document (the dossier writes many);
``render_form_docx`` writes one filled or blank form as a file.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentType
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from exports.atomic import IsCancelled, Progress, check_cancelled, report
from exports.fonts import WORD_BODY_FONT
from exports.table_layout import fitting_cell_text
from exports.word_blocks import (
    add_body,
    add_grid_table,
    add_heading,
    add_row,
    add_title,
    keep_with_next,
    last_row,
    new_table,
    set_cell_margins,
    shade,
    write_cell,
)
from exports.word_document import (
    BLANK_DATE,
    BLANK_LINE_MM,
    BOX,
    CELL_SIZE,
    GRID_COLUMNS,
    TEXT_WIDTH_MM,
    UNIT_MM,
    add_text,
    new_document,
    save_docx,
    text_width_mm,
)
from forms.spec import Field, FilledForm, Section, pack_rows


def label_columns(f: Field, span: int) -> int:
    if span <= 2:
        return span
    needed = -(-(len(f.label) * CELL_SIZE * 0.3528 + 3.5) // UNIT_MM)  # chars × mm per char
    return int(max(2, min(needed, 2 * span - 2)))


def blank_text(f: Field, width_mm: float) -> str:
    """Tick boxes for short lists, a date frame, else empty for handwriting."""
    if f.kind == "bool":
        return f"{BOX}是\u00a0\u00a0\u00a0\u00a0{BOX}否"
    if f.kind == "date":
        return BLANK_DATE
    if f.kind in ("choice", "multichoice"):
        text = "\u00a0\u00a0".join(f"{BOX}{c}" for c in f.choices)
        chars_per_line = width_mm / (CELL_SIZE * 0.3528)
        if len(text) <= chars_per_line:
            return text
        lines: list[str] = []  # options packed whole into lines, as the PDF prints them
        for option in (f"{BOX}{c}" for c in f.choices):
            if lines and len(lines[-1]) + 2 + len(option) <= chars_per_line:
                lines[-1] += "\u00a0\u00a0" + option
            else:
                lines.append(option)
        if len(lines) <= 2 or len(f.choices) <= 6:
            return "\n".join(lines)
    return ""


def _fields_table(doc: DocumentType, filled: FilledForm, section: Section) -> None:
    table = new_table(doc, [UNIT_MM] * GRID_COLUMNS)
    for fields in pack_rows(section.fields):
        layout, lines = [], 1
        for f, span in fields:
            label_cols = label_columns(f, span)
            layout += [(label_cols * UNIT_MM, label_cols),
                       ((2 * span - label_cols) * UNIT_MM, 2 * span - label_cols)]
        cells = add_row(table, layout)
        for n, (f, _span) in enumerate(fields):
            label, value = cells[2 * n], cells[2 * n + 1]
            write_cell(label, f.label, centre=True)
            shade(label)
            if filled.is_blank:
                write_cell(value, blank_text(f, layout[2 * n + 1][0]))
                lines = max(lines, f.blank_lines)
            else:
                write_cell(value, filled.text_of(f))
        row = last_row(table)
        # one line to write on fits the 8 mm row, as in the PDF
        row.height = Mm(max(8, lines * BLANK_LINE_MM if filled.is_blank and lines > 1 else 8))
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _signatures(doc: DocumentType, filled: FilledForm, section: Section) -> None:
    for fields in pack_rows(section.fields):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        keep_with_next(paragraph)
        for n, (f, span) in enumerate(fields):
            value = "" if filled.is_blank else filled.text_of(f)
            if not value:
                value = BLANK_DATE if f.kind == "date" else "\u00a0" * (6 * span)
            if n:
                add_text(paragraph, "\u00a0\u00a0\u00a0\u00a0", size=12)
            add_text(paragraph, f"{f.label}：", size=12)
            add_text(paragraph, f"\u00a0{value}\u00a0", size=12, underline=True)
        if fields[0][0].kind == "multiline" and filled.is_blank:
            for _ in range(fields[0][0].blank_lines):
                line = doc.add_paragraph()
                line.paragraph_format.space_before = Pt(12)
                keep_with_next(line)
                add_text(line, "\u00a0" * 80, size=12, underline=True)


LIST_CELL_MARGIN_PT = 3  # as the PDF's lists: a compact date fits a one-unit column


def _table_section(doc: DocumentType, filled: FilledForm, section: Section) -> None:
    weights = [c.width or 1 for c in section.columns]
    widths = [TEXT_WIDTH_MM * w / sum(weights) for w in weights]
    rows = [] if filled.is_blank else filled.rows_of(section)
    blank = section.blank_rows if filled.is_blank else (0 if rows else 1)
    table = add_grid_table(doc, widths, [c.label for c in section.columns], [], blank)
    set_cell_margins(table, LIST_CELL_MARGIN_PT * 20)
    layout = [(w, 1) for w in widths]
    for row in rows:
        for cell, column, width in zip(add_row(table, layout), section.columns, widths,
                                       strict=True):
            if column.kind == "date":  # digits in the Chinese face, as measured
                write_cell(cell, list_cell_text(column, row, width), latin=WORD_BODY_FONT)
            else:
                write_cell(cell, list_cell_text(column, row, width))


def list_cell_text(column: Field, row: dict, width_mm: float) -> str:
    """A list cell as printed: a date that would not fit its column on one line is printed
    2024-01-18 (as in the PDF), so no line break falls inside it."""
    room = width_mm - 2 * LIST_CELL_MARGIN_PT * 25.4 / 72
    return fitting_cell_text(column, row, lambda text: text_width_mm(text, CELL_SIZE) <= room)


def add_form(doc: DocumentType, filled: FilledForm, new_page: bool = False,
             bookmark: str | None = None) -> None:
    """Write one filled (or blank) form at the end of ``doc``.

    ``new_page`` starts it on a new page; ``bookmark`` names its title for PAGEREF fields.
    """
    spec = filled.spec
    add_title(doc, spec.title, spec.subtitle, new_page=new_page, bookmark=bookmark)
    body = doc.element.body
    for section in spec.sections:
        if section.kind == "signatures":
            # as in the PDF: the block is never split nor alone on a page, it takes the
            # last paragraph or table row before it along
            _keep_last_with_next(body)
        if section.title not in (spec.title, "签名"):
            add_heading(doc, section.title)
        for template in section.text:
            if section.kind == "text":
                add_body(doc, filled.fill(template))
            else:  # a note on a form: smaller, in the form's face
                note = add_body(doc, filled.fill(template), size=12, font=WORD_BODY_FONT)
                if section.kind == "signatures":
                    keep_with_next(note)
        if section.kind == "fields":
            _fields_table(doc, filled, section)
        elif section.kind == "signatures":
            _signatures(doc, filled, section)
        elif section.kind == "table":
            _table_section(doc, filled, section)
    last_is_signature = bool(spec.sections) and spec.sections[-1].kind == "signatures"
    if spec.copies_note:
        paragraph = add_body(doc, spec.copies_note, size=12, indent=False, font=WORD_BODY_FONT)
        paragraph.paragraph_format.space_before = Pt(12)
    elif last_is_signature:
        _release_last(body)  # the block's last line need not keep with the next form


def _keep_last_with_next(body) -> None:
    """The last paragraph, or every paragraph of the last table row, keeps with the next."""
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last = body[-2] if len(body) > 1 else None
    if last is None:
        return
    paragraphs = list(last.tr_lst[-1].iter(qn("w:p"))) if last.tag == qn("w:tbl") else [last]
    for p in paragraphs:
        p_pr = p.get_or_add_pPr()
        if p_pr.find(qn("w:keepNext")) is None:
            p_pr.insert(0, OxmlElement("w:keepNext"))


def _release_last(body) -> None:
    last = body[-1] if body[-1].tag != qn("w:sectPr") else body[-2]
    if last.tag == qn("w:p") and last.pPr is not None:
        for element in last.pPr.findall(qn("w:keepNext")):
            last.pPr.remove(element)


def render_form_docx(filled: FilledForm, path, progress: Progress | None = None,
                     is_cancelled: IsCancelled | None = None) -> Path:
    """One filled (or blank) form as a .docx file."""
    check_cancelled(is_cancelled)
    report(progress, 0, 2)
    doc = new_document(filled.demo, filled.spec.title)
    add_form(doc, filled)
    report(progress, 1, 2)
    check_cancelled(is_cancelled)
    result = save_docx(doc, path)
    report(progress, 2, 2)
    return result
