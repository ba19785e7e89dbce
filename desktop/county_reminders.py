"""县级提醒: what the county has to do and when — the colour lists to 团委/妇联/残联 every half
year, the yearly spot-check of each township, the school-term list for 教育, the annexes — with
the log of lists sent and a button to record one sent by hand (``archive.county_settings``;
``models.server.reminders``).

``CountyReminders(archive)`` is a plain widget for the county 工作台 (placed by the page that
shows the county's work). Each reminder says its basis; local practice (本地做法) is marked.
The reminders are a handful of rows from small tables, read on the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.server.county_settings import KINDS, RECIPIENTS, SettingsError

STATUS_TINTS = {"已逾期": "#fde2e2", "应即办理": "#fde2e2", "即将到期": "#fff4c2", "未到期": ""}


class CountyReminders(QWidget):
    """The county's reminders and its log of lists sent, for a county login."""

    def __init__(self, archive, on: date | None = None, parent=None):
        super().__init__(parent)
        self.archive = archive
        self.on = on or date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        top.addWidget(self.summary, 1)
        self.record_button = QPushButton("记录报送…")
        self.record_button.setToolTip("记录一份名单已报送（导出全县名单时已自动记录的不必重复）")
        self.record_button.clicked.connect(self.record_by_hand)
        top.addWidget(self.record_button)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.list = QTreeWidget()
        self.list.setObjectName("county_reminders")
        self.list.setHeaderLabels(["状态", "截止日期", "事项", "办理情况", "依据"])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.log = QTreeWidget()
        self.log.setObjectName("county_sent_log")
        self.log.setHeaderLabels(["报送日期", "名单", "报送单位", "范围", "记录方式", "记录人"])
        self.log.setRootIsDecorated(False)
        self.log.header().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.tabs.addTab(self.list, "到期提醒")
        self.tabs.addTab(self.log, "报送记录")
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def refresh(self, on: date | None = None) -> None:
        self.on = on or self.on
        self.late = 0  # reminders 应即办理 or 已逾期
        self.list.clear()
        self.log.clear()
        try:
            found = self.archive.county_settings.reminders(self.on)
            entries = self.archive.county_settings.sent()
        except SettingsError as exc:
            self.summary.setText(str(exc))
            self.record_button.setEnabled(False)
            return
        self.record_button.setEnabled(True)
        for r in found:
            basis = r.basis  # a local practice's basis says 本地做法 itself
            item = QTreeWidgetItem([r.status, f"{r.due:%Y-%m-%d}", r.what, r.last, basis])
            item.setToolTip(4, basis)
            tint = STATUS_TINTS.get(r.status)
            if tint:
                for c in range(2):
                    item.setBackground(c, QBrush(QColor(tint)))
            self.list.addTopLevelItem(item)
        for e in entries:
            term = f"（{e.term}）" if e.term else ""
            self.log.addTopLevelItem(QTreeWidgetItem([
                f"{e.sent_on:%Y-%m-%d}", e.what + term, e.recipient, e.townships, e.how,
                e.recorded_by]))
        late = self.late = sum(1 for r in found if r.status in ("已逾期", "应即办理"))
        self.summary.setText(f"{self.on.year}年{self.on.month}月{self.on.day}日：{len(found)} 项提醒"
                             + (f"，其中 {late} 项应即办理或已逾期" if late else ""))

    def record_by_hand(self) -> None:
        dialog = RecordSent(self)
        if dialog.exec() != QDialog.Accepted:
            return
        try:
            self.archive.county_settings.record_sent(**dialog.values())
        except SettingsError as exc:
            QMessageBox.warning(self, "记录报送", str(exc))
            return
        self.refresh()


class RecordSent(QDialog):
    """Which list, to whom, on which day (a school list: for which term), and a note."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("记录名单报送")
        form = QFormLayout(self)
        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.recipient = QComboBox()
        self.sent_on = QDateEdit()
        self.sent_on.setCalendarPopup(True)
        self.sent_on.setDisplayFormat("yyyy年M月d日")
        today = date.today()
        self.sent_on.setDate(QDate(today.year, today.month, today.day))
        self.sent_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.term = QLineEdit()
        self.term.setPlaceholderText("如 2027春（教育部门名单必填）")
        self.note = QLineEdit()
        self.note.setPlaceholderText("如 经办人、报送方式")
        form.addRow("名单", self.kind)
        form.addRow("报送单位", self.recipient)
        form.addRow("报送日期", self.sent_on)
        form.addRow("学期", self.term)
        form.addRow("备注", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.recipient.clear()
        self.recipient.addItems(RECIPIENTS[self.kind.currentData()])
        self.term.setEnabled(self.kind.currentData() == "school")

    def values(self) -> dict:
        d = self.sent_on.date()
        return {"kind": self.kind.currentData(), "recipient": self.recipient.currentText(),
                "sent_on": date(d.year(), d.month(), d.day()), "term": self.term.text().strip(),
                "note": self.note.text().strip()}

