"""Importing an Excel ledger (台账): read, check every cell, then import all or nothing.

``validate_ledger`` reads the whole file and lists every problem at once; ``import_ledger``
refuses a ledger with any problem (and writes an error report next to it), otherwise it
imports in one transaction through the writer, so the audit trail shows each change and a
cancel or crash leaves nothing half-imported. Children are matched by ID number: importing
the same ledger twice changes nothing the second time. No Qt here (the GUI calls this off
its thread).
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
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

from forms import ledger, vocab
from forms.spreadsheet import put_text
from models.roles import check_can_write
from models.schema import (
    Carer,
    Child,
    ChildDirector,
    Contact,
    DirectorVillage,
    FamilyMember,
    RiskFinding,
    Village,
    database,
)
from models.writer import Writer
from models.xlsx_limits import MAX_ROW_ELEMENTS, TooLarge, check_package

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

_CHUNK = 900  # SQLite's bound-parameter limit
MAX_ROWS = 200_000
_PARENTS = (("father", "父亲"), ("mother", "母亲"))
_PERSON_FIELDS = ("name", "id_number", "status", "distance", "away_since", "phone")
_CARER_FIELDS = ("relation", "id_number", "phone")
# Child columns stored as they are (ledger key = Child field).
_CHILD_FIELDS = ("name", "ethnicity", "registration", "address", "school", "grade", "schooling",
                 "health", "disability_category", "disability_grade", "single_parent",
                 "entered_on", "notes")


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


@dataclass
class ImportSummary:
    new_children: int = 0
    updated_children: int = 0
    unchanged_children: int = 0
    new_villages: int = 0
    new_directors: int = 0
    visits_added: int = 0
    visits_already_present: int = 0
    risk_findings_added: int = 0

    def lines(self) -> list[str]:
        return [
            f"新建儿童档案：{self.new_children} 名",
            f"更新儿童档案：{self.updated_children} 名",
            f"内容无变化：{self.unchanged_children} 名",
            f"新建村（社区）：{self.new_villages} 个",
            f"新建儿童主任：{self.new_directors} 名",
            f"新增走访记录：{self.visits_added} 条（已有而未重复导入：{self.visits_already_present} 条）",
            f"新增风险情形：{self.risk_findings_added} 项",
        ]


class LedgerInvalid(Exception):
    """The ledger has problems; nothing was imported."""

    def __init__(self, issues: list[ImportIssue], report_path: Path | None = None):
        self.issues = issues
        self.report_path = report_path
        text = f"台账中有 {len(issues)} 处问题，未导入任何数据。"
        if report_path:
            text += f"错误报告已保存到：{report_path}"
        super().__init__(text)


EMPTY_LEDGER = ("台账“{name}”中没有填写任何儿童或走访记录（只有表头），没有可导入的内容。"
                "请在“儿童”表和“走访记录”表中从第2行起逐行填写（每名儿童、每次走访一行）后再导入。")


class LedgerEmpty(Exception):
    """The ledger has no row to import (e.g. the blank template); nothing was imported."""

    def __init__(self, path):
        self.path = Path(path)
        super().__init__(EMPTY_LEDGER.format(name=self.path.name))


class ImportCancelled(Exception):
    def __init__(self, message: str = "导入已取消，档案库没有任何改动。"):
        super().__init__(message)


# -- reading the workbook --------------------------------------------------------------------

def _file_issue(message: str) -> ImportIssue:
    return ImportIssue("", None, "", message)


def _open_workbook(path: Path, handle):
    """The workbook, or an issue saying in words why the file cannot be read."""
    try:
        head = handle.read(8)
        handle.seek(0)
    except OSError as error:
        return None, _file_issue(f"无法读取文件“{path.name}”：{error.strerror or error}")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return None, _file_issue(f"“{path.name}”是旧版 Excel（.xls）文件，或是设置了打开密码的工作簿。"
                                 "请在 Excel 或 WPS 中取消密码并“另存为” Excel 工作簿（.xlsx）后再导入。")
    if not head.startswith(b"PK"):
        return None, _file_issue(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。请使用台账模板填写"
                                 "，或在 Excel、WPS 中另存为 .xlsx 后再导入。")
    try:
        check_package(handle, path.name)  # before openpyxl reads anything into memory
    except TooLarge as error:
        return None, _file_issue(str(error))
    try:
        # data_only=False: a formula shows as its "=…" text and is reported; with cached
        # values only, a formula saved without a result would read as a blank cell.
        workbook = _load_workbook(handle)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError,
            AttributeError, EOFError, zipfile.LargeZipFile) as error:
        return None, _file_issue(f"“{path.name}”已损坏或不是有效的 Excel 工作簿（.xlsx），无法打开。"
                                 f"请在 Excel 或 WPS 中打开并重新保存后再试。（{type(error).__name__}）")
    except Exception as error:  # noqa: BLE001 -- openpyxl raises many kinds on malformed parts
        return None, _file_issue(f"“{path.name}”无法作为 Excel 工作簿读取，请在 Excel 或 WPS 中重新保存"
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
    for header in spec.required_headers:
        if header not in seen:
            issues.append(ImportIssue(spec.name, 1, header,
                                      f"缺少必填列“{header}”。请使用台账模板，不要删除或改动列名。"))
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
        for column in required:
            if column.key not in parsed and column.key not in bad:
                issues.append(ImportIssue(spec.name, number, column.header,
                                          f"“{column.header}”是必填项，不能为空。"))
        result.append(LedgerRow(number, parsed))
    return result


def _check_cancelled(is_cancelled: IsCancelled | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise ImportCancelled()


# -- checks across cells and rows ------------------------------------------------------------

def _check_children(rows: list[LedgerRow], issues: list) -> None:
    sheet = ledger.CHILDREN.name
    first_row: dict[str, int] = {}
    for row in rows:
        v = row.values
        number = v.get("id_number")
        if number:
            if number in first_row:
                issues.append(ImportIssue(sheet, row.row, "身份证号",
                                          f"身份证号与第{first_row[number]}行重复：同一名儿童只能占一行。"))
            else:
                first_row[number] = row.row
            birth = _birth_date(number)
            entered = v.get("entered_on")
            if entered and entered < birth:
                issues.append(ImportIssue(sheet, row.row, "登记日期",
                                          f"登记日期{entered.isoformat()}早于儿童的出生日期"
                                          f"{birth.isoformat()}，请核对。"))
        for key, relation in _PARENTS:
            _check_parent(row, key, relation, issues)
        carer_given = any(v.get(f"carer_{k}") for k in _CARER_FIELDS)
        if carer_given and not v.get("carer_name"):
            issues.append(ImportIssue(sheet, row.row, "照护人姓名",
                                      "填写了照护人的其他信息，但“照护人姓名”为空，请补填姓名。"))


def _check_parent(row: LedgerRow, key: str, relation: str, issues: list) -> None:
    sheet, v = ledger.CHILDREN.name, row.values
    status = v.get(f"{key}_status")
    if status and status != "外出务工":
        for suffix, label in (("distance", "外出范围"), ("away_since", "外出起始日期")):
            if v.get(f"{key}_{suffix}"):
                issues.append(ImportIssue(sheet, row.row, f"{relation}{label}",
                                          f"{relation}状况为“{status}”，不应填写“{relation}{label}”；"
                                          f"只有状况为“外出务工”时才填写。"))
    number = v.get(f"{key}_id_number")
    expected = "男" if relation == "父亲" else "女"
    if number and _sex(number) != expected:
        issues.append(ImportIssue(sheet, row.row, f"{relation}身份证号",
                                  f"{relation}身份证号显示的性别不是{expected}性，请核对是否填错。"))
    if number and number == v.get("id_number"):
        issues.append(ImportIssue(sheet, row.row, f"{relation}身份证号",
                                  f"{relation}身份证号与儿童本人的身份证号相同，请核对。"))


def _check_visits(rows: list[LedgerRow], children: list[LedgerRow], known: set[str] | None,
                  issues: list) -> None:
    sheet = ledger.VISITS.name
    in_sheet = {r.values["id_number"] for r in children if r.values.get("id_number")}
    for row in rows:
        number, on = row.values.get("id_number"), row.values.get("on")
        if not number:
            continue
        if number not in in_sheet and known is not None and number not in known:
            issues.append(ImportIssue(sheet, row.row, "身份证号",
                                      f"身份证号为 {number} 的儿童既不在“儿童”表中，也不在档案库中。"
                                      "请先在“儿童”表中登记该儿童。"))
        birth = _birth_date(number)
        if on and on < birth:
            issues.append(ImportIssue(sheet, row.row, "日期",
                                      f"走访日期{on.isoformat()}早于儿童的出生日期{birth.isoformat()}，请核对。"))


# ID numbers here have passed ``parse_id_number`` already: read the parts directly.
def _birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _sex(number: str) -> str:
    return "男" if int(number[16]) % 2 == 1 else "女"


def _existing_id_numbers(numbers: Iterable[str]) -> set[str]:
    numbers = sorted(set(numbers))
    found = set()
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start:start + _CHUNK]
        found.update(n for (n,) in Child.select(Child.id_number)
                     .where(Child.id_number.in_(chunk)).tuples())
    return found


def _validate(path, with_archive: bool, today: date,
              is_cancelled: IsCancelled | None = None,
              progress: Progress | None = None) -> LedgerCheck:
    path = Path(path)
    check = LedgerCheck()
    if not path.is_file():
        check.issues.append(_file_issue(f"找不到文件：{path}"))
        return check
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, after openpyxl is done
    except OSError as error:
        check.issues.append(_file_issue(f"无法读取文件“{path.name}”：{error.strerror or error}"))
        return check
    # openpyxl warns (in English) about parts it does not keep, such as WPS extensions.
    with handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not _read_file(path, handle, check, today, _reading_tick(is_cancelled, progress)):
            return check
    _check_children(check.children, check.issues)
    known = None
    if with_archive:
        visit_numbers = {r.values["id_number"] for r in check.visits if r.values.get("id_number")}
        known = _existing_id_numbers(visit_numbers)
    _check_visits(check.visits, check.children, known, check.issues)
    check.issues.sort(key=lambda i: (_sheet_order(i.sheet), i.row or 0))
    return check


def _sheet_order(name: str) -> int:
    names = [""] + [s.name for s in ledger.SHEETS]
    return names.index(name) if name in names else len(names)


def _read_file(path: Path, handle, check: LedgerCheck, today: date, tick) -> bool:
    workbook, problem = _open_workbook(path, handle)
    if problem:
        check.issues.append(problem)
        return False
    try:
        _read_workbook(workbook, check, today, tick)
    except ImportCancelled:
        raise
    except _RowTooLarge as error:
        check.issues.insert(0, _file_issue(f"“{path.name}”第{error.row}行的单元格多得异常（Excel 一行最多"
                                        "16384列），程序停止了读取。请确认选对了文件，或在 Excel 或 WPS 中"
                                        "把内容复制到台账模板中另存后再导入。"))
        return False
    except Exception as error:  # noqa: BLE001 -- a sheet that opens but is malformed inside
        check.issues.append(_file_issue(f"读取“{path.name}”时出错，文件可能已损坏。请在 Excel 或 WPS 中"
                                        f"重新保存为 .xlsx 后再试。（{type(error).__name__}）"))
        return False
    finally:
        workbook.close()
    return True


def _reading_tick(is_cancelled: IsCancelled | None, progress: Progress | None):
    """Called every thousand rows read: cancel, and progress with total 0 (not known yet)."""
    read = [0]

    def tick(rows: int) -> None:
        read[0] += rows
        _check_cancelled(is_cancelled)
        if progress is not None:
            progress(read[0], 0)

    return tick


def _read_workbook(workbook, check: LedgerCheck, today: date, tick) -> None:
    names = workbook.sheetnames
    if ledger.CHILDREN.name not in names:
        check.issues.append(_file_issue(
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


def validate_ledger(path, archive=None, today: date | None = None) -> LedgerCheck:
    """Read and check a ledger without importing. With ``archive`` (open), visit rows are
    also checked against the children already in the archive."""
    return _validate(path, archive is not None, today or date.today())


# -- the error report ------------------------------------------------------------------------

def default_report_path(ledger_path) -> Path:
    ledger_path = Path(ledger_path)
    return ledger_path.with_name(f"{ledger_path.stem}-错误报告.xlsx")


def write_issue_report(issues: list[ImportIssue], path, source=None) -> Path:
    """An .xlsx listing every problem: where it is and how to fix it.

    Written row by row (openpyxl's write-only mode): time and memory grow linearly with
    the number of problems. Every text goes through the formula guard of
    ``forms.spreadsheet``: a ledger header such as ``=HYPERLINK(…)`` quoted in a message or
    as the column stays text.
    """
    target = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误报告")
    for letter, width in zip("ABCDE", (6, 10, 6, 16, 90)):
        ws.column_dimensions[letter].width = width
    title = f"台账检查发现 {len(issues)} 处问题，未导入任何数据。请逐条改正后重新导入。"
    lines = [[_report_cell(ws, title, Font(bold=True, size=12))]]
    if source:
        lines.append([_report_cell(ws, f"台账文件：{Path(source).name}")])
    lines.append([])
    header_row = len(lines) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FCE4D6")
    lines.append([_report_cell(ws, text, bold, fill)
                  for text in ("序号", "工作表", "行号", "列", "问题及修改方法")])
    for line in lines:
        ws.append(line)
    # openpyxl hashes a style object on every assignment: the wrapped style is built once
    # and its internal array copied to each message cell.
    wrap = _report_cell(ws, "", alignment=Alignment(wrap_text=True, vertical="top"))._style
    for number, issue in enumerate(issues, start=1):
        message = _report_cell(ws, issue.message)
        quoted = message.quotePrefix
        message._style = copy(wrap)
        if quoted:
            message.quotePrefix = True
        ws.append([number, _report_cell(ws, issue.sheet or "（整个文件）"), issue.row,
                   _report_cell(ws, issue.column), message])
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _report_cell(ws, text, font=None, fill=None, alignment=None):
    cell = WriteOnlyCell(ws)
    put_text(cell, text)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


# -- importing -------------------------------------------------------------------------------

def import_ledger(path, writer: Writer, progress: Progress | None = None,
                  is_cancelled: IsCancelled | None = None, report_path=None,
                  today: date | None = None) -> ImportSummary:
    """Import a ledger into the open archive, all or nothing.

    Raises ``LedgerInvalid`` (with the report's path) when any cell or row has a problem,
    ``LedgerEmpty`` when there is no row at all (the blank template),
    ``ImportCancelled`` when ``is_cancelled()`` turns true; in both cases nothing changed.
    ``progress(done, total)`` is called while reading with total 0 (rows read so far, total
    not known yet), then while importing with the real total (children twice, visits once).
    """
    today = today or date.today()
    check_can_write(writer.role, Child)  # a 查阅 user learns it before the file is read
    check = _validate(path, True, today, is_cancelled, progress)
    if check.issues:
        report = Path(report_path) if report_path else default_report_path(path)
        try:
            write_issue_report(check.issues, report, source=path)
        except OSError:
            report = None
        raise LedgerInvalid(check.issues, report)
    if check.empty:
        raise LedgerEmpty(path)
    changed: set[int] = set()
    # Children touched are collected and the cached state refreshed once, at the end.
    quiet = Writer(writer.username, writer.role, changed.update)
    with database.atomic():
        summary = _Importer(quiet, check, today, progress, is_cancelled).run()
        notify = getattr(writer, "_on_children_changed", None)
        if changed and notify is not None:
            notify(changed)
    return summary


class _Importer:
    def __init__(self, writer: Writer, check: LedgerCheck, today: date,
                 progress: Progress | None, is_cancelled: IsCancelled | None):
        self.writer, self.check, self.today = writer, check, today
        self.progress, self.is_cancelled = progress, is_cancelled
        self.summary = ImportSummary()
        self.total = len(check.children) * 2 + len(check.visits)
        self.done = 0
        self.child_ids: dict[str, int] = {}  # ID number -> Child.id
        self.changed: set[int] = set()  # existing children with any change
        self.old_ids: set[int] = set()

    def _step(self, count: int = 1) -> None:
        self.done += count
        if self.done % 500 < count or self.done == self.total:
            _check_cancelled(self.is_cancelled)
            if self.progress:
                self.progress(self.done, self.total)

    def run(self) -> ImportSummary:
        rows = self.check.children
        existing = _children_by_id_number(
            [r.values["id_number"] for r in rows]
            + [r.values["id_number"] for r in self.check.visits])
        self.child_ids = {number: child.id for number, child in existing.items()}
        self.old_ids = set(self.child_ids.values())
        villages = self._villages({r.values["village"] for r in rows})
        directors = self._directors({r.values["director"] for r in rows if r.values.get("director")})
        self._children(rows, existing, villages, directors)
        self._link_directors(rows, villages, directors)
        self._people(rows, existing)
        self._risk_findings(rows)
        self._visits(self.check.visits)
        known = sum(1 for r in rows if r.values["id_number"] in existing)
        self.summary.updated_children = len(self.changed)
        self.summary.unchanged_children = known - len(self.changed)
        if self.progress:
            self.progress(self.total, self.total)
        return self.summary

    # villages and 儿童主任 ----------------------------------------------------------------
    def _villages(self, names: set[str]) -> dict[str, int]:
        ids = {name: id_ for name, id_ in Village.select(Village.name, Village.id).tuples()}
        new = sorted(n for n in names if n not in ids)
        if new:
            created = self.writer.create_many(
                Village, [{"name": n, "kind": "社区" if n.endswith("社区") else "村"} for n in new])
            ids.update(zip(new, created))
            self.summary.new_villages = len(new)
        return ids

    def _directors(self, names: set[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for name, id_ in (ChildDirector.select(ChildDirector.name, ChildDirector.id)
                          .order_by(ChildDirector.id).tuples()):
            ids.setdefault(name, id_)
        new = sorted(n for n in names if n not in ids)
        if new:
            created = self.writer.create_many(ChildDirector, [{"name": n} for n in new])
            ids.update(zip(new, created))
            self.summary.new_directors = len(new)
        return ids

    def _link_directors(self, rows, villages, directors) -> None:
        pairs = {(directors[r.values["director"]], villages[r.values["village"]])
                 for r in rows if r.values.get("director")}
        if not pairs:
            return
        known = set(DirectorVillage.select(DirectorVillage.director, DirectorVillage.village).tuples())
        new = sorted(pairs - known)
        if new:
            self.writer.create_many(DirectorVillage, [{"director": d, "village": v} for d, v in new])

    # children -------------------------------------------------------------------------------
    def _children(self, rows, existing: dict[str, Child], villages, directors) -> None:
        new_rows, new_numbers = [], []
        for row in rows:
            v = row.values
            fields = {k: v[k] for k in _CHILD_FIELDS if k in v}
            fields["village"] = villages[v["village"]]
            if "director" in v:
                fields["director"] = directors[v["director"]]
            if "hardship_categories" in v:
                fields["hardship_categories"] = vocab.join_multi(v["hardship_categories"])
            child = existing.get(v["id_number"])
            if child is None:
                new_rows.append(_new_child_row(v["id_number"], fields, self.today))
                new_numbers.append(v["id_number"])
            else:
                changes = _child_changes(child, fields)
                if changes and self.writer.update(child, **changes):
                    self.changed.add(child.id)
            self._step()
        if new_rows:
            ids = self.writer.create_many(Child, new_rows)
            self.child_ids.update(zip(new_numbers, ids))
            self.summary.new_children = len(ids)

    # parents and carers ---------------------------------------------------------------------
    def _people(self, rows, existing: dict[str, Child]) -> None:
        old_ids = [existing[r.values["id_number"]].id for r in rows if r.values["id_number"] in existing]
        members = _members_by_child(old_ids)
        carers = _current_carers(old_ids)
        new_members, new_carers = [], []
        for row in rows:
            v = row.values
            child_id = self.child_ids[v["id_number"]]
            for key, relation in _PARENTS:
                fields = {f: v[f"{key}_{f}"] for f in _PERSON_FIELDS if f"{key}_{f}" in v}
                if not fields:
                    continue
                if fields.get("status", "外出务工") != "外出务工":  # back home: no longer away
                    fields.update(distance=None, away_since=None)
                member = members.get((child_id, relation))
                if member is None:
                    new_members.append(_new_member_row(child_id, relation, fields))
                elif self._update(member, fields):
                    self.changed.add(child_id)
            if v.get("carer_name"):
                self._carer(child_id, v, carers.get(child_id), new_carers)
            self._step()
        if new_members:
            self.writer.create_many(FamilyMember, new_members)
            self._mark_changed(r["child"] for r in new_members)
        if new_carers:
            self.writer.create_many(Carer, new_carers)
            self._mark_changed(r["child"] for r in new_carers)

    def _carer(self, child_id: int, v: dict, current: Carer | None, new_carers: list) -> None:
        fields = {f: v[f"carer_{f}"] for f in _CARER_FIELDS if f"carer_{f}" in v}
        if current is not None and current.name == v["carer_name"]:
            if self._update(current, fields):
                self.changed.add(child_id)
            return
        if current is not None:  # a different person cares for the child now
            self.writer.update(current, current=False)
        new_carers.append({"child": child_id, "name": v["carer_name"], "relation": "",
                           "id_number": "", "phone": "", "current": True, **fields})

    def _update(self, instance, fields: dict) -> bool:
        changes = {k: value for k, value in fields.items() if getattr(instance, k) != value}
        return bool(changes) and bool(self.writer.update(instance, **changes))

    def _mark_changed(self, child_ids: Iterable[int]) -> None:
        self.changed.update(i for i in child_ids if i in self.old_ids)

    # risk findings --------------------------------------------------------------------------
    def _risk_findings(self, rows) -> None:
        wanted = [(self.child_ids[r.values["id_number"]], criterion,
                   r.values.get("entered_on") or self.today)
                  for r in rows for criterion in r.values.get("risk_criteria", ())]
        if not wanted:
            return
        open_findings = _open_findings({c for c, _, _ in wanted})
        new = [{"child": c, "criterion": crit, "found_on": on}
               for c, crit, on in wanted if (c, crit) not in open_findings]
        if new:
            self.writer.create_many(RiskFinding, new)
            self._mark_changed(r["child"] for r in new)
            self.summary.risk_findings_added = len(new)

    # visits ---------------------------------------------------------------------------------
    def _visits(self, rows) -> None:
        if not rows:
            return
        child_ids = {self.child_ids[r.values["id_number"]] for r in rows}
        seen = _visit_keys(child_ids)
        new = []
        for row in rows:
            v = row.values
            child_id = self.child_ids[v["id_number"]]
            key = (child_id, v["on"], v["kind"], v.get("visitor", ""))
            if key in seen:
                self.summary.visits_already_present += 1
            else:
                seen.add(key)
                new.append({"child": child_id, "on": v["on"], "kind": v["kind"],
                            "visitor": v.get("visitor", ""), "living": v.get("living", ""),
                            "problems": v.get("problems", ""), "actions": v.get("actions", "")})
            self._step()
        if new:
            self.writer.create_many(Contact, new)
            self.summary.visits_added = len(new)


# -- lookups, a chunk of IDs at a time -------------------------------------------------------

def _chunks(items: list):
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _children_by_id_number(numbers: list[str]) -> dict[str, Child]:
    found = {}
    for chunk in _chunks(sorted(set(numbers))):
        for child in Child.select().where(Child.id_number.in_(chunk)):
            found[child.id_number] = child
    return found


def _members_by_child(child_ids: list[int]) -> dict[tuple[int, str], FamilyMember]:
    found = {}
    for chunk in _chunks(sorted(set(child_ids))):
        query = (FamilyMember.select()
                 .where(FamilyMember.child.in_(chunk)
                        & FamilyMember.relation.in_([r for _, r in _PARENTS]))
                 .order_by(FamilyMember.id))
        for member in query:
            found.setdefault((member.child_id, member.relation), member)
    return found


def _current_carers(child_ids: list[int]) -> dict[int, Carer]:
    found = {}
    for chunk in _chunks(sorted(set(child_ids))):
        query = (Carer.select().where(Carer.child.in_(chunk) & (Carer.current == True))
                 .order_by(Carer.id))
        for carer in query:
            found.setdefault(carer.child_id, carer)
    return found


def _open_findings(child_ids: set[int]) -> set[tuple[int, str]]:
    found = set()
    for chunk in _chunks(sorted(child_ids)):
        found.update(RiskFinding.select(RiskFinding.child, RiskFinding.criterion)
                     .where(RiskFinding.child.in_(chunk) & RiskFinding.resolved_on.is_null())
                     .tuples())
    return found


def _visit_keys(child_ids: set[int]) -> set[tuple]:
    found = set()
    for chunk in _chunks(sorted(child_ids)):
        found.update(Contact.select(Contact.child, Contact.on, Contact.kind, Contact.visitor)
                     .where(Contact.child.in_(chunk)).tuples())
    return found


# -- rows for new records and changes to old ones --------------------------------------------

_CHILD_DEFAULTS = {
    "ethnicity": "", "registration": "农村", "address": "", "school": "", "grade": "",
    "schooling": "", "health": "", "disability_category": "", "disability_grade": "",
    "single_parent": False, "hardship_categories": "", "notes": "", "director": None,
}


def _new_child_row(id_number: str, fields: dict, today: date) -> dict:
    row = {"id_number": id_number, **_CHILD_DEFAULTS, **fields}
    row.setdefault("entered_on", today)
    return row


def _child_changes(child: Child, fields: dict) -> dict:
    changes = {}
    for key, value in fields.items():
        if key in ("village", "director"):
            current = getattr(child, f"{key}_id")
        elif key == "hardship_categories":
            if set(vocab.split_multi(child.hardship_categories)) == set(vocab.split_multi(value)):
                continue
            current = child.hardship_categories
        else:
            current = getattr(child, key)
        if current != value:
            changes[key] = value
    return changes


def _new_member_row(child_id: int, relation: str, fields: dict) -> dict:
    row = {"child": child_id, "relation": relation, "name": "", "id_number": "", "status": "在家",
           "distance": None, "away_since": None, "phone": ""}
    row.update(fields)
    return row
