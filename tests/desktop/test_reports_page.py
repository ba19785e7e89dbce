"""报表 page: the preview shows the numbers the rules give; exports are read back."""

from collections import Counter
from datetime import date, timedelta
from functools import partial

import openpyxl
import pytest
from PySide6.QtCore import QDate

from desktop.context import AppContext
from desktop.pages.reports import Page
from desktop.worker import run_in_background
from models.profiles import get_profile
from models.rules import child_state, in_archive_scope
from models.schema import Township
from models.snapshot import load_facts

ON = date.today() - timedelta(days=10)


def screened_states(on):
    profile = get_profile(Township.get().profile)
    states = [child_state(c, on, profile) for c in load_facts() if c.entered_on <= on]
    return [s for s in states if not s.closed and in_archive_scope(s)]


@pytest.fixture
def page(qtbot, demo_archive):
    context = AppContext(archive=demo_archive, on=ON)
    context.run_in_background = partial(run_in_background, show_dialog=False)
    widget = Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def preview(page, qtbot, kind):
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.form = None
    page.make_preview()
    qtbot.waitUntil(lambda: page.form is not None, timeout=20000)
    return [page.tabs.widget(i) for i in range(page.tabs.count())]


def cell_texts(table, column):
    model = table.model()
    return [model.text(r, column) for r in range(model.rowCount())]


def row_count(table):
    return table.model().rowCount()


def test_annex1_preview_totals_match_the_rules(page, qtbot):
    assert page.on.date() == QDate(ON.year, ON.month, ON.day)
    expected = screened_states(ON)
    (table,) = preview(page, qtbot, "stats")
    items, counts = cell_texts(table, 1), cell_texts(table, 2)
    subtotals = [int(counts[i]) for i, t in enumerate(items) if t == "人数小计"]
    colours = Counter(s.colour for s in expected)
    assert subtotals == [colours.get(c, 0) for c in ("red", "yellow", "blue", "green")]
    assert items[-1] == "人数合计" and int(counts[-1]) == len(expected) > 0
    assert page.export_buttons["xlsx"].isEnabled()


def test_annex2_and_lists_have_one_row_per_child(page, qtbot):
    expected = screened_states(ON)
    (table,) = preview(page, qtbot, "screening")
    assert row_count(table) == len(expected)
    tables = preview(page, qtbot, "lists")
    colours = Counter(s.colour for s in expected)
    assert [row_count(t) for t in tables] == [colours.get(c, 0) for c in ("red", "yellow", "blue")]
    assert all("*" in text for t in tables for text in cell_texts(t, 4))  # ID numbers masked


def test_export_to_excel_is_read_back(page, qtbot, tmp_path):
    expected = screened_states(ON)
    preview(page, qtbot, "stats")
    target = tmp_path / "附件1.xlsx"
    task = page.export("xlsx", str(target))
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert task.error is None and target.exists()
    sheet = openpyxl.load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    total = next(row for row in values if "人数合计" in row)
    assert len(expected) in total
    assert "已保存" in page.status.text()


def test_export_before_preview_asks_for_a_preview(page, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr("desktop.pages.reports.QMessageBox.information",
                        lambda _p, _t, text: shown.append(text))
    assert page.export("pdf", str(tmp_path / "x.pdf")) is None
    assert shown == ["请先生成预览。"] and not (tmp_path / "x.pdf").exists()


def test_print_previews_the_exported_pdf(page, qtbot):
    preview(page, qtbot, "lists")
    page.print_current()
    request = page.preview_request
    qtbot.waitUntil(lambda: request.dialog is not None or bool(request.error), timeout=30000)
    assert not request.error
    assert request.dialog.page_count() >= 1
    request.dialog.close()


def sheet_text(path) -> str:
    sheet = openpyxl.load_workbook(path).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_export_follows_the_selector_not_the_last_preview(page, qtbot, tmp_path):
    """Preview Annex 1, switch the selector to the lists: the export is the lists."""
    preview(page, qtbot, "stats")
    stats_title = page.form.title
    page.kind.setCurrentIndex(page.kind.findData("lists"))
    assert page.is_stale()
    assert "重新生成" in page.status.text()
    target = tmp_path / "名单.xlsx"
    task = page.export("xlsx", str(target))
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None and target.exists()
    text = sheet_text(target)
    assert "风险等级" in text and "名单" in text
    assert stats_title not in text and "人数合计" not in text
    # The screen now shows what was exported.
    assert page.request.kind == "lists" and not page.is_stale()
    assert "已保存" in page.status.text()


def test_export_follows_a_changed_date(page, qtbot, tmp_path):
    preview(page, qtbot, "stats")
    later = ON + timedelta(days=3)
    page.on.setDate(QDate(later.year, later.month, later.day))
    target = tmp_path / "附件1.xlsx"
    task = page.export("xlsx", str(target))
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None
    assert page.request.on == later
    assert later.isoformat()[:4] in sheet_text(target)


def test_print_after_the_selector_changed_prints_the_selection(page, qtbot):
    preview(page, qtbot, "stats")
    page.kind.setCurrentIndex(page.kind.findData("lists"))
    page.print_current()
    qtbot.waitUntil(lambda: getattr(page, "preview_request", None) is not None, timeout=30000)
    request = page.preview_request
    assert page.request.kind == "lists"
    qtbot.waitUntil(lambda: request.dialog is not None or bool(request.error), timeout=30000)
    assert not request.error
    request.dialog.close()
