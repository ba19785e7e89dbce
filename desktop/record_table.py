"""The read-only lists of records the pages show (儿童主任, trainings, spot-checks...)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


def record_table(headers: list[str], word_wrap: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(word_wrap)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list], keys: list | None = None) -> None:
    """One row per list; ``keys[r]`` is kept on the row's first cell (Qt.UserRole)."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            if keys is not None and c == 0:
                item.setData(Qt.UserRole, keys[r])
            table.setItem(r, c, item)
    if table.wordWrap():
        table.resizeRowsToContents()
