"""The building blocks of PDF stories: Chinese paragraphs and cells, titles, headings kept
with their tables, anchors and numbers filled in when the layout is done."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, FrameBreak, Table

from exports import linebreak
from exports.pdf_document import PagedCanvas
from exports.pdf_layout import BOX, CELL_PAD, CELL_SIZE, PAGE_HEIGHT


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
