"""One child's file: a header with what the rules say, and a tab per part of the file.

Tabs: 基本信息, 家庭与监护, 评估, 走访记录, 帮扶记录, 问题与解决, 工作日志, 转介与报告, 附件, 历史.
Editors are built from the ``forms/`` definitions (``models.record_kinds``); nothing is
deleted silently (closing a child asks for the reason; a mistyped record is removed with a
reason that stays in the audit trail). Unsaved edits are kept as drafts inside the archive.
The header is ``desktop.child_header``, each list of records ``desktop.records_panel``, the
历史 tab ``desktop.history``; what they show comes from ``archive.child_file(child_id)``.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import drafts
from desktop.child_header import ChildHeader
from desktop.edit_conflict import ask_reload
from desktop.form_editor import FormEditor
from desktop.history import HistoryTab
from desktop.records_panel import RecordsPanel, panel_in
from desktop.worker import user_message
from models.record_kinds import CHILD_DERIVED, CHILD_SPEC, RECORD_TABS
from models.roles import READER
from models.server.conflicts import EditConflict

log = logging.getLogger(__name__)

TAB_NAMES = ("基本信息",) + tuple(name for name, _ in RECORD_TABS) + ("附件", "历史")
COLOUR_HEX = {"red": "#d93025", "yellow": "#e6a700", "blue": "#1a73e8", "green": "#188038"}
OVERDUE_HEX = "#c5221f"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent, what: str) -> str:
    """保存 / 放弃 / 取消 for unsaved edits (tests replace ``ChildFile.ask``)."""
    box = QMessageBox(QMessageBox.Question, "有未保存的修改",
                      f"“{what}”有未保存的修改。要保存吗？", parent=parent)
    save = box.addButton("保存", QMessageBox.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.DestructiveRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


def child_state_for(archive, child_id: int, on: date):
    return archive.states.of_child(child_id, on)


# -- the file ------------------------------------------------------------------------------

class ChildFile(QWidget):
    """``ChildFile(context)`` is a new child; ``ChildFile(context, child_id)`` an existing one."""

    back_requested = Signal()
    saved = Signal(int)  # child id, after any write

    ask = staticmethod(ask_unsaved)
    ask_reload = staticmethod(ask_reload)  # 重新载入 after another person's save (tests replace it)

    def __init__(self, context, child_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.archive = context.archive
        self.on = context.on
        self.child_id = child_id
        self.child = context.archive.child_file(child_id).child if child_id else None
        self.panels: list[RecordsPanel] = []
        self.read_only = getattr(self.archive, "role", "") == READER
        self.setAcceptDrops(not self.read_only)
        self._build()
        self.refresh_header()
        if self.read_only:
            self.basic.setEnabled(False)
            for button in (self.save_button, self.close_button):
                button.setEnabled(False)
            self.status.setText("当前用户为“查阅”角色，只能查看。")

    @property
    def is_new(self) -> bool:
        return self.child_id is None

    # -- building --------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.back_button = QPushButton("← 返回列表")
        self.back_button.clicked.connect(self.back_requested)
        bar.addWidget(self.back_button)
        bar.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("file_status")
        bar.addWidget(self.status)
        self.save_button = QPushButton("保存 (Ctrl+S)")
        self.save_button.setObjectName("save_child")
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        self.print_button = QToolButton()
        self.print_button.setText("打印")
        self.print_button.setPopupMode(QToolButton.InstantPopup)
        self.print_button.setMenu(self._print_menu())
        self.print_button.setEnabled(not self.is_new)
        bar.addWidget(self.print_button)
        self.close_button = QPushButton("结案…" if not (self.child and self.child.closed_on)
                                        else "重新启用…")
        self.close_button.clicked.connect(self.close_or_reopen)
        self.close_button.setEnabled(not self.is_new)
        bar.addWidget(self.close_button)
        layout.addLayout(bar)
        self.header = ChildHeader()
        layout.addWidget(self.header)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("child_tabs")
        layout.addWidget(self.tabs, 1)
        self.basic = FormEditor(CHILD_SPEC, read_only=CHILD_DERIVED,
                                completions={"village": self.archive.children.village_names()},
                                extra_check=self._extra_check)
        self.basic.setObjectName("basic_editor")
        self.basic.field_changed.connect(self._basic_field_changed)
        self.basic_keeper = drafts.DraftKeeper(self.basic, self._basic_draft_key(), self.archive)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.basic)
        self.tabs.addTab(scroll, "基本信息")
        if self.child is not None:
            self.basic.set_values(self.archive.records.child_values(self.child))
        else:
            self.basic.set_value("entered_on", self.on)
            self.basic.set_value("registration", "农村")
        self._offer_basic_draft()
        if self.is_new:
            for name in TAB_NAMES[1:]:
                placeholder = QLabel("请先填写并保存基本信息。")
                placeholder.setAlignment(Qt.AlignCenter)
                index = self.tabs.addTab(placeholder, name)
                self.tabs.setTabEnabled(index, False)
            return
        self._add_file_tabs()

    def _add_file_tabs(self) -> None:
        """Record tabs are built when first shown: opening a file costs only what it shows."""
        self._unbuilt: dict[str, tuple] = {}
        for name, kinds in RECORD_TABS:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, name)
            self._unbuilt[name] = kinds
        from desktop.attachments import AttachmentsTab

        self.attachments = AttachmentsTab(self.context, self.child_id)
        self.attachments.changed.connect(self._after_write)
        self.tabs.addTab(self.attachments, "附件")
        self.history = HistoryTab(self)
        self.tabs.addTab(self.history, "历史")
        self.tabs.currentChanged.connect(self._tab_changed)

    def _build_tab(self, name: str) -> None:
        kinds = self._unbuilt.pop(name, None)
        if kinds is None:
            return
        holder = self.tabs.widget(TAB_NAMES.index(name))
        holder.layout().addWidget(self._records_tab(kinds))

    def _records_tab(self, kinds) -> QWidget:
        panels = []
        for kind in kinds:
            panel = RecordsPanel(self, kind)
            panel.saved.connect(self._after_write)
            if self.read_only:
                for widget in (panel.editor, panel.new_button, panel.save_button,
                               panel.delete_button):
                    widget.setEnabled(False)
            panels.append(panel)
            self.panels.append(panel)
        if len(panels) == 1:
            return panels[0]
        inner = QTabWidget()
        inner.setDocumentMode(True)
        for panel in panels:
            inner.addTab(panel, panel.kind.title)
        return inner

    def _print_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("打印档案（全部）…", self.print_dossier)
        menu.addAction("打印委托照护协议书（已填写）…", lambda: self.print_form("委托照护协议书"))
        menu.addAction("打印委托照护协议书（空白）…",
                       lambda: self.print_form("委托照护协议书", blank=True))
        menu.addSeparator()
        forms_menu = menu.addMenu("打印表格")
        from forms.registry import FORMS

        for name in FORMS:
            forms_menu.addAction(f"{name}（已填写）…", lambda n=name: self.print_form(n))
            forms_menu.addAction(f"{name}（空白）…", lambda n=name: self.print_form(n, blank=True))
        return menu

    # -- header and tabs -------------------------------------------------------------
    def refresh_header(self) -> None:
        if self.is_new:
            self.header.show_new()
            return
        file = self.archive.child_file(self.child_id)
        self.child = file.child
        try:
            state = child_state_for(self.archive, self.child_id, self.on)
        except Exception:
            log.exception("child state failed")
            state = None
        self.header.show_child(file.header(self.on, state), state, self.on)

    def _tab_changed(self, index: int) -> None:
        name = self.tabs.tabText(index)
        self._build_tab(name)
        if name == "历史":
            self.history.reload()

    def show_tab(self, name: str) -> QWidget:
        index = TAB_NAMES.index(name)
        self.tabs.setCurrentIndex(index)
        self._build_tab(name)
        return self.tabs.widget(index)

    def panel(self, kind_key: str) -> RecordsPanel:
        for name, kinds in RECORD_TABS:
            if any(kind.key == kind_key for kind in kinds):
                self._build_tab(name)
        return next(p for p in self.panels if p.kind.key == kind_key)

    # -- basic information -----------------------------------------------------------
    def _basic_draft_key(self) -> str:
        return f"child:{self.child_id}:basic" if self.child_id else "new_child"

    def _offer_basic_draft(self) -> None:
        draft = self.basic_keeper.pending()
        if draft:
            self.basic.set_values(draft)
            self.basic.dirty = True
            self.status.setText("已恢复上次未保存的内容（草稿），请核对后保存。")

    def _extra_check(self, key: str, value) -> str | None:
        if key == "id_number" and value:
            return self.archive.records.duplicate_message(str(value), self.child_id)
        return None

    def _basic_field_changed(self, key: str) -> None:
        if key != "id_number":
            return
        text = self.basic.raw_value("id_number")
        derived = self.archive.records.derived_from_id(text)
        if derived:
            self.basic.set_value("birth_date", derived[0])
            self.basic.set_value("sex", derived[1])
        if len(text) >= 18:
            self.basic.check_field("id_number")  # wrong check digit or already in the archive
        else:
            self.basic.show_error("id_number", None)

    def save_basic(self) -> bool:
        if self.basic.validate():
            self.status.setText("<span style='color:#c5221f'>有填写错误，未保存。</span>")
            return False
        try:
            child = self.archive.records.save_child(self.child, self.basic.typed_values())
        except EditConflict as exc:  # another person saved the particulars meanwhile
            if self.ask_reload(self, exc):
                self.reload_basic()
            return False
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "未能保存", user_message(exc))
            return False
        self.basic_keeper.discard()
        self.basic.mark_clean()
        was_new = self.is_new
        self.child, self.child_id = child, child.id
        self.basic_keeper.key = self._basic_draft_key()
        self.status.setText("基本信息已保存。")
        if was_new:
            self._rebuild_for_saved_child()
        self._after_write()
        return True

    def _rebuild_for_saved_child(self) -> None:
        """A new child was saved: the full file (all tabs) replaces the new-child form."""
        while self.tabs.count() > 1:
            self.tabs.removeTab(1)
        self._add_file_tabs()
        self.print_button.setEnabled(True)
        self.close_button.setEnabled(True)

    def _after_write(self) -> None:
        self.refresh_header()
        self.saved.emit(self.child_id)
        if self.context.archive_changed:
            self.context.archive_changed()

    # -- saving and leaving ----------------------------------------------------------
    def dirty_editors(self) -> list:
        editors = [("基本信息", self.basic, self.save_basic, self._discard_basic)]
        editors += [(p.kind.title, p.editor, p.save, p.discard) for p in self.panels]
        return [e for e in editors if e[1].dirty]

    def reload_basic(self) -> None:
        """重新载入 the particulars as the other person saved them."""
        self.child = self.archive.child_file(self.child_id).child
        self._discard_basic()
        self.refresh_header()
        self.status.setText("已重新载入其他用户保存后的基本信息。")

    def _discard_basic(self) -> None:
        self.basic_keeper.discard()
        if self.child is not None:
            self.basic.set_values(self.archive.records.child_values(self.child))
        self.basic.mark_clean()

    def save(self) -> bool:
        """Ctrl+S: save what the current tab shows (or every edited part)."""
        widget = self.tabs.currentWidget()
        panel = panel_in(widget)
        if panel is not None:
            return panel.save()
        if self.tabs.currentIndex() == 0 or not self.dirty_editors():
            return self.save_basic()
        return all(save() for _, _, save, _ in self.dirty_editors())

    def settle(self, panel: RecordsPanel) -> bool:
        """Before the panel's editor shows something else: save, discard or stay."""
        if not panel.editor.dirty:
            return True
        answer = self.ask(self, panel.kind.title)
        if answer == SAVE:
            return panel.save()
        if answer == DISCARD:
            panel.discard()
            return True
        return False

    def confirm_leave(self) -> bool:
        for title, _editor, save, discard in self.dirty_editors():
            answer = self.ask(self, title)
            if answer == CANCEL:
                return False
            if answer == SAVE and not save():
                return False
            if answer == DISCARD:
                discard()
        return True

    # -- closing the file ------------------------------------------------------------
    def close_or_reopen(self) -> None:
        if self.child is None:
            return
        if self.child.closed_on:
            reason, ok = QInputDialog.getText(self, "重新启用档案", "重新启用的原因：")
            if ok and reason.strip():
                self._write(lambda file: file.reopen(reason.strip()))
            return
        reason, ok = QInputDialog.getText(
            self, "结案", "结案原因（如：年满16周岁、父母返乡、监护恢复）：\n档案不删除，结案后仍可查阅。")
        if ok:
            self.close_child(reason)

    def close_child(self, reason: str) -> bool:
        if not reason or not reason.strip():
            QMessageBox.information(self, "结案", "结案必须填写原因。")
            return False
        return self._write(lambda file: file.close(self.on, reason.strip()))

    def _write(self, action) -> bool:
        file = self.archive.child_file(self.child_id)
        try:
            action(file)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "未能完成", user_message(exc))
            return False
        self.child = file.child
        self.close_button.setText("重新启用…" if self.child.closed_on else "结案…")
        self._after_write()
        return True

    # -- printing --------------------------------------------------------------------
    def print_dossier(self):
        from desktop.print_preview import dossier_job, preview

        if self.child is not None:
            return preview(self, dossier_job(self.archive, self.child_id, self.on), self.context)
        return None

    def print_form(self, name: str, blank: bool = False):
        from desktop.print_preview import form_job, preview

        child_id = None if blank else self.child_id
        return preview(self, form_job(self.archive, name, child_id, blank, self.on), self.context)

    def print_current(self):
        return self.print_dossier()

    # -- drops go to the attachments --------------------------------------------------
    def dragEnterEvent(self, event):
        if not self.is_new and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):
        if self.is_new:
            return
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        self.show_tab("附件")
        self.attachments.add_files(paths)
        event.acceptProposedAction()
