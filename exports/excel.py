"""Tables as Excel workbooks (openpyxl), walking the same ``forms.spec`` definitions.

One worksheet per table section: annex label, title ("演示数据" in it for demo data), the
header line (填报单位、填报人、日期、联系电话), the section's wording, the column headings
(bold, shaded, repeated on every printed page, frozen on screen), the rows, the note.
A4 page setup, landscape unless the table's layout says portrait, fitted to the page width.

Values: "number" columns are written as numbers, "date" columns as dates; everything else is
text. No formulas are ever written: every text cell goes through ``forms.spreadsheet``, the
guard all our spreadsheet writers share (a leading = + - @ tab or CR is stored as text with
Excel's ``quotePrefix`` flag, shown unchanged).
"""

from __future__ import annotations

import math
import re
from copy import copy
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.atomic import IsCancelled, Progress, atomic_path, check_cancelled, report
from exports.table_layout import (
    DEMO_SUFFIX,
    ROW_COLOUR,
    ROW_STYLE,
    TINTS,
    cell_text,
    display_title,
    header_line,
    layout_of,
    merge_runs,
    sections_to_print,
    weights,
)
from forms.county_tables import EMPHASISED
from forms.spec import Field, FilledForm, Section, parse_date
from forms.spreadsheet import FORMULA_STARTS, MAX_CELL_TEXT, put_text, safe_text  # noqa: F401

FONT_NAME = "宋体"
PAGE_CHARS = {True: 170, False: 105}  # usable width in characters, landscape / portrait
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_THIN = Side(style="thin", color="404040")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
WRAP_TOP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
BODY = Font(name=FONT_NAME, size=10.5)
BOLD = Font(name=FONT_NAME, size=10.5, bold=True)
TITLE = Font(name=FONT_NAME, size=16, bold=True)
SMALL = Font(name=FONT_NAME, size=10.5)
NOTE = Font(name=FONT_NAME, size=9.5)
DATE_FORMAT = "yyyy-mm-dd"  # as in the PDF: fits a narrow column
_REPORT_EVERY = 250
LINE_HEIGHT = 14.5  # points per line of 10.5 pt text


def write_text(cell, text: str) -> None:
    """Store ``text`` as text; a leading = + - @ tab or CR can never start a formula."""
    put_text(cell, text)


def write_value(cell, column: Field, row: dict) -> None:
    value = row.get(column.key)
    if column.kind == "number" and value not in (None, ""):
        number = _number(value)
        if number is not None:
            cell.value = number
            return
    if column.kind == "date" and value not in (None, ""):
        day = _date(value)
        if day is not None:
            cell.value = day
            cell.number_format = DATE_FORMAT
            return
    write_text(cell, cell_text(column, row))


def _number(value) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _date(value) -> date | None:
    try:
        day = parse_date(value)
    except ValueError:
        return None
    return day.date() if isinstance(day, datetime) else day


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (a Chinese character
    takes two, as in Excel's own width unit)."""
    usable = max(1.0, width - 1.0)
    lines = 0
    for part in text.split("\n") or [""]:
        units = sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in part)
        lines += max(1, math.ceil(units / usable))
    return lines


def sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_NAME_BAD.sub("", title).strip("'")[:28] or "表"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


# --- one sheet -------------------------------------------------------------------------------

