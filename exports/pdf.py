"""Paper forms as PDF (reportlab platypus), walking the ``forms.spec`` definitions.

Layout after GB/T 9704—2012: A4, top margin 37 mm, binding margin 28 mm, text block
156 × 225 mm. Footer "第 x 页 共 y 页"; "演示数据" in the header of every page of demo data.

Reuse (county tables etc.): ``pdf_styles()`` gives the paragraph styles, ``form_story(filled)``
the flowables of one form, ``build_pdf(path, story, ...)`` writes any story with this page
layout (or another ``PdfPage``: the wide county tables), atomically, with progress and
cancellation; ``PageDecor`` draws the footer and the demo mark on every page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph

from exports.atomic import (
    IsCancelled,
    Progress,
    atomic_path,
    check_cancelled,
    report,
)
from exports import linebreak
from exports.fonts import register_fonts
from forms.spec import (
    ROW_UNITS,
    Field,
    FilledForm,
    Section,
    format_value,
    pack_rows,
    parse_date,
)

# Binary streams: ASCII85 only inflates the embedded font by a quarter and costs time.
rl_config.useA85 = 0

# reportlab's list of characters that may not start a line lacks the full-width Chinese
# punctuation, so a wrapped line could begin with "，". Add the missing ones (idempotent).
_CANNOT_START = "，；：？！”’》〉．"
for _module in (textsplit, rl_paragraph):
    _module.ALL_CANNOT_START += "".join(
        ch for ch in _CANNOT_START if ch not in _module.ALL_CANNOT_START)

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
RIGHT_MARGIN = PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - TEXT_HEIGHT

TITLE_SIZE = 22  # 2号
HEADING_SIZE = 14  # 4号
BODY_SIZE = 14  # 4号: the agreement's wording
CELL_SIZE = 11  # form grids
FOOTER_SIZE = 10.5  # 5号
CELL_PAD = 3

UNIT = TEXT_WIDTH / (2 * ROW_UNITS)  # a grid column: each field unit is two of them
BLANK_LINE = 9 * mm  # handwriting height per line on blank forms
LABEL_BG = colors.Color(0.93, 0.93, 0.93)
GRID = colors.Color(0.25, 0.25, 0.25)
DEMO_MARK = "演示数据（虚构信息，不得作为正式档案）"

BOX = "□"
NBSP = "\u00a0"
BLANK_DATE = f"{NBSP * 10}年{NBSP * 6}月{NBSP * 6}日"  # paragraphs collapse ordinary spaces


@dataclass(frozen=True)
class PdfPage:
    """A page's size and margins, and where its footer and demo mark are drawn."""

    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    footer_y: float  # baseline of "第 x 页 共 y 页", from the bottom edge
    mark_below_top: float  # baseline of the demo mark, from the top edge

    @property
    def text_width(self) -> float:
        return self.size[0] - self.left - self.right


STANDARD_PAGE = PdfPage(A4, LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN, BOTTOM_MARGIN,
                        footer_y=BOTTOM_MARGIN - 14 * mm, mark_below_top=18 * mm)


@dataclass(frozen=True)
class PdfStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    label: ParagraphStyle
    header_cell: ParagraphStyle
    note: ParagraphStyle
    font: str
    title_font: str
    synthetic_bold: bool


