"""儿童档案: the children list (search, filters) and, in place of it, one child's file."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.children_model import COLUMN_KEYS, ChildrenModel
from desktop.context import ChildFilter
from desktop.permissions import EDIT_CHILDREN, can, role_of
from forms import vocab
from forms.colours import risk_level
from models.child_query import ChildQuery

ALL = "全部"


# The widest usual text of each column (the last column, 状态, stretches).
WIDEST_TEXT = {"colour": "黄色（人工）", "name": "欧阳某某某", "age": "男 17岁",
               "id_number": "14042820160517001X", "village": "某某某某村",
               "categories": "留守、低保边缘", "next_contact_due": "2026-10-31",
               "next_home_visit_due": "2026-10-31"}

class ChildrenList(QWidget):
    def __init__(self, page: Page):
        super().__init__()
        self.page = page
        context = page.context
        settings = context.settings
        role = getattr(context.archive, "role", "")
        full_id = bool(settings and settings.may_show_full_id(role))
        self.model = ChildrenModel(context.archive, on=context.on, full_id=full_id)
        self.label = QLabel()
        self.label.setObjectName("filter_label")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("查找：姓名、拼音首字母（如 zs）、全拼或身份证号（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filters)
        self.search.returnPressed.connect(self.open_current)
        self.village = QComboBox()
        self.village.setObjectName("village_filter")
        self.colour = QComboBox()
        self.colour.addItem(ALL, None)
        for code in vocab.COLOURS:
            self.colour.addItem(risk_level(code), code)
        self.category = QComboBox()
        self.category.addItem(ALL, None)
        for word in (vocab.LEFT_BEHIND,) + vocab.HARDSHIP_CATEGORIES:
            self.category.addItem(word, word)
        from models.child_query import SINGLE_PARENT_LEDGER

        self.category.addItem(SINGLE_PARENT_LEDGER, SINGLE_PARENT_LEDGER)
        self.overdue = QCheckBox("只看逾期")
        self.urgent = QCheckBox("只看需立即干预")
        self.closed = QCheckBox("含已结案")
        for combo in (self.village, self.colour, self.category):
            combo.currentIndexChanged.connect(self.apply_filters)
        for box in (self.overdue, self.urgent, self.closed):
            box.toggled.connect(self.apply_filters)
        self.count = QLabel()
        self.count.setObjectName("count")
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("共 000000 名儿童") + 8)
        self.count.setAlignment(Qt.AlignRight | Qt.AlignVCenter)  # no relayout per keystroke
        new_button = QPushButton("新建儿童档案 (Ctrl+N)")
        new_button.setObjectName("new_child")
        new_button.clicked.connect(page.new_child)
        new_button.setVisible(can(role_of(context), EDIT_CHILDREN))
        self.new_button = new_button
        self.table = QTableView()
        self.table.setObjectName("children_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # A scroll bar that comes and goes with the number of matches would re-lay out and
        # repaint the list twice per keystroke.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOn)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        for keys in (Qt.Key_Return, Qt.Key_Enter):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.WidgetShortcut)
            shortcut.activated.connect(self.open_current)
        self._widths()

        filters = QHBoxLayout()
        for text, widget in (("村（社区）", self.village), ("风险等级", self.colour),
                             ("类别", self.category)):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget)
        for widget in (self.overdue, self.urgent, self.closed):
            filters.addWidget(widget)
        filters.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(new_button)
        footer = QHBoxLayout()
        footer.addWidget(self.label)
        footer.addStretch(1)
        footer.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self.reload_villages()
        self._explicit_ids: tuple[int, ...] | None = None

    def needed_width(self, key: str) -> int:
        """Room for the widest usual value and the header (with its sort arrow), in the
        table's font: 字号 16 widens the columns, nothing cuts a date or an ID number."""
        text = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        label = self.model.headerData(COLUMN_KEYS.index(key), Qt.Horizontal)
        icon = self.table.iconSize().width() + 8 if key == "colour" else 0
        return max(text.horizontalAdvance(WIDEST_TEXT[key]) + icon + 18,
                   header.horizontalAdvance(label) + 30)

    def _widths(self, keep_wider: bool = False) -> None:
        """Set every column to what its contents need (``keep_wider``: a column the clerk
        widened stays so)."""
        for key in WIDEST_TEXT:
            column = COLUMN_KEYS.index(key)
            width = self.needed_width(key)
            if keep_wider:
                width = max(width, self.table.columnWidth(column))
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)

    def changeEvent(self, event) -> None:
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "table"):
            self._widths(keep_wider=True)

    def reload_villages(self) -> None:
        current = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem(ALL, None)
        for name in self.page.context.archive.children.village_names():
            self.village.addItem(name, name)
        index = self.village.findData(current)
        self.village.setCurrentIndex(max(index, 0))
        self.village.blockSignals(False)

    # -- filters ---------------------------------------------------------------------
    def current_filter(self) -> ChildFilter:
        return ChildFilter(
            text=self.search.text(), village=self.village.currentData(),
            colour=self.colour.currentData(), category=self.category.currentData(),
            overdue_only=self.overdue.isChecked(), urgent_only=self.urgent.isChecked(),
            include_closed=self.closed.isChecked(), child_ids=self._explicit_ids,
            label=self.label.text())

    def apply_filters(self, *_args) -> None:
        selected = self.selected_id()
        self.model.set_query(ChildQuery.from_filter(self.current_filter(), on=self.model.on))
        self.count.setText(f"共 {self.model.rowCount()} 名儿童")
        row = self.model.row_of(selected) if selected else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)

    def show_filter(self, child_filter: ChildFilter) -> None:
        """Set every control from a filter (the dashboard's clicks)."""
        widgets = (self.search, self.village, self.colour, self.category, self.overdue,
                   self.urgent, self.closed)
        for w in widgets:
            w.blockSignals(True)
        self.search.setText(child_filter.text)
        for combo, value in ((self.village, child_filter.village),
                             (self.colour, child_filter.colour),
                             (self.category, child_filter.category)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.overdue.setChecked(child_filter.overdue_only)
        self.urgent.setChecked(child_filter.urgent_only)
        self.closed.setChecked(child_filter.include_closed)
        self._explicit_ids = child_filter.child_ids
        self.label.setText(child_filter.label)
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def clear_label(self) -> None:
        self._explicit_ids = None
        self.label.setText("")

    # -- rows ------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.child_id(index.row()) if index.isValid() else None

    def open_current(self) -> None:
        child_id = self.selected_id()
        if child_id is None and self.model.rowCount():
            child_id = self.model.child_id(0)
        if child_id is not None:
            self.page.open_child(child_id)

    def open_row(self, row: int) -> None:
        child_id = self.model.child_id(row)
        if child_id is not None:
            self.page.open_child(child_id)

    def _context_menu(self, pos) -> None:
        index: QModelIndex = self.table.indexAt(pos)
        if not index.isValid():
            return
        child_id = self.model.child_id(index.row())
        menu = QMenu(self)
        menu.addAction("打开档案", lambda: self.page.open_child(child_id))
        menu.addAction("记录走访", lambda: self.page.open_child(child_id, tab="走访记录"))
        menu.addAction("打印档案…", lambda: self.page.print_child(child_id))
        menu.exec(self.table.viewport().mapToGlobal(pos))


class Page(QWidget):
    title = "儿童档案"

    def __init__(self, context):
        super().__init__()
        self.context = context
        self.list = ChildrenList(self)
        self.file = None  # the open desktop.child_file.ChildFile
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._stale = True
        settings = context.settings
        if settings is not None:
            state = settings.header_state("children")
            if not state.isEmpty():
                self.list.table.horizontalHeader().restoreState(state)
                self.list._widths(keep_wider=True)  # saved at a smaller 字号: widen

    # -- page protocol ---------------------------------------------------------------
    def refresh(self) -> None:
        settings = self.context.settings
        full_id = bool(settings and settings.may_show_full_id(role_of(self.context)))
        if full_id != self.list.model.full_id:
            self.list.model.full_id = full_id
            self._stale = True
        if self._stale:
            self.list.model.invalidate()
            self.list.reload_villages()
            self.list.apply_filters()
            self._stale = False

    def mark_stale(self) -> None:
        self._stale = True
        self.list.model.invalidate()

    def focus_search(self) -> None:
        if self.file is not None and not self.close_file():
            return
        self.list.search.setFocus()
        self.list.search.selectAll()

    def show_filter(self, child_filter: ChildFilter) -> None:
        if self.file is not None and not self.close_file():
            return
        self._stale = False
        self.list.model.invalidate()
        self.list.reload_villages()
        self.list.show_filter(child_filter)

    def confirm_leave(self) -> bool:
        return self.file is None or self.file.confirm_leave()

    def save(self) -> None:
        if self.file is not None:
            self.file.save()

    def print_current(self) -> None:
        if self.file is not None and not self.file.is_new:
            self.file.print_dossier()
        elif self.list.selected_id() is not None:
            self.print_child(self.list.selected_id())

    def save_layout(self) -> None:
        if self.context.settings is not None:
            self.context.settings.set_header_state(
                "children", self.list.table.horizontalHeader().saveState())

    # -- the child's file ------------------------------------------------------------
    def open_child(self, child_id: int, tab: str | None = None):
        from desktop.child_file import ChildFile

        if self.file is not None:
            if self.file.child_id == child_id:
                if tab:
                    self.file.show_tab(tab)
                return self.file
            if not self.close_file():
                return None
        self._show_file(ChildFile(self.context, child_id))
        if tab:
            self.file.show_tab(tab)
        return self.file

    def new_child(self):
        from desktop.child_file import ChildFile

        if not can(role_of(self.context), EDIT_CHILDREN):
            return None
        if self.file is not None and not self.close_file():
            return None
        self._show_file(ChildFile(self.context, None))
        self.file.basic.widgets["name"].setFocus()
        return self.file

    def _show_file(self, file) -> None:
        self.file = file
        file.back_requested.connect(self.close_file)
        file.saved.connect(self._child_saved)
        self.stack.addWidget(file)
        self.stack.setCurrentWidget(file)

    def close_file(self) -> bool:
        if self.file is None:
            return True
        if not self.file.confirm_leave():
            return False
        file, self.file = self.file, None
        self.stack.setCurrentWidget(self.list)
        self.stack.removeWidget(file)
        file.deleteLater()
        if self._stale:
            self.list.model.invalidate()
            self.list.reload_villages()
            self.list.apply_filters()
            self._stale = False
        self.list.table.setFocus()
        return True

    def _child_saved(self, child_id: int) -> None:
        self._stale = True
        self.list.model.invalidate()

    def print_child(self, child_id: int):
        from desktop.print_preview import dossier_job, preview

        return preview(self, dossier_job(self.context.archive, child_id, self.context.on), self.context)
