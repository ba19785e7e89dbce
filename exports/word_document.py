"""The Word document (python-docx): its page, fonts and styles, footer and demo mark.

A4 on every section, margins after GB/T 9704 (top 37 mm, left 28 mm, text block 156 mm
wide), East Asian fonts set on styles and runs (the scheme of ``exports.fonts``: 宋体 for
form text, 仿宋 for a document's wording, 黑体 for titles), footer
"第 x 页 共 y 页" from PAGE/NUMPAGES fields, "演示数据" in the header of demo documents.

``new_document(demo)`` gives a prepared Document (on the standard page or another
``WordPage``: the wide county tables); ``set_run_font``/``add_text`` style your own content
the same way; ``save_docx(doc, path)`` writes atomically.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run

from exports.atomic import atomic_path
from exports.fonts import WORD_BODY_FONT, WORD_LATIN_FONT, WORD_TITLE_FONT
from forms.spec import ROW_UNITS

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


def text_width_mm(text: str, size: float) -> float:
    """How wide Word or LibreOffice sets ``text`` on one line, in a Chinese face for all of it
    (its Latin font set to the East Asian one): a Chinese character or full-width mark is one
    em, a digit or Latin letter at most 0.56 em (the faces' digits: SimSun and AR PL UMing 0.5,
    WenQuanYi Micro Hei 0.551), a hyphen 0.34 em, and a quarter em where Chinese meets Latin
    (Word and LibreOffice space Asian text from numbers: LibreOffice 7.4 adds 0.21 em and does
    not read w:autoSpaceDE="0")."""
    em = size * 25.4 / 72
    wide = sum(1 for ch in text if not ch.isascii())
    hyphens = text.count("-")
    narrow = len(text) - wide - hyphens
    meets = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii())
    return em * (wide + 0.56 * narrow + 0.34 * hyphens + 0.25 * meets)


# --- fonts and styles --------------------------------------------------------------------

def _set_fonts(rpr, east_asia: str, latin: str = WORD_LATIN_FONT) -> None:
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def set_style_font(style, east_asia: str, size: float, bold: bool = False,
                   latin: str = WORD_LATIN_FONT) -> None:
    style.font.name = latin
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), east_asia, latin)


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
             bold: bool = False, underline: bool = False, colour: str | None = None,
             latin: str = WORD_LATIN_FONT) -> Run:
    """Append a run with its fonts set, built directly in XML (python-docx's property
    setters made big documents slow). Child order follows the schema's rPr sequence.
    ``latin`` is the face of digits and Latin letters (Times New Roman unless given)."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
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
