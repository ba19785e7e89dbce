"""Reading an Excel ledger (台账): every cell parsed against ``forms.ledger``, every problem kept.

The first of the ledger import's three steps (reading, ``models.ledger_checking``,
``models.ledger_importing``). Reading streams the sheets row by row, so a large or hostile
file keeps memory flat; nothing here touches the archive.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar

from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import (
    FORMULA_TAG,
    INLINE_STRING,
    ROW_TAG,
    SHEET_MAIN_NS,
    VALUE_TAG,
    WorkSheetParser,
    _cast_number,
)
from openpyxl.xml.functions import iterparse

from forms import ledger
from models.xlsx_limits import MAX_ROW_ELEMENTS, TooLarge, check_package

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

MAX_ROWS = 200_000


# -- results ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportIssue:
    sheet: str
    row: int | None  # Excel row number; None for the file or a whole sheet
    column: str  # column header; "" for the row or file
    message: str

    def where(self) -> str:
        parts = [f"“{self.sheet}”表" if self.sheet else "文件"]
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "".join(parts)


@dataclass
class LedgerRow:
    row: int  # Excel row number
    values: dict  # column key -> parsed value; blank cells are left out


@dataclass
class LedgerCheck:
    issues: list[ImportIssue] = field(default_factory=list)
    children: list[LedgerRow] = field(default_factory=list)
    visits: list[LedgerRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def empty(self) -> bool:
        """No problem and no row: a template saved without filling anything in."""
        return not self.issues and not self.children and not self.visits



class ImportCancelled(Exception):
    def __init__(self, message: str = "导入已取消，档案库没有任何改动。"):
        super().__init__(message)


# -- reading the workbook --------------------------------------------------------------------

def file_issue(message: str) -> ImportIssue:
    return ImportIssue("", None, "", message)


def _open_workbook(path: Path, handle):
    """The workbook, or an issue saying in words why the file cannot be read."""
    try:
        head = handle.read(8)
        handle.seek(0)
    except OSError as error:
        return None, file_issue(f"无法读取文件“{path.name}”：{error.strerror or error}")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return None, file_issue(f"“{path.name}”是旧版 Excel（.xls）文件，或是设置了打开密码的工作簿。"
                                 "请在 Excel 或 WPS 中取消密码并“另存为” Excel 工作簿（.xlsx）后再导入。")
    if not head.startswith(b"PK"):
        return None, file_issue(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。请使用台账模板填写"
                                 "，或在 Excel、WPS 中另存为 .xlsx 后再导入。")
    try:
        check_package(handle, path.name)  # before openpyxl reads anything into memory
    except TooLarge as error:
        return None, file_issue(str(error))
    try:
        # data_only=False: a formula shows as its "=…" text and is reported; with cached
        # values only, a formula saved without a result would read as a blank cell.
        workbook = _load_workbook(handle)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError,
            AttributeError, EOFError, zipfile.LargeZipFile) as error:
        return None, file_issue(f"“{path.name}”已损坏或不是有效的 Excel 工作簿（.xlsx），无法打开。"
                                 f"请在 Excel 或 WPS 中打开并重新保存后再试。（{type(error).__name__}）")
    except Exception as error:  # noqa: BLE001 -- openpyxl raises many kinds on malformed parts
        return None, file_issue(f"“{path.name}”无法作为 Excel 工作簿读取，请在 Excel 或 WPS 中重新保存"
                                 f"为 .xlsx 后再试。（{type(error).__name__}）")
    return workbook, None


class _LazySheet(ReadOnlyWorksheet):
    def _get_size(self):
        """Left out: openpyxl parses a whole sheet on opening to find its size when the
        sheet does not state it, keeping every row of it in memory meanwhile."""


class _Reader(ExcelReader):
    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _LazySheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _load_workbook(handle):
    """The workbook read-only, its sheets opened lazily (``load_workbook`` as fallback)."""
    try:
        reader = _Reader(handle, read_only=True, keep_vba=False, data_only=False,
                         keep_links=False, rich_text=False)
    except TypeError:  # another openpyxl version
        handle.seek(0)
        return load_workbook(handle, read_only=True, data_only=False)
    reader.read()
    return reader.wb


def _header_map(spec: ledger.Sheet, header_row: tuple, issues: list) -> dict[int, ledger.Column]:
    """Column index -> Column; unknown, repeated and missing columns become issues."""
    columns: dict[int, ledger.Column] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(header_row):
        header = ledger.normalise_header(raw)
        if not header:
            continue
        column = spec.column(header)
        letter = get_column_letter(index + 1)
        if column is None:
            issues.append(ImportIssue(spec.name, 1, str(raw).strip(),
                                      f"第{letter}列“{str(raw).strip()}”不是台账中的列。请删除该列，"
                                      "或改为模板中的列名（见“填写说明”表）。"))
        elif header in seen:
            issues.append(ImportIssue(spec.name, 1, header,
                                      f"“{header}”列出现了两次（第{get_column_letter(seen[header] + 1)}列"
                                      f"和第{letter}列），请只保留一列。"))
        else:
            seen[header] = index
            columns[index] = column
    issues.extend(ImportIssue(spec.name, 1, header,
                              f"缺少必填列“{header}”。请使用台账模板，不要删除或改动列名。")
                  for header in spec.required_headers if header not in seen)
    return columns


class _SheetParser(WorkSheetParser):
    """openpyxl's read-only parser with a short path for the common cells.

    Text and plain numbers are read directly; formulas, dates, booleans and errors go
    through openpyxl's own ``parse_cell``. openpyxl itself writes every text cell as an
    inline string and parses each back into a rich-text object, which was most of the
    reading time of a large ledger it wrote; Excel and WPS write shared strings.
    """

    _columns: ClassVar[dict[str, int]] = {}  # column letters -> index, shared by all sheets

    def parse(self):
        """(row number, cells) for each row, streamed: a row is dropped from the tree as
        soon as it is read, so memory stays flat whatever the number of rows, and a row
        with more XML elements than any real row (a hostile file) stops the reading.

        Only the cells are read; column widths, validations and the like are skipped.
        """
        stack: list = []  # the open elements outside rows
        in_row = 0  # elements seen in the current row, 0 outside rows
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if in_row:
                    in_row += 1
                    if in_row > MAX_ROW_ELEMENTS:
                        raise _RowTooLarge(self.row_counter + 1)
                elif element.tag == ROW_TAG:
                    in_row = 1
                else:
                    stack.append(element)
                continue
            if in_row:
                if element.tag != ROW_TAG:
                    continue  # a cell or a part of one: read with its row
                in_row = 0
                yield self.parse_row(element)
            else:
                stack.pop()
            element.clear()
            if stack:
                stack[-1].remove(element)  # its only child left: removing it is O(1)

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        self.col_counter = 0
        return self.row_counter, [self._cell(element) for element in row]

    def _cell(self, element) -> tuple[int, object]:
        kind = element.get("t", "n")
        coordinate = element.get("r")
        if kind not in ("s", "inlineStr", "n") or not coordinate \
                or element.find(FORMULA_TAG) is not None:
            cell = self.parse_cell(element)
            return cell["column"], cell["value"]
        letters = coordinate.rstrip("0123456789")
        column = self._columns.get(letters)
        if column is None:
            column = self._columns[letters] = column_index_from_string(letters)
        self.col_counter = column
        if kind == "inlineStr":
            child = element.find(INLINE_STRING)
            return column, (_inline_text(child) if child is not None else None)
        text = element.findtext(VALUE_TAG)
        if not text:
            return column, None
        if kind == "s":
            return column, self.shared_strings[int(text)]
        if int(element.get("s", 0)) in self.date_formats:
            cell = self.parse_cell(element)
            return cell["column"], cell["value"]
        return column, _cast_number(text)


class _RowTooLarge(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"


def _inline_text(element) -> str:
    """The text of an <is> element: its <t>, or the <t> of each run (phonetic runs left out)."""
    parts = []
    for node in element:
        if node.tag == _TEXT_TAG:
            parts.append(node.text or "")
        elif node.tag == _RUN_TAG:
            text = node.find(_TEXT_TAG)
            if text is not None:
                parts.append(text.text or "")
    return "".join(parts)


def _sheet_rows(ws):
    """(Excel row number, tuple of values) for each row present in the sheet."""
    try:
        source = ws._get_source()
        parser = _SheetParser(source, ws._shared_strings, data_only=False, epoch=ws.parent.epoch,
                              date_formats=ws.parent._date_formats,
                              timedelta_formats=ws.parent._timedelta_formats)
    except AttributeError:  # another openpyxl version: its public reader, a little slower
        yield from enumerate(ws.iter_rows(values_only=True), start=1)
        return
    with source:
        for number, cells in parser.parse():
            if not cells:
                continue
            values = [None] * max(column for column, _ in cells)
            for column, value in cells:
                values[column - 1] = value
            yield number, values


def _read_sheet(ws, spec: ledger.Sheet, today: date, issues: list,
                tick: Callable[[int], None]) -> list[LedgerRow]:
    rows = _sheet_rows(ws)
    first = next(rows, None)
    if first is None or first[0] != 1 or all(ledger.is_blank(v) for v in first[1]):
        issues.append(ImportIssue(spec.name, 1, "", f"“{spec.name}”表是空的：第一行应为列名。"
                                                    "请使用台账模板填写。"))
        return []
    header = first[1]
    columns = _header_map(spec, header, issues)
    required = [c for c in columns.values() if c.required]
    width = len(header)
    headless_reported: set[int] = set()
    result = []
    for count, (number, values) in enumerate(rows):
        if count % 1000 == 999:
            tick(1000)
        parsed, bad, other_content = {}, set(), False
        for index, value in enumerate(values):
            if value is None:
                continue
            column = columns.get(index)
            if column is None:
                if ledger.is_blank(value):
                    continue
                other_content = True
                if (index >= width or ledger.is_blank(header[index])) \
                        and index not in headless_reported:
                    headless_reported.add(index)
                    issues.append(ImportIssue(spec.name, number, "",
                                              f"第{get_column_letter(index + 1)}列有内容但没有列名。"
                                              "请删除这些内容，或填上模板中的列名。"))
                continue
            try:
                cell = ledger.parse_cell(column, value, today)
            except ledger.CellError as error:
                issues.append(ImportIssue(spec.name, number, column.header, str(error)))
                bad.add(column.key)
                continue
            if cell is not None:
                parsed[column.key] = cell
        if not (parsed or bad or other_content):
            continue  # a blank row
        if len(result) >= MAX_ROWS:
            issues.append(ImportIssue(spec.name, number, "",
                                      f"行数超过 {MAX_ROWS} 行，请分成几个台账分别导入。"))
            break
        issues.extend(ImportIssue(spec.name, number, column.header,
                                  f"“{column.header}”是必填项，不能为空。")
                      for column in required if column.key not in parsed and column.key not in bad)
        result.append(LedgerRow(number, parsed))
    return result


def check_cancelled(is_cancelled: IsCancelled | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise ImportCancelled()


def read_file(path: Path, handle, check: LedgerCheck, today: date, tick) -> bool:
    workbook, problem = _open_workbook(path, handle)
    if problem:
        check.issues.append(problem)
        return False
    try:
        _read_workbook(workbook, check, today, tick)
    except ImportCancelled:
        raise
    except _RowTooLarge as error:
        check.issues.insert(0, file_issue(f"“{path.name}”第{error.row}行的单元格多得异常（Excel 一行最多"
                                        "16384列），程序停止了读取。请确认选对了文件，或在 Excel 或 WPS 中"
                                        "把内容复制到台账模板中另存后再导入。"))
        return False
    except Exception as error:  # noqa: BLE001 -- a sheet that opens but is malformed inside
        check.issues.append(file_issue(f"读取“{path.name}”时出错，文件可能已损坏。请在 Excel 或 WPS 中"
                                        f"重新保存为 .xlsx 后再试。（{type(error).__name__}）"))
        return False
    finally:
        workbook.close()
    return True


def reading_tick(is_cancelled: IsCancelled | None, progress: Progress | None):
    """Called every thousand rows read: cancel, and progress with total 0 (not known yet)."""
    read = [0]

    def tick(rows: int) -> None:
        read[0] += rows
        check_cancelled(is_cancelled)
        if progress is not None:
            progress(read[0], 0)

    return tick


def _read_workbook(workbook, check: LedgerCheck, today: date, tick) -> None:
    names = workbook.sheetnames
    if ledger.CHILDREN.name not in names:
        check.issues.append(file_issue(
            f"工作簿中没有“{ledger.CHILDREN.name}”表（现有：{'、'.join(names)}）。"
            "请使用台账模板，不要改动表名。"))
    else:
        check.children = _read_sheet(workbook[ledger.CHILDREN.name], ledger.CHILDREN, today,
                                     check.issues, tick)
    if ledger.VISITS.name in names:
        ws = workbook[ledger.VISITS.name]
        visits_issues: list[ImportIssue] = []
        check.visits = _read_sheet(ws, ledger.VISITS, today, visits_issues, tick)
        # A 走访记录 sheet left completely empty just means "no visits".
        if not (len(visits_issues) == 1 and not check.visits and visits_issues[0].row == 1
                and not visits_issues[0].column):
            check.issues.extend(visits_issues)
