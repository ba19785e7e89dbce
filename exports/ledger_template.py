"""The blank Excel ledger (台账) template, written from ``forms.ledger``.

Sheets: 填写说明 (how to fill it in, column by column), 儿童, 走访记录, and a hidden 选项
sheet holding the drop-down lists (a list typed into the validation itself may not exceed
255 characters, and the 民族 list does). Every cell goes through ``forms.spreadsheet``: a
village or 儿童主任 name starting with "=" stays text, never a formula.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from exports.atomic import ExportError, atomic_path
from forms import ledger
from forms.spreadsheet import put_value

ROWS = 10000  # rows prepared with drop-downs and formats
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FONT = Font(bold=True)
_PROMPT_MAX = 250  # Excel refuses input messages over 255 characters


class TemplateError(Exception):
    """The template could not be written; ``str()`` is a Chinese message."""


def write_ledger_template(path: str | os.PathLike, villages: Iterable[str] = (),
                          directors: Iterable[str] = (), rows: int = ROWS) -> Path:
    """Write the template; known villages and 儿童主任 become suggestions in drop-downs."""
    target = Path(path)
    wb = Workbook()
    _instructions(wb.active)
    lists = _choice_lists(wb.create_sheet(ledger.CHOICES_SHEET),
                          {"村(社区)": tuple(villages), "儿童主任": tuple(directors)})
    for spec in ledger.SHEETS:
        _data_sheet(wb.create_sheet(spec.name), spec, lists, rows)
    choices = wb[ledger.CHOICES_SHEET]
    choices.sheet_state = "hidden"
    wb.move_sheet(choices, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(choices.title))
    wb.active = 0
    _save(wb, target)
    return target


def _save(wb: Workbook, target: Path) -> None:
    try:
        with atomic_path(target, opened_by=" Excel 或 WPS ") as tmp:
            wb.save(tmp)
    except ExportError as error:
        raise TemplateError(str(error)) from error


def _append(ws, values) -> None:
    """``ws.append`` with every value through the formula guard."""
    ws.append([_cell(ws, value) for value in values])


def _cell(ws, value):
    cell = WriteOnlyCell(ws)  # a cell without a place yet: ``append`` gives it one
    put_value(cell, value)
    return cell


def _instructions(ws) -> None:
    ws.title = ledger.INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 90
    _append(ws, [ledger.TITLE + "填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    _append(ws, [])
    for line in ledger.INSTRUCTIONS:
        _append(ws, [line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=3)
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    for spec in ledger.SHEETS:
        _append(ws, [])
        _append(ws, [f"“{spec.name}”表：{spec.help}"])
        ws.cell(ws.max_row, 1).font = _HEADER_FONT
        _append(ws, ["列名", "是否必填", "填写要求"])
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        for column in spec.columns:
            _append(ws, [column.header, "必填" if column.required else "",
                       ledger.column_help(column)])
            ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")


def _choice_lists(ws, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """One column per list on the hidden sheet; returns header -> range formula."""
    wanted: dict[str, tuple[str, ...]] = {}
    for spec in ledger.SHEETS:
        for column in spec.columns:
            if column.kind == "choice":
                wanted[column.header] = column.choices
            elif column.kind == "bool":
                wanted[column.header] = (ledger.YES, ledger.NO)
    wanted.update({k: v for k, v in extra.items() if v})
    formulas = {}
    for index, (header, words) in enumerate(wanted.items(), start=1):
        letter = get_column_letter(index)
        put_value(ws.cell(1, index), header)
        for row, word in enumerate(words, start=2):
            put_value(ws.cell(row, index), word)
        formulas[header] = (f"{quote_sheetname(ledger.CHOICES_SHEET)}!"
                            f"${letter}$2:${letter}${len(words) + 1}")
    return formulas


def _data_sheet(ws, spec: ledger.Sheet, lists: dict[str, str], rows: int) -> None:
    _append(ws, list(spec.headers))
    ws.freeze_panes = "B2" if spec is ledger.CHILDREN else "A2"
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(1, index)
        header.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        header.fill = _HEADER_FILL
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        if column.kind == "date":
            dimension.number_format = "yyyy-mm-dd"
        elif column.kind in ("id_number", "phone"):
            dimension.number_format = "@"  # text: Excel would round 18 digits
        validation = _validation(column, lists.get(column.header))
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{rows + 1}")


def _validation(column: ledger.Column, list_formula: str | None) -> DataValidation | None:
    prompt = ledger.column_help(column)
    if len(prompt) > _PROMPT_MAX:
        prompt = "请从下拉列表中选择。" + (column.help or "")
        prompt = prompt[:_PROMPT_MAX]
    if list_formula and column.kind in ("choice", "bool"):
        dv = DataValidation(type="list", formula1=list_formula, allow_blank=True,
                            errorStyle="stop", showErrorMessage=True)
        dv.error = f"“{column.header}”{column.allowed_text()}。"[:_PROMPT_MAX]
    elif list_formula:  # suggestions only: new villages and 儿童主任 are allowed
        dv = DataValidation(type="list", formula1=list_formula, allow_blank=True,
                            errorStyle="information", showErrorMessage=False)
    elif column.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                            formula2="TODAY()", allow_blank=True, errorStyle="warning",
                            showErrorMessage=True)
        dv.error = "日期应在1900年1月1日至今天之间，格式如 2026-03-01。"
    elif prompt:
        dv = DataValidation(allow_blank=True)
    else:
        return None
    dv.errorTitle = "填写有误"
    if prompt:
        dv.promptTitle = column.header[:32]
        dv.prompt = prompt
        dv.showInputMessage = True
    return dv
