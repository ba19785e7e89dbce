"""Print preview of the exporters' PDF, printing it, and a cancelled export leaving no file."""

import re
import subprocess
import threading
from datetime import date

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton

from desktop import print_preview as pp
from desktop.worker import run_in_background
from models.schema import Child
from tests.desktop.gui_helpers import make_window

TODAY = date.today()


@pytest.fixture
def window(qtbot, demo_archive, tmp_path):
    w = make_window(demo_archive, tmp_path, on=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.show_page("children")
    return w


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_print_preview_shows_the_exported_pdf_and_prints_it(qtbot, window, tmp_path):
    child = Child.select().where(Child.closed_on.is_null()).first()
    file = window.page("children").open_child(child.id)
    request = file.print_form("儿童基本信息表")
    qtbot.waitUntil(lambda: request.dialog is not None or bool(request.error), timeout=30000)
    assert request.error == ""
    dialog = request.dialog
    qtbot.addWidget(dialog)
    assert dialog.page_count() >= 1
    assert child.name in pdf_text(dialog.pdf_path).replace(" ", "")
    assert "儿童基本信息表" in pdf_text(dialog.pdf_path).replace(" ", "")

    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    dialog.print_to(printer)
    info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True,
                          text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages == dialog.page_count()

    folder = dialog.folder
    assert folder.exists()
    dialog.close()
    assert not folder.exists()  # the temporary copy of child data is removed


def test_dossier_preview_opens_from_ctrl_p(qtbot, window):
    child = Child.select().where(Child.closed_on.is_null()).first()
    window.page("children").open_child(child.id)
    request = window.page("children").file.print_dossier()
    qtbot.waitUntil(lambda: request.dialog is not None or bool(request.error), timeout=60000)
    assert request.error == ""
    qtbot.addWidget(request.dialog)
    assert request.dialog.page_count() >= 3  # cover, contents, forms
    request.dialog.close()


def test_cancelled_export_leaves_no_file(qtbot, window, tmp_path, demo_archive):
    child = Child.select().first()
    job = pp.dossier_job(demo_archive, child.id, TODAY)
    gate = threading.Event()
    real = job.make_pdf

    def gated(path, progress=None, is_cancelled=None):
        gate.wait(10)  # the clerk presses 取消 while the export is running
        return real(path, progress=progress, is_cancelled=is_cancelled)

    job.make_pdf = gated
    outcome = []
    target = tmp_path / "out" / "档案.pdf"
    target.parent.mkdir()
    task = pp.export(window, job, target, on_done=lambda v: outcome.append("done"),
                     on_cancelled=lambda: outcome.append("cancelled"))
    dialogs = window.findChildren(QProgressDialog)
    assert dialogs, "a progress dialog with 取消 is shown"
    cancel = dialogs[-1].findChild(QPushButton)
    assert cancel.text() == "取消"
    cancel.click()
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert outcome == ["cancelled"]
    assert list(target.parent.iterdir()) == []  # neither the file nor a partial one


def test_finished_export_writes_the_file_and_reports_progress(qtbot, window, tmp_path, demo_archive):
    child = Child.select().first()
    seen = []
    target = tmp_path / "档案.pdf"
    task = run_in_background(pp.dossier_job(demo_archive, child.id, TODAY).make_pdf, target,
                             parent=window, show_dialog=False,
                             on_progress=lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    assert task.error is None, task.error_text
    assert target.exists() and target.read_bytes().startswith(b"%PDF")
    assert seen and seen[-1][0] == seen[-1][1]


def test_save_as_word_writes_the_exporters_docx(qtbot, window, tmp_path, demo_archive):
    from docx import Document

    child = Child.select().where(Child.closed_on.is_null()).first()
    job = pp.form_job(demo_archive, "委托照护协议书", child.id, on=TODAY)
    assert job.make_docx is not None
    target = tmp_path / "协议书.docx"
    task = pp.export(window, job, target, word=True, show_dialog=False)
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    assert task.error is None, task.error_text
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    tables = " ".join(c.text for t in Document(str(target)).tables for r in t.rows for c in r.cells)
    assert "委托照护协议书" in text + tables
    assert child.name in text + tables
