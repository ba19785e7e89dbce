"""导入台账 page: every problem is shown and nothing imported; a clean ledger imports with a summary."""

from datetime import date
from functools import partial

import pytest
from openpyxl import load_workbook

from desktop.context import AppContext
from desktop.pages.ledger_import import Page
from desktop.worker import run_in_background
from exports.ledger_template import write_ledger_template
from forms import ledger
from forms.idnumber import make_id_number
from models.ledger_import import LedgerInvalid, validate_ledger
from models.schema import AuditEntry, Child, Village


def child_row(i, **over):
    row = {"姓名": f"王明{i}", "身份证号": make_id_number("140428", date(2015, 3, 1 + i), i, True),
           "民族": "汉族", "户籍类型": "农村", "村(社区)": "东坡村", "家庭住址": f"{i}号",
           "就学状况": "小学", "健康状况": "健康", "父亲姓名": "王大", "父亲状况": "外出务工",
           "父亲外出范围": "跨省", "父亲外出起始日期": date(2024, 1, 1), "母亲姓名": "李二",
           "母亲状况": "外出务工", "母亲外出范围": "跨市", "母亲外出起始日期": date(2024, 2, 1),
           "登记日期": date(2025, 1, 1)}
    row.update(over)
    return row


def make_ledger(path, children):
    write_ledger_template(path)
    wb = load_workbook(path)
    ws = wb[ledger.CHILDREN.name]
    for row in children:
        ws.append([row.get(h) for h in ledger.CHILDREN.headers])
    wb.save(path)
    return path


@pytest.fixture
def page(qtbot, new_archive):
    context = AppContext(archive=new_archive)
    context.run_in_background = partial(run_in_background, show_dialog=False)
    widget = Page(context)
    qtbot.addWidget(widget)
    return widget


def wait(qtbot, task):
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None, task.error_text


def test_a_ledger_with_errors_shows_every_error_and_imports_nothing(page, qtbot, tmp_path):
    bad = [child_row(1, 身份证号="140428201503011234"),  # wrong check digit
           child_row(2, 就学状况="上学"),  # not a word of the vocabulary
           child_row(3, **{"村(社区)": None}),
           child_row(4), child_row(4, 姓名="重复")]  # the same child twice
    path = make_ledger(tmp_path / "台账.xlsx", bad)
    before = AuditEntry.select().count()
    wait(qtbot, page.choose(str(path)))
    expected = validate_ledger(path, page.context.archive).issues
    assert len(expected) >= 4
    shown = [tuple(page.table.item(r, c).text() for c in range(4)) for r in range(page.table.rowCount())]
    assert shown == [(i.sheet or "（文件）", str(i.row or ""), i.column, i.message) for i in expected]
    assert {row for _s, row, _c, _m in shown} >= {"2", "3", "4"}
    assert not page.import_button.isEnabled()
    assert "不能导入" in page.status.text()
    # Even forced, the import refuses and writes nothing.
    task = page.start_import()
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert isinstance(task.error, LedgerInvalid)
    assert page.table.rowCount() == len(expected)
    assert Child.select().count() == 0 and Village.select().count() == 0
    assert AuditEntry.select().count() == before
    report = page.save_report(str(tmp_path / "报告.xlsx"))
    assert report.exists()
    messages = {c.value for row in load_workbook(report).active.iter_rows() for c in row}
    assert all(i.message in messages for i in expected)


def test_a_clean_ledger_imports_with_a_summary(page, qtbot, tmp_path):
    path = make_ledger(tmp_path / "台账.xlsx", [child_row(i) for i in range(1, 4)])
    wait(qtbot, page.choose(str(path)))
    assert page.table.rowCount() == 0 and page.import_button.isEnabled()
    assert "检查通过" in page.status.text()
    wait(qtbot, page.start_import())
    lines = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert "新建儿童档案：3 名" in lines and "新建村（社区）：1 个" in lines
    assert Child.select().count() == 3
    wait(qtbot, page.choose(str(path)))
    wait(qtbot, page.start_import())
    assert page.summary.unchanged_children == 3 and Child.select().count() == 3


def test_the_template_can_be_saved(page, tmp_path):
    target = page.save_template(str(tmp_path / "模板"))
    assert target.name == "模板.xlsx"
    assert ledger.CHILDREN.name in load_workbook(target).sheetnames