class _SheetWriter:
    def __init__(self, ws: Worksheet, filled: FilledForm, section: Section, many: bool):
        self.ws, self.filled, self.section = ws, filled, section
        self.layout = layout_of(filled.spec)
        self.columns = section.columns
        self.width = len(self.columns)
        self.many = many
        self.row = 1
        self._styles: dict[tuple, object] = {}
        total = sum(weights(self.columns))
        self.widths = [max(5.0, round(PAGE_CHARS[self.layout.landscape] * w / total, 1))
                       for w in weights(self.columns)]

    def _line(self, text: str, font: Font, alignment: Alignment, height: float | None = None):
        cell = self.ws.cell(self.row, 1)
        write_text(cell, text)
        cell.font, cell.alignment = font, alignment
        if self.width > 1:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                                end_column=self.width)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def preamble(self) -> None:
        if self.layout.annex_label:
            self._line(self.layout.annex_label, SMALL, Alignment(horizontal="left"))
        self._line(display_title(self.filled), TITLE, CENTRE, 30)
        self._line(header_line(self.filled), SMALL, Alignment(wrap_text=True, vertical="center"),
                   22)
        self.section_top()

    def section_top(self) -> None:
        for text in self.section.text:
            self._line(self.filled.fill(text), NOTE, Alignment(wrap_text=True, vertical="top"),
                       32)
        if self.many:
            self._line(self.section.title, BOLD, Alignment(horizontal="left", vertical="center"))

    def headings(self) -> int:
        for i, column in enumerate(self.columns, start=1):
            cell = self.ws.cell(self.row, i)
            write_text(cell, column.label)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, CENTRE
        heading_row = self.row
        self.row += 1
        return heading_row

    def body(self, rows: list[dict], tick) -> None:
        first = self.row
        colour_index = next((i for i, c in enumerate(self.columns, start=1)
                             if c.key == self.layout.colour_column), None)
        for row in rows:
            strong = row.get(ROW_STYLE) in EMPHASISED
            for i, column in enumerate(self.columns, start=1):
                cell = self.ws.cell(self.row, i)
                centred = column.kind in ("number", "date") or \
                    column.key in self.layout.merge_columns
                tint = TINTS.get(row.get(ROW_COLOUR)) if i == colour_index else None
                self._style(cell, strong, centred, tint)
                write_value(cell, column, row)  # after the style: it may add a date format
            self.ws.row_dimensions[self.row].height = self._height(row)
            self.row += 1
            tick()
        if not rows:
            cell = self.ws.cell(self.row, 1)
            write_text(cell, "（无）")
            cell.alignment = CENTRE
            for i in range(1, self.width + 1):
                self.ws.cell(self.row, i).border = BORDER
            if self.width > 1:
                self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                                    end_column=self.width)
            self.row += 1
        self._merge(rows, first)

    def _style(self, cell, strong: bool, centred: bool, tint: str | None) -> None:
        """Give a cell its font, border, alignment and fill. openpyxl hashes style objects on
        every assignment (most of the time of a 20,000-row sheet), so each combination is
        built once and its internal style array copied to the other cells."""
        key = (strong, centred, tint)
        cached = self._styles.get(key)
        if cached is not None:
            cell._style = copy(cached)
            return
        cell.font, cell.border = (BOLD if strong else BODY), BORDER
        cell.alignment = CENTRE if centred else WRAP_TOP
        if tint:
            cell.fill = PatternFill("solid", fgColor=tint)
        self._styles[key] = copy(cell._style)

    def _height(self, row: dict) -> float:
        """Row height for the wrapped text: spreadsheets do not size rows on opening."""
        lines = 1
        for column, width in zip(self.columns, self.widths, strict=True):
            if column.key in self.layout.merge_columns:
                continue  # spans several rows
            text = cell_text(column, row)
            lines = max(lines, text_lines(text, width))
        return LINE_HEIGHT * lines + 4

    def _merge(self, rows: list[dict], first: int) -> None:
        for key in self.layout.merge_columns:
            index = next((i for i, c in enumerate(self.columns, start=1) if c.key == key), None)
            if index is None:
                continue
            for start, end in merge_runs(rows, key):
                self.ws.merge_cells(start_row=first + start, start_column=index,
                                    end_row=first + end, end_column=index)

    def closing(self) -> None:
        if self.filled.spec.copies_note:
            self.row += 1
            self._line(self.filled.spec.copies_note, NOTE,
                       Alignment(wrap_text=True, vertical="top"), 30)

    def page_setup(self, heading_row: int | None) -> None:
        """``heading_row``: the headings to freeze and repeat; None when the sheet holds
        several tables one below the other."""
        ws, layout = self.ws, self.layout
        for i, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if heading_row is not None:
            ws.freeze_panes = ws.cell(heading_row + 1, 1)
            ws.print_title_rows = f"{heading_row}:{heading_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if layout.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.7
        ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        if self.filled.demo:
            ws.oddHeader.center.text = "演示数据（虚构信息，不得作为正式档案）"


