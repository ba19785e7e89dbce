"""Paper forms as Word documents (python-docx), walking the ``forms.spec`` definitions.

A4 on every section, margins after GB/T 9704 (top 37 mm, left 28 mm, text block 156 mm
wide), East Asian fonts set on styles and runs (仿宋 body, 宋体 bold title), footer
"第 x 页 共 y 页" from PAGE/NUMPAGES fields, "演示数据" in the header of demo documents.

Reuse (county tables etc.): ``new_document(demo)`` gives a prepared Document,
``add_form(doc, filled)`` writes one form into it, ``set_run_font``/``add_title``/
``add_grid_table`` style your own content the same way, ``save_docx(doc, path)`` writes
atomically.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from exports.atomic import IsCancelled, Progress, atomic_path, check_cancelled, report
from exports.fonts import WORD_BODY_FONT, WORD_LATIN_FONT, WORD_TITLE_FONT
from forms.spec import ROW_UNITS, Field, FilledForm, Section, format_value, pack_rows

TOP_MARGIN, LEFT_MARGIN = Mm(37), Mm(28)
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225
RIGHT_MARGIN = Mm(210 - 28 - TEXT_WIDTH_MM)
BOTTOM_MARGIN = Mm(297 - 37 - TEXT_HEIGHT_MM)

TITLE_SIZE, HEADING_SIZE, BODY_SIZE, CELL_SIZE, FOOTER_SIZE = 22, 14, 14, 10.5, 10.5
GRID_COLUMNS = 2 * ROW_UNITS
UNIT_MM = TEXT_WIDTH_MM / GRID_COLUMNS
LABEL_FILL = "EDEDED"
BLANK_LINE_MM = 9
BOX = "□"
DEMO_MARK = "演示数据（虚构信息，不得作为正式档案）"
BLANK_DATE = "\u00a0" * 8 + "年" + "\u00a0" * 5 + "月" + "\u00a0" * 5 + "日"


# --- fonts and styles --------------------------------------------------------------------

def _set_fonts(rpr, east_asia: str, latin: str = WORD_LATIN_FONT) -> None:
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def set_style_font(style, east_asia: str, size: float, bold: bool = False) -> None:
    style.font.name = WORD_LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), east_asia)


def set_run_font(run, east_asia: str = WORD_BODY_FONT, size: float | None = None,
                 bold: bool | None = None):
    run.font.name = WORD_LATIN_FONT
    _set_fonts(run._element.get_or_add_rPr(), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    return run


def _prepare_styles(doc: DocumentType) -> None:
    set_style_font(doc.styles["Normal"], WORD_BODY_FONT, BODY_SIZE)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(0)
    normal.space_before = Pt(0)
    title = doc.styles["Heading 1"]
    set_style_font(title, WORD_TITLE_FONT, TITLE_SIZE, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(12)
    heading = doc.styles["Heading 2"]
    set_style_font(heading, WORD_TITLE_FONT, HEADING_SIZE, bold=True)
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.space_after = Pt(4)
    for name in ("Header", "Footer"):
        set_style_font(doc.styles[name], WORD_BODY_FONT, FOOTER_SIZE)


# --- page setup ---------------------------------------------------------------------------

def add_field(paragraph, instruction: str, cached: str = "1"):
    """A complex field (PAGE, NUMPAGES, PAGEREF …) with a cached result Word refreshes."""
    def char(kind: str):
        run = paragraph.add_run()
        set_run_font(run)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    set_run_font(run)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._element.append(text)
    char("separate")
    set_run_font(paragraph.add_run(cached))
    char("end")


def setup_section(section, demo: bool = False) -> None:
    """A4 portrait, standard margins, page-number footer, demo header."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = TOP_MARGIN, BOTTOM_MARGIN
    section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN
    section.header_distance, section.footer_distance = Mm(15), Mm(18)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.text = ""
    set_run_font(footer.add_run("第 "))
    add_field(footer, "PAGE")
    set_run_font(footer.add_run(" 页 共 "))
    add_field(footer, "NUMPAGES")
    set_run_font(footer.add_run(" 页"))
    header = section.header.paragraphs[0]
    header.text = ""
    if demo:
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = set_run_font(header.add_run(DEMO_MARK), size=FOOTER_SIZE)
        run.font.color.rgb = RGBColor(0xBF, 0x1A, 0x1A)


def new_document(demo: bool = False, title: str = "") -> DocumentType:
    doc = Document()
    _prepare_styles(doc)
    doc.core_properties.title = title
    doc.core_properties.author = "童档"
    for section in doc.sections:
        setup_section(section, demo)
    return doc


def save_docx(doc: DocumentType, path) -> Path:
    target = Path(path)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
    return target


# --- building blocks ----------------------------------------------------------------------

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
    paragraph = doc.add_paragraph(style="Heading 1")
    paragraph.paragraph_format.page_break_before = new_page
    set_run_font(paragraph.add_run(text), WORD_TITLE_FONT, TITLE_SIZE, bold=True)
    if bookmark:
        add_bookmark(paragraph, bookmark)
    if subtitle:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(sub.add_run(subtitle), size=12)
    return paragraph


def add_heading(doc: DocumentType, text: str):
    paragraph = doc.add_paragraph(style="Heading 2")
    set_run_font(paragraph.add_run(text), WORD_TITLE_FONT, HEADING_SIZE, bold=True)
    return paragraph


def add_body(doc: DocumentType, text: str, size: float = BODY_SIZE, indent: bool = True):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.line_spacing = 1.5
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    set_run_font(paragraph.add_run(text), size=size)
    return paragraph


def page_break(doc: DocumentType):
    paragraph = doc.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    return paragraph


