"""走访录入: typing a stack of paper visit records with the keyboard only.

Type the child's pinyin initials (or name, or ID digits), ↑/↓ and Enter to choose; the date
defaults to today; Tab through kind, visitor, notes, problems, actions; Ctrl+Enter saves and
clears for the next record. The child's new due dates show at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import drafts
from desktop.form_editor import FormEditor
from forms import vocab
from forms.spec import FormSpec, Section
from models.child_file import ChildFacts
from models.child_query import ChildQuery
from models.record_kinds import CONTACT

MATCHES = 8
QUICK_FIELDS = ("on", "kind", "visitor", "living", "problems", "actions")
QUICK_SPEC = FormSpec("quick_visit", "走访记录", (Section("走访记录", tuple(
    replace(CONTACT.spec.field(key), label="走访情况") if key == "living" else CONTACT.spec.field(key)
    for key in QUICK_FIELDS)),))
DRAFT_KEY = "quick_entry"


class _SearchBox(QLineEdit):
    moved = Signal(int)  # -1 up, +1 down

    def keyPressEvent(self, event):
        if event.key() == Qt.Key_Down:
            self.moved.emit(1)
            return
        if event.key() == Qt.Key_Up:
            self.moved.emit(-1)
            return
        super().keyPressEvent(event)


class Page(QWidget):
    title = "走访录入"

    def __init__(self, context):
        super().__init__()
        self.context = context
        self.archive = context.archive
        self.child_id: int | None = None
        self.saved_count = 0
        self.search = _SearchBox()
        self.search.setObjectName("child_search")
        self.search.setPlaceholderText("儿童：输入拼音首字母（如 zs）、姓名或身份证号，↑↓选择，回车确定")
        self.search.textChanged.connect(self.find)
        self.search.moved.connect(self._move)
        self.search.returnPressed.connect(self.choose)
        self.matches = QListWidget()
        self.matches.setObjectName("matches")
        self.matches.setMaximumHeight(self.fontMetrics().height() * (MATCHES + 1) + 12)
        self.matches.itemActivated.connect(lambda _item: self.choose())
        self.matches.setFocusPolicy(Qt.NoFocus)
        self.child_label = QLabel("尚未选择儿童")
        self.child_label.setObjectName("child_label")
        self.child_label.setTextFormat(Qt.RichText)
        self.editor = FormEditor(QUICK_SPEC)
        self.editor.setObjectName("quick_editor")
        self.keeper = drafts.DraftKeeper(self.editor, DRAFT_KEY, self.archive)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setTextFormat(Qt.RichText)
        self.result.setWordWrap(True)
        save = QPushButton("保存并录入下一条 (Ctrl+Enter)")
        save.setObjectName("save_visit")
        save.clicked.connect(self.save)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.log = QTableWidget(0, 5)
        self.log.setObjectName("saved_log")
        self.log.setHorizontalHeaderLabels(["儿童", "走访日期", "方式", "下次联系", "下次入户走访"])
        self.log.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.log.verticalHeader().hide()
        self.log.horizontalHeader().setStretchLastSection(True)
        self.log.setFocusPolicy(Qt.NoFocus)

        left = QVBoxLayout()
        left.addWidget(QLabel("<b>1. 找到儿童</b>"))
        left.addWidget(self.search)
        left.addWidget(self.matches)
        left.addWidget(self.child_label)
        left.addWidget(QLabel("<b>2. 填写走访记录</b>（Tab 键移到下一项）"))
        left.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        left.addLayout(buttons)
        left.addWidget(self.result)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>本次已录入</b>"))
        right.addWidget(self.log)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.reset_form()
        self._restore_draft()

    # -- page protocol ---------------------------------------------------------------
    def refresh(self) -> None:
        self.search.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def save_layout(self) -> None:
        pass

    def confirm_leave(self) -> bool:
        self.keeper.flush()  # a half-typed record stays as a draft, nothing is lost
        return True

    # -- finding the child -----------------------------------------------------------
    def find(self, text: str) -> None:
        self.matches.clear()
        if not text.strip():
            return
        children = self.archive.children
        ids = children.ids(ChildQuery(text=text, on=self.context.on, sort="name"))[:MATCHES]
        for line in children.rows(ids):
            age = f"{line.age(self.context.on)}岁" if line.birth_date else ""
            colour = vocab.COLOUR_NAMES.get(line.colour, "")
            item = QListWidgetItem(f"{line.name}　{line.sex} {age}　{line.village}　{colour}　"
                                   f"身份证尾号 {line.id_number[-4:]}")
            item.setData(Qt.UserRole, line.id)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def _move(self, step: int) -> None:
        if self.matches.count():
            row = (self.matches.currentRow() + step) % self.matches.count()
            self.matches.setCurrentRow(row)

    def choose(self) -> bool:
        item = self.matches.currentItem()
        if item is None:
            return False
        self.select_child(item.data(Qt.UserRole))
        self.editor.widgets["on"].setFocus()
        self.editor.widgets["on"].selectAll()
        return True

    def select_child(self, child_id: int) -> None:
        self.child_id = child_id
        self.child_label.setText(self._child_text(self.archive.child_file(child_id).facts()))

    def _child_text(self, child: ChildFacts, prefix: str = "") -> str:
        on = self.context.on

        def due(day):
            if day is None:
                return "—"
            return f"<b style='color:#c5221f'>{day}（已逾期）</b>" if day < on else str(day)

        colour = vocab.COLOUR_NAMES.get(child.colour, "")
        return (f"{prefix}<b>{child.name}</b>（{child.village}，{colour}）；下次联系：{due(child.next_contact_due)}；"
                f"下次入户走访：{due(child.next_home_visit_due)}")

    # -- saving ----------------------------------------------------------------------
    def reset_form(self, keep: dict | None = None) -> None:
        self.editor.clear()
        self.editor.set_value("on", self.context.on)
        kind = (keep or {}).get("kind") or vocab.HOME_VISIT
        self.editor.set_value("kind", kind)
        visitor = (keep or {}).get("visitor")
        if not visitor and self.context.settings is not None:
            visitor = self.context.settings.last_visitor
        self.editor.set_value("visitor", visitor or "")
        self.editor.mark_clean()

    def _restore_draft(self) -> None:
        draft = self.keeper.pending()
        if draft:
            self.editor.set_values(draft)
            self.editor.dirty = True
            self.result.setText("已恢复上次未保存的走访记录（草稿），请选择儿童后保存。")

    def save(self) -> bool:
        if self.child_id is None:
            self.result.setText("<span style='color:#c5221f'>请先选择儿童（在上方输入拼音首字母）。</span>")
            self.search.setFocus()
            return False
        if self.editor.validate():
            self.result.setText("<span style='color:#c5221f'>有填写错误，未保存。</span>")
            return False
        typed = self.editor.typed_values()
        try:
            self.archive.records.save(CONTACT, self.child_id, None, typed)
        except Exception as exc:  # noqa: BLE001
            from desktop.worker import user_message

            self.result.setText(f"<span style='color:#c5221f'>未能保存：{user_message(exc)}</span>")
            return False
        self.keeper.discard()
        self.saved_count += 1
        child = self.archive.child_file(self.child_id).facts()  # due dates refreshed by the write
        if self.context.settings is not None and typed.get("visitor"):
            self.context.settings.last_visitor = typed["visitor"]
        self.result.setText(self._child_text(child, prefix="已保存。"))
        self._log(child, typed["on"], typed["kind"])
        if self.context.archive_changed:
            self.context.archive_changed()
        self.child_id = None
        self.child_label.setText("尚未选择儿童")
        self.reset_form(keep=typed)
        self.search.clear()
        self.search.setFocus()
        return True

    def _log(self, child: ChildFacts, on: date, kind: str) -> None:
        self.log.insertRow(0)
        for col, text in enumerate((child.name, str(on), kind, str(child.next_contact_due or ""),
                                    str(child.next_home_visit_due or ""))):
            self.log.setItem(0, col, QTableWidgetItem(text))
