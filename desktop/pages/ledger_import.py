"""导入台账: pick an Excel ledger (or save the template) → every problem listed as a table
(sheet, row, column, message; the list can be saved) → import with progress → what changed.
Importing is all or nothing: a ledger with any problem imports nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from exports.ledger_report import default_report_path, write_issue_report
from models.ledger_import import (
    EMPTY_LEDGER,
    ImportIssue,
    ImportSummary,
    LedgerCheck,
    LedgerEmpty,
    LedgerInvalid,
)

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
TEMPLATE_NAME = "儿童台账模板.xlsx"


class Page(QWidget):
    title = "导入台账"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.path: Path | None = None
        self.check: LedgerCheck | None = None
        self.issues: list[ImportIssue] = []
        self.summary: ImportSummary | None = None
        self.task = None
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h3>从 Excel 台账导入儿童档案和走访记录</h3>"
            "<p>1. 下载台账模板，按“填写说明”填写“儿童”和“走访记录”两张表；<br>"
            "2. 选择填好的台账，系统先逐格检查；<br>"
            "3. 没有问题才能导入，导入要么全部完成，要么不做任何改动。"
            "按身份证号识别儿童，同一台账重复导入不会产生重复档案。</p>")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.template_button = QPushButton("下载台账模板…")
        self.template_button.clicked.connect(lambda: self.save_template())
        self.choose_button = QPushButton("选择台账文件…")
        self.choose_button.clicked.connect(lambda: self.choose())
        self.import_button = QPushButton("开始导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(lambda: self.start_import())
        self.report_button = QPushButton("导出错误报告…")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(lambda: self.save_report())
        for button in (self.template_button, self.choose_button, self.import_button, self.report_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.file_label = QLabel("尚未选择台账文件。")
        self.file_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.file_label)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["工作表", "行", "列", "问题"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        pass

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        QMessageBox.warning(self, self.title, user_message(exc))

    def _run(self, fn, *args, **kwargs):
        run = self.context.run_in_background
        if run is None:
            from desktop.worker import run_in_background as run
        return run(fn, *args, **kwargs)

    # -- template --------------------------------------------------------------------
    def save_template(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "保存台账模板", str(Path.home() / TEMPLATE_NAME),
                                                  EXCEL_FILTER)
        if not path:
            return None
        from exports.ledger_template import TemplateError, write_ledger_template

        target = Path(path if path.lower().endswith(".xlsx") else f"{path}.xlsx")
        ledger = self.context.archive.ledger
        villages, directors = ledger.village_names(), ledger.active_director_names()
        try:
            write_ledger_template(target, villages, directors)
        except (TemplateError, OSError) as exc:
            self._error(exc)
            return None
        self.status.setText(f"台账模板已保存：{target}")
        return target

    # -- checking --------------------------------------------------------------------
    def choose(self, path: str | None = None):
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "选择台账文件", str(Path.home()), EXCEL_FILTER)
        if not path:
            return None
        self.path = Path(path)
        self.summary = None
        self.file_label.setText(f"台账文件：{self.path}")
        self.import_button.setEnabled(False)
        self.report_button.setEnabled(False)
        self.status.setText("正在检查台账……")
        archive = self.context.archive

        def work(progress=None, is_cancelled=None):
            return archive.ledger.check(self.path)

        self.task = self._run(work, title="检查台账", label=f"正在检查“{self.path.name}”……",
                              on_done=self.show_check, on_error=self._error,
                              on_cancelled=lambda: self.status.setText("已取消检查。"))
        return self.task

    def show_check(self, check: LedgerCheck) -> None:
        self.check = check
        self.show_issues(check.issues)
        if check.empty:
            self.status.setText(f"<b style='color:#c62828'>{EMPTY_LEDGER.format(name=self.path.name)}</b>")
            self.import_button.setEnabled(False)
        elif check.ok:
            self.status.setText(f"检查通过：“儿童”表{len(check.children)}行，“走访记录”表"
                                f"{len(check.visits)}行，可以导入。")
            self.import_button.setEnabled(True)

    def show_issues(self, issues: list[ImportIssue]) -> None:
        self.issues = list(issues)
        self.table.setColumnCount(4)
        self.table.setHorizontalHeaderLabels(["工作表", "行", "列", "问题"])
        self.table.setRowCount(len(issues))
        for r, issue in enumerate(issues):
            for c, text in enumerate((issue.sheet or "（文件）", str(issue.row or ""), issue.column,
                                      issue.message)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.report_button.setEnabled(bool(issues))
        if issues:
            self.status.setText(f"<b style='color:#c62828'>台账中有{len(issues)}处问题，不能导入。</b>"
                                "请按下表逐条改正后重新选择文件；可导出错误报告交给填表人。")

    def save_report(self, path: str | None = None) -> Path | None:
        if not self.issues:
            return None
        if path is None:
            suggested = default_report_path(self.path) if self.path else Path.home() / "错误报告.xlsx"
            path, _ = QFileDialog.getSaveFileName(self, "导出错误报告", str(suggested), EXCEL_FILTER)
        if not path:
            return None
        try:
            target = write_issue_report(self.issues, path, source=self.path)
        except OSError as exc:
            self._error(exc)
            return None
        self.status.setText(f"错误报告已保存：{target}")
        return target

    # -- importing -------------------------------------------------------------------
    def start_import(self):
        if self.path is None:
            return None
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.status.setText("正在导入……")
        self.task = self._run(_announced_import, self.context.archive, self.path,
                              report_path=default_report_path(self.path),
                              write_report=write_issue_report,
                              title="导入台账", label=f"正在导入“{self.path.name}”……",
                              on_done=self.show_summary, on_error=self._import_failed,
                              on_cancelled=self._import_cancelled)
        return self.task

    def _import_failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(True)
        if isinstance(exc, LedgerInvalid):
            self.show_issues(exc.issues)
            return
        if isinstance(exc, LedgerEmpty):
            self.status.setText(f"<b style='color:#c62828'>{exc}</b>")
            return
        self.status.setText("导入未完成，档案库没有任何改动。")
        self._error(exc)

    def _import_cancelled(self) -> None:
        self.choose_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.status.setText("导入已取消，档案库没有任何改动。")

    def show_summary(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.choose_button.setEnabled(True)
        self.context.archive_changed()
        self.status.setText(f"<b style='color:#2e7d32'>导入完成：{self.path.name}</b>")
        lines = summary.lines()
        self.table.setColumnCount(1)
        self.table.setHorizontalHeaderLabels(["导入结果"])
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            self.table.setItem(r, 0, QTableWidgetItem(line))
        self.report_button.setEnabled(False)


def _announced_import(archive, path, **kwargs):
    """The import, announced so that another program waiting to save says why."""
    with archive.announce("导入台账"):
        return archive.ledger.import_file(path, **kwargs)
