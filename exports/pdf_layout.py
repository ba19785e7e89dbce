"""The PDF page and its type: A4 geometry after GB/T 9704—2012, sizes, paragraph styles.

A4, top margin 37 mm, binding margin 28 mm, text block 156 × 225 mm. ``pdf_styles()`` gives
the paragraph styles every PDF uses; ``PdfPage`` describes a page (the wide county tables use
another). Importing this module also sets reportlab up for Chinese text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle
from reportlab.platypus import paragraph as rl_paragraph

from exports.fonts import register_fonts
from forms.spec import ROW_UNITS

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


# --- tables whose style is worked out once per shape --------------------------------------

# What Table.setStyle leaves on a table besides its cell styles.
_STYLE_LISTS = ("_bkgrndcmds", "_linecmds", "_spanCmds", "_nosplitCmds", "_srflcmds", "_sircmds")
_styled: dict[tuple[int, int, int], tuple[TableStyle, list, dict]] = {}


def styled_table(data: list[list], style: TableStyle, **kwargs) -> Table:
    """``Table(data, **kwargs)`` with ``style`` applied, as ``setStyle`` would.

    ``setStyle`` walks every command over every cell it covers; a form's field rows are
    hundreds of one-row tables of a few shapes (half the time of building a dossier's story
    went there). The cell styles it gives a table of one shape are worked out once and
    shared: reportlab only reads them after ``setStyle``. Styles with spans, rounded corners
    or split-row commands (which write cell styles later) are applied the ordinary way.
    """
    rows, columns = len(data), max(len(row) for row in data)
    key = (id(style), rows, columns)
    known = _styled.get(key)
    if known is not None and known[0] is style:
        _style, cells, lists = known
        table = Table(data, cellStyles=cells, **kwargs)
        for name, commands in lists.items():
            setattr(table, name, list(commands))
        return table
    table = Table(data, **kwargs)
    table.setStyle(style)
    if _shareable(style):
        if len(_styled) >= 64:  # only a few shapes recur; never let one-off styles pile up
            _styled.clear()
        _styled[key] = (style, table._cellStyles,
                        {name: list(getattr(table, name)) for name in _STYLE_LISTS})
    return table


def _shareable(style: TableStyle) -> bool:
    if style._opts or any(cmd[0] in ("SPAN", "NOSPLIT", "ROUNDEDCORNERS")
                          for cmd in style.getCommands()):
        return False
    return not any(len(cmd) >= 3 and isinstance(cmd[1][1], str)
                   for cmd in style.getCommands())
