"""County tables (Annex 1, Annex 2, the red/yellow/blue lists) as PDF and Word.

Wide tables go on landscape A4 (``forms.county_tables.TableLayout``); Annex 1 stays
portrait with the GB/T 9704 margins. Each table: annex label, title ("演示数据" in it for
demo data), the header line, the section's wording, the table (headings repeated on every
page, runs of equal values in the layout's merge columns joined, 人数小计/合计 in bold,
the risk colour as a tint), the note. ``render_table`` writes any of the formats of
``exports.renderers``.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from exports import pdf_document, pdf_flowables, pdf_layout, word_blocks, word_document
from exports.atomic import IsCancelled, Progress, check_cancelled, report
from exports.fonts import WORD_BODY_FONT, WORD_TITLE_FONT
from exports.renderers import renderer
from exports.table_layout import (
    DEMO_SUFFIX,
    ROW_COLOUR,
    ROW_STYLE,
    TINTS,
    cell_text,
    display_title,
    header_grid,
    layout_of,
    merge_runs,
    sections_to_print,
    weights,
)
from forms.county_tables import EMPHASISED, OF_WHOM, TableBook, TableLayout
from forms.spec import FilledForm, Section

TABLE_TITLE_SIZE = 16  # 3号: a 26-character title fits the portrait text block on one line
EMPTY = "（无）"
EMPHASIS_BG = colors.Color(0.92, 0.92, 0.92)
_REPORT_EVERY = 200


class Ticker:
    """Progress over all rows of a document, with a cancellation check now and then."""

    def __init__(self, total: int, progress: Progress | None, is_cancelled: IsCancelled | None):
        self.total, self.done = total + 1, 0
        self.progress, self.is_cancelled = progress, is_cancelled

    def __call__(self) -> None:
        self.done += 1
        if self.done % _REPORT_EVERY == 0:
            check_cancelled(self.is_cancelled)
            report(self.progress, self.done, self.total)

    def finish(self) -> None:
        report(self.progress, self.total, self.total)


def _ticker(filled: FilledForm, progress, is_cancelled) -> Ticker:
    return Ticker(sum(len(filled.rows_of(s)) for s in sections_to_print(filled)),
                  progress, is_cancelled)


# --- PDF -------------------------------------------------------------------------------------

LANDSCAPE_PAGE = pdf_layout.PdfPage(landscape(A4), 15 * mm, 15 * mm, 20 * mm, 18 * mm,
                             footer_y=8 * mm, mark_below_top=10 * mm)


def pdf_page(layout: TableLayout) -> pdf_layout.PdfPage:
    """Wide tables on landscape A4; Annex 1 on the forms' own page (GB/T 9704 margins)."""
    return LANDSCAPE_PAGE if layout.landscape else pdf_layout.STANDARD_PAGE


@dataclass(frozen=True)
class _PdfTableStyles:
    cell: ParagraphStyle
    bold: ParagraphStyle
    centre: ParagraphStyle
    bold_centre: ParagraphStyle
    heading: ParagraphStyle


def _pdf_table_styles(size: float) -> _PdfTableStyles:
    st = pdf_layout.pdf_styles()
    cell = ParagraphStyle("td-county-cell", parent=st.cell, fontSize=size, leading=size * 1.3)
    bold = ParagraphStyle("td-county-bold", parent=cell, fontName=st.title_font)
    centre = ParagraphStyle("td-county-centre", parent=cell, alignment=1)
    bold_centre = ParagraphStyle("td-county-bold-centre", parent=bold, alignment=1)
    heading = ParagraphStyle("td-county-heading", parent=st.header_cell, fontSize=size,
                             leading=size * 1.3)
    return _PdfTableStyles(cell, bold, centre, bold_centre, heading)


def _cell_style(st: _PdfTableStyles, strong: bool, centred: bool) -> ParagraphStyle:
    if strong:
        return st.bold_centre if centred else st.bold
    return st.centre if centred else st.cell


