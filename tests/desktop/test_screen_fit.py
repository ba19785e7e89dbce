"""Every window fits a 1366×768 or 1280×720 screen at 100 % and 125 %, text is not cut short
at 字号 16, and record editors use as many columns as fit."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QScrollArea

from desktop.form_editor import FormEditor
from models.record_kinds import CARER, FAMILY
from tests.desktop.gui_helpers import make_window

ROOT = Path(__file__).resolve().parents[2]


def run_fitcheck(tmp_path, width, height, scale, font):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               QT_SCALE_FACTOR=str(scale), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "desktop.fitcheck", "--font", str(font)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("width, height, scale, font", [
    (1366, 768, 1, 0), (1366, 768, 1.25, 0), (1280, 720, 1, 0), (1280, 720, 1.25, 12),
    (1366, 768, 1, 16),
])
def test_every_window_and_dialog_fits_the_screen(tmp_path, width, height, scale, font):
    """Every page, the child file's record tabs, the print preview, the new-archive wizard and
    the unlock dialog open inside the screen with their buttons on it; no input squeezed."""
    result = run_fitcheck(tmp_path, width, height, scale, font)
    assert result["screen"] == [round(width / scale), round(height / scale)] or scale != 1
    assert result["problems"] == []


def test_main_window_opens_within_the_screen(qtbot, demo_archive, tmp_path):
    window = make_window(demo_archive, tmp_path)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
    assert window.width() <= 1280 and window.height() <= 800


def test_print_preview_sizes_to_the_screen(qtbot, tmp_path):
    from desktop.fitcheck import tiny_pdf
    from desktop.print_preview import PrintJob, PrintPreviewDialog

    pdf = tiny_pdf(tmp_path / "p.pdf")
    dialog = PrintPreviewDialog(PrintJob("协议书", "协议书", lambda *_a, **_k: pdf), pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    room = dialog.screen().availableGeometry()
    assert room.contains(dialog.frameGeometry())
    assert dialog.height() < 1000  # the old fixed 900×1000 does not fit 768 px


def test_children_list_at_font_16_cuts_no_id_number_or_date(qtbot, demo_archive, tmp_path):
    app = QApplication.instance()
    before = app.font()
    font = app.font()
    font.setPointSize(16)
    app.setFont(font)
    try:
        window = make_window(demo_archive, tmp_path)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.show_page("children")
        table = window.page("children").list.table
        model = table.model()
        metrics = table.fontMetrics()
        assert metrics.height() > 18  # really the larger font
        checked = 0
        for key in ("id_number", "next_contact_due", "next_home_visit_due", "name", "age"):
            from desktop.children_model import COLUMN_KEYS

            column = COLUMN_KEYS.index(key)
            for row in range(min(model.rowCount(), 40)):
                text = model.index(row, column).data()
                assert metrics.horizontalAdvance(text) + 10 <= table.columnWidth(column), (key, text)
                checked += 1
        assert checked > 100
        # A change of 字号 while the window is open widens the columns too.
        font.setPointSize(20)
        app.setFont(font)
        QApplication.processEvents()
        column = COLUMN_KEYS.index("id_number")
        text = model.index(0, column).data()
        assert table.fontMetrics().horizontalAdvance(text) + 10 <= table.columnWidth(column)
    finally:
        app.setFont(before)


@pytest.mark.parametrize("kind", [CARER, FAMILY])
def test_record_editor_uses_as_many_columns_as_fit(qtbot, kind):
    editor = FormEditor(kind.spec)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(editor)
    qtbot.addWidget(area)
    area.resize(QSize(1700, 600))
    area.show()
    qtbot.waitExposed(area)
    qtbot.waitUntil(lambda: editor.layout_mode() == "paper")
    paper = editor._needed_width("paper")
    assert max(editor._needed_width("two"), editor._needed_width("one")) < paper
    frame = area.width() - area.viewport().width()
    area.resize(QSize(paper - 10 + frame, 600))  # one pixel short of the paper's layout
    qtbot.waitUntil(lambda: editor.layout_mode() in ("two", "one"))
    qtbot.waitUntil(lambda: editor.width() <= area.viewport().width())  # no sideways scrolling
    date_width = editor.fontMetrics().horizontalAdvance("2026-10-31")
    for key, widget in editor.widgets.items():
        if kind.spec.field(key).kind in ("date", "phone"):
            assert widget.width() >= date_width, key
    area.resize(QSize(1700, 600))
    qtbot.waitUntil(lambda: editor.layout_mode() == "paper")


def test_settings_rules_rows_follow_the_font_size(qtbot, demo_archive, tmp_path):
    """设置: the rules table's rows grow with 字号 16 and with a narrower column (no row cut
    short or overlapping the next)."""
    window = make_window(demo_archive, tmp_path)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page("settings")
    table = window.page("settings").profile_table
    assert table.rowCount() > 3
    app = QApplication.instance()
    before = app.font()
    try:
        font = app.font()
        font.setPointSize(16)
        app.setFont(font)
        QApplication.processEvents()
        table.setColumnWidth(1, 160)
        QApplication.processEvents()
        line = table.fontMetrics().height()
        for row in range(table.rowCount()):
            assert table.rowHeight(row) >= table.sizeHintForRow(row) >= line, row
    finally:
        app.setFont(before)