@lru_cache(maxsize=1)
def pdf_styles() -> PdfStyles:
    fonts = register_fonts()
    base = {"fontName": fonts.body, "wordWrap": "CJK"}
    return PdfStyles(
        title=ParagraphStyle("td-title", fontName=fonts.title, fontSize=TITLE_SIZE,
                             leading=TITLE_SIZE * 1.4, alignment=TA_CENTER, wordWrap="CJK"),
        subtitle=ParagraphStyle("td-subtitle", fontSize=12, leading=18, alignment=TA_CENTER,
                                spaceAfter=4, **base),
        heading=ParagraphStyle("td-heading", fontName=fonts.title, fontSize=HEADING_SIZE,
                               leading=HEADING_SIZE * 1.3, spaceBefore=4, spaceAfter=2,
                               wordWrap="CJK"),
        body=ParagraphStyle("td-body", fontName=fonts.prose, fontSize=BODY_SIZE,
                            leading=BODY_SIZE * 1.65, firstLineIndent=2 * BODY_SIZE,
                            alignment=TA_LEFT, wordWrap="CJK"),
        cell=ParagraphStyle("td-cell", fontSize=CELL_SIZE, leading=CELL_SIZE * 1.35, **base),
        label=ParagraphStyle("td-label", fontSize=CELL_SIZE, leading=CELL_SIZE * 1.35,
                             alignment=TA_CENTER, **base),
        header_cell=ParagraphStyle("td-header-cell", fontName=fonts.title, fontSize=CELL_SIZE,
                                   leading=CELL_SIZE * 1.35, alignment=TA_CENTER,
                                   wordWrap="CJK"),
        note=ParagraphStyle("td-note", fontSize=12, leading=18, spaceBefore=5, **base),
        font=fonts.body,
        title_font=fonts.title,
        synthetic_bold=fonts.synthetic_bold,
    )


def table_style(commands: list) -> TableStyle:
    """A TableStyle whose plain-string cells use the Chinese font (not Helvetica)."""
    font = pdf_styles().font
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.35),
        *commands,
    ])


def fit(text: str, style: ParagraphStyle, width: float):
    """A plain string when the text fits on one line of a cell ``width`` wide, else a paragraph.

    Table cells drawn from strings skip paragraph parsing and wrapping: most form cells are
    short, and this keeps a two-year dossier fast.
    """
    text = text or ""
    if "\n" not in text and BOX not in text and (
        stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PAD - 1
    ):
        return text
    return PlainText(text, style)


def cell_height(cell, width: float) -> float:
    if isinstance(cell, str):
        return CELL_SIZE * 1.35 + 2 * CELL_PAD + 2
    return cell.wrap(width - 2 * CELL_PAD, PAGE_HEIGHT)[1] + 2 * CELL_PAD + 2


def para(text: str, style: ParagraphStyle) -> Flowable:
    """A paragraph of plain text (line breaks kept), wrapped with the Chinese rules."""
    return PlainText(text, style)


# --- flowables ---------------------------------------------------------------------------

