"""Does every window fit the screen? Opens the real windows on a demo archive and reports
what lies outside the screen's usable area, what is squeezed, and what text is cut short.

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python -m desktop.fitcheck --font 16
    xvfb-run -s "-screen 0 1366x768x24" python -m desktop.fitcheck --font 12 --shots /tmp/shots

Prints one JSON object: the screen's usable size and a list of problems (empty when all fit).
With ``--shots`` a PNG of every page, the child file's tabs and each dialog is saved there.
The tests run it in a fresh process per screen (tests/desktop/test_screen_fit.py), since the
screen size and the scale factor are fixed when Qt starts.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget


def wait(seconds: float = 0.05, until=None, timeout: float = 30) -> None:
    end = time.monotonic() + (timeout if until else seconds)
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        if until is not None and until():
            break
        time.sleep(0.01)
    QCoreApplication.processEvents()


class Checker:
    def __init__(self, shots: Path | None, font: int):
        self.problems: list[str] = []
        self.shots, self.font = shots, font
        self.count = 0

    def shot(self, widget: QWidget, name: str) -> None:
        if self.shots is None:
            return
        wait(0.1)
        self.count += 1
        widget.grab().save(str(self.shots / f"{self.count:02d}-{name}-{self.font or 'sys'}.png"))

    def window(self, window: QWidget, where: str) -> None:
        """The window on the screen, and every visible button inside the screen."""
        from desktop.screen import available

        wait()
        area = available(window)
        frame = window.frameGeometry()
        if not area.contains(frame):
            self.problems.append(f"{where}: 窗口 {_rect(frame)} 超出屏幕可用区域 {_rect(area)}")
        hint = window.minimumSizeHint()
        if hint.width() > area.width() or hint.height() > area.height():
            self.problems.append(f"{where}: 最小尺寸 {hint.width()}×{hint.height()} 大于屏幕 "
                                 f"{area.width()}×{area.height()}")
        for button in window.findChildren(QAbstractButton):
            if not button.isVisibleTo(window) or not button.isVisible():
                continue
            top_left = button.mapToGlobal(button.rect().topLeft())
            rect = QRect(top_left, button.size())
            visible = _visible_rect(button)
            if not area.contains(rect.center()) or visible.width() < min(8, button.width()):
                text = button.text() or button.objectName() or type(button).__name__
                if _inside_scroll(button):
                    continue  # inside a scrolling page or list: reachable by scrolling
                self.problems.append(f"{where}: 按钮“{text}”在屏幕外或被遮住 {_rect(rect)}")

    def squeezed_inputs(self, root: QWidget, where: str) -> None:
        """Single-line inputs narrower than a date: the carer form's 25 px fields."""
        for edit in root.findChildren(QLineEdit):
            if not edit.isVisible() or edit.parent() is None:
                continue
            if type(edit.parentWidget()).__name__ in ("QAbstractSpinBox", "QDateEdit", "QSpinBox",
                                                      "QComboBox", "QDateTimeEdit"):
                continue
            need = edit.fontMetrics().horizontalAdvance("2026-10-31") + 8
            if edit.width() < need and not _visible_rect(edit).isEmpty():
                self.problems.append(f"{where}: 输入框 {edit.objectName() or '?'} 只有 "
                                     f"{edit.width()} 像素宽（至少应 {need}）")


    def elided_cells(self, table, where: str, free: tuple[str, ...] = ("儿童类别",)) -> None:
        """Cells whose text does not fit their column (shown as "2026-1…"); the columns named
        in ``free`` hold text of any length (a tooltip shows it) and the last one stretches."""
        model = table.model()
        metrics = table.fontMetrics()
        rows = min(model.rowCount(), 30)
        for column in range(model.columnCount() - 1):
            if model.headerData(column, Qt.Horizontal) in free:
                continue
            width = table.columnWidth(column)
            for row in range(rows):
                text = str(model.index(row, column).data() or "")
                icon = table.iconSize().width() + 8 if model.index(row, column).data(1) else 0
                if metrics.horizontalAdvance(text) + icon + 10 > width:
                    header = model.headerData(column, Qt.Horizontal)
                    self.problems.append(f"{where}: “{header}”列 {width} 像素放不下“{text}”")
                    break


def _rect(r: QRect) -> str:
    return f"{r.x()},{r.y()} {r.width()}×{r.height()}"


