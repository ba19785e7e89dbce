"""Print preview of exactly the PDF the exporters produce, then print it or save it as PDF/Word.

The PDF is rendered off the GUI thread (progress, 取消) into a private temporary folder that is
removed when the preview closes: the preview shows the very file that "另存为PDF" copies and
that is printed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop.worker import run_in_background, user_message
from exports.renderers import renderer

Maker = Callable[..., Path]  # (path, progress=, is_cancelled=) -> path


@dataclass
class PrintJob:
    title: str
    default_name: str  # file name without suffix
    make_pdf: Maker
    make_docx: Maker | None = None


def form_job(archive, name: str, child_id: int | None, blank: bool = False,
             on: date | None = None) -> PrintJob:
    """One form of one child of ``archive`` (or blank) as the exporters print it."""

    def filled():
        return archive.child_file(child_id).filled_form(name, blank=blank, on=on)

    def pdf(path, progress=None, is_cancelled=None):
        return renderer("form", "pdf")(filled(), path, progress=progress, is_cancelled=is_cancelled)

    render_docx = renderer("form", "docx")

    def docx(path, progress=None, is_cancelled=None):
        return render_docx(filled(), path, progress=progress, is_cancelled=is_cancelled)

    suffix = "（空白）" if blank else ""
    return PrintJob(f"{name}{suffix}", f"{name}{suffix}", pdf, docx if render_docx else None)


def dossier_job(archive, child_id: int, on: date | None = None) -> PrintJob:
    def dossier():
        return archive.child_file(child_id).dossier(on=on)

    def pdf(path, progress=None, is_cancelled=None):
        render = renderer("dossier", "pdf")
        return render(dossier(), path, progress=progress, is_cancelled=is_cancelled)

    render_docx = renderer("dossier", "docx")

    def docx(path, progress=None, is_cancelled=None):
        return render_docx(dossier(), path, progress=progress, is_cancelled=is_cancelled)

    return PrintJob("儿童档案", "儿童档案", pdf, docx if render_docx else None)


class PreviewRequest:
    """A preview being prepared: ``task`` renders the PDF, ``dialog`` appears when it is done."""

    def __init__(self):
        self.task = None
        self.dialog: PrintPreviewDialog | None = None
        self.error: str = ""


def preview(parent, job: PrintJob, context=None) -> PreviewRequest:
    request = PreviewRequest()
    folder = Path(tempfile.mkdtemp(prefix="tongdang-print-"))
    folder.chmod(0o700)
    target = folder / f"{job.default_name}.pdf"

    def done(path):
        request.dialog = PrintPreviewDialog(job, Path(path), folder, parent)
        request.dialog.show()

    def failed(exc):
        shutil.rmtree(folder, ignore_errors=True)
        request.error = user_message(exc)
        QMessageBox.warning(parent, "无法生成打印文件", request.error)

    request.task = run_in_background(
        job.make_pdf, target, parent=parent, title="正在准备打印", label=f"正在生成“{job.title}”……",
        on_done=done, on_error=failed,
        on_cancelled=lambda: shutil.rmtree(folder, ignore_errors=True))
    return request


def export(parent, job: PrintJob, target: str | Path, word: bool = False,
           on_done=None, on_cancelled=None, show_dialog: bool = True):
    """Write the job to ``target`` in the background (an unfinished export leaves no file)."""
    maker = job.make_docx if word else job.make_pdf
    if maker is None:
        raise ValueError("缺少Word导出组件，暂时只能保存为PDF。")
    return run_in_background(maker, Path(target), parent=parent, title="正在导出",
                             label=f"正在保存“{Path(target).name}”……", on_done=on_done,
                             on_cancelled=on_cancelled, show_dialog=show_dialog)


class PrintPreviewDialog(QDialog):
    def __init__(self, job: PrintJob, pdf_path: Path, folder: Path | None = None, parent=None):
        super().__init__(parent)
        self.job, self.pdf_path, self.folder = job, pdf_path, folder
        self.setWindowTitle(f"打印预览 — {job.title}")
        from desktop.screen import fit_window

        fit_window(self, QSize(900, 1000))  # a whole A4 page where the screen allows
        self.document = QPdfDocument(self)
        self.document.load(str(pdf_path))
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        buttons = QHBoxLayout()
        self.pages = QLabel(f"共 {self.document.pageCount()} 页")
        buttons.addWidget(self.pages)
        buttons.addStretch(1)
        for text, slot, enabled in (("打印…", self.print_document, True),
                                    ("另存为PDF…", self.save_pdf, True),
                                    ("另存为Word…", self.save_word, job.make_docx is not None),
                                    ("关闭", self.close, True)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(enabled)
            if not enabled:
                button.setToolTip("Word导出组件尚未安装")
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def page_count(self) -> int:
        return self.document.pageCount()

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        printer.setDocName(self.job.title)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer) -> None:
        """Each PDF page drawn as an image at the printer's resolution, centred on the paper."""
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "无法打印", "打印机无法开始打印，请检查打印机。")
            return
        try:
            dpi = printer.resolution()
            area = printer.pageRect(printer.Unit.DevicePixel)
            for index in range(self.document.pageCount()):
                if index:
                    printer.newPage()
                points = self.document.pagePointSize(index)
                size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
                image: QImage = self.document.render(index, size)
                scale = min(area.width() / size.width(), area.height() / size.height(), 1.0)
                w, h = size.width() * scale, size.height() * scale
                painter.save()
                painter.translate(QPointF((area.width() - w) / 2, (area.height() - h) / 2))
                painter.scale(scale, scale)
                painter.drawImage(0, 0, image)
                painter.restore()
        finally:
            painter.end()

    def save_pdf(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, "另存为PDF", f"{self.job.default_name}.pdf",
                                                "PDF 文件 (*.pdf)")
        if target:
            try:
                shutil.copyfile(self.pdf_path, target)
            except OSError as exc:
                QMessageBox.warning(self, "保存失败", f"无法保存到“{target}”：{exc.strerror}")

    def save_word(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, "另存为Word", f"{self.job.default_name}.docx",
                                                "Word 文档 (*.docx)")
        if target:
            export(self, self.job, target, word=True)

    def closeEvent(self, event) -> None:
        self.view.setDocument(None)
        self.document.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        super().closeEvent(event)