def shade(cell, fill: str = LABEL_FILL) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def write_cell(cell, text: str, size: float = CELL_SIZE, bold: bool = False,
               centre: bool = False, font: str = WORD_BODY_FONT) -> None:
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, line in enumerate((text or "").split("\n")):
        if n:
            paragraph = cell.add_paragraph()
        set_run_font(paragraph.add_run(line), font, size, bold=bold or None)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _mark_header_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def add_grid_table(doc: DocumentType, widths_mm: list[float], header: list[str] | None = None,
                   rows: list[list[str]] = (), blank_rows: int = 0,
                   blank_height_mm: float = 12):
    """A bordered table with a shaded, repeating header row; returns the docx table."""
    table = doc.add_table(rows=0, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header):
            write_cell(cell, text, bold=True, centre=True, font=WORD_TITLE_FONT)
            shade(cell)
        _mark_header_row(table.rows[0])
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            write_cell(cell, text)
    for _ in range(blank_rows):
        row = table.add_row()
        row.height = Mm(blank_height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _set_widths(table, widths_mm)
    return table


def _set_widths(table, widths_mm: list[float]) -> None:
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


# --- one form -----------------------------------------------------------------------------

def label_columns(f: Field, span: int) -> int:
    if span <= 2:
        return span
    needed = -(-(len(f.label) * CELL_SIZE * 0.3528 + 3) // UNIT_MM)  # chars × mm per char
    return int(max(2, min(needed, span)))


def blank_text(f: Field, width_mm: float) -> str:
    """Tick boxes for short lists, a date frame, else empty for handwriting."""
    if f.kind == "bool":
        return f"{BOX}是\u00a0\u00a0\u00a0\u00a0{BOX}否"
    if f.kind == "date":
        return BLANK_DATE
    if f.kind in ("choice", "multichoice"):
        text = "\u00a0\u00a0".join(f"{BOX}{c}" for c in f.choices)
        chars_per_line = width_mm / (CELL_SIZE * 0.3528)
        if len(text) <= 1.8 * chars_per_line:
            return text
    return ""


def _fields_table(doc: DocumentType, filled: FilledForm, section: Section) -> None:
    table = doc.add_table(rows=0, cols=GRID_COLUMNS)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for fields in pack_rows(section.fields):
        row = table.add_row()
        cells = row.cells
        col = 0
        lines = 1
        for f, span in fields:
            label_cols = label_columns(f, span)
            value_cols = 2 * span - label_cols
            label = cells[col].merge(cells[col + label_cols - 1]) if label_cols > 1 else cells[col]
            value_end = col + label_cols + value_cols - 1
            value = cells[col + label_cols].merge(cells[value_end]) \
                if value_cols > 1 else cells[col + label_cols]
            write_cell(label, f.label, centre=True)
            shade(label)
            if filled.is_blank:
                write_cell(value, blank_text(f, value_cols * UNIT_MM))
                lines = max(lines, f.blank_lines)
            else:
                write_cell(value, filled.text_of(f))
            col += 2 * span
        row.height = Mm(max(8, lines * BLANK_LINE_MM if filled.is_blank else 8))
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _set_widths(table, [UNIT_MM] * GRID_COLUMNS)


def _signatures(doc: DocumentType, filled: FilledForm, section: Section) -> None:
    for fields in pack_rows(section.fields):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(14)
        for n, (f, span) in enumerate(fields):
            value = "" if filled.is_blank else filled.text_of(f)
            if not value:
                value = BLANK_DATE if f.kind == "date" else "\u00a0" * (6 * span)
            if n:
                set_run_font(paragraph.add_run("\u00a0\u00a0\u00a0\u00a0"), size=12)
            set_run_font(paragraph.add_run(f"{f.label}："), size=12)
            run = set_run_font(paragraph.add_run(f"\u00a0{value}\u00a0"), size=12)
            run.underline = True
        if fields[0][0].kind == "multiline" and filled.is_blank:
            for _ in range(fields[0][0].blank_lines):
                line = doc.add_paragraph()
                line.paragraph_format.space_before = Pt(14)
                set_run_font(line.add_run("\u00a0" * 80), size=12).underline = True


def _table_section(doc: DocumentType, filled: FilledForm, section: Section) -> None:
    weights = [c.width or 1 for c in section.columns]
    widths = [TEXT_WIDTH_MM * w / sum(weights) for w in weights]
    rows = [] if filled.is_blank else [
        [format_value(c, row.get(c.key)) for c in section.columns] for row in filled.rows_of(section)
    ]
    blank = section.blank_rows if filled.is_blank else (0 if rows else 1)
    add_grid_table(doc, widths, [c.label for c in section.columns], rows, blank)


def add_form(doc: DocumentType, filled: FilledForm, new_page: bool = False,
             bookmark: str | None = None) -> None:
    """Write one filled (or blank) form at the end of ``doc``.

    ``new_page`` starts it on a new page; ``bookmark`` names its title for PAGEREF fields.
    """
    spec = filled.spec
    add_title(doc, spec.title, spec.subtitle, new_page=new_page, bookmark=bookmark)
    for section in spec.sections:
        if section.title not in (spec.title, "签名"):
            add_heading(doc, section.title)
        for template in section.text:
            add_body(doc, filled.fill(template))
        if section.kind == "fields":
            _fields_table(doc, filled, section)
        elif section.kind == "signatures":
            _signatures(doc, filled, section)
        elif section.kind == "table":
            _table_section(doc, filled, section)
    if spec.copies_note:
        paragraph = add_body(doc, spec.copies_note, size=12, indent=False)
        paragraph.paragraph_format.space_before = Pt(12)


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
