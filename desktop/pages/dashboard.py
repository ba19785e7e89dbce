"""工作台: who is urgent, who is overdue, what the township still owes this year.

Every chart bar and list row opens the children concerned (``context.show_children``) or the
child's file (``context.open_child``). The date picker shows the state on any day; days other
than the one the cached rule columns were computed for are evaluated off the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.charts import COLOUR_FILLS, Bar, BarChart
from desktop.context import AppContext, ChildFilter
from forms import vocab
from models.dashboard_counts import AGE_OUT_DAYS, AGREEMENT_DAYS, DUE_SOON_DAYS

FILL_FALLBACK_MS = 300  # start loading the lists by then even if no paint came
MAX_ROWS = 200  # longer lists end with a row that opens them all in the children list
PAYLOAD = Qt.UserRole


def fmt_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def load_board(archive, on: date, progress=None, is_cancelled=None):
    """Everything the page shows (``archive.dashboard``, whose module is imported only when
    needed, here in the worker thread: the rules it brings take a tenth of a second)."""
    return archive.dashboard.load(on, progress, is_cancelled)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ItemList(QTreeWidget):
    """Rows that open something when clicked: a child, or a set of children."""

    def __init__(self, headers: list[str], on_open):
        super().__init__()
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setMinimumHeight(150)
        self.header().setStretchLastSection(True)
        self.header().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.setCursor(Qt.PointingHandCursor)
        self._on_open = on_open
        self._payloads: list = []
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)

    def add(self, texts: list[str], payload, column_payloads: dict | None = None) -> QTreeWidgetItem:
        # Items keep only an int: Python tuples stored as item data upset PySide's reference
        # counting when thousands of them are created and cleared (a crash seen on 20,000 children).
        item = QTreeWidgetItem([str(t) for t in texts])
        for column, value in ((0, payload), *(column_payloads or {}).items()):
            self._payloads.append(value)
            item.setData(column, PAYLOAD, len(self._payloads) - 1)
        self.addTopLevelItem(item)
        return item

    def clear(self) -> None:
        super().clear()
        self._payloads = []

    def payload(self, item: QTreeWidgetItem, column: int = 0):
        index = item.data(column, PAYLOAD)
        if index is None:
            index = item.data(0, PAYLOAD)
        return None if index is None else self._payloads[index]

    def _clicked(self, item: QTreeWidgetItem, column: int) -> None:
        payload = self.payload(item, column)
        if payload:
            self._on_open(payload)


class Section(QGroupBox):
    def __init__(self, title: str, widget: QWidget, on_all=None):
        super().__init__(title)
        self.base_title = title
        layout = QVBoxLayout(self)
        layout.addWidget(widget)
        self.all_button = QPushButton("在儿童档案中查看全部")
        self.all_button.setVisible(on_all is not None)
        if on_all is not None:
            self.all_button.clicked.connect(on_all)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.all_button)
        layout.addLayout(row)

    def set_count(self, text: str) -> None:
        self.setTitle(f"{self.base_title}（{text}）")


class Page(QWidget):
    title = "工作台"

    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.board = None  # models.dashboard.Dashboard, once loaded
        self._task = None
        self._pending_fill: date | None = None  # lists to load once the page is drawn
        self._stale = True
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("查看日期："))
        self.date_edit = QDateEdit(_qdate(self.context.on))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.dateChanged.connect(lambda _d: self.load())
        bar.addWidget(self.date_edit)
        today = QPushButton("今天")
        today.clicked.connect(lambda: self.date_edit.setDate(_qdate(date.today())))
        bar.addWidget(today)
        reload_button = QPushButton("刷新")
        reload_button.clicked.connect(self.load)
        bar.addWidget(reload_button)
        self.status = QLabel()
        bar.addWidget(self.status, 1)
        outer.addLayout(bar)

        content = QWidget()
        grid = QGridLayout(content)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.colour_chart = BarChart("按风险等级（点击查看儿童）")
        self.colour_chart.bar_clicked.connect(self._colour_clicked)
        self.category_chart = BarChart("按类别（点击查看儿童）", horizontal=True)
        self.category_chart.bar_clicked.connect(self._category_clicked)
        grid.addWidget(self.colour_chart, 0, 0)
        grid.addWidget(self.category_chart, 0, 1)

        child_headers = ["姓名", "村（社区）", "说明"]
        self.urgent = ItemList(child_headers, self._open)
        self.urgent_box = Section("红色高风险待介入", self.urgent, lambda: self._show_all("urgent"))
        self.by_village = ItemList(["村（社区）", "联系逾期", "入户走访逾期"], self._open)
        self.by_director = ItemList(["儿童主任", "联系逾期", "入户走访逾期"], self._open)
        self.overdue_contact = ItemList(child_headers, self._open)
        self.overdue_visit = ItemList(child_headers, self._open)
        tabs = QTabWidget()
        tabs.addTab(self.by_village, "按村（社区）")
        tabs.addTab(self.by_director, "按儿童主任")
        tabs.addTab(self.overdue_contact, "联系逾期")
        tabs.addTab(self.overdue_visit, "入户走访逾期")
        self.overdue_box = Section("逾期未联系、未入户走访", tabs, lambda: self._show_all("overdue"))
        self.due_soon = ItemList(child_headers, self._open)
        self.due_box = Section(f"{DUE_SOON_DAYS}日内应联系或入户走访", self.due_soon,
                               lambda: self._show_all("due_soon"))
        self.ageing_out = ItemList(child_headers, self._open)
        self.ageing_box = Section(f"{AGE_OUT_DAYS}日内因年龄等退出类别", self.ageing_out,
                                  lambda: self._show_all("ageing_out"))
        self.agreements_expiring = ItemList(child_headers, self._open)
        self.agreements_missing = ItemList(child_headers, self._open)
        agreement_tabs = QTabWidget()
        agreement_tabs.addTab(self.agreements_expiring, f"{AGREEMENT_DAYS}日内到期")
        agreement_tabs.addTab(self.agreements_missing, "未签订或已失效")
        self.agreement_box = Section("委托照护协议", agreement_tabs,
                                     lambda: self._show_all("agreements"))
        self.villages = ItemList(["村（社区）", "留守和困境儿童", "现有儿童主任"], self._open)
        self.village_box = Section("需增配儿童主任的村（社区）", self.villages)
        self.year_box = self._year_section()

        sections = [self.urgent_box, self.overdue_box, self.due_box, self.agreement_box,
                    self.ageing_box, self.village_box]
        for index, box in enumerate(sections):
            grid.addWidget(box, 1 + index // 2, index % 2)
        grid.addWidget(self.year_box, 1 + len(sections) // 2, 0, 1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)

    def _year_section(self) -> QGroupBox:
        box = QGroupBox("本年度工作进度")
        layout = QGridLayout(box)
        self.screening_bar, self.guidance_bar, self.training_bar = (QProgressBar() for _ in range(3))
        self.screening_label, self.guidance_label, self.training_label = (QLabel() for _ in range(3))
        self.screening_title, self.guidance_title = QLabel("全面摸底排查"), QLabel("家庭教育指导")
        rows = ((self.screening_title, self.screening_bar, self.screening_label),
                (self.guidance_title, self.guidance_bar, self.guidance_label),
                (QLabel("儿童主任培训（每人每年）"), self.training_bar, self.training_label))
        for row, (title, progress, label) in enumerate(rows):
            layout.addWidget(title, row, 0)
            progress.setFormat("%v / %m")
            layout.addWidget(progress, row, 1)
            layout.addWidget(label, row, 2)
        self.untrained = ItemList(["本年度未参加培训的儿童主任", "服务村（社区）", "负责儿童"], self._open)
        self.untrained.setMinimumHeight(110)
        layout.addWidget(self.untrained, len(rows), 0, 1, 3)
        layout.setColumnStretch(1, 1)
        layout.setColumnStretch(2, 2)
        return box

    # -- loading ---------------------------------------------------------------------
    def refresh(self) -> None:
        if self._stale or self.board is None:
            self.load()

    def mark_stale(self) -> None:
        self._stale = True

    def chosen_date(self) -> date:
        return _pydate(self.date_edit.date())

    def load(self) -> None:
        on = self.chosen_date()
        self.context.on = on
        self._stale = False
        if self._task is not None and not self._task.done:
            self._task.cancel()
        self._pending_fill = None
        run = self.context.run_in_background
        if run is None:
            try:
                self.show_board(load_board(self.context.archive, on))
            except Exception as exc:  # noqa: BLE001 - shown to the clerk, never a traceback
                self._error(exc)
            return
        quick = self.context.archive.quick_counts(on)
        if quick is not None:
            # The counts at once (a few ms), the lists in the background: the window is usable
            # while 20,000 children are sorted into them.
            self.show_counts(quick)
            self.status.setText(f"{fmt_zh(on)}：在档儿童{quick.open_children}人（正在载入名单……）")
            # The lists start once the page has been drawn (a worker thread started earlier
            # would hold the interpreter while the first frame is painted).
            self._pending_fill = on
            QTimer.singleShot(FILL_FALLBACK_MS, self, self._start_fill)
            return
        self.status.setText(f"正在计算{fmt_zh(on)}的情况……")
        # At start (the first day the cache is not for yet) the window stays usable: no modal
        # progress dialog, the status line says what is being computed.
        first = self.board is None
        self._task = self.context.run_in_background(
            load_board, self.context.archive, on, title="工作台",
            label=f"正在按{fmt_zh(on)}计算每名儿童的状态……",
            on_done=self.show_board, on_error=self._error, show_dialog=not first,
            on_cancelled=lambda: self.status.setText("已取消计算。"))

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._pending_fill is not None:
            QTimer.singleShot(0, self, self._start_fill)

    def _start_fill(self) -> None:
        on, self._pending_fill = self._pending_fill, None
        if on is None or on != self.chosen_date() or self.context.run_in_background is None:
            return
        self._task = self.context.run_in_background(
            load_board, self.context.archive, on, show_dialog=False, on_done=self.show_board,
            on_error=self._error)

    def _error(self, exc: BaseException) -> None:
        from desktop.worker import user_message

        message = user_message(exc)
        self.status.setText(message)
        # A page that is not on screen (another page chosen, or its window closing while the
        # lists were computed) keeps the message in its status line: a modal box from a
        # window being torn down ran a nested event loop over deleted widgets (a crash).
        if self.isVisible():
            QMessageBox.warning(self, "工作台", message)

    # -- showing ---------------------------------------------------------------------
    def show_board(self, board) -> None:
        if board.on != self.chosen_date():
            return  # an older request finished after the clerk picked another day
        self.board = board
        source = "" if board.from_cache else "（按所选日期重新计算）"
        self.status.setText(f"{fmt_zh(board.on)}：在档儿童{board.open_children}人{source}")
        self.show_counts(board)
        self._fill_children(self.urgent, self.urgent_box, board.urgent)
        self._fill_groups(self.by_village, board.overdue_by_village, "逾期")
        self._fill_groups(self.by_director, board.overdue_by_director, "逾期")
        self._fill_children(self.overdue_contact, None, board.overdue_contact)
        self._fill_children(self.overdue_visit, None, board.overdue_home_visit)
        self.overdue_box.set_count(f"联系逾期{len(board.overdue_contact)}人，"
                                   f"入户走访逾期{len(board.overdue_home_visit)}人")
        self._fill_children(self.due_soon, self.due_box, board.due_soon)
        self._fill_children(self.ageing_out, self.ageing_box, board.ageing_out)
        self._fill_children(self.agreements_expiring, None, board.agreements_expiring)
        self._fill_children(self.agreements_missing, None, board.agreements_missing)
        self.agreement_box.set_count(f"即将到期{len(board.agreements_expiring)}人，"
                                     f"未签订或已失效{len(board.agreements_missing)}人")
        self._fill_villages(board)
        self._fill_year(board)

    def show_counts(self, board) -> None:
        """The two charts (all that ``dashboard_counts.quick_counts`` gives)."""
        self.colour_chart.set_bars([
            Bar(c, vocab.COLOUR_NAMES[c], board.by_colour.get(c, 0), COLOUR_FILLS[c])
            for c in vocab.COLOURS])
        self.category_chart.set_bars([
            Bar(word, word, count) for word, count in board.by_category.items()])

    def _fill_children(self, view: ItemList, box: Section | None, items) -> None:
        view.clear()
        for item in items[:MAX_ROWS]:
            view.add([item.name, item.village, item.detail], ("child", item.child_id))
        if len(items) > MAX_ROWS:
            ids = tuple(i.child_id for i in items)
            view.add([f"……共{len(items)}人，点击查看全部", "", ""], ("ids", ids, ""))
        if box is not None:
            box.set_count(f"{len(items)}人")

    def _fill_groups(self, view: ItemList, groups, what: str) -> None:
        view.clear()
        for g in groups:
            view.add([g.name, f"{len(g.contact_ids)}人", f"{len(g.home_visit_ids)}人"],
                     ("ids", g.child_ids, f"{g.name}{what}"),
                     {1: ("ids", g.contact_ids, f"{g.name}联系逾期"),
                      2: ("ids", g.home_visit_ids, f"{g.name}入户走访逾期")})

    def _fill_villages(self, board) -> None:
        self.villages.clear()
        for v in board.villages_needing_director:
            view_filter = ("village", v.village, f"{v.village}的儿童")
            self.villages.add([v.village, f"{v.children}人", f"{v.directors}名（至少应有{v.needed}名）"],
                              view_filter)
        self.village_box.set_count(f"{len(board.villages_needing_director)}个")

    def _fill_year(self, board) -> None:
        for title, progress, label, p, unit in (
                (self.screening_title, self.screening_bar, self.screening_label, board.screening, "次"),
                (self.guidance_title, self.guidance_bar, self.guidance_label, board.guidance, "次")):
            title.setText(p.label or title.text())
            progress.setRange(0, max(p.required, 1))
            progress.setValue(min(p.done, p.required))
            dates = "、".join(fmt_zh(d) for d in p.dates) or "本年度尚无记录"
            label.setText(("已完成" if p.met else f"还差{p.required - p.done}{unit}") + f"：{dates}")
        total = board.active_directors
        untrained = len(board.untrained_directors)
        self.training_bar.setRange(0, max(total, 1))
        self.training_bar.setValue(total - untrained)
        self.training_label.setText("全部已培训" if untrained == 0 else f"{untrained}名本年度未参加培训")
        self.untrained.clear()
        for d in board.untrained_directors:
            self.untrained.add([d.name, d.villages, f"{len(d.child_ids)}人"],
                               ("ids", d.child_ids, f"儿童主任{d.name}负责的儿童"))

    # -- clicks ----------------------------------------------------------------------
    def _label(self, text: str) -> str:
        day = "" if self.board is None or self.board.from_cache else f"（{fmt_zh(self.board.on)}）"
        return f"工作台：{text}{day}"

    def _open(self, payload) -> None:
        kind = payload[0]
        if kind == "child":
            self.context.open_child(payload[1])
        elif kind == "ids":
            self.context.show_children(ChildFilter(child_ids=tuple(payload[1]),
                                                   label=self._label(payload[2])))
        elif kind == "village":
            self.context.show_children(ChildFilter(village=payload[1], label=self._label(payload[2])))

    def _colour_clicked(self, colour: str) -> None:
        name = vocab.COLOUR_NAMES[colour]
        if self.board is not None and not self.board.from_cache:
            self._open(("ids", self.board.colour_ids.get(colour, ()), name))
            return
        self.context.show_children(ChildFilter(colour=colour, label=self._label(name)))

    def _category_clicked(self, word: str) -> None:
        if self.board is not None and not self.board.from_cache:
            self._open(("ids", self.board.category_ids.get(word, ()), word))
            return
        self.context.show_children(ChildFilter(category=word, label=self._label(word)))

    def _show_all(self, what: str) -> None:
        if self.board is None:
            return
        b = self.board
        sets = {
            "urgent": ([i.child_id for i in b.urgent], "红色高风险待介入"),
            "overdue": (b.overdue_ids, "逾期未联系、未入户走访"),
            "due_soon": ([i.child_id for i in b.due_soon], f"{DUE_SOON_DAYS}日内到期"),
            "ageing_out": ([i.child_id for i in b.ageing_out], "即将退出类别"),
            "agreements": ([i.child_id for i in b.agreements_expiring + b.agreements_missing],
                           "委托照护协议即将到期、未签订或已失效"),
        }
        ids, label = sets[what]
        if what == "urgent" and b.from_cache:
            self.context.show_children(ChildFilter(urgent_only=True, label=self._label(label)))
            return
        self._open(("ids", tuple(sorted(set(ids))), label))
