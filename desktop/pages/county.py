"""The county's 工作台 (issue 17, item 1): for a 县级管理员 / 县级查阅 on the county database.

A township selector (全县 and each township: the whole window then works there, or in the whole
county, read-only) and, for 全县, a table of the townships: children, red, overdue contacts and
home visits, missing 委托照护协议, the last spot-check, with a 合计 line. Each number opens the
children behind it in the children list, in that township (``archive.county.child_ids``); a
township's name opens its own 工作台 (``desktop.pages.dashboard``), shown here below the
selector. The numbers come from the cached rule columns; a township whose colours were not
computed for today says the day they were.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext, ChildFilter
from desktop.county_reminders import CountyReminders
from desktop.pages.dashboard import fmt_zh
from models.server.county_overview import (
    AGREEMENT_MISSING,
    CHILDREN,
    CONDITIONS,
    OVERDUE_CONTACT,
    OVERDUE_VISIT,
    RED,
    WHOLE_COUNTY,
)

NUMBER_COLUMNS = (CHILDREN, RED, OVERDUE_CONTACT, OVERDUE_VISIT, AGREEMENT_MISSING)
HEADERS = ("乡镇（街道）", "在档儿童", "红色", "联系逾期", "入户走访逾期", "委托照护协议\n未签或失效",
           "最近抽查", "颜色计算日期")
SPOT_CHECK_COLUMN, STATE_COLUMN = 6, 7
SPOT_CHECK_DAYS = 365  # every township is spot-checked at least once a year (all five plans)
LINK = QColor("#1a5fb4")
LATE = QColor("#c5221f")
PAYLOAD = Qt.UserRole


def load_overview(archive, on: date, progress=None, is_cancelled=None):
    """The township table (``archive.county``), in the worker thread."""
    return archive.county.overview(on)


def refresh_townships(archive, on: date, progress=None, is_cancelled=None) -> int:
    return archive.county.refresh_stale(on, progress, is_cancelled)


class Page(QWidget):
    title = "工作台"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.overview = None  # models.server.county_overview.Overview, once loaded
        self.township_page = None  # desktop.pages.dashboard.Page, made when first needed
        self._task = None
        self._stale = True
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("乡镇（街道）："))
        self.selector = QComboBox()
        self.selector.setObjectName("township_selector")
        self.selector.setMinimumContentsLength(8)
        self.selector.activated.connect(lambda _i: self.choose(self.selector.currentText()))
        bar.addWidget(self.selector)
        self.where = QLabel()
        self.where.setObjectName("where")
        bar.addWidget(self.where, 1)
        outer.addLayout(bar)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._county_view())
        outer.addWidget(self.stack, 1)
        self._fill_selector()

    def _county_view(self) -> QWidget:
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("county_status")
        self.status.setWordWrap(True)
        top.addWidget(self.status, 1)
        self.refresh_button = QPushButton("按今天更新")
        self.refresh_button.setObjectName("refresh_townships")
        self.refresh_button.setToolTip("按今天的日期重新计算颜色未更新的乡镇的风险等级和走访日期")
        self.refresh_button.clicked.connect(self.refresh_townships)
        self.refresh_button.setVisible(False)
        top.addWidget(self.refresh_button)
        reload_button = QPushButton("刷新")
        reload_button.clicked.connect(self.load)
        top.addWidget(reload_button)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("township_table")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.setAlternatingRowColors(True)
        self.table.setMouseTracking(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.cellClicked.connect(self._clicked)
        self.table.cellEntered.connect(self._hovered)
        townships = QWidget()
        box_layout = QVBoxLayout(townships)
        box_layout.addWidget(QLabel("点击数字查看儿童，点击乡镇名称进入该乡镇的工作台。"))
        box_layout.addWidget(self.table)
        self.note = QLabel()
        self.note.setObjectName("county_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#555")
        box_layout.addWidget(self.note)
        # Tabs rather than one above the other: at 1366×768 twenty townships and the 合计 line
        # need the page's whole height.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("county_tabs")
        self.tabs.addTab(townships, "各乡镇")
        self.reminders = CountyReminders(self.context.archive)
        self.tabs.addTab(self.reminders, "提醒")
        layout.addWidget(self.tabs, 1)
        return view

    def _show_reminders(self, on: date) -> None:
        self.reminders.refresh(on)
        late = self.reminders.late
        self.tabs.setTabText(1, f"提醒（{late}项应即办理或已逾期）" if late else "提醒")

    def _fill_selector(self) -> None:
        self.selector.blockSignals(True)
        self.selector.clear()
        self.selector.addItem(WHOLE_COUNTY)
        self.selector.addItems(self.context.archive.township_names())
        self.selector.setCurrentText(self.context.archive.county.township_name())
        self.selector.blockSignals(False)

    # -- choosing a township ---------------------------------------------------------
    def chosen(self) -> str:
        return self.context.archive.county.township_name()

    def choose(self, name: str) -> bool:
        """The window works in township ``name`` (or 全县) from now on; False when a page with
        unsaved edits kept it where it was."""
        if name == self.chosen():
            self._show_chosen()
            return True
        if not self.context.township_changing():
            self.selector.setCurrentText(self.chosen())
            return False
        try:
            self.context.archive.county.choose(name)
        except Exception as exc:  # noqa: BLE001 - shown in Chinese, the window stays as it was
            from desktop.worker import user_message

            QMessageBox.warning(self, "工作台", user_message(exc))
            self.selector.setCurrentText(self.chosen())
            return False
        self.selector.setCurrentText(name)
        self.context.township_changed()
        self._show_chosen(changed=True)
        return True

    def _show_chosen(self, changed: bool = False) -> None:
        """The table (全县) or the chosen township's own 工作台, reloaded when the township
        changed (else as that page decides: when stale)."""
        name = self.chosen()
        role = self.context.archive.role
        if name == WHOLE_COUNTY:
            self.where.setText(f"全县（只读）　{self.context.archive.county_role}")
            self.stack.setCurrentIndex(0)
            if self._stale or self.overview is None:
                self.load()
            return
        self.where.setText(f"正在{name}工作（{role}）。选“全县”回到各乡镇一览。")
        page = self._township_page()
        if changed:
            page.mark_stale()
        self.stack.setCurrentWidget(page)
        page.refresh()

    def _township_page(self):
        if self.township_page is None:
            from desktop.pages import dashboard

            self.township_page = dashboard.Page(self.context)
            self.stack.addWidget(self.township_page)
        return self.township_page

    # -- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        self._fill_selector()
        if self.chosen() != WHOLE_COUNTY or self._stale or self.overview is None:
            self._show_chosen()

    def mark_stale(self) -> None:
        self._stale = True
        if self.township_page is not None:
            self.township_page.mark_stale()

    def load(self) -> None:
        on = date.today()
        self._stale = False
        if self._task is not None and not self._task.done:
            self._task.cancel()
        run = self.context.run_in_background
        if run is None:
            try:
                self.show_overview(load_overview(self.context.archive, on))
            except Exception as exc:  # noqa: BLE001 - shown to the person, never a traceback
                self._error(exc)
            return
        self.status.setText("正在读取各乡镇的情况……")
        self._task = run(load_overview, self.context.archive, on, show_dialog=False,
                         on_done=self.show_overview, on_error=self._error)

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        message = user_message(exc)
        self.status.setText(message)
        if self.isVisible():
            QMessageBox.warning(self, "工作台", message)

    def refresh_townships(self) -> None:
        run = self.context.run_in_background
        if run is None:
            refresh_townships(self.context.archive, date.today())
            self.load()
            return
        self.status.setText("正在按今天的日期更新各乡镇的风险等级和走访日期……")
        self._task = run(refresh_townships, self.context.archive, date.today(),
                         title="工作台", label="正在按今天的日期更新各乡镇……",
                         on_done=lambda _n: self.load(), on_error=self._error)

    # -- showing ---------------------------------------------------------------------
    def show_overview(self, overview) -> None:
        self.overview = overview
        lines = [*overview.townships, overview.total]
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            self._fill_line(row, line, overview.on)
        self.table.resizeRowsToContents()
        total = overview.total
        self.status.setText(f"{fmt_zh(overview.on)}：全县{len(overview.townships)}个乡镇（街道），"
                            f"在档儿童{total.count(CHILDREN)}人，红色{total.count(RED)}人。")
        self.note.setText(self._note(overview))
        self._show_reminders(overview.on)
        may = self.context.archive.county.may_refresh()
        self.refresh_button.setVisible(bool(overview.stale) and may)

    def _note(self, overview) -> str:
        text = ("数字来自各乡镇已计算的风险等级和应联系、应走访日期（与该乡镇工作台“今天”的数字相同）。"
                f"最近抽查：该乡镇最近一次抽查的日期，超过{SPOT_CHECK_DAYS}天未抽查的标为红色。")
        stale = overview.stale
        if not stale:
            return text + f"颜色均按{fmt_zh(overview.on)}计算。"
        names = "、".join(t.name for t in stale)
        who = ("可点“按今天更新”重新计算" if self.context.archive.county.may_refresh() else
               "县级查阅不能写入县级数据库，这些乡镇的录入员、管理员或县级管理员登录后会更新")
        return (text + f"<br><span style='color:#c5221f'>{names}的颜色不是按今天计算的"
                f"（见“颜色计算日期”列，数字按那一天的计算结果）：{who}。</span>")

    def _fill_line(self, row: int, line, on: date) -> None:
        total = line.township_id is None
        bold = QFont()
        bold.setBold(True)
        name = QTableWidgetItem(line.name)
        if not total:
            name.setForeground(QBrush(LINK))
            name.setData(PAYLOAD, ("township", line.name))
            name.setToolTip(f"进入{line.name}的工作台")
        self.table.setItem(row, 0, name)
        for column, condition in enumerate(NUMBER_COLUMNS, start=1):
            count = line.count(condition)
            item = QTableWidgetItem(str(count))
            item.setTextAlignment(Qt.AlignCenter)
            if count:
                item.setForeground(QBrush(LINK))
                item.setData(PAYLOAD, ("children", line.township_id, condition))
                item.setToolTip(f"查看{line.name}{CONDITIONS[condition]}的{count}名儿童")
            self.table.setItem(row, column, item)
        late = [t for t in (self.overview.townships if total else [line]) if _check_late(t, on)]
        checked = QTableWidgetItem(_total_check_text(late) if total else _check_text(line))
        checked.setTextAlignment(Qt.AlignCenter)
        if late:
            checked.setForeground(QBrush(LATE))
        self.table.setItem(row, SPOT_CHECK_COLUMN, checked)
        state = QTableWidgetItem(_total_state_text(self.overview) if total else _state_text(line))
        state.setTextAlignment(Qt.AlignCenter)
        if not line.current:
            state.setForeground(QBrush(LATE))
        self.table.setItem(row, STATE_COLUMN, state)
        if total:
            for column in range(len(HEADERS)):
                self.table.item(row, column).setFont(bold)

    # -- clicks ----------------------------------------------------------------------
    def _hovered(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        linked = item is not None and item.data(PAYLOAD) is not None
        self.table.viewport().setCursor(Qt.PointingHandCursor if linked else Qt.ArrowCursor)

    def _clicked(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        payload = None if item is None else item.data(PAYLOAD)
        if not payload:
            return
        if payload[0] == "township":
            self.choose(payload[1])
            return
        self.open_children(payload[1], payload[2])

    def open_children(self, township_id: int | None, condition: str) -> None:
        """The children behind one number, in the children list of their township (the
        合计: of the whole county)."""
        names = {t.township_id: t.name for t in self.overview.townships}
        where = names.get(township_id, WHOLE_COUNTY)
        if not self.choose(where):
            return
        label = f"工作台：{where}{CONDITIONS[condition]}"
        if condition == CHILDREN:
            self.context.show_children(ChildFilter(label=label))
            return
        if condition == RED:
            self.context.show_children(ChildFilter(colour="red", label=label))
            return
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            ids = self.context.archive.county.child_ids(township_id, condition, self.overview.on)
        finally:
            QApplication.restoreOverrideCursor()
        self.context.show_children(ChildFilter(child_ids=ids, label=label))


def _check_late(line, on: date) -> bool:
    """Not spot-checked within a year (or never)."""
    return line.last_spot_check is None or (on - line.last_spot_check).days > SPOT_CHECK_DAYS


def _check_text(line) -> str:
    return fmt_zh(line.last_spot_check) if line.last_spot_check else "尚无记录"


def _total_check_text(late: list) -> str:
    return f"{len(late)}个乡镇超过一年未抽查" if late else "均在一年内"


def _state_text(line) -> str:
    if line.state_on is None:
        return "—"
    if line.current:
        return "今天"
    return f"{fmt_zh(line.state_on)}（未更新）"


def _total_state_text(overview) -> str:
    stale = overview.stale
    return f"{len(stale)}个乡镇未更新" if stale else "今天"