@dataclass
class _TableParts:
    """A table's cells and style commands; row commands are kept per body row so that a
    long table can be cut into page-sized tables (reportlab splits one long table in
    quadratic time: 20,000 rows would take minutes)."""

    widths: list[float]
    header: list
    base: list  # commands for every chunk ((0, 1), (-1, -1) style ranges)
    rows: list[list] = field(default_factory=list)
    row_commands: list[list] = field(default_factory=list)  # (name, c0, c1, *args) per row
    spans: list = field(default_factory=list)  # whole-table commands (merges): no cutting

    def table(self, start: int = 0, end: int | None = None) -> Table:
        end = len(self.rows) if end is None else end
        commands = list(self.base)
        for r, row_commands in enumerate(self.row_commands[start:end], start=1):
            commands += [(name, (c0, r), (c1, r), *args) for name, c0, c1, *args in row_commands]
        if start == 0 and end == len(self.rows):
            commands += self.spans
        table = Table([self.header] + self.rows[start:end], colWidths=self.widths, repeatRows=1)
        table.setStyle(pdf_layout.table_style(commands))
        return table


def _table_parts(filled: FilledForm, section: Section, width: float, tick) -> _TableParts:
    """Cells are plain strings or ``pdf_flowables.PlainText`` (wraps at any character, so no cell
    overflows); the table's commands give strings their font, size and alignment."""
    layout = layout_of(filled.spec)
    size = layout.font_size
    st = _pdf_table_styles(size)
    columns = section.columns
    total = sum(weights(columns))
    widths = [width * w / total for w in weights(columns)]
    centred = [c.kind in ("number", "date") or c.key in layout.merge_columns for c in columns]
    base = [
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 1), (-1, -1), size * 1.3),
        ("GRID", (0, 0), (-1, -1), 0.6, pdf_layout.GRID),
        ("BACKGROUND", (0, 0), (-1, 0), pdf_layout.LABEL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    base += [("ALIGN", (i, 1), (i, -1), "CENTER") for i, c in enumerate(centred) if c]
    parts = _TableParts(widths, [pdf_flowables.para(c.label, st.heading) for c in columns], base)
    rows = filled.rows_of(section)
    for row in rows:
        strong = row.get(ROW_STYLE) in EMPHASISED
        commands = [("BACKGROUND", 0, -1, EMPHASIS_BG),
                    ("FONTNAME", 0, -1, pdf_layout.pdf_styles().title_font)] if strong else []
        line = []
        for c, column in enumerate(columns):
            style = _cell_style(st, strong, centred[c])
            line.append(pdf_flowables.fit(cell_text(column, row), style, widths[c]))
            if column.key == layout.colour_column and row.get(ROW_COLOUR) in TINTS:
                commands.append(("BACKGROUND", c, c, colors.HexColor("#" + TINTS[row[ROW_COLOUR]])))
            elif row.get(ROW_STYLE) == OF_WHOM and not centred[c]:
                commands.append(("LEFTPADDING", c, c, 2 + size))  # a sub-row
        parts.rows.append(line)
        parts.row_commands.append(commands)
        tick()
    for key in layout.merge_columns:
        index = next((i for i, c in enumerate(columns) if c.key == key), None)
        if index is not None:
            parts.spans += [("SPAN", (index, 1 + a), (index, 1 + b))
                            for a, b in merge_runs(rows, key)]
    if not rows:
        parts.rows.append([EMPTY] + [""] * (len(columns) - 1))
        parts.row_commands.append([("SPAN", 0, -1), ("ALIGN", 0, -1, "CENTER")])
    return parts


FIRST_PROBE = 40  # rows measured to fill the first page; later: twice the last page's rows


def page_cuts(parts: _TableParts, first_height: float, page_height: float) -> list[tuple[int, int]]:
    """(start, end) of the rows on each page, the heading repeated on each: reportlab measures
    a few rows at a time, so the cost grows linearly with the number of rows."""
    cuts, start, room, probe_rows = [], 0, first_height, FIRST_PROBE
    while start < len(parts.rows):
        end = min(len(parts.rows), start + probe_rows)
        probe = parts.table(start, end)
        probe.wrap(sum(parts.widths), 10 ** 6)
        heights = probe._rowHeights
        used, count = heights[0], 0
        for h in heights[1:]:
            if used + h > room:
                break
            used, count = used + h, count + 1
        if count == end - start and end < len(parts.rows):  # the page holds more: measure more
            probe_rows *= 2
            continue
        if count == 0 and room < page_height:  # not even one row left here: next page
            cuts.append((start, start))
            room = page_height
            continue
        count = max(count, 1)
        cuts.append((start, start + count))
        start, room, probe_rows = start + count, page_height, 2 * count + 4
    return cuts


def _height(flowables: list[Flowable], width: float, height: float) -> float:
    return sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


def _pdf_header(filled: FilledForm, width: float, landscape_page: bool) -> Table:
    """填报单位、填报人、日期、联系电话 in a borderless grid."""
    st = pdf_layout.pdf_styles()
    grid = header_grid(filled, landscape_page)
    columns = max(len(row) for row in grid)
    data = [[pdf_flowables.para(text, st.cell) if text else "" for text in row]
            + [""] * (columns - len(row)) for row in grid]
    commands = [("SPAN", (0, i), (-1, i)) for i, row in enumerate(grid) if len(row) == 1]
    commands += [("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    table = Table(data, colWidths=[width / columns] * columns, hAlign="LEFT")
    table.setStyle(pdf_layout.table_style(commands))
    return table


LONG_TABLE = 150  # rows from which a table is cut into pages here rather than by reportlab
FRAME_PADDING = 12  # SimpleDocTemplate's frame: 6 pt each side


def table_story(filled: FilledForm, page: pdf_layout.PdfPage, tick) -> list[Flowable]:
    layout = layout_of(filled.spec)
    st = pdf_layout.pdf_styles()
    width = page.text_width - FRAME_PADDING
    frame_height = page.size[1] - page.top - page.bottom - FRAME_PADDING
    title_style = ParagraphStyle("td-county-title", parent=st.title, fontSize=TABLE_TITLE_SIZE,
                                 leading=TABLE_TITLE_SIZE * 1.4)
    story: list[Flowable] = []
    if layout.annex_label:
        story.append(pdf_flowables.para(layout.annex_label, ParagraphStyle(
            "td-county-annex", parent=st.heading, spaceBefore=0)))
    title = display_title(filled)
    if filled.demo and stringWidth(title, title_style.fontName, TABLE_TITLE_SIZE) > width:
        title = f"{filled.spec.title}\n{DEMO_SUFFIX}"  # never split the mark across lines
    story += [pdf_flowables.BoldTitle(title, title_style, st.synthetic_bold),
              _pdf_header(filled, width, layout.landscape), Spacer(1, 2 * mm)]
    page_start = 0  # index in story of the first flowable on the current page
    sections = sections_to_print(filled)
    for number, section in enumerate(sections):
        parts = _table_parts(filled, section, width, tick)
        long = len(parts.rows) >= LONG_TABLE and not parts.spans
        if long and number > 0:  # a long list starts on a page of its own
            story.append(PageBreak())
            page_start = len(story)
        story += [pdf_flowables.para(filled.fill(t), st.cell) for t in section.text]
        if len(sections) > 1:
            story.append(pdf_flowables.para(section.title, st.heading))
        if not long:
            story += [parts.table(), Spacer(1, 3 * mm)]
            continue
        used = _height(story[page_start:], width, frame_height) + 2
        cuts = page_cuts(parts, frame_height - used, frame_height - 2)
        for i, (start, end) in enumerate(cuts):
            if end > start:
                story.append(parts.table(start, end))
            if i < len(cuts) - 1:
                story.append(PageBreak())
        story.append(Spacer(1, 3 * mm))
        page_start = len(story) - 1
    if filled.spec.copies_note:
        story.append(pdf_flowables.para(filled.spec.copies_note, st.cell))
    return story


def render_table_pdf(filled: FilledForm, path, progress: Progress | None = None,
                     is_cancelled: IsCancelled | None = None) -> Path:
    """A county table as PDF (A4; landscape for wide tables), written atomically."""
    check_cancelled(is_cancelled)
    page = pdf_page(layout_of(filled.spec))
    tick = _ticker(filled, progress, is_cancelled)
    story = table_story(filled, page, tick)
    target = pdf_document.build_pdf(path, story, title=display_title(filled), demo=filled.demo,
                           is_cancelled=is_cancelled, page=page)
    tick.finish()
    return target


# --- Word ------------------------------------------------------------------------------------

LANDSCAPE_WORD_PAGE = word_document.WordPage(297, 210, top=20, bottom=18, left=15, right=15,
                                    header=12.7, footer=12.7)


def word_page(layout: TableLayout) -> word_document.WordPage:
    return LANDSCAPE_WORD_PAGE if layout.landscape else word_document.STANDARD_PAGE


def _narrow_cell_margins(table, dxa: int = 57) -> None:
    """1 mm instead of Word's 1.9 mm each side: wide tables keep their width for text."""
    word_blocks.set_cell_margins(table, dxa)


def _text_run(text: str, bold: bool):
    """A <w:r> holding ``text`` (line breaks as <w:br/>), built with plain lxml: python-docx's
    run API costs about a millisecond a cell, minutes for 20,000 rows."""
    run = etree.Element(qn("w:r"))
    if bold:
        etree.SubElement(etree.SubElement(run, qn("w:rPr")), qn("w:b"))
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(run, qn("w:br"))
        t = etree.SubElement(run, qn("w:t"))
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _fill_row(tr, texts: list[str], strong: bool, centred: list[bool],
              tints: list[str | None]) -> None:
    for tc, text, centre, tint in zip(tr.findall(qn("w:tc")), texts, centred, tints, strict=True):
        p = tc.find(qn("w:p"))
        if centre:
            jc = etree.SubElement(etree.SubElement(p, qn("w:pPr")), qn("w:jc"))
            jc.set(qn("w:val"), "center")
        if text:
            p.append(_text_run(text, strong))
        if tint:
            word_blocks.shade_tc(tc, tint)


def _word_table(document, filled: FilledForm, section: Section, width_mm: float, tick) -> None:
    """Heading row and one template row through python-docx; the data rows are copies of
    the template filled with lxml (linear and fast for 20,000 rows)."""
    layout = layout_of(filled.spec)
    columns = section.columns
    rows = filled.rows_of(section)
    table = document.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_cell_margins(table)
    table.autofit = False
    total = sum(weights(columns))
    widths = [Mm(width_mm * w / total) for w in weights(columns)]
    for i, column in enumerate(table.columns):
        column.width = widths[i]  # the grid: what LibreOffice and WPS lay out by
    heading, template = table.rows
    for row in (heading, template):
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]  # the cells: what Word lays out by
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    for i, column in enumerate(columns):
        word_blocks.write_cell(heading.cells[i], column.label, layout.font_size, bold=True,
                               centre=True)
        word_blocks.shade(heading.cells[i])
    word_blocks.mark_header_row(heading)
    tbl, template_tr = table._tbl, template._tr
    centred = [c.kind in ("number", "date") or c.key in layout.merge_columns for c in columns]
    for row in rows:
        tr = deepcopy(template_tr)
        tints = [TINTS.get(row.get(ROW_COLOUR)) if c.key == layout.colour_column else None
                 for c in columns]
        _fill_row(tr, [cell_text(c, row) for c in columns], row.get(ROW_STYLE) in EMPHASISED,
                  centred, tints)
        tbl.append(tr)
        tick()
    if rows:
        tbl.remove(template_tr)
    else:
        first = template.cells[0]
        word_blocks.write_cell(first, EMPTY, layout.font_size, centre=True)
        first.merge(template.cells[-1])
    _merge_word_runs(table, rows, columns, layout)


def _merge_word_runs(table, rows: list[dict], columns, layout: TableLayout) -> None:
    for key in layout.merge_columns:
        index = next((i for i, c in enumerate(columns) if c.key == key), None)
        if index is None:
            continue
        for a, b in merge_runs(rows, key):
            top = table.cell(1 + a, index)
            for r in range(a + 1, b + 1):  # keep one copy of the repeated text
                for p in table.cell(1 + r, index).paragraphs:
                    for run in list(p.runs):
                        run._r.getparent().remove(run._r)
            top.merge(table.cell(1 + b, index))


def _word_header(document, filled: FilledForm, layout: TableLayout, width_mm: float) -> None:
    """The header in a borderless table, like the PDF; a full-width field spans its row."""
    grid = header_grid(filled, layout.landscape)
    columns = max(len(row) for row in grid)
    table = document.add_table(rows=len(grid), cols=columns)
    table.autofit = False
    for column in table.columns:
        column.width = Mm(width_mm / columns)
    for r, row in enumerate(grid):
        cells = table.rows[r].cells
        for i, text in enumerate(row):
            cells[i].width = Mm(width_mm / columns)
            if text:
                word_blocks.write_cell(cells[i], text, layout.font_size)
        if len(row) == 1 and columns > 1:
            cells[0].merge(cells[-1])
    document.add_paragraph()


def build_document(filled: FilledForm, tick):
    layout = layout_of(filled.spec)
    page = word_page(layout)
    document = word_document.new_document(filled.demo, display_title(filled), page)
    # digits and Latin letters in the Chinese face too, as in the PDF: an ID number or a date
    # then takes the width its column was made for, with or without Times New Roman
    word_document.set_style_font(document.styles["Normal"], WORD_BODY_FONT, layout.font_size,
                                 latin=WORD_BODY_FONT)
    add_word_part(document, filled, page, tick)
    return document


def add_word_part(document, filled: FilledForm, page: word_document.WordPage, tick) -> None:
    """One table with its label, title, header, wording and note at the end of ``document``."""
    layout = layout_of(filled.spec)
    title = display_title(filled)
    if layout.annex_label:
        word_document.add_text(document.add_paragraph(), layout.annex_label, WORD_TITLE_FONT, 14)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_after = Pt(6)
    word_document.add_text(heading, title, WORD_TITLE_FONT, TABLE_TITLE_SIZE, bold=True)
    _word_header(document, filled, layout, page.text_width)
    sections = sections_to_print(filled)
    for section in sections:
        for text in section.text:
            document.add_paragraph(filled.fill(text))
        if len(sections) > 1:
            word_document.add_text(document.add_paragraph(), section.title, size=12, bold=True)
        _word_table(document, filled, section, page.text_width, tick)
    if filled.spec.copies_note:
        document.add_paragraph(filled.spec.copies_note)


def render_table_docx(filled: FilledForm, path, progress: Progress | None = None,
                      is_cancelled: IsCancelled | None = None) -> Path:
    """A county table as a Word document (A4; landscape for wide tables), written atomically."""
    check_cancelled(is_cancelled)
    tick = _ticker(filled, progress, is_cancelled)
    document = build_document(filled, tick)
    check_cancelled(is_cancelled)
    target = word_document.save_docx(document, path)
    tick.finish()
    return target


# --- a book: the 汇总 and a part per township -------------------------------------------------

def _book_ticker(book, progress, is_cancelled) -> Ticker:
    return Ticker(sum(len(f.rows_of(s)) for _n, f in book.forms() for s in sections_to_print(f)),
                  progress, is_cancelled)


def _book_layout(book) -> TableLayout:
    """The townships' layout; the 汇总 is printed on the same page shape."""
    return layout_of(book.parts[0][1].spec if book.parts else book.summary.spec)


def render_book_pdf(book, path, progress: Progress | None = None,
                    is_cancelled: IsCancelled | None = None) -> Path:
    """A ``forms.county_tables.TableBook`` as one PDF: the 汇总, then each township from a new
    page."""
    check_cancelled(is_cancelled)
    page = pdf_page(_book_layout(book))
    tick = _book_ticker(book, progress, is_cancelled)
    story: list[Flowable] = []
    for number, (_name, filled) in enumerate(book.forms()):
        if number:
            story.append(PageBreak())
        story += table_story(filled, page, tick)
    target = pdf_document.build_pdf(path, story, title=book.title, demo=book.demo,
                                    is_cancelled=is_cancelled, page=page)
    tick.finish()
    return target


def render_book_docx(book, path, progress: Progress | None = None,
                     is_cancelled: IsCancelled | None = None) -> Path:
    """A ``TableBook`` as one Word document: the 汇总, then each township from a new page."""
    check_cancelled(is_cancelled)
    layout = _book_layout(book)
    page = word_page(layout)
    tick = _book_ticker(book, progress, is_cancelled)
    document = word_document.new_document(book.demo, book.title, page)
    word_document.set_style_font(document.styles["Normal"], WORD_BODY_FONT, layout.font_size,
                                 latin=WORD_BODY_FONT)
    for number, (_name, filled) in enumerate(book.forms()):
        if number:
            document.add_page_break()
        add_word_part(document, filled, page, tick)
    check_cancelled(is_cancelled)
    target = word_document.save_docx(document, path)
    tick.finish()
    return target


# --- any format ------------------------------------------------------------------------------

def render_table(filled, path, fmt: str, progress: Progress | None = None,
                 is_cancelled: IsCancelled | None = None) -> Path:
    """Write ``filled`` (a ``FilledForm`` or a ``TableBook``) as xlsx, docx or pdf; ValueError
    (Chinese) for another format."""
    kind = "book" if isinstance(filled, TableBook) else "table"
    return renderer(kind, fmt)(filled, path, progress, is_cancelled)
