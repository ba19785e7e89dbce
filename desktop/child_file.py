"""One child's file: a header with what the rules say, and a tab per part of the file.

Tabs: 基本信息, 家庭与监护, 评估, 走访记录, 帮扶记录, 问题与解决, 工作日志, 转介与报告, 附件, 历史.
Editors are built from the ``forms/`` definitions (``desktop.record_specs``); nothing is
deleted silently (closing a child asks for the reason; a mistyped record is removed with a
reason that stays in the audit trail). Unsaved edits are kept as drafts inside the archive.
"""

from __future__ import annotations

import logging
from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import drafts
from desktop.child_records import (
    child_values,
    derived_from_id,
    duplicate_message,
    label_of,
    record_values,
    records_of,
    save_child,
    save_record,
)
from desktop.form_editor import FormEditor, display_text
from desktop.record_specs import CHILD_DERIVED, CHILD_SPEC, RECORD_TABS, RecordKind
from desktop.worker import user_message
from forms import vocab
from models.child_query import village_names
from models.roles import READER
from models.schema import Child

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


def child_state_for(child_id: int, on: date):
    from models.state import state_of

    return state_of(child_id, on)


# -- header -------------------------------------------------------------------------------

class ChildHeader(QFrame):
    def __init__(self):
        super().__init__()
        self.setFrameShape(QFrame.StyledPanel)
        layout = QHBoxLayout(self)
        self.badge = QLabel()
        self.badge.setObjectName("colour_badge")
        self.badge.setAlignment(Qt.AlignCenter)
        self.badge.setMinimumWidth(110)
        self.title = QLabel()
        self.title.setObjectName("child_title")
        self.title.setTextFormat(Qt.RichText)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.due = QLabel()
        self.due.setObjectName("due_dates")
        self.due.setTextFormat(Qt.RichText)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.RichText)
        self.problems.setTextInteractionFlags(Qt.TextSelectableByMouse)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.due)
        layout.addWidget(self.badge, 0, Qt.AlignTop)
        layout.addLayout(left, 3)
        layout.addWidget(self.problems, 2)

    def show_new(self) -> None:
        self.badge.setText("新建")
        self.badge.setStyleSheet("border:1px solid #888; border-radius:6px; padding:8px;")
        self.title.setText("<h2>新建儿童档案</h2>输入身份证号后自动填写出生日期和性别。")
        self.due.setText("")
        self.problems.setText("")

    def show_child(self, child: Child, state, on: date) -> None:
        from models.rules.dates import age_on

        colour = state.colour if state else child.colour
        colour_text = f"{vocab.COLOUR_NAMES.get(colour, '')}<br>{vocab.COLOUR_LEVELS.get(colour, '')}"
        source = "人工确认" if (state and state.colour_manual) else "按规则"
        self.badge.setText(f"<b>{colour_text}</b><br><small>{source}</small>")
        self.badge.setStyleSheet(
            f"background:{COLOUR_HEX.get(colour, '#888')}; color:white; border-radius:6px;"
            "padding:8px;")
        reasons = "；".join(state.colour_reasons) if state else ""
        self.badge.setToolTip(reasons or "无风险情形")
        age = age_on(child.birth_date, on) if child.birth_date else ""
        village = child.village.name if child.village_id else ""
        closed = (f"<span style='color:#777'>（已结案：{child.closed_on:%Y-%m-%d}，"
                  f"{escape(child.closed_reason)}）</span>") if child.closed_on else ""
        lines = [(f"<h2 style='margin:0'>{escape(child.name)} <small>{child.sex} {age}岁 · "
                  f"{escape(village)}</small>{closed}</h2>")]
        if state and state.categories:
            parts = []
            for category in state.categories:
                why = "；".join(state.category_reasons.get(category, []))
                parts.append(f"<b>{escape(category)}</b>"
                             + (f"<small>（{escape(why)}）</small>" if why else ""))
            lines.append("类别：" + "　".join(parts))
        elif state and not state.closed:
            lines.append("类别：<span style='color:#777'>目前不属于留守或困境儿童</span>")
        from models.child_query import household_siblings

        siblings = household_siblings(child)
        if siblings:
            lines.append(f"同户儿童（一户一档，共用委托照护协议和外出务工备案）：{escape('、'.join(siblings))}")
        if state and state.single_parent:
            lines.append("单亲家庭儿童" + ("（单亲家庭儿童台账，不计入分色名单和县级报表）"
                                      if state.single_parent_only else ""))
        if reasons:
            lines.append(f"风险情形：{escape(reasons)}")
        if state and not state.closed:
            from models.rules.completeness import referral_suggestions

            routes = referral_suggestions(state.colour_criteria)
            if routes:
                lines.append("建议转介：" + "；".join(escape(note) for _w, _d, note in routes))
        self.title.setText("<br>".join(lines))
        if state and not state.closed:
            basis = state.visit_basis.clause if state.visit_basis and not state.visit_basis.file else ""
            self.due.setText(f"下次联系：{_due(state.next_contact_due, on)}；"
                             f"下次入户走访：{_due(state.next_home_visit_due, on)}"
                             + (f"<small>（{escape(basis)}）</small>" if basis else "")
                             + ("；<b style='color:#c5221f'>需立即干预（须强制报告或向对口部门转介）</b>"
                                if state.urgent else ""))
        else:
            self.due.setText("")
        problems = state.problems if state else []
        if problems:
            items = "".join(f"<li>{escape(p.message)} <small style='color:#777'>"
                            f"〔{'本地做法' if p.local else '依据'}：{escape(p.basis_text)}〕</small></li>"
                            for p in problems[:8])
            more = f"<li>……另有{len(problems) - 8}项</li>" if len(problems) > 8 else ""
            self.problems.setText(f"<b>档案完整性问题（{len(problems)}项）</b><ul style='margin:0'>"
                                  f"{items}{more}</ul>")
        else:
            self.problems.setText("<span style='color:#188038'>档案完整，无待补问题。</span>")


