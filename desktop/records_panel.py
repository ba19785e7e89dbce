"""The records panel of a child's file: a list of one kind of record with its editor below
(new, save, delete as wrongly entered with a reason); unsaved edits are kept as drafts."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import drafts
from desktop.edit_conflict import ask_reload
from desktop.form_editor import FormEditor, display_text
from desktop.worker import user_message
from models.record_kinds import RecordKind
from models.server.conflicts import EditConflict


class RecordsPanel(QWidget):
    """A list of one kind of record with its editor below."""

    saved = Signal()
    ask_reload = staticmethod(ask_reload)  # 重新载入 after another person's save (tests replace it)

    def __init__(self, file, kind: RecordKind):  # file: desktop.child_file.ChildFile
        super().__init__()
        self.file, self.kind = file, kind
        self.records: list = []
        self.current = None  # the record in the editor; None = a new one
        self.table = QTableWidget(0, len(kind.list_columns))
        self.table.setObjectName(f"table_{kind.key}")
        self.table.setHorizontalHeaderLabels([file.archive.records.label_of(kind.spec, c)
                                              for c in kind.list_columns])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)
        self.editor = FormEditor(kind.spec)
        self.editor.setObjectName(f"editor_{kind.key}")
        self.keeper = drafts.DraftKeeper(self.editor, self._draft_key(), self.file.archive)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(f"新增{kind.title}")
        self.new_button.clicked.connect(self.new_record)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName(f"save_{kind.key}")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("删除（录错时）…")
        self.delete_button.clicked.connect(self.delete_record)
        self.state = QLabel()
        for w in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(w)
        buttons.addWidget(self.state, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(scroll)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([160, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.reload()
        self.new_record()

    def _draft_key(self) -> str:
        record = f"{self.current.id}" if self.current is not None else "new"
        return f"child:{self.file.child_id}:{self.kind.key}:{record}"

    def reload(self) -> None:
        self.records = self.file.archive.records.of(self.kind, self.file.child_id)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            for col, key in enumerate(self.kind.list_columns):
                text = display_text(self.kind.spec.field(key), getattr(record, key, None))
                item = QTableWidgetItem(text.replace("\n", " ")[:80])
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        record = self.records[rows[0].row()]
        if self.current is not None and record.id == self.current.id:
            return
        if not self.file.settle(self):
            self._select_current()
            return
        self.load(record)

    def _select_current(self) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        if self.current is not None:
            for row, record in enumerate(self.records):
                if record.id == self.current.id:
                    self.table.selectRow(row)
        self.table.blockSignals(False)

    def load(self, record) -> None:
        self.current = record
        self.editor.set_values(self.file.archive.records.values(self.kind, record))
        self.keeper.key = self._draft_key()
        self.state.setText(f"正在修改{self.kind.title}")
        self._offer_draft()

    def new_record(self) -> None:
        if (self.current is not None or self.editor.dirty) and not self.file.settle(self):
            return
        self.current = None
        self.table.clearSelection()
        self.editor.clear()
        for f in self.kind.spec.fields():
            if f.kind == "date" and f.required:
                self.editor.set_value(f.key, self.file.on)
        self.keeper.key = self._draft_key()
        self.state.setText(f"新增{self.kind.title}")
        self._offer_draft()

    def _offer_draft(self) -> None:
        draft = self.keeper.pending()
        if draft:
            self.editor.set_values(draft)
            self.editor.dirty = True
            self.state.setText("已恢复上次未保存的内容（草稿）")

    def is_dirty(self) -> bool:
        return self.editor.dirty

    def save(self) -> bool:
        if self.editor.validate():
            self.state.setText("<span style='color:#c5221f'>有填写错误，未保存。</span>")
            return False
        try:
            record = self.file.archive.records.save(self.kind, self.file.child_id, self.current,
                                                    self.editor.typed_values())
        except EditConflict as exc:  # another person saved it meanwhile: nothing was written
            if self.ask_reload(self, exc):
                self.reload_current()
            return False
        except Exception as exc:  # noqa: BLE001 - shown in Chinese, typing is kept
            QMessageBox.warning(self, "未能保存", user_message(exc))
            return False
        self.keeper.discard()
        self.editor.mark_clean()
        self.reload()
        self.current = record
        self.keeper.key = self._draft_key()
        self._select_current()
        self.state.setText(f"已保存（{date.today():%Y-%m-%d}）")
        self.saved.emit()
        return True

    def reload_current(self) -> None:
        """重新载入: the record as saved by the other person (or, deleted, a new one); what
        this person typed is dropped, draft included."""
        self.keeper.discard()
        self.editor.mark_clean()
        current_id = self.current.id if self.current is not None else None
        self.reload()
        fresh = next((r for r in self.records if r.id == current_id), None)
        if fresh is None:
            self.current = None
            self.new_record()
            self.state.setText(f"这条{self.kind.title}已被其他用户删除。")
            return
        self.current = None  # load() the fresh copy even though its id is the same
        self.load(fresh)
        self._select_current()
        self.state.setText("已重新载入其他用户保存后的内容。")

    def discard(self) -> None:
        self.keeper.discard()
        if self.current is not None:
            self.editor.set_values(self.file.archive.records.values(self.kind, self.current))
        else:
            self.editor.clear()
        self.editor.mark_clean()

    def delete_record(self) -> None:
        if self.current is None:
            return
        reason, ok = QInputDialog.getText(self, f"删除{self.kind.title}",
                                          "只删除录错的记录。请写明原因（记入修改历史）：")
        if not ok or not reason.strip():
            return
        try:
            self.file.archive.child_file(self.file.child_id).delete_record(self.current, reason)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "未能删除", user_message(exc))
            return
        self.keeper.discard()
        self.current = None
        self.reload()
        self.new_record()
        self.saved.emit()


def panel_in(widget) -> RecordsPanel | None:
    """The records panel a tab of the file shows (a record tab or one of its inner tabs)."""
    layout = widget.layout() if widget is not None else None
    if layout is not None and layout.count() == 1 and not isinstance(widget, RecordsPanel):
        widget = layout.itemAt(0).widget()  # a record tab's holder
    if isinstance(widget, RecordsPanel):
        return widget
    if isinstance(widget, QTabWidget):
        current = widget.currentWidget()
        return current if isinstance(current, RecordsPanel) else None
    return None
