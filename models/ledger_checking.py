"""Checking a ledger that has been read: across the cells of a row and across rows.

``validate_ledger`` reads (``models.ledger_reading``) and checks the whole file and lists every
problem at once, sorted by sheet and row; with the archive open, visit rows are also checked
against the children already in it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from forms import ledger
from forms.idnumber import birth_date_of, sex_of
from models.ledger_reading import (
    ImportIssue,
    IsCancelled,
    LedgerCheck,
    LedgerRow,
    Progress,
    file_issue,
    read_file,
    reading_tick,
)
from models.schema import Child

CHUNK = 900  # SQLite's bound-parameter limit
PARENTS = (("father", "父亲"), ("mother", "母亲"))  # ledger key prefix, relation
CARER_KEYS = ("carer_relation", "carer_id_number", "carer_phone")  # besides 照护人姓名


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
            birth = birth_date_of(number)
            entered = v.get("entered_on")
            if entered and entered < birth:
                issues.append(ImportIssue(sheet, row.row, "登记日期",
                                          f"登记日期{entered.isoformat()}早于儿童的出生日期"
                                          f"{birth.isoformat()}，请核对。"))
        for key, relation in PARENTS:
            _check_parent(row, key, relation, issues)
        carer_given = any(v.get(k) for k in CARER_KEYS)
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
    if number and sex_of(number) != expected:
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
        birth = birth_date_of(number)
        if on and on < birth:
            issues.append(ImportIssue(sheet, row.row, "日期",
                                      f"走访日期{on.isoformat()}早于儿童的出生日期{birth.isoformat()}，请核对。"))


def _existing_id_numbers(numbers: Iterable[str]) -> set[str]:
    numbers = sorted(set(numbers))
    found = set()
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start:start + CHUNK]
        found.update(n for (n,) in Child.select(Child.id_number)
                     .where(Child.id_number.in_(chunk)).tuples())
    return found


def check_ledger(path, with_archive: bool, today: date,
              is_cancelled: IsCancelled | None = None,
              progress: Progress | None = None) -> LedgerCheck:
    path = Path(path)
    check = LedgerCheck()
    if not path.is_file():
        check.issues.append(file_issue(f"找不到文件：{path}"))
        return check
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, after openpyxl is done
    except OSError as error:
        check.issues.append(file_issue(f"无法读取文件“{path.name}”：{error.strerror or error}"))
        return check
    # openpyxl warns (in English) about parts it does not keep, such as WPS extensions.
    with handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not read_file(path, handle, check, today, reading_tick(is_cancelled, progress)):
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


def validate_ledger(path, archive=None, today: date | None = None) -> LedgerCheck:
    """Read and check a ledger without importing. With ``archive`` (open), visit rows are
    also checked against the children already in the archive."""
    return check_ledger(path, archive is not None, today or date.today())
