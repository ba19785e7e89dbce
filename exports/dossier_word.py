"""One child's file (一人一档) as a Word document: cover, 卷内目录, parts, 卷内备考表.

Three sections, as GB/T 9705 numbers a volume: the cover and 卷内目录 (no page numbers), the
files (numbered from 1, "第 x 页 共 y 页" from PAGE and SECTIONPAGES), the 卷内备考表 (no
number). The 页号 of the 卷内目录 and 本卷页数 are written as values from the PDF's
pagination (``exports.dossier_pdf.paginate``), so the document prints right without any
field update; the 页号 are also PAGEREF fields (to a bookmark on each part's first title)
whose cached result is that value, should Word be asked to update them.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
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
    Pagination,
    archive_date,
    date_span,
    item_count,
    item_numbers,
    paginate,
    part_key,
)
from exports.word_blocks import (
    add_body,
    add_bookmark,
    add_grid_table,
    add_heading,
    add_title,
    shade,
)
from exports.word_document import (
    FOOTER_SIZE,
    TEXT_WIDTH_MM,
    add_field,
    add_text,
    new_document,
    save_docx,
)
from exports.word_form import add_form
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


def add_cover(doc: DocumentType, dossier: Dossier, pages: Pagination | None = None) -> None:
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
    _total_cell(table.rows[7].cells[1], pages)
    add_body(doc, "")
    add_body(doc, CONFIDENTIAL, size=12, indent=False)


def _total_cell(cell, pages: Pagination | None) -> None:
    """本卷页数: the number of file pages as a value (no field to update)."""
    add_text(cell.paragraphs[0], f"共 {pages.file_pages if pages else ''} 页", size=10.5)


def add_catalogue(doc: DocumentType, dossier: Dossier, parts: list[DossierPart],
                  pages: Pagination | None = None) -> None:
    add_title(doc, "卷内目录", new_page=True, bookmark="catalogue")
    add_body(doc, f"档号：{dossier.archive_no}", size=12, indent=False)
    numbers = item_numbers(parts)
    rows = [[str(numbers.get(i, "—")), p.doc_no, p.responsible, p.title, archive_date(p.date),
             "" if p.forms else "—", p.note or ("" if p.forms else "无材料")]
            for i, p in enumerate(parts, 1)]
    table = add_grid_table(doc, list(CATALOGUE_WIDTHS_MM), list(CATALOGUE_COLUMNS), rows)
    for index, (row, part) in enumerate(zip(table.rows[1:], parts, strict=True), 1):
        if part.forms:
            page = str(pages.part_pages.get(index, "")) if pages else ""
            _field_cell(row.cells[5], "", f"PAGEREF {part_key(index)} \\h", "", cached=page)


def add_remarks(doc: DocumentType, dossier: Dossier, parts: list[DossierPart],
                pages: Pagination | None = None) -> None:
    _new_section(doc, numbered=False)
    add_title(doc, "卷内备考表", bookmark="remarks")
    add_body(doc, f"档号：{dossier.archive_no}", size=12, indent=False)
    count = item_count(parts)
    notes = dossier.notes.strip() or "无。"
    compiled = format_date(dossier.compiled_on) if dossier.compiled_on else ""
    table = _label_value_table(doc, [
        ("本卷情况说明", f"{notes}\n\n本卷共有文件材料 {count} 件。"), ("本卷页数", ""),
        ("立卷人", dossier.compiler), ("检查人", dossier.checker), ("立卷时间", compiled),
    ], 34)
    table.rows[0].height = Mm(110)
    _total_cell(table.rows[1].cells[1], pages)


def _new_section(doc: DocumentType, numbered: bool, total: int | None = None) -> None:
    """A new page in a section of its own: the files numbered from 1 ("第 x 页 共 y 页",
    y being the section's pages), or pages without a number (备考表)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    for run in list(paragraph._p.iter(qn("w:r"))):
        run.getparent().remove(run)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    if not numbered:
        return
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, "第 ", size=FOOTER_SIZE)
    add_field(paragraph, "PAGE", size=FOOTER_SIZE)
    add_text(paragraph, " 页 共 ", size=FOOTER_SIZE)
    # cached as the PDF's count: LibreOffice prints the cached value of SECTIONPAGES
    add_field(paragraph, "SECTIONPAGES", str(total or ""), size=FOOTER_SIZE)
    add_text(paragraph, " 页", size=FOOTER_SIZE)
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    # schema order: pgNumType comes before cols/titlePg/docGrid etc.
    following = [sect_pr.find(qn(t)) for t in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                               "w:titlePg", "w:textDirection", "w:bidi",
                                               "w:rtlGutter", "w:docGrid")]
    following = [e for e in following if e is not None]
    if following:
        following[0].addprevious(number_type)
    else:
        sect_pr.append(number_type)


def _unnumbered_first_section(doc: DocumentType) -> None:
    """Cover and 卷内目录 carry no page number."""
    footer = doc.sections[0].footer
    for run in list(footer.paragraphs[0]._p.iter(qn("w:r"))):
        run.getparent().remove(run)


def add_dossier(doc: DocumentType, dossier: Dossier, progress: Progress | None = None,
                is_cancelled: IsCancelled | None = None) -> None:
    """Write the whole file into ``doc`` (prepared with ``new_document``)."""
    parts = dossier.ordered_parts()
    total = sum(max(1, len(p.forms)) for p in parts) + 1
    done = 0
    pages = paginate(dossier)
    check_cancelled(is_cancelled)
    _unnumbered_first_section(doc)
    add_cover(doc, dossier, pages)
    add_catalogue(doc, dossier, parts, pages)
    _new_section(doc, numbered=True, total=pages.file_pages)
    for index, part in enumerate(parts, 1):
        first = index == 1
        if not part.forms:
            heading = add_heading(doc, part.title)
            heading.paragraph_format.page_break_before = not first
            add_bookmark(heading, part_key(index))
            add_body(doc, "本部分暂无材料。")
            done += 1
            report(progress, done, total)
        for number, filled in enumerate(part.forms):
            check_cancelled(is_cancelled)
            add_form(doc, filled, new_page=not (first and number == 0),
                     bookmark=None if number else part_key(index))
            done += 1
            report(progress, done, total)
    add_remarks(doc, dossier, parts, pages)


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
