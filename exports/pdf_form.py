"""One paper form as PDF (reportlab platypus), walking the ``forms.spec`` definitions.

``form_story(filled)`` gives the flowables of one form (reused by the dossier and the county
tables); ``render_form_pdf`` writes one filled or blank form as a file.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from exports.atomic import IsCancelled, Progress, check_cancelled, report
from exports.pdf_document import build_pdf
from exports.pdf_flowables import BoldTitle, HeadingWithTable, cell_height, fit, para
from exports.pdf_layout import (
    BLANK_DATE,
    BLANK_LINE,
    BOX,
    CELL_PAD,
    CELL_SIZE,
    GRID,
    LABEL_BG,
    NBSP,
    TEXT_WIDTH,
    UNIT,
    PdfStyles,
    pdf_styles,
    styled_table,
    table_style,
)
from exports.table_layout import fitting_cell_text
from forms.spec import (
    Field,
    FilledForm,
    Section,
    format_value,
    pack_rows,
)


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
            if f.blank_lines > 1:  # one line to write on fits the 8 mm row
                height = max(height, f.blank_lines * BLANK_LINE)
        else:
            value = filled.text_of(f)
        cells += [fit(f.label, st.label, label_w), fit(value, st.cell, value_w)]
        widths += [label_w, value_w]
    # A wrapped paragraph is taller than the minimum anyway: let the table measure it once.
    wrapped = any(not isinstance(cell, str) for cell in cells)
    if wrapped and filled.is_blank:
        height = max(height, max(cell_height(c, w) for c, w in zip(cells, widths, strict=True)))
    return styled_table([cells], _row_style(len(cells)), colWidths=widths,
                        rowHeights=None if wrapped and not filled.is_blank else [height])


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
    cells, widths = [], []
    for f, label_w, room in zip(row, labels, rooms, strict=True):
        value_w = room + max(spare, 0) * room / sum(rooms)
        value = "" if filled.is_blank else filled.text_of(f)
        if not value and f.kind == "date":
            value = blank_date(value_w - 8, st.font)
        cells += [f.label + "：", fit(value, st.cell, value_w)]
        widths += [label_w, value_w]
    wrapped = any(not isinstance(c, str) for c in cells)
    if wrapped:  # a long value: the row grows to hold it (never drawn over the line above)
        natural = max(cell_height(c, w) for c, w in zip(cells, widths, strict=True))
        height = max(SIGN_ROW, natural)
    else:
        height = SIGN_ROW
    return styled_table([cells], _signature_style(len(cells)), colWidths=widths,
                        rowHeights=[height])


@lru_cache(maxsize=8)
def _signature_style(cell_count: int) -> TableStyle:
    """Label, line to sign on, label, line ...: each value cell is underlined."""
    return table_style([
        *[("LINEBELOW", (col, 0), (col, 0), 0.6, GRID) for col in range(1, cell_count, 2)],
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ])


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
    header = [fit(c.label, st.header_cell, w) for c, w in zip(section.columns, widths, strict=True)]
    rows = filled.rows_of(section)
    data = [header]
    if filled.is_blank or not rows:
        count = section.blank_rows if filled.is_blank else 1
        data += [[""] * len(section.columns) for _ in range(count)]
        heights = [None] + [12 * mm] * count
    else:
        data += [[fit(_cell_text(c, row, w), st.cell, w)
                  for c, w in zip(section.columns, widths, strict=True)]
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
    if width is None:
        return format_value(column, row.get(column.key))
    font = pdf_styles().font
    return fitting_cell_text(
        column, row, lambda text: stringWidth(text, font, CELL_SIZE) <= width - 2 * CELL_PAD - 1)


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
