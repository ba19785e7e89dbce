"""The building blocks of Word documents: titles, headings, body text, bookmarks, page
breaks, and tables (rows, cells, shading, header rows, rows kept together).

``add_title``/``write_cell``/``shade``/``mark_header_row``/``add_grid_table`` are reused by
the dossier and the county tables."""

from __future__ import annotations

from docx.document import Document as DocumentType
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell, _Row

from exports.fonts import WORD_BODY_FONT, WORD_LATIN_FONT, WORD_PROSE_FONT, WORD_TITLE_FONT
from exports.word_document import (
    BODY_SIZE,
    CELL_SIZE,
    HEADING_SIZE,
    LABEL_FILL,
    TITLE_SIZE,
    add_text,
    styled_paragraph,
)

_bookmark_ids = iter(range(1, 1 << 30))


def add_bookmark(paragraph, name: str) -> None:
    """Wrap the paragraph's content in a bookmark (target of PAGEREF fields)."""
    ident = str(next(_bookmark_ids))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), ident)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), ident)
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def add_title(doc: DocumentType, text: str, subtitle: str = "", new_page: bool = False,
              bookmark: str | None = None):
    paragraph = styled_paragraph(doc, "Heading1")
    paragraph.paragraph_format.page_break_before = new_page
    add_text(paragraph, text, WORD_TITLE_FONT, TITLE_SIZE, bold=True)
    if bookmark:
        add_bookmark(paragraph, bookmark)
    if subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text(sub, subtitle, size=12)
    return paragraph


def add_heading(doc: DocumentType, text: str):
    paragraph = styled_paragraph(doc, "Heading2")
    add_text(paragraph, text, WORD_TITLE_FONT, HEADING_SIZE, bold=True)
    return paragraph


def add_body(doc: DocumentType, text: str, size: float = BODY_SIZE, indent: bool = True,
             font: str = WORD_PROSE_FONT):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.line_spacing = 1.5
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    add_text(paragraph, text, font, size=size)
    return paragraph


def keep_with_next(paragraph, keep_lines: bool = True):
    """The paragraph stays on the page of the next one (a heading with its table)."""
    paragraph.paragraph_format.keep_with_next = True
    if keep_lines:
        paragraph.paragraph_format.keep_together = True
    return paragraph


def rows_do_not_split(table) -> None:
    """Every row of the table stays on one page (w:cantSplit)."""
    for tr in table._tbl.tr_lst:
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))


def keep_table_with_next(table) -> None:
    """Every paragraph of the table keeps with the next: the table (and what follows it)
    stays on one page, as KeepTogether does in the PDF."""
    rows_do_not_split(table)
    for tr in table._tbl.tr_lst:
        for p in tr.iter(qn("w:p")):
            p_pr = p.get_or_add_pPr()
            if p_pr.find(qn("w:keepNext")) is None:
                p_pr.insert(0, OxmlElement("w:keepNext"))


def page_break(doc: DocumentType):
    paragraph = doc.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    return paragraph


def shade(cell, fill: str = LABEL_FILL) -> None:
    shade_tc(cell._tc, fill)


def shade_tc(tc, fill: str = LABEL_FILL) -> None:
    """``shade`` for a bare <w:tc> (rows built in XML)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc.get_or_add_tcPr().append(shd)


def write_cell(cell, text: str, size: float = CELL_SIZE, bold: bool = False,
               centre: bool = False, font: str = WORD_BODY_FONT,
               latin: str = WORD_LATIN_FONT) -> None:
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, line in enumerate((text or "").split("\n")):
        if n:
            paragraph = cell.add_paragraph()
        add_text(paragraph, line, font, size, bold=bold, latin=latin)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def set_cell_margins(table, dxa: int) -> None:
    """Left and right cell margins of the whole table (Word's default is 108 dxa, 1.9 mm)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(dxa))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _twips(width_mm: float) -> str:
    return str(round(width_mm * 1440 / 25.4))


def add_row(table, cells: list[tuple[float, int]]) -> list[_Cell]:
    """Append a row built directly in XML: (width in mm, grid columns spanned) per cell.

    python-docx's add_row and merge walk the whole grid on every call, which made a
    two-year dossier take seconds; building the row once is linear.
    """
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr_pr.append(OxmlElement("w:cantSplit"))  # a row stays on one page, as in the PDF
    tr.append(tr_pr)
    out = []
    for width_mm, span in cells:
        tc = OxmlElement("w:tc")
        tc_pr = OxmlElement("w:tcPr")
        tc_w = OxmlElement("w:tcW")
        tc_w.set(qn("w:w"), _twips(width_mm))
        tc_w.set(qn("w:type"), "dxa")
        tc_pr.append(tc_w)
        if span > 1:
            grid_span = OxmlElement("w:gridSpan")
            grid_span.set(qn("w:val"), str(span))
            tc_pr.append(grid_span)
        tc.append(tc_pr)
        tc.append(OxmlElement("w:p"))
        tr.append(tc)
        out.append(_Cell(tc, table))
    table._tbl.append(tr)
    return out


def last_row(table) -> _Row:
    return _Row(table._tbl.tr_lst[-1], table)


def new_table(doc: DocumentType, widths_mm: list[float]):
    table = doc.add_table(rows=0, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    return table


def mark_header_row(row) -> None:
    """The row repeats at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def add_grid_table(doc: DocumentType, widths_mm: list[float], header: list[str] | None = None,
                   rows: list[list[str]] = (), blank_rows: int = 0,
                   blank_height_mm: float = 12):
    """A bordered table with a shaded, repeating header row; returns the docx table."""
    table = new_table(doc, widths_mm)
    layout = [(w, 1) for w in widths_mm]
    if header:
        for cell, text in zip(add_row(table, layout), header, strict=True):
            write_cell(cell, text, bold=True, centre=True, font=WORD_TITLE_FONT)
            shade(cell)
        mark_header_row(last_row(table))
    for values in rows:
        for cell, text in zip(add_row(table, layout), values, strict=True):
            write_cell(cell, text)
    for _ in range(blank_rows):
        add_row(table, layout)
        row = last_row(table)
        row.height = Mm(blank_height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return table
