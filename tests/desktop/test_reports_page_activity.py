"""报表 page, 活动名单（不含类别标签）: preview with village/age filters, export read back."""

import re
import subprocess
from datetime import date, timedelta
from functools import partial

import pytest
from PySide6.QtCore import Qt

from desktop.context import AppContext
from desktop.pages.reports import ACTIVITY, Page
from desktop.worker import run_in_background
from forms.activity_list import FORBIDDEN_WORDS
from models.profiles import get_profile
from models.rules import child_state, in_archive_scope
from models.rules.dates import age_on
from models.schema import Township
from models.snapshot import load_facts

ON = date.today() - timedelta(days=10)


def open_children(on):
    profile = get_profile(Township.get().profile)
    out = []
    for facts in load_facts():
        if facts.entered_on > on:
            continue
        state = child_state(facts, on, profile)
        if not state.closed and in_archive_scope(state):
            out.append(facts)
    return out


@pytest.fixture
def page(qtbot, demo_archive):
    context = AppContext(archive=demo_archive, on=ON)
    context.run_in_background = partial(run_in_background, show_dialog=False)
    widget = Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    widget.kind.setCurrentIndex(widget.kind.findData(ACTIVITY))
    return widget


def preview(page, qtbot):
    page.form = None
    page.make_preview()
    qtbot.waitUntil(lambda: page.form is not None, timeout=20000)
    (table,) = [page.tabs.widget(i) for i in range(page.tabs.count())]
    return table


def column(table, label):
    model = table.model()
    c = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Horizontal) == label)
    return [model.text(r, c) for r in range(model.rowCount())]


def test_activity_is_offered_with_its_own_inputs(page):
    assert page.kind.currentText() == "活动名单（不含类别标签）"
    assert not page.activity_box.isHidden() and page.on_label.text() == "活动日期"
    assert page.header_labels["填报单位"].text() == "组织单位"
    page.kind.setCurrentIndex(page.kind.findData("stats"))
    assert page.activity_box.isHidden() and page.on_label.text() == "统计日期"


def test_preview_filters_and_shows_no_label(page, qtbot):
    children = open_children(ON)
    table = preview(page, qtbot)
    assert sorted(column(table, "姓名")) == sorted(c.name for c in children)
    village = children[0].village
    page.village.setText(village)
    page.min_age.setValue(6)
    page.max_age.setValue(12)
    page.activity_name.setText("暑期阅读班")
    table = preview(page, qtbot)
    want = [c.name for c in children if c.village == village and 6 <= age_on(c.birth_date, ON) <= 12]
    assert sorted(column(table, "姓名")) == sorted(want)
    assert "活动名称：暑期阅读班" in page.header_label.text()
    model = table.model()
    shown = "".join(model.text(r, c) for r in range(model.rowCount())
                    for c in range(model.columnCount()))
    shown += page.title_label.text() + page.header_label.text()
    shown += "".join(model.headerData(c, Qt.Horizontal) for c in range(model.columnCount()))
    assert not any(word in shown for word in FORBIDDEN_WORDS)


def test_export_pdf_is_read_back(page, qtbot, tmp_path):
    children = open_children(ON)
    preview(page, qtbot)
    target = tmp_path / "活动名单.pdf"
    task = page.export("pdf", str(target))
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    assert task.error is None
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"],
                                             capture_output=True, text=True, check=True).stdout)
    assert all(c.name in text for c in children)
    assert not any(word in text for word in FORBIDDEN_WORDS)


def test_bad_age_range_is_reported_in_chinese(page, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.pages.reports.QMessageBox.warning",
                        lambda _p, _t, text: shown.append(text))
    page.min_age.setValue(12)
    page.max_age.setValue(6)
    page.make_preview()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert "最小年龄 12 岁大于最大年龄 6 岁" in shown[0]