def _due(day: date | None, on: date) -> str:
    if day is None:
        return ""
    text = day.isoformat()
    return f"<b style='color:{OVERDUE_HEX}'>{text}（已逾期）</b>" if day < on else text


# -- record lists --------------------------------------------------------------------------

class RecordsPanel(QWidget):
    """A list of one kind of record with its editor below."""

    saved = Signal()

    def __init__(self, file: ChildFile, kind: RecordKind):
        super().__init__()
        self.file, self.kind = file, kind
        self.records: list = []
        self.current = None  # the record in the editor; None = a new one
        self.table = QTableWidget(0, len(kind.list_columns))
        self.table.setObjectName(f"table_{kind.key}")
        self.table.setHorizontalHeaderLabels([label_of(kind.spec, c) for c in kind.list_columns])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)
        self.editor = FormEditor(kind.spec)
        self.editor.setObjectName(f"editor_{kind.key}")
        self.keeper = drafts.DraftKeeper(self.editor, self._draft_key())
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
        self.records = records_of(self.kind, self.file.child_id)
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
        self.editor.set_values(record_values(self.kind, record))
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
            record = save_record(self.file.archive, self.kind, self.file.child_id, self.current,
                                 self.editor.typed_values())
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

    def discard(self) -> None:
        self.keeper.discard()
        if self.current is not None:
            self.editor.set_values(record_values(self.kind, self.current))
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
            self.file.archive.writer().delete(self.current, reason)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "未能删除", user_message(exc))
            return
        self.keeper.discard()
        self.current = None
        self.reload()
        self.new_record()
        self.saved.emit()


# -- history -------------------------------------------------------------------------------

# Kept here for callers of the old names; the history is read in desktop.history.
from desktop.history import describe_changes, history_entries, history_lines  # noqa: E402,F401


class HistoryTab(QWidget):
    def __init__(self, file: ChildFile):
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
        lines = history_lines(self.file.child_id)
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


# -- the file ------------------------------------------------------------------------------

class ChildFile(QWidget):
    """``ChildFile(context)`` is a new child; ``ChildFile(context, child_id)`` an existing one."""

    back_requested = Signal()
    saved = Signal(int)  # child id, after any write

    ask = staticmethod(ask_unsaved)

    def __init__(self, context, child_id: int | None = None, parent=None):
        super().__init__(parent)
        self.context = context
        self.archive = context.archive
        self.on = context.on
        self.child_id = child_id
        self.child = Child.get_by_id(child_id) if child_id else None
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
                                completions={"village": village_names()},
                                extra_check=self._extra_check)
        self.basic.setObjectName("basic_editor")
        self.basic.field_changed.connect(self._basic_field_changed)
        self.basic_keeper = drafts.DraftKeeper(self.basic, self._basic_draft_key())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.basic)
        self.tabs.addTab(scroll, "基本信息")
        if self.child is not None:
            self.basic.set_values(child_values(self.child))
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
        self.child = Child.get_by_id(self.child_id)
        try:
            state = child_state_for(self.child_id, self.on)
        except Exception:
            log.exception("child state failed")
            state = None
        self.header.show_child(self.child, state, self.on)

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
            return duplicate_message(str(value), self.child_id)
        return None

    def _basic_field_changed(self, key: str) -> None:
        if key != "id_number":
            return
        text = self.basic.raw_value("id_number")
        derived = derived_from_id(text)
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
            child = save_child(self.archive, self.child, self.basic.typed_values())
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

    def _discard_basic(self) -> None:
        self.basic_keeper.discard()
        if self.child is not None:
            self.basic.set_values(child_values(self.child))
        self.basic.mark_clean()

    def save(self) -> bool:
        """Ctrl+S: save what the current tab shows (or every edited part)."""
        widget = self.tabs.currentWidget()
        panel = _panel_in(widget)
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
                self._write(lambda w: w.reopen_child(self.child, reason.strip()))
            return
        reason, ok = QInputDialog.getText(
            self, "结案", "结案原因（如：年满16周岁、父母返乡、监护恢复）：\n档案不删除，结案后仍可查阅。")
        if ok:
            self.close_child(reason)

    def close_child(self, reason: str) -> bool:
        if not reason or not reason.strip():
            QMessageBox.information(self, "结案", "结案必须填写原因。")
            return False
        return self._write(lambda w: w.close_child(self.child, self.on, reason.strip()))

    def _write(self, action) -> bool:
        try:
            action(self.archive.writer())
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "未能完成", user_message(exc))
            return False
        self.child = Child.get_by_id(self.child_id)
        self.close_button.setText("重新启用…" if self.child.closed_on else "结案…")
        self._after_write()
        return True

    # -- printing --------------------------------------------------------------------
    def print_dossier(self):
        from desktop.print_preview import dossier_job, preview

        if self.child is not None:
            return preview(self, dossier_job(self.child_id, self.on), self.context)
        return None

    def print_form(self, name: str, blank: bool = False):
        from desktop.print_preview import form_job, preview

        return preview(self, form_job(name, None if blank else self.child_id, blank, self.on),
                       self.context)

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


def _panel_in(widget) -> RecordsPanel | None:
    layout = widget.layout() if widget is not None else None
    if layout is not None and layout.count() == 1 and not isinstance(widget, RecordsPanel):
        widget = layout.itemAt(0).widget()  # a record tab's holder
    if isinstance(widget, RecordsPanel):
        return widget
    if isinstance(widget, QTabWidget):
        current = widget.currentWidget()
        return current if isinstance(current, RecordsPanel) else None
    return None
