"""A child's 历史 tab: every change to the child's file in words (models.history), newest first.

The words for each kind of record (its title, labels and the fields that tell one record from
another) come from the record kinds (``models.record_kinds``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class HistoryTab(QWidget):
    def __init__(self, file):
        super().__init__()
        self.file = file
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("history")
        self.table.setHorizontalHeaderLabels(["时间", "操作人", "操作", "对象", "内容"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        note = QLabel("每次新建、修改、结案、删除、台账导入和添加附件都记入修改历史，不能更改。")
        note.setStyleSheet("color:#555")
        layout.addWidget(note)
        layout.addWidget(self.table)

    def reload(self) -> None:
        lines = self.file.archive.child_file(self.file.child_id).history()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for col, text in enumerate(line.cells()):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        for col in (3, 4):  # long contents wrap in the last columns instead of widening them
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 420))
        self.table.resizeRowsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def texts(self) -> list[str]:
        return [" | ".join(self.table.item(r, c).text() for c in range(5))
                for r in range(self.table.rowCount())]
