"""Generated cells in a generated .xlsx ledger: checking and importing never crash, every
problem is reported in Chinese, and a refused ledger changes nothing."""

import re
from datetime import date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from exports.ledger_report import write_issue_report
from forms import ledger, vocab
from forms.idnumber import make_id_number
from models.audit import verify_chain
from models.ledger_import import LedgerEmpty, LedgerInvalid, import_ledger, validate_ledger
from models.schema import AuditEntry, Child, Contact, FamilyMember

CJK = re.compile(r"[\u4e00-\u9fff]")

writable_text = st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
good_ids = st.builds(lambda d, n, m: make_id_number("140428", d, n, m),
                     st.dates(date(2009, 1, 1), date(2024, 12, 31)), st.integers(0, 999),
                     st.booleans())
cells = st.one_of(
    st.none(), writable_text, st.integers(-10**15, 10**15), st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(date(1900, 1, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1900, 1, 1), datetime(9999, 12, 31)), st.times(),
    good_ids, st.just("字" * 5000), st.just(" " * 300),
    st.sampled_from(["是", "否", "男", "女", "汉族", "入户走访", "电话", "低保、重残", "低保；孤儿",
                     "2025-02-30", "2025年13月1日", "1899-12-31", "20250101", "#N/A", "#REF!",
                     "=1/0", "=SUM(A1:A3)", "110101201501011234", "11010120150101123x",
                     "13800138000", "0355-1234567", "东坡村", "\u202e", "\U0001F600", "'123"]),
    *(st.sampled_from(choices) for choices in (vocab.ETHNICITIES[:5], vocab.CONTACT_KINDS,
                                               vocab.HARDSHIP_CATEGORIES)),
)


VALID = {"姓名": "王明", "村(社区)": "东坡村", "民族": "汉族", "单亲家庭": "否", "困境类别": "低保",
         "登记日期": date(2025, 1, 1), "父亲姓名": "王大", "日期": date(2025, 3, 1), "方式": "电话",
         "走访人": "张主任", "情况记录": "生活正常"}


def valid_row(headers, id_number):
    return [id_number if h == "身份证号" else VALID.get(h) for h in headers]


@st.composite
def ledgers(draw):
    """Half are a clerk's ledger with a few wrong cells, half are cells of anything."""
    sheets = {}
    ids = draw(st.lists(good_ids, min_size=1, max_size=4, unique=True))
    clerk = draw(st.booleans())
    for spec in ledger.SHEETS:
        headers = list(spec.headers)
        if not clerk and draw(st.booleans()):  # own column order, missing or extra columns
            headers = draw(st.permutations(headers))[: draw(st.integers(1, len(headers)))]
            headers += draw(st.lists(writable_text, max_size=2))
        if clerk:
            rows = [valid_row(headers, i) for i in ids]
            if rows and draw(st.booleans()):  # a cell typed wrong
                row = draw(st.sampled_from(rows))
                row[draw(st.integers(0, len(row) - 1))] = draw(cells)
        else:
            rows = draw(st.lists(st.lists(cells, min_size=len(headers), max_size=len(headers)),
                                 max_size=5))
        sheets[spec.name] = (headers, rows)
    return sheets


def write(path, sheets) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, (headers, rows) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in rows:
            ws.append(row)
    wb.save(path)


def counts():
    return (Child.select().count(), Contact.select().count(), FamilyMember.select().count(),
            AuditEntry.select().count())


@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(sheets=ledgers())
def test_generated_ledgers_never_crash(new_archive, tmp_path, sheets):
    path = tmp_path / "台账.xlsx"
    write(path, sheets)
    check = validate_ledger(path, new_archive, today=date(2026, 1, 1))
    for issue in check.issues:
        assert CJK.search(issue.message), issue
        assert issue.where()
    before = counts()
    try:
        import_ledger(path, new_archive.writer(), today=date(2026, 1, 1),
                      report_path=tmp_path / "报告.xlsx", write_report=write_issue_report)
    except LedgerInvalid as exc:
        assert "未导入任何数据" in str(exc) and exc.issues
        assert counts() == before
    except LedgerEmpty as exc:  # no row at all: refused, not "imported" with every count 0
        assert check.empty and "没有填写任何儿童或走访记录" in str(exc)
        assert counts() == before
    else:
        assert check.ok
        IMPORTED.append(counts()[0] - before[0])
    assert verify_chain() == []


IMPORTED: list[int] = []  # children added per accepted ledger, for tuning the generator


def test_time_only_and_error_cells_are_reported(new_archive, tmp_path):
    row = [None] * len(ledger.CHILDREN.headers)
    headers = list(ledger.CHILDREN.headers)
    row[headers.index("姓名")] = "王明"
    row[headers.index("身份证号")] = make_id_number("140428", date(2015, 1, 1), 1, True)
    row[headers.index("村(社区)")] = "东坡村"
    row[headers.index("登记日期")] = time(8, 30)
    row[headers.index("单亲家庭")] = "#N/A"
    path = tmp_path / "台账.xlsx"
    write(path, {ledger.CHILDREN.name: (headers, [row]),
                 ledger.VISITS.name: (list(ledger.VISITS.headers), [])})
    check = validate_ledger(path, today=date(2026, 1, 1))
    columns = {issue.column for issue in check.issues}
    assert {"登记日期", "单亲家庭"} <= columns