# --- the workbook ----------------------------------------------------------------------------

def _row_ticker(total: int, progress: Progress | None, is_cancelled: IsCancelled | None):
    """Called once per row written: every ``_REPORT_EVERY`` rows, a chance to cancel and the
    progress so far."""
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % _REPORT_EVERY == 0:
            check_cancelled(is_cancelled)
            report(progress, done, total)

    return tick


def build_workbook(filled: FilledForm, progress: Progress | None = None,
                   is_cancelled: IsCancelled | None = None) -> Workbook:
    sections = sections_to_print(filled)
    if not sections:
        raise ValueError(f"“{filled.spec.title}”没有表格，无法导出为 Excel。")
    all_rows = [filled.rows_of(s) for s in sections]
    total = sum(len(r) for r in all_rows) + 1
    tick = _row_ticker(total, progress, is_cancelled)

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section, rows in zip(sections, all_rows, strict=True):
        check_cancelled(is_cancelled)
        many = len(sections) > 1
        ws = wb.create_sheet(sheet_name(section.title if many else filled.spec.title, used))
        writer = _SheetWriter(ws, filled, section, many)
        writer.preamble()
        heading_row = writer.headings()
        writer.body(rows, tick)
        writer.closing()
        writer.page_setup(heading_row)
    wb.properties.title = display_title(filled)
    wb.properties.creator = "童档"
    return wb


def write_form_sheet(ws: Worksheet, filled: FilledForm, tick) -> None:
    """Every table of ``filled`` on one worksheet, one below the other (one township's part of
    a ``forms.county_tables.TableBook``): the title and header once, each table's own
    heading; the headings are frozen and repeated only when there is one table."""
    sections = sections_to_print(filled)
    many = len(sections) > 1
    first = None
    heading_row = None
    row = 1
    for number, section in enumerate(sections):
        writer = _SheetWriter(ws, filled, section, many)
        writer.row = row
        if number == 0:
            first = writer
            writer.preamble()
        else:
            writer.row += 1
            writer.section_top()
        heading_row = writer.headings()
        writer.body(filled.rows_of(section), tick)
        row = writer.row
    if first is None:
        raise ValueError(f"“{filled.spec.title}”没有表格，无法导出为 Excel。")
    first.row = row
    first.closing()
    first.page_setup(None if many else heading_row)


def build_book(book, progress: Progress | None = None,
               is_cancelled: IsCancelled | None = None) -> Workbook:
    """A ``forms.county_tables.TableBook``: a worksheet for the 汇总 and one per township."""
    total = sum(len(f.rows_of(s)) for _n, f in book.forms() for s in sections_to_print(f)) + 1
    tick = _row_ticker(total, progress, is_cancelled)

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, filled in book.forms():
        check_cancelled(is_cancelled)
        write_form_sheet(wb.create_sheet(sheet_name(name, used)), filled, tick)
    wb.properties.title = book.title + (DEMO_SUFFIX if book.demo else "")
    wb.properties.creator = "童档"
    return wb


def render_book_xlsx(book, path, progress: Progress | None = None,
                     is_cancelled: IsCancelled | None = None) -> Path:
    """Write a ``TableBook`` as an .xlsx file (a sheet each), atomically."""
    check_cancelled(is_cancelled)
    wb = build_book(book, progress, is_cancelled)
    target = Path(path)
    with atomic_path(target) as tmp:
        check_cancelled(is_cancelled)
        wb.save(tmp)
    report(progress, 1, 1)
    return target


def render_xlsx(filled: FilledForm, path, progress: Progress | None = None,
                is_cancelled: IsCancelled | None = None) -> Path:
    """Write ``filled`` as an .xlsx file, atomically (no half file on failure or cancel)."""
    check_cancelled(is_cancelled)
    wb = build_workbook(filled, progress, is_cancelled)
    total = sum(len(filled.rows_of(s)) for s in sections_to_print(filled)) + 1
    target = Path(path)
    with atomic_path(target) as tmp:
        check_cancelled(is_cancelled)
        wb.save(tmp)
    report(progress, total, total)
    return target
