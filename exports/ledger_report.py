"""The error report of a ledger that could not be imported (台账错误报告, .xlsx)."""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from exports.atomic import atomic_path
from forms.spreadsheet import put_text


def default_report_path(ledger_path) -> Path:
    ledger_path = Path(ledger_path)
    return ledger_path.with_name(f"{ledger_path.stem}-错误报告.xlsx")


def write_issue_report(issues: list, path=None, source=None) -> Path:
    """An .xlsx listing every problem (``models.ledger_reading.ImportIssue``s): where it is and
    how to fix it. Without ``path``, beside the ledger ``source`` (``default_report_path``).

    Written row by row (openpyxl's write-only mode): time and memory grow linearly with
    the number of problems. Every text goes through the formula guard of
    ``forms.spreadsheet``: a ledger header such as ``=HYPERLINK(…)`` quoted in a message or
    as the column stays text.
    """
    target = Path(path) if path else default_report_path(source)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误报告")
    for letter, width in zip("ABCDE", (6, 10, 6, 16, 90), strict=True):
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
    with atomic_path(target, opened_by=" Excel 或 WPS ") as tmp:
        wb.save(tmp)
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