class BoldTitle(Flowable):
    """A centred title; stroked as well as filled when the face has no bold weight."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool):
        super().__init__()
        self.text, self.style, self.bold = text, style, bold
        self.lines: list[str] = []

    def wrap(self, avail_width, avail_height):
        self.lines = split_lines(self.text, self.style.fontName, self.style.fontSize,
                                 avail_width)
        self.width = avail_width
        self.height = self.style.leading * len(self.lines) + 4 * mm
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFont(self.style.fontName, self.style.fontSize)
        if self.bold:
            canv.setLineWidth(self.style.fontSize / 30)
        y = self.height - self.style.fontSize - 1 * mm
        for line in self.lines:
            text = canv.beginText()
            text.setTextRenderMode(2 if self.bold else 0)
            width = stringWidth(line, self.style.fontName, self.style.fontSize)
            text.setTextOrigin((self.width - width) / 2, y)
            text.textOut(line)
            canv.drawText(text)
            y -= self.style.leading
        canv.restoreState()


@lru_cache(maxsize=16384)
def _char_width(ch: str, font: str, size: float) -> float:
    return stringWidth(ch, font, size)


def _unit_width(unit: str, font: str, size: float) -> float:
    if len(unit) == 1:
        return _char_width(unit, font, size)
    return sum(_char_width(ch, font, size) for ch in unit)


@lru_cache(maxsize=8192)
def _split_cached(text: str, font: str, size: float, width: float,
                  first_width: float) -> tuple[str, ...]:
    return tuple(linebreak.split_lines(text, lambda u: _unit_width(u, font, size), width,
                                       first_width))


def split_lines(text: str, font: str, size: float, width: float,
                first_width: float | None = None) -> list[str]:
    """Break text into lines of at most ``width`` with the Chinese rules of
    ``exports.linebreak``: ID numbers, dates, numbers with units and Latin runs stay whole,
    closing punctuation never starts a line, opening brackets never end one, and no line is
    wider than ``width`` (so nothing is drawn outside its cell)."""
    return list(_split_cached(text, font, size, round(width, 2),
                              round(width if first_width is None else first_width, 2)))


class PlainText(Flowable):
    """Plain text wrapped with the Chinese rules: a much cheaper Paragraph.

    Honours the style's font, size, leading, alignment (left/centre), first-line indent and
    space before/after; splits across pages between lines.
    """

    def __init__(self, text: str, style: ParagraphStyle, continued: bool = False):
        super().__init__()
        self.text, self.style, self.continued = text, style, continued
        self.lines: list[str] = []
        self._wrapped_width = None

    def _indent(self) -> float:
        return 0.0 if self.continued else (self.style.firstLineIndent or 0.0)

    def wrap(self, avail_width, avail_height):
        st = self.style
        if self._wrapped_width != avail_width:
            self.lines = split_lines(self.text, st.fontName, st.fontSize, avail_width,
                                     avail_width - self._indent())
            self._wrapped_width = avail_width
        self.width = avail_width
        self.height = st.leading * len(self.lines)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fits = int((avail_height + 0.001) // self.style.leading)
        # no widow or orphan: at least two lines on each side of a page break
        fits = min(fits, len(self.lines) - 2)
        if fits < 2:
            return []
        head = PlainText("\n".join(self.lines[:fits]), self.style, self.continued)
        head.style = ParagraphStyle("td-split-head", parent=self.style, spaceAfter=0)
        tail = PlainText("\n".join(self.lines[fits:]), self.style, continued=True)
        tail.style = ParagraphStyle("td-split-tail", parent=self.style, spaceBefore=0,
                                    firstLineIndent=0)
        return [head, tail]

    def draw(self):
        st = self.style
        text = self.canv.beginText()
        text.setFont(st.fontName, st.fontSize, st.leading)
        y = self.height - st.fontSize
        boxes = []
        for n, line in enumerate(self.lines):
            x = self._indent() if n == 0 else 0.0
            if st.alignment == TA_CENTER:
                x = (self.width - stringWidth(line, st.fontName, st.fontSize)) / 2
            text.setTextOrigin(x, y)
            if BOX in line:  # tick boxes drawn as squares as tall as the characters
                for i, piece in enumerate(line.split(BOX)):
                    if i:  # the glyph stays in the text, invisible, for copy and search
                        boxes.append((x, y))
                        text.setTextRenderMode(3)
                        text.textOut(BOX)
                        text.setTextRenderMode(0)
                        x += stringWidth(BOX, st.fontName, st.fontSize)
                    text.textOut(piece)
                    x += stringWidth(piece, st.fontName, st.fontSize)
            else:
                text.textOut(line)
            y -= st.leading
        self.canv.drawText(text)
        if boxes:
            size = st.fontSize
            self.canv.saveState()
            self.canv.setLineWidth(0.7)
            for x, y in boxes:
                self.canv.rect(x + 0.03 * size, y - 0.1 * size, 0.86 * size, 0.86 * size)
            self.canv.restoreState()


class HeadingWithTable(Flowable):
    """A section heading kept with the first rows of its table, not with the whole table.

    ``KeepTogether`` moves a table taller than the room left to the next page and leaves
    most of a page empty (a long 抽查记录表). Here the table splits where the page ends (its
    header row repeats); only when fewer than ``MIN_ROWS`` rows would fit under the heading
    do heading and table start the next page together.
    """

    MIN_ROWS = 2

    def __init__(self, heading: list[Flowable], table: Table):
        super().__init__()
        self.heading, self.table = heading, table

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, 0xFFFFFF  # never drawn itself: the frame always asks split()

    def split(self, avail_width, avail_height):
        room = avail_height - sum(f.wrap(avail_width, avail_height)[1] + f.getSpaceBefore()
                                  + f.getSpaceAfter() for f in self.heading)
        if room > 0 and self.table.wrap(avail_width, room)[1] <= room:
            return [*self.heading, self.table]
        pieces = self.table.split(avail_width, room) if room > 0 else []
        if pieces and _body_rows(pieces[0]) >= min(self.MIN_ROWS, _body_rows(self.table)):
            return [*self.heading, *pieces]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return [*self.heading, self.table]  # a fresh page can do no better
        return [FrameBreak(), *self.heading, self.table]


def _body_rows(table: Table) -> int:
    return len(table._cellvalues) - table.repeatRows


class Anchor(Flowable):
    """Zero-size marker: records its page on the canvas, adds an outline entry, reports."""

    def __init__(self, key: str, title: str = "", level: int = 0,
                 on_draw: Callable[[], None] | None = None):
        super().__init__()
        self.key, self.title, self.level, self.on_draw = key, title, level, on_draw
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        canv = self.canv
        if isinstance(canv, PagedCanvas):
            canv.anchors[self.key] = canv.getPageNumber()
        if self.title:
            canv.bookmarkPage(self.key)
            canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        if self.on_draw is not None:
            self.on_draw()


class DeferredNumber(Flowable):
    """A number known only when the whole document is laid out (an anchor's page, the total).

    Drawn as a PDF form XObject defined at save time, so one layout pass suffices.
    """

    def __init__(self, key: str, size: float = CELL_SIZE, prefix: str = "", suffix: str = "",
                 align: str = "centre"):
        super().__init__()
        self.key, self.size, self.prefix, self.suffix = key, size, prefix, suffix
        self.align = align

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.size * 1.35
        return self.width, self.height

    def draw(self):
        canv = self.canv
        if not isinstance(canv, PagedCanvas):
            return
        canv.saveState()
        canv.translate(self.width / 2 if self.align == "centre" else 0, self.size * 0.3)
        canv.doForm(canv.deferred_form(self.key, self.size, self.prefix, self.suffix, self.align))
        canv.restoreState()


# --- the canvas: footer, demo header, deferred numbers ------------------------------------

class PagedCanvas(Canvas):
    """Canvas that knows anchors' pages and fills deferred numbers (forms) when saved."""

    TOTAL = "__total__"
    PAGE = "__page__"

    def __init__(self, *args, file_range: tuple[str, str] | None = None, **kwargs):
        # The default initial font (Helvetica) would be listed, unembedded, on every page.
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = pdf_styles().font
        super().__init__(*args, **kwargs)
        # (anchor of the first file page, anchor of the first page after the files): pages
        # are then numbered from the first file, and the pages outside carry no number
        # (a volume's cover, 卷内目录 and 备考表, GB/T 9705).
        self.file_range = file_range
        self.anchors: dict[str, int] = {}
        self._forms: dict[str, tuple[str, float, str, str]] = {}
        self._pages = 0
        self.setTitle("")

    def deferred_form(self, key: str, size: float, prefix: str = "", suffix: str = "",
                      align: str = "centre") -> str:
        """Name of a form printing ``prefix + number + suffix`` centred on (or from) the origin."""
        spec = (key, size, prefix, suffix, align)
        for existing, known in self._forms.items():
            if known == spec:
                return existing
        name = f"deferred{len(self._forms)}"
        self._forms[name] = spec
        return name

    def showPage(self):
        self._pages += 1
        super().showPage()

    def file_pages(self) -> tuple[int, int] | None:
        """(first, last) canvas page of the files when numbering is limited to them."""
        if self.file_range is None:
            return None
        start, end = (self.anchors.get(k) for k in self.file_range)
        if start is None:
            return None
        return start, (end - 1 if end is not None else self._pages)

    def page_label(self, key: str):
        """What a deferred number prints: the total, an anchor's page, a page's footer."""
        files = self.file_pages()
        if key == self.TOTAL:
            return self._pages if files is None else files[1] - files[0] + 1
        if key.startswith(self.PAGE):
            page = int(key[len(self.PAGE):])
            if files is None:
                return page
            return page - files[0] + 1 if files[0] <= page <= files[1] else None
        page = self.anchors.get(key)
        if page is None:
            return ""
        return page if files is None else page - files[0] + 1

    def save(self):
        if len(self._code):
            self.showPage()
        font = pdf_styles().font
        for name, (key, size, prefix, suffix, align) in self._forms.items():
            if key.startswith(self.PAGE):  # a footer: "第 x 页 共 y 页", or nothing
                number = self.page_label(key)
                text = "" if number is None else (
                    f"第 {number} 页 共 {self.page_label(self.TOTAL)} 页")
            else:
                text = f"{prefix}{self.page_label(key)}{suffix}"
            self.beginForm(name, lowerx=-TEXT_WIDTH, lowery=-size, upperx=TEXT_WIDTH,
                           uppery=2 * size)
            self.setFont(font, size)
            if align == "centre":
                self.drawCentredString(0, 0, text)
            else:
                self.drawString(0, 0, text)
            self.endForm()
        super().save()


@dataclass
class PageDecor:
    """What ``build_pdf`` draws on every page: the footer and, for demo data, the mark."""

    demo: bool = False
    footer_from: int = 1  # first page that shows "第 x 页 共 y 页" (the cover shows none)
    is_cancelled: IsCancelled | None = None
    page: PdfPage = STANDARD_PAGE

    def __call__(self, canv: Canvas, doc) -> None:
        check_cancelled(self.is_cancelled)
        styles = pdf_styles()
        width, height = self.page.size
        canv.saveState()
        page = canv.getPageNumber()
        if page >= self.footer_from:
            _draw_footer(canv, page, styles.font, self.page)
        if self.demo:
            canv.setFont(styles.font, 10.5)
            canv.setFillColor(colors.Color(0.75, 0.1, 0.1))
            canv.drawCentredString(width / 2, height - self.page.mark_below_top, DEMO_MARK)
        canv.restoreState()


def _draw_footer(canv: Canvas, page: int, font: str, geometry: PdfPage) -> None:
    centre, y = geometry.size[0] / 2, geometry.footer_y
    if isinstance(canv, PagedCanvas) and canv.file_range is not None:
        # numbered among the files only: the whole footer is known when the volume is done
        name = canv.deferred_form(f"{PagedCanvas.PAGE}{page}", FOOTER_SIZE)
        canv.saveState()
        canv.translate(centre, y)
        canv.doForm(name)
        canv.restoreState()
        return
    # "第 x 页 " is drawn here; " 共 y 页" is a form filled in when the page count is known.
    left = f"第 {page} 页 "
    right_estimate = stringWidth("共 99 页", font, FOOTER_SIZE)
    width = stringWidth(left, font, FOOTER_SIZE) + right_estimate
    x = centre - width / 2
    canv.setFont(font, FOOTER_SIZE)
    canv.drawString(x, y, left)
    if isinstance(canv, PagedCanvas):
        name = canv.deferred_form(PagedCanvas.TOTAL, FOOTER_SIZE, "共 ", " 页")
        canv.saveState()
        canv.translate(x + stringWidth(left, font, FOOTER_SIZE) + right_estimate / 2, y)
        canv.doForm(name)
        canv.restoreState()


# --- one form ----------------------------------------------------------------------------

def label_columns(f: Field, span: int, font: str) -> int:
    """Grid columns (of 2 × ROW_UNITS) the label of a field ``span`` units wide takes."""
    if span <= 2:
        return span
    needed = math.ceil((stringWidth(f.label, font, CELL_SIZE) + 2 * CELL_PAD + 2) / UNIT)
    # a field ``span`` units wide has 2 × span grid columns: leave at least two for the value
    return max(2, min(needed, 2 * span - 2))


def blank_date(width: float | None = None, font: str | None = None) -> str:
    """"    年  月  日" with as much room to write as the cell allows (one line)."""
    if width is None:
        return BLANK_DATE
    font = font or pdf_styles().font
    room = width - stringWidth("年月日", font, CELL_SIZE) - 2
    spaces = max(3, int(room / max(stringWidth(NBSP, font, CELL_SIZE), 0.1)))
    year, month = min(10, spaces * 4 // 10), min(6, spaces * 3 // 10)
    return f"{NBSP * year}年{NBSP * month}月{NBSP * month}日"


MAX_LISTED_CHOICES = 6  # a blank form lists up to this many options one a line


def blank_text(f: Field, width: float | None = None, font: str | None = None) -> str:
    """What a blank form prints in a value cell: tick boxes for short lists, a date frame.

    Tick boxes only when they fit in two lines of the cell; otherwise the cell stays empty
    for handwriting.
    """
    if f.kind == "bool":
        return f"{BOX}是{NBSP * 4}{BOX}否"
    if f.kind == "date":
        return blank_date(width, font)
    if f.kind in ("choice", "multichoice"):
        text = "   ".join(f"{BOX}{c}" for c in f.choices)
        font = font or pdf_styles().font
        if width is None or stringWidth(text, font, CELL_SIZE) <= width:
            return text
        lines = _pack_options([f"{BOX}{c}" for c in f.choices], font, width)
        if len(lines) <= 2 or len(f.choices) <= MAX_LISTED_CHOICES:
            return "\n".join(lines)  # every option whole, each with its box
    return ""


def _pack_options(options: list[str], font: str, width: float) -> list[str]:
    """Options on as few lines as fit, never one cut between two lines."""
    gap = "   "
    lines: list[str] = []
    for option in options:
        if lines and stringWidth(lines[-1] + gap + option, font, CELL_SIZE) <= width:
            lines[-1] += gap + option
        else:
            lines.append(option)
    return lines


def _field_row_table(filled: FilledForm, row: list[tuple[Field, int]], st: PdfStyles) -> Table:
    cells, widths = [], []
    height = 8 * mm
    for f, span in row:
        label_cols = label_columns(f, span, st.font)
        label_w, value_w = UNIT * label_cols, UNIT * (2 * span - label_cols)
        if filled.is_blank:
            value = blank_text(f, value_w - 2 * CELL_PAD, st.font)
            height = max(height, f.blank_lines * BLANK_LINE)
        else:
            value = filled.text_of(f)
        cells += [fit(f.label, st.label, label_w), fit(value, st.cell, value_w)]
        widths += [label_w, value_w]
    # A wrapped paragraph is taller than the minimum anyway: let the table measure it once.
    wrapped = any(not isinstance(cell, str) for cell in cells)
    if wrapped and filled.is_blank:
        height = max(height, max(cell_height(c, w) for c, w in zip(cells, widths)))
    table = Table([cells], colWidths=widths,
                  rowHeights=None if wrapped and not filled.is_blank else [height])
    table.setStyle(_row_style(len(cells)))
    return table


@lru_cache(maxsize=16)
def _row_style(cell_count: int) -> TableStyle:
    """Shared style of a field row (label, value, label, value, ...)."""
    return table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("COLBACKGROUNDS", (0, 0), (-1, -1), [LABEL_BG, None]),
        *[("ALIGN", (i, 0), (i, 0), "CENTER") for i in range(0, cell_count, 2)],
    ])


