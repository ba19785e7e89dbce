"""Clickable bar charts (QtCharts) for the 工作台.

Each bar is a key (a colour code, a category word); clicking it emits ``bar_clicked(key)``.
Bars are drawn as a stacked series with one set per bar, so that every bar can have its own
colour and a click tells exactly which bar was hit.
"""

from __future__ import annotations

import math

from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter

# Muted versions of the four risk colours, readable on white and in grey-scale print.
COLOUR_FILLS = {"red": "#d9363e", "yellow": "#e8b008", "blue": "#2f6fd0", "green": "#3a9a4a"}
DEFAULT_FILL = "#5b7aa6"


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    fill: str = DEFAULT_FILL


class BarChart(QChartView):
    bar_clicked = Signal(str)

    def __init__(self, title: str, horizontal: bool = False, parent=None):
        super().__init__(parent)
        self.horizontal = horizontal
        self.bars: list[Bar] = []
        self.series = None
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setAnimationOptions(QChart.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        self.setChart(chart)
        self.setRenderHint(QPainter.Antialiasing)
        self.setMinimumHeight(220)
        self.setCursor(Qt.PointingHandCursor)

    def set_bars(self, bars: list[Bar]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()  # removing gives the axis back to us; reloads would pile them up
        # Horizontal charts draw the first category at the bottom; list order reads top-down.
        self.bars = list(reversed(bars)) if self.horizontal else list(bars)
        series = QHorizontalStackedBarSeries() if self.horizontal else QStackedBarSeries()
        series.setBarWidth(0.6)
        for index, bar in enumerate(self.bars):
            bar_set = QBarSet(bar.label)
            bar_set.append([bar.value if i == index else 0 for i in range(len(self.bars))])
            bar_set.setColor(QColor(bar.fill))
            bar_set.setBorderColor(QColor(bar.fill))
            bar_set.clicked.connect(self._clicked)
            series.append(bar_set)
        chart.addSeries(series)
        self.series = series
        categories = QBarCategoryAxis()
        categories.append([f"{b.label} {b.value}" for b in self.bars])
        categories.setTruncateLabels(False)
        values = QValueAxis()
        values.setLabelFormat("%d")
        upper, step = count_axis(max([b.value for b in self.bars] + [0]))
        values.setRange(0, upper)
        values.setTickCount(upper // step + 1)
        if self.horizontal:
            chart.addAxis(categories, Qt.AlignLeft)
            chart.addAxis(values, Qt.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignBottom)
            chart.addAxis(values, Qt.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.bars):
            self.bar_clicked.emit(self.bars[index].key)

    def bar_centre(self, key: str) -> QPoint:
        """Where the middle of ``key``'s bar is, in viewport coordinates (for tests)."""
        index = next(i for i, b in enumerate(self.bars) if b.key == key)
        half = self.bars[index].value / 2
        point = QPointF(half, index) if self.horizontal else QPointF(index, half)
        scene = self.chart().mapToScene(self.chart().mapToPosition(point, self.series))
        return self.mapFromScene(scene)


def count_axis(top: int) -> tuple[int, int]:
    """(upper end, step) of an axis of head counts: whole-number steps of 1, 2 or 5 × 10ⁿ, at
    most five of them, with room above the tallest bar. An empty archive gets 0–1, not the
    labels 0 0 1 1 that a fractional axis printed as whole numbers would show."""
    wanted = max(top * 1.1, 1) / 4
    magnitude = 10 ** max(0, math.floor(math.log10(wanted))) if wanted >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= wanted)
    upper = step * max(1, math.ceil(top * 1.1 / step))
    return upper, step
