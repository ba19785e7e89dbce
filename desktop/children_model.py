"""The children list as a Qt table model: it holds only row ids and fetches lines in pages.

Sorting and filtering are SQL (``models.child_query``); a filter keystroke costs one id query,
and scrolling costs one small query per page of lines.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from forms import vocab
from forms.colours import colour_name
from forms.idnumber import mask_id_number
from models.child_query import (
    PAGE_SIZE,
    STATUS_OVERDUE,
    STATUS_URGENT,
    ChildQuery,
    ChildRow,
)

# (key, header) of each column; the key is also the SQL sort key.
COLUMNS = (
    ("colour", "风险等级"),
    ("name", "姓名"),
    ("age", "性别/年龄"),
    ("id_number", "身份证号"),
    ("village", "村（社区）"),
    ("categories", "儿童类别"),
    ("next_contact_due", "下次联系"),
    ("next_home_visit_due", "下次入户走访"),
    ("status", "状态"),
)
COLUMN_KEYS = [key for key, _ in COLUMNS]
ID_ROLE = Qt.UserRole + 1  # data(index, ID_ROLE) is the child's id
COLOUR_HEX = {"red": "#d93025", "yellow": "#e6a700", "blue": "#1a73e8", "green": "#188038"}
OVERDUE = QColor("#c5221f")
_ROOT = QModelIndex()
_DISPLAY, _DECORATION, _TOOLTIP, _FOREGROUND = 0, 1, 3, 9
_ID = int(Qt.UserRole.value) + 1 if hasattr(Qt.UserRole, "value") else 257


def colour_icon(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setBrush(QColor(COLOUR_HEX.get(colour, "#888888")))
    painter.setPen(Qt.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def fmt_day(day: date | None) -> str:
    return day.isoformat() if day else ""


class ChildrenModel(QAbstractTableModel):
    def __init__(self, archive, on: date | None = None, page_size: int = PAGE_SIZE,
                 full_id: bool = False, parent=None):
        super().__init__(parent)
        self.archive = archive
        self.on = on or date.today()
        self.page_size = page_size
        self.full_id = full_id
        self.query = ChildQuery(on=self.on)
        self._ids: list[int] = []
        self._pages: dict[int, list[ChildRow]] = {}
        self._cell_cache: dict[int, tuple] = {}  # child id -> (texts, foregrounds)
        self._row_cells: dict[int, tuple] = {}  # row -> the same, for the current ids
        self._lines: dict[int, ChildRow] = {}  # child id -> line, kept across filter changes
        # Recent query results (clearing the search box shows the whole list again at once);
        # emptied by invalidate() whenever the archive was written.
        self._id_cache: dict[str, list[int]] = {}
        self._icons = {c: colour_icon(c) for c in vocab.COLOURS}
        self.pages_loaded = 0  # for tests and benchmarks: how many page queries ran
        self._loaded = False

    # -- what is shown ---------------------------------------------------------------
    def set_query(self, query: ChildQuery) -> None:
        query.on = self.on
        query.sort, query.descending = self.query.sort, self.query.descending
        self.query = query
        self.reload()

    def reload(self) -> None:
        self._loaded = True
        self.beginResetModel()
        key = repr(self.query)
        ids = self._id_cache.get(key)
        if ids is None:
            ids = self.query.ids()
            if len(self._id_cache) >= 8:
                self._id_cache.pop(next(iter(self._id_cache)))
            self._id_cache[key] = ids
        self._ids = ids
        self._pages.clear()
        self._row_cells.clear()
        self.endResetModel()

    def invalidate(self) -> None:
        """The archive changed: forget cached query results and lines."""
        self._id_cache.clear()
        self._pages.clear()
        self._lines.clear()
        self._cell_cache.clear()
        self._row_cells.clear()

    def child_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, child_id: int) -> int:
        try:
            return self._ids.index(child_id)
        except ValueError:
            return -1

    def ids(self) -> list[int]:
        return list(self._ids)

    def line(self, row: int) -> ChildRow | None:
        if not 0 <= row < len(self._ids):
            return None
        page = row // self.page_size
        if page not in self._pages:
            start = page * self.page_size
            wanted = self._ids[start:start + self.page_size]
            missing = [i for i in wanted if i not in self._lines]
            if missing:
                for fetched in self.archive.children.rows(missing):
                    self._lines[fetched.id] = fetched
                self.pages_loaded += 1
            self._pages[page] = [self._lines.get(i) for i in wanted]
        lines = self._pages[page]
        offset = row - page * self.page_size
        return lines[offset] if offset < len(lines) else None

    def refresh_children(self, ids: set[int]) -> None:
        """Reload the cached lines of children that were just written."""
        self._id_cache.clear()
        for page, lines in list(self._pages.items()):
            if any(line is not None and line.id in ids for line in lines):
                del self._pages[page]
        for child_id in ids:
            self._cell_cache.pop(child_id, None)
            self._lines.pop(child_id, None)
        self._row_cells.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1,
                                                                 len(COLUMNS) - 1))

    # -- Qt model --------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=0):
        if role == _DISPLAY and orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex, role=0):
        # Roles arrive as plain ints; comparing them with Qt enum members costs microseconds
        # each, and a repaint asks thousands of times: compare ints, and look cells up.
        if role == _DISPLAY:
            row = index.row()
            cells = self._row_cells.get(row) or self._cells(row)
            return cells[0][index.column()] if cells else None
        if role == _FOREGROUND:
            row = index.row()
            cells = self._row_cells.get(row) or self._cells(row)
            return cells[1][index.column()] if cells else None
        if role == _DECORATION:
            if index.column() != 0:
                return None
            line = self.line(index.row())
            return self._icons.get(line.colour) if line else None
        if role == _ID:
            line = self.line(index.row())
            return line.id if line else None
        if role == _TOOLTIP and index.column() == 0:
            line = self.line(index.row())
            return "风险等级由乡镇人工确认" if line and line.manual_colour else None
        return None

    def _cells(self, row: int):
        line = self.line(row)
        if line is None:
            return None
        cells = self._cell_cache.get(line.id)
        if cells is None:
            cells = (tuple(self._text(line, key) for key in COLUMN_KEYS),
                     tuple(self._foreground(line, key) for key in COLUMN_KEYS))
            self._cell_cache[line.id] = cells
        self._row_cells[row] = cells
        return cells

    def _text(self, line: ChildRow, key: str) -> str:
        if key == "colour":
            return colour_name(line.colour, manual=bool(line.manual_colour))
        if key == "name":
            return line.name
        if key == "age":
            age = f"{line.age(self.on)}岁" if line.birth_date else ""
            return f"{line.sex} {age}".strip()
        if key == "id_number":
            return line.id_number if self.full_id else mask_id_number(line.id_number)
        if key == "village":
            return line.village
        if key == "categories":
            return line.categories
        if key == "next_contact_due":
            return "" if line.closed_on else fmt_day(line.next_contact_due)
        if key == "next_home_visit_due":
            return "" if line.closed_on else fmt_day(line.next_home_visit_due)
        if key == "status":
            return line.status(self.on)
        return ""

    def _foreground(self, line: ChildRow, key: str):
        if line.closed_on:
            return QBrush(QColor("#777777"))
        due = {"next_contact_due": line.next_contact_due,
               "next_home_visit_due": line.next_home_visit_due}.get(key)
        if due is not None and due < self.on:
            return QBrush(OVERDUE)
        if key == "status" and line.status(self.on) in (STATUS_URGENT, STATUS_OVERDUE):
            return QBrush(OVERDUE)
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.query.sort = COLUMN_KEYS[column]
        self.query.descending = order == Qt.DescendingOrder
        if self._loaded:  # the view sorts once while it is set up, before any query was set
            self.reload()