def _fields_flowables(filled: FilledForm, section: Section, st: PdfStyles) -> list[Flowable]:
    return [_field_row_table(filled, row, st) for row in pack_rows(section.fields)]


def _text_flowables(filled: FilledForm, section: Section, st: PdfStyles) -> list[Flowable]:
    return [para(filled.fill(template), st.body) for template in section.text]


SIGN_ROW = 9 * mm
MIN_SIGN_ROOM = 30 * mm  # room to sign beside a label
MIN_DATE_ROOM = 40 * mm  # "      年    月    日" with room to write


def _sign_room(f: Field) -> float:
    return MIN_DATE_ROOM if f.kind == "date" else MIN_SIGN_ROOM


def _signature_flowables(filled: FilledForm, section: Section, st: PdfStyles) -> list[Flowable]:
    """Label and handwriting line per field. Labels never wrap: each gets its own width and
    the lines share the rest; a row whose labels leave too little room is printed as one
    field per row."""
    out: list[Flowable] = []
    for packed in pack_rows(section.fields):
        if packed[0][0].kind == "multiline":
            out += _signature_paragraph(filled, packed[0][0], st)
            continue
        fields = [f for f, _span in packed]
        labels = [stringWidth(f.label + "：", st.font, CELL_SIZE) + 6 for f in fields]
        if sum(labels) + sum(_sign_room(f) for f in fields) > TEXT_WIDTH:
            rows = [[f] for f in fields]
        else:
            rows = [fields]
        for row in rows:
            out.append(_signature_row(filled, row, st))
    return out


