"""One child's file (一人一档) as a Word document: cover, 卷内目录, parts, 卷内备考表.

Word lays out pages itself, so the 页号 of the 卷内目录 are PAGEREF fields pointing at a
bookmark on the first title of each part, and the document asks Word to update fields when
it is opened (``w:updateFields``). Page totals are NUMPAGES fields.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentType
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from exports.atomic import IsCancelled, Progress, check_cancelled, report
from exports.dossier_pdf import (
    CATALOGUE_COLUMNS,
    CATALOGUE_WIDTHS_MM,
    CONFIDENTIAL,
    COVER_HEADING,
    archive_date,
    date_span,
    part_key,
)
from exports.word import (
    TEXT_WIDTH_MM,
    add_body,
    add_bookmark,
    add_field,
    add_form,
    add_grid_table,
    add_heading,
    add_text,
    add_title,
    new_document,
    save_docx,
    shade,
)
from forms.dossier import Dossier, DossierPart
from forms.spec import format_date


def ask_to_update_fields(doc: DocumentType) -> None:
    setting = OxmlElement("w:updateFields")
    setting.set(qn("w:val"), "true")
    doc.settings.element.append(setting)


def _field_cell(cell, before: str, instruction: str, after: str, cached: str = "") -> None:
    paragraph = cell.paragraphs[0]
    if before:
        add_text(paragraph, before, size=10.5)
    add_field(paragraph, instruction, cached, size=10.5)
    if after:
        add_text(paragraph, after, size=10.5)


def _label_value_table(doc: DocumentType, rows: list[tuple[str, str]], label_mm: float,
                       height_mm: float = 12):
    table = add_grid_table(doc, [label_mm, TEXT_WIDTH_MM - label_mm],
                           rows=[[label, value] for label, value in rows])
    for row in table.rows:
        shade(row.cells[0])
        row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return table


def add_cover(doc: DocumentType, dossier: Dossier) -> None:
    for _ in range(3):
        add_body(doc, "")
    add_title(doc, COVER_HEADING, bookmark="cover")
    add_body(doc, "")
    created = format_date(dossier.created_on) if dossier.created_on else ""
    rows = [
        ("档号", dossier.archive_no), ("案卷题名", dossier.title), ("姓名", dossier.name),
        ("村（社区）", dossier.village), ("乡镇（街道）", dossier.township), ("建档日期", created),
        ("起止日期", date_span(dossier)), ("本卷页数", ""), ("保管单位", dossier.keeper),
        ("保管期限", dossier.retention),
    ]
    table = _label_value_table(doc, rows, 40, height_mm=13)
    _field_cell(table.rows[7].cells[1], "共 ", "NUMPAGES", " 页")
    add_body(doc, "")
    add_body(doc, CONFIDENTIAL, size=12, indent=False)


def add_catalogue(doc: DocumentType, dossier: Dossier, parts: list[DossierPart]) -> None:
    add_title(doc, "卷内目录", new_page=True, bookmark="catalogue")
    add_body(doc, f"档号：{dossier.archive_no}", size=12, indent=False)
    rows = [[str(i), p.doc_no, p.responsible, p.title, archive_date(p.date), "", p.note]
            for i, p in enumerate(parts, 1)]
    rows.append([str(len(parts) + 1), "", "", "卷内备考表", "", "", ""])
    table = add_grid_table(doc, list(CATALOGUE_WIDTHS_MM), list(CATALOGUE_COLUMNS), rows)
    keys = [part_key(i) for i in range(1, len(parts) + 1)] + ["remarks"]
    for row, key in zip(table.rows[1:], keys):
        _field_cell(row.cells[5], "", f"PAGEREF {key} \\h", "")


def add_remarks(doc: DocumentType, dossier: Dossier, parts: list[DossierPart]) -> None:
    add_title(doc, "卷内备考表", new_page=True, bookmark="remarks")
    add_body(doc, f"档号：{dossier.archive_no}", size=12, indent=False)
    count = sum(max(1, len(p.forms)) for p in parts)
    notes = dossier.notes.strip() or "无。"
    compiled = format_date(dossier.compiled_on) if dossier.compiled_on else ""
    table = _label_value_table(doc, [
        ("本卷情况说明", f"{notes}\n\n本卷共有文件材料 {count} 件。"), ("本卷页数", ""),
        ("立卷人", dossier.compiler), ("检查人", dossier.checker), ("立卷时间", compiled),
    ], 34)
    table.rows[0].height = Mm(110)
    _field_cell(table.rows[1].cells[1], "共 ", "NUMPAGES", " 页")


def add_dossier(doc: DocumentType, dossier: Dossier, progress: Progress | None = None,
                is_cancelled: IsCancelled | None = None) -> None:
    """Write the whole file into ``doc`` (prepared with ``new_document``)."""
    parts = dossier.ordered_parts()
    total = sum(max(1, len(p.forms)) for p in parts) + 1
    done = 0
    add_cover(doc, dossier)
    add_catalogue(doc, dossier, parts)
    for index, part in enumerate(parts, 1):
        if not part.forms:
            heading = add_heading(doc, part.title)
            heading.paragraph_format.page_break_before = True
            add_bookmark(heading, part_key(index))
            add_body(doc, "本部分暂无材料。")
            done += 1
            report(progress, done, total)
        for number, filled in enumerate(part.forms):
            check_cancelled(is_cancelled)
            add_form(doc, filled, new_page=True, bookmark=None if number else part_key(index))
            done += 1
            report(progress, done, total)
    add_remarks(doc, dossier, parts)
    ask_to_update_fields(doc)


def render_dossier_docx(dossier: Dossier, path, progress: Progress | None = None,
                        is_cancelled: IsCancelled | None = None) -> Path:
    check_cancelled(is_cancelled)
    doc = new_document(dossier.demo, f"{dossier.title}（{dossier.archive_no}）")
    add_dossier(doc, dossier, progress, is_cancelled)
    check_cancelled(is_cancelled)
    result = save_docx(doc, path)
    total = sum(max(1, len(p.forms)) for p in dossier.parts) + 1
    report(progress, total, total)
    return result
