"""Paper forms as Word documents (python-docx), walking the ``forms.spec`` definitions.

A4 on every section, margins after GB/T 9704 (top 37 mm, left 28 mm, text block 156 mm
wide), East Asian fonts set on styles and runs (the scheme of ``exports.fonts``: 宋体 for
form text, 仿宋 for a document's wording, 黑体 for titles), footer
"第 x 页 共 y 页" from PAGE/NUMPAGES fields, "演示数据" in the header of demo documents.

Reuse (county tables etc.): ``new_document(demo)`` gives a prepared Document (on the
standard page or another ``WordPage``: the wide county tables), ``add_form(doc, filled)``
writes one form into it, ``set_run_font``/``add_text``/``add_title``/``write_cell``/
``shade``/``mark_header_row``/``add_grid_table`` style your own content the same way,
``save_docx(doc, path)`` writes atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.run import Run

from exports.atomic import IsCancelled, Progress, atomic_path, check_cancelled, report
from exports.fonts import WORD_BODY_FONT, WORD_LATIN_FONT, WORD_PROSE_FONT, WORD_TITLE_FONT
from forms.spec import ROW_UNITS, Field, FilledForm, Section, format_value, pack_rows

TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156, 225

TITLE_SIZE, HEADING_SIZE, BODY_SIZE, CELL_SIZE, FOOTER_SIZE = 22, 14, 14, 10.5, 10.5
GRID_COLUMNS = 2 * ROW_UNITS
UNIT_MM = TEXT_WIDTH_MM / GRID_COLUMNS
LABEL_FILL = "EDEDED"
BLANK_LINE_MM = 9
BOX = "□"
DEMO_MARK = "演示数据（虚构信息，不得作为正式档案）"
BLANK_DATE = "\u00a0" * 8 + "年" + "\u00a0" * 5 + "月" + "\u00a0" * 5 + "日"


@dataclass(frozen=True)
class WordPage:
    """A section's paper, margins and header/footer distances, in millimetres."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    header: float = 15
    footer: float = 18

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right


STANDARD_PAGE = WordPage(210, 297, 37, 297 - 37 - TEXT_HEIGHT_MM, 28, 210 - 28 - TEXT_WIDTH_MM)


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
    title.paragraph_format.keep_with_next = True
    heading = doc.styles["Heading 2"]
    set_style_font(heading, WORD_TITLE_FONT, HEADING_SIZE, bold=True)
    heading.paragraph_format.space_before = Pt(4)
    heading.paragraph_format.space_after = Pt(2)
    heading.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        set_style_font(doc.styles[name], WORD_BODY_FONT, FOOTER_SIZE)


def add_text(paragraph, text: str | None, east_asia: str = WORD_BODY_FONT, size: float | None = None,
             bold: bool = False, underline: bool = False, colour: str | None = None) -> Run:
    """Append a run with its fonts set, built directly in XML (python-docx's property
    setters made big documents slow). Child order follows the schema's rPr sequence."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), WORD_LATIN_FONT)
    fonts.set(qn("w:hAnsi"), WORD_LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
        rpr.append(OxmlElement("w:bCs"))
    if colour:
        color = OxmlElement("w:color")
        color.set(qn("w:val"), colour)
        rpr.append(color)
    if size is not None:
        half_points = str(round(size * 2))
        for tag in ("w:sz", "w:szCs"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), half_points)
            rpr.append(element)
    if underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.append(u)
    r.append(rpr)
    if text is not None:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        r.append(t)
    paragraph._p.append(r)
    return Run(r, paragraph)


def styled_paragraph(doc: DocumentType, style_id: str):
    """A paragraph with a style given by id ("Heading1"): looking styles up by name walks
    every style of the document each time."""
    paragraph = doc.add_paragraph()
    paragraph._p.style = style_id
    return paragraph


# --- page setup ---------------------------------------------------------------------------

def add_field(paragraph, instruction: str, cached: str = "1", size: float | None = None):
    """A complex field (PAGE, NUMPAGES, PAGEREF …) with a cached result Word refreshes."""
    def char(kind: str):
        run = add_text(paragraph, None, size=size)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
        return run

    char("begin")
    run = add_text(paragraph, None, size=size)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._element.append(text)
    char("separate")
    add_text(paragraph, cached, size=size)
    char("end")


def setup_section(section, demo: bool = False, page: WordPage = STANDARD_PAGE) -> None:
    """A4 portrait with the standard margins (or ``page``), page-number footer, demo header."""
    landscape = page.width > page.height
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    section.header_distance, section.footer_distance = Mm(page.header), Mm(page.footer)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.text = ""
    add_text(footer, "第 ", size=FOOTER_SIZE)
    add_field(footer, "PAGE", size=FOOTER_SIZE)
    add_text(footer, " 页 共 ", size=FOOTER_SIZE)
    add_field(footer, "NUMPAGES", size=FOOTER_SIZE)
    add_text(footer, " 页", size=FOOTER_SIZE)
    header = section.header.paragraphs[0]
    header.text = ""
    if demo:
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text(header, DEMO_MARK, size=FOOTER_SIZE, colour="BF1A1A")


def new_document(demo: bool = False, title: str = "",
                 page: WordPage = STANDARD_PAGE) -> DocumentType:
    doc = Document()
    _prepare_styles(doc)
    doc.core_properties.title = title
    doc.core_properties.author = "童档"
    for section in doc.sections:
        setup_section(section, demo, page)
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
               centre: bool = False, font: str = WORD_BODY_FONT) -> None:
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, line in enumerate((text or "").split("\n")):
        if n:
            paragraph = cell.add_paragraph()
        add_text(paragraph, line, font, size, bold=bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


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


def _new_table(doc: DocumentType, widths_mm: list[float]):
    table = doc.add_table(rows=0, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
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
    table = _new_table(doc, widths_mm)
    layout = [(w, 1) for w in widths_mm]
    if header:
        for cell, text in zip(add_row(table, layout), header):
            write_cell(cell, text, bold=True, centre=True, font=WORD_TITLE_FONT)
            shade(cell)
        mark_header_row(last_row(table))
    for values in rows:
        for cell, text in zip(add_row(table, layout), values):
            write_cell(cell, text)
    for _ in range(blank_rows):
        add_row(table, layout)
        row = last_row(table)
        row.height = Mm(blank_height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return table


# --- one form -----------------------------------------------------------------------------

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
    table = _new_table(doc, [UNIT_MM] * GRID_COLUMNS)
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
        row.height = Mm(max(8, lines * BLANK_LINE_MM if filled.is_blank else 8))
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