def _visible_rect(widget: QWidget) -> QRect:
    return widget.visibleRegion().boundingRect()


def _inside_scroll(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def tiny_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    page.drawString(72, 760, "A4")
    page.showPage()
    page.save()
    return path


def run(shots: Path | None, font: int, children: int = 40) -> dict:
    from desktop.app import apply_font_size, ensure_cjk_font, make_application, prepare_archive
    from desktop.mainwindow import MainWindow
    from desktop.screen import available
    from desktop.settings import Settings
    from models.archive import Archive

    app = make_application()
    ensure_cjk_font(app)
    apply_font_size(app, font)
    folder = Path(tempfile.mkdtemp(prefix="tongdang-fit-"))
    check = Checker(shots, font)
    try:
        archive = Archive.filled_demo(folder / "a.tongdang", children, seed=3)
        prepare_archive(archive)
        archive.login_as("李娟", "管理员")
        window = MainWindow(archive, Settings(folder / "settings.ini"))
        window.show()
        wait(0.2)
        for name, label in window.visible_pages():
            window.show_page(name)
            page = window.page(name)
            if name == "dashboard":
                wait(until=lambda p=page: getattr(p, "board", None) is not None, timeout=20)
            check.window(window, label)
            if name == "children":
                check.elided_cells(page.list.table, label)
            check.shot(window, name)
        _child_file(window, check)
        _dialogs(window, check, folder)
        window.close()
        archive.close()
        area = available(window)
    finally:
        QApplication.processEvents()
        shutil.rmtree(folder, ignore_errors=True)
    return {"screen": [area.width(), area.height()], "font": font, "problems": check.problems}


def _child_file(window, check: Checker) -> None:
    from models.record_kinds import RECORD_TABS

    window.show_page("children")
    page = window.page("children")
    child = window.archive.showcase.child_with_contacts(2)
    file = page.open_child(child.id)
    wait(0.1)
    check.window(window, "儿童档案：基本信息")
    check.squeezed_inputs(file, "基本信息")
    check.shot(window, "child-basic")
    for tab, kinds in RECORD_TABS:
        file.show_tab(tab)
        wait(0.05)
        for kind in kinds:
            panel = file.panel(kind.key)
            parent = panel.parentWidget()
            while parent is not None and type(parent).__name__ != "QTabWidget":
                parent = parent.parentWidget()
            if parent is not None and parent is not file.tabs:
                parent.setCurrentWidget(panel)
            wait(0.05)
            check.window(window, f"儿童档案：{kind.title}")
            check.squeezed_inputs(panel, kind.title)
            if kind.key in ("carer", "contact", "family", "agreement"):
                check.shot(window, f"child-{kind.key}")
    page.close_file()


def _dialogs(window, check: Checker, folder: Path) -> None:
    from desktop.print_preview import PrintJob, PrintPreviewDialog
    from desktop.unlock import NewArchiveWizard, UnlockDialog

    pdf = tiny_pdf(folder / "p.pdf")
    preview = PrintPreviewDialog(PrintJob("委托照护协议书", "协议书", lambda *_a, **_k: pdf),
                                 pdf, None, window)
    preview.show()
    wait(0.3)
    check.window(preview, "打印预览")
    check.shot(preview, "print-preview")
    preview.close()
    wizard = NewArchiveWizard(folder / "new.tongdang", window)
    wizard.show()
    check.window(wizard, "新建档案库")
    check.shot(wizard, "new-archive")
    wizard.next()
    wait(0.05)
    wizard.close()
    unlock = UnlockDialog(None, folder / "a.tongdang", "", window)
    unlock.show()
    check.window(unlock, "打开档案库")
    check.shot(unlock, "unlock")
    unlock.close()
    try:
        from desktop.welcome import WelcomeDialog
    except ImportError:
        return
    from desktop.settings import Settings

    welcome = WelcomeDialog(Settings(folder / "welcome.ini"), folder / "w.tongdang")
    welcome.show()
    check.window(welcome, "欢迎（首次使用）")
    check.shot(welcome, "welcome")
    welcome.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查各窗口是否适合屏幕")
    parser.add_argument("--font", type=int, default=0, help="字号（0 为系统默认）")
    parser.add_argument("--shots", help="截图保存到此文件夹")
    args = parser.parse_args(argv)
    shots = Path(args.shots) if args.shots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    print(json.dumps(run(shots, args.font), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
