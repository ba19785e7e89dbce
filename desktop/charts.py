"""Clickable bar charts for the 工作台, painted with the window's own font.

One row per bar: its label, the bar, and the count, all in the font the clerk chose (字号), so
that every bar is labelled whatever the font and however many bars there are. The whole row is
the click target (at least one line of text high), so a red bar of 74 on a scale of 20,000
is as easy to open as the longest; a bar with children is never drawn shorter than
``MIN_BAR`` pixels. Clicking a row (or Enter on the focused row) emits ``bar_clicked(key)``.

No QtCharts: a plain widget draws faster at start and follows the font size by itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

# Muted versions of the four risk colours, readable on white and in grey-scale print.
COLOUR_FILLS = {"red": "#d9363e", "yellow": "#e8b008", "blue": "#2f6fd0", "green": "#3a9a4a"}
DEFAULT_FILL = "#5b7aa6"
MIN_BAR = 6  # px: a bar that counts at least one child is always visible
PAD = 6


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    fill: str = DEFAULT_FILL


class BarChart(QWidget):
    bar_clicked = Signal(str)

    def __init__(self, title: str, horizontal: bool = False, parent=None):
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal  # kept for callers: every chart draws one row per bar
        self.bars: list[Bar] = []
        self._hover = -1
        self._focus = 0
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setCursor(Qt.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
        self.setAccessibleName(title)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.Window, QColor("white"))
        self.setPalette(palette)

    # -- data ------------------------------------------------------------------------
    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        self._hover = -1
        self._focus = min(self._focus, max(len(self.bars) - 1, 0))
        self.setAccessibleDescription("，".join(f"{b.label}{b.value}人" for b in self.bars))
        self.updateGeometry()
        self.update()

    def viewport(self) -> QWidget:
        """The widget that takes the clicks (QChartView's name, kept for callers and tests)."""
        return self

    # -- geometry --------------------------------------------------------------------
    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _row_height(self) -> int:
        return max(QFontMetrics(self.font()).height() + 10, 24)

    def _title_height(self) -> int:
        return QFontMetrics(self._title_font()).height() + PAD * 2

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max([metrics.horizontalAdvance(b.label) for b in self.bars] + [0]) + PAD * 2

    def _count_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max([b.value for b in self.bars] + [0])
        return metrics.horizontalAdvance(f"{widest:,}人") + PAD * 2

    def row_rect(self, index: int) -> QRect:
        """The clickable area of bar ``index``: the whole row."""
        top = self._title_height() + index * self._row_height()
        return QRect(0, top, self.width(), self._row_height())

    def bar_rect(self, index: int) -> QRect:
        row = self.row_rect(index)
        left = self._label_width()
        track = max(row.width() - left - self._count_width(), MIN_BAR)
        largest = max([b.value for b in self.bars] + [1])
        value = self.bars[index].value
        length = 0 if value <= 0 else max(MIN_BAR, round(track * value / largest))
        height = max(row.height() - 10, 8)
        return QRect(left, row.top() + (row.height() - height) // 2, length, height)

    def sizeHint(self) -> QSize:
        rows = max(len(self.bars), 1)
        width = self._label_width() + 160 + self._count_width()
        return QSize(width, self._title_height() + rows * self._row_height() + PAD)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(self._label_width() + MIN_BAR * 4 + self._count_width(), hint.height())

    def index_at(self, pos: QPoint) -> int:
        for index in range(len(self.bars)):
            if self.row_rect(index).contains(pos):
                return index
        return -1

    def bar_centre(self, key: str) -> QPoint:
        """The middle of ``key``'s row, in widget coordinates (for tests)."""
        index = next(i for i, b in enumerate(self.bars) if b.key == key)
        return self.row_rect(index).center()

    # -- painting --------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(self._title_font())
        text_colour = self.palette().color(QPalette.WindowText)
        painter.setPen(text_colour)
        painter.drawText(QRect(PAD, 0, self.width() - 2 * PAD, self._title_height()),
                         Qt.AlignLeft | Qt.AlignVCenter, self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(self.rect().adjusted(0, self._title_height(), 0, 0),
                             Qt.AlignCenter, "暂无数据")
            return
        label_width = self._label_width()
        for index, bar in enumerate(self.bars):
            row = self.row_rect(index)
            if index == self._hover or (self.hasFocus() and index == self._focus):
                painter.fillRect(row, QColor("#eef3fb"))
            painter.setPen(text_colour)
            painter.drawText(QRect(0, row.top(), label_width - PAD, row.height()),
                             Qt.AlignRight | Qt.AlignVCenter, bar.label)
            rect = self.bar_rect(index)
            if rect.width() > 0:
                painter.fillRect(rect, QColor(bar.fill))
            painter.setPen(text_colour)
            painter.drawText(QRect(rect.right() + PAD, row.top(),
                                   self.width() - rect.right() - PAD, row.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, f"{bar.value:,}人")

    def changeEvent(self, event) -> None:
        from PySide6.QtCore import QEvent

        super().changeEvent(event)
        if event.type() == QEvent.FontChange:  # 字号 changed: rows and labels grow with it
            self.updateGeometry()
            self.update()

    # -- interaction -----------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:
        index = self.index_at(event.position().toPoint())
        if index != self._hover:
            self._hover = index
            self.update()
        if index >= 0:
            bar = self.bars[index]
            QToolTip.showText(event.globalPosition().toPoint(),
                              f"{bar.label}：{bar.value:,}人（点击查看）", self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self._hover = -1
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            index = self.index_at(event.position().toPoint())
            if index >= 0:
                self._focus = index
                self.bar_clicked.emit(self.bars[index].key)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if not self.bars:
            return super().keyPressEvent(event)
        key = event.key()
        if key in (Qt.Key_Down, Qt.Key_Right):
            self._focus = min(self._focus + 1, len(self.bars) - 1)
        elif key in (Qt.Key_Up, Qt.Key_Left):
            self._focus = max(self._focus - 1, 0)
        elif key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Space):
            self.bar_clicked.emit(self.bars[self._focus].key)
        else:
            return super().keyPressEvent(event)
        self.update()
        return None


def count_axis(top: int) -> tuple[int, int]:
    """(upper end, step) of an axis of head counts: whole-number steps of 1, 2 or 5 × 10ⁿ, at
    most five of them, with room above the tallest bar. An empty archive gets 0–1, not the
    labels 0 0 1 1 that a fractional axis printed as whole numbers would show. (The charts
    print each bar's count instead of an axis; kept for a scale wherever one is drawn.)"""
    wanted = max(top * 1.1, 1) / 4
    magnitude = 10 ** max(0, math.floor(math.log10(wanted))) if wanted >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= wanted)
    upper = step * max(1, math.ceil(top * 1.1 / step))
    return upper, step