def _signature_row(filled: FilledForm, row: list[Field], st: PdfStyles) -> Table:
    labels = [stringWidth(f.label + "：", st.font, CELL_SIZE) + 6 for f in row]
    rooms = [_sign_room(f) for f in row]
    spare = TEXT_WIDTH - sum(labels) - sum(rooms)
    cells, widths, commands = [], [], []
    for f, label_w, room in zip(row, labels, rooms):
        value_w = room + max(spare, 0) * room / sum(rooms)
        value = "" if filled.is_blank else filled.text_of(f)
        if not value and f.kind == "date":
            value = blank_date(value_w - 8, st.font)
        cells += [f.label + "：", fit(value, st.cell, value_w)]
        widths += [label_w, value_w]
        col = len(cells) - 1
        commands.append(("LINEBELOW", (col, 0), (col, 0), 0.6, GRID))
    commands += [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    wrapped = any(not isinstance(c, str) for c in cells)
    if wrapped:  # a long value: the row grows to hold it (never drawn over the line above)
        natural = max(cell_height(c, w) for c, w in zip(cells, widths))
        height = max(SIGN_ROW, natural)
    else:
        height = SIGN_ROW
    table = Table([cells], colWidths=widths, rowHeights=[height])
    table.setStyle(table_style(commands))
    return table


def _signature_paragraph(filled: FilledForm, f: Field, st: PdfStyles) -> list[Flowable]:
    """A multiline field among signatures (an opinion): label, then ruled handwriting lines."""
    value = "" if filled.is_blank else filled.text_of(f)
    if value:
        return [para(f"{f.label}：{value}", st.cell), Spacer(1, 2 * mm)]
    rows = [[para(f.label + "：", st.cell)]] + [[""] for _ in range(f.blank_lines)]
    table = Table(rows, colWidths=[TEXT_WIDTH], rowHeights=[8 * mm] + [BLANK_LINE] * f.blank_lines)
    table.setStyle(table_style([("LINEBELOW", (0, 1), (-1, -1), 0.6, GRID),
                                ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [table]


def _column_widths(columns: tuple[Field, ...]) -> list[float]:
    weights = [c.width or 1 for c in columns]
    return [TEXT_WIDTH * w / sum(weights) for w in weights]


def _table_flowables(filled: FilledForm, section: Section, st: PdfStyles) -> list[Flowable]:
    widths = _column_widths(section.columns)
    header = [fit(c.label, st.header_cell, w) for c, w in zip(section.columns, widths)]
    rows = filled.rows_of(section)
    data = [header]
    if filled.is_blank or not rows:
        count = section.blank_rows if filled.is_blank else 1
        data += [[""] * len(section.columns) for _ in range(count)]
        heights = [None] + [12 * mm] * count
    else:
        data += [[fit(_cell_text(c, row, w), st.cell, w) for c, w in zip(section.columns, widths)]
                 for row in rows]
        heights = None
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_BG),
        ("FONTNAME", (0, 0), (-1, 0), st.title_font),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [table]


def _cell_text(column: Field, row: dict, width: float | None = None) -> str:
    """A cell as printed; a date too long for a narrow column in the compact 2024-01-18."""
    text = format_value(column, row.get(column.key))
    if column.kind == "date" and width is not None and text and (
            stringWidth(text, pdf_styles().font, CELL_SIZE) > width - 2 * CELL_PAD - 1):
        try:
            return f"{parse_date(row.get(column.key)):%Y-%m-%d}"
        except ValueError:
            return text
    return text


_SECTION_BUILDERS = {
    "fields": _fields_flowables,
    "text": _text_flowables,
    "signatures": _signature_flowables,
    "table": _table_flowables,
}


@lru_cache(maxsize=4)
def _form_note_style(st: PdfStyles) -> ParagraphStyle:
    return ParagraphStyle("td-form-note", parent=st.body, fontSize=12, leading=17,
                          firstLineIndent=24, spaceAfter=2)


def form_story(filled: FilledForm, styles: PdfStyles | None = None) -> list[Flowable]:
    """The flowables of one form: title, sections in order, copies note."""
    st = styles or pdf_styles()
    spec = filled.spec
    story: list[Flowable] = [BoldTitle(spec.title, st.title, st.synthetic_bold)]
    if spec.subtitle:
        story.append(para(spec.subtitle, st.subtitle))
    story.append(Spacer(1, 1 * mm))
    for section in spec.sections:
        body: list[Flowable] = []
        if section.kind != "text" and section.text:  # a note on a form: smaller than prose
            body += [para(filled.fill(t), _form_note_style(st)) for t in section.text]
        body += _SECTION_BUILDERS[section.kind](filled, section, st)
        heading = [] if section.title in (spec.title, "签名") else [para(section.title, st.heading)]
        if section.kind == "signatures":
            # a signature block is never split nor alone on a page: it keeps together and
            # takes the last row before it along
            before = [story.pop()] if story and not isinstance(
                story[-1], HeadingWithTable) else []
            if before and isinstance(before[0], KeepTogether):  # never nested: flatten
                before = list(before[0]._content)
            story.append(KeepTogether(before + heading + body + [Spacer(1, 1 * mm)]))
            continue
        if heading and section.kind == "table" and isinstance(body[0], Table):
            story.append(HeadingWithTable(heading, body[0]))
            story += body[1:]
        elif heading and body:
            # keep a heading with the start of its section
            story.append(KeepTogether(heading + body[:1]))
            story += body[1:]
        else:
            story += heading + body
    if spec.copies_note:
        note = para(spec.copies_note, st.note)
        if story and isinstance(story[-1], KeepTogether):  # the note stays with the signatures
            story[-1] = KeepTogether(story[-1]._content + [note])
        else:
            story.append(note)
    return story


# --- documents ---------------------------------------------------------------------------

def build_pdf(path, story: list[Flowable], *, title: str = "", demo: bool = False,
              footer_from: int = 1, is_cancelled: IsCancelled | None = None,
              file_range: tuple[str, str] | None = None, page: PdfPage = STANDARD_PAGE) -> Path:
    """Lay out ``story`` on the standard pages (or ``page``) and write it atomically to ``path``.

    ``file_range`` (two anchor keys) numbers pages from the first anchor's page and leaves
    the pages outside the range unnumbered; totals count the range only."""
    target = Path(path)
    decor = PageDecor(demo=demo, footer_from=footer_from, is_cancelled=is_cancelled, page=page)
    with atomic_path(target) as tmp:
        doc = SimpleDocTemplate(
            str(tmp), pagesize=page.size, leftMargin=page.left, rightMargin=page.right,
            topMargin=page.top, bottomMargin=page.bottom, title=title,
            author="童档", creator="童档", subject=title,
        )
        maker = PagedCanvas if file_range is None else (
            lambda *a, **k: PagedCanvas(*a, file_range=file_range, **k))
        doc.build(story, onFirstPage=decor, onLaterPages=decor, canvasmaker=maker)
    return target


def render_form_pdf(filled: FilledForm, path, progress: Progress | None = None,
                    is_cancelled: IsCancelled | None = None) -> Path:
    """One filled (or blank) form as a PDF file."""
    check_cancelled(is_cancelled)
    report(progress, 0, 2)
    story = form_story(filled)
    report(progress, 1, 2)
    result = build_pdf(path, story, title=filled.spec.title, demo=filled.demo,
                       is_cancelled=is_cancelled)
    report(progress, 2, 2)
    return result
