"""工作台 charts: every bar labelled and clickable whatever the font and the counts."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics

from desktop.charts import MIN_BAR, Bar, BarChart

CATEGORIES = ("留守", "孤儿", "艾滋病病毒感染", "事实无人抚养", "低保", "低保边缘", "支出型困难",
              "特困")


def test_small_bar_on_a_large_scale_is_visible_labelled_and_clickable(qtbot):
    chart = BarChart("按风险等级")
    qtbot.addWidget(chart)
    chart.set_bars([Bar("red", "红色", 74, "#d9363e"), Bar("green", "绿色", 20000, "#3a9a4a")])
    chart.resize(420, chart.sizeHint().height())
    chart.show()
    red = chart.bar_rect(0)
    assert red.width() >= MIN_BAR
    row = chart.row_rect(0)
    assert row.height() >= QFontMetrics(chart.font()).height()  # a whole line to click
    with qtbot.waitSignal(chart.bar_clicked) as clicked:
        qtbot.mouseClick(chart, Qt.LeftButton, pos=chart.bar_centre("red"))
    assert clicked.args == ["red"]
    # The label area of the row opens it too.
    with qtbot.waitSignal(chart.bar_clicked) as clicked:
        qtbot.mouseClick(chart, Qt.LeftButton, pos=QPoint(4, row.center().y()))
    assert clicked.args == ["red"]
    assert "红色74人" in chart.accessibleDescription()


def test_every_label_fits_at_font_size_16(qtbot):
    chart = BarChart("按类别", horizontal=True)
    qtbot.addWidget(chart)
    font = QFont(chart.font())
    font.setPointSize(16)
    chart.setFont(font)
    chart.set_bars([Bar(w, w, 1000 * (i + 1)) for i, w in enumerate(CATEGORIES)])
    chart.resize(chart.minimumSizeHint().width(), chart.minimumSizeHint().height())
    chart.show()
    metrics = QFontMetrics(font)
    rows = [chart.row_rect(i) for i in range(len(CATEGORIES))]
    assert rows[-1].bottom() <= chart.height()  # all eight rows inside the widget
    for i, word in enumerate(CATEGORIES):
        assert chart._label_width() >= metrics.horizontalAdvance(word)
        assert rows[i].height() >= metrics.height()
        assert chart.bar_rect(i).width() >= MIN_BAR
    # Keyboard: Down then Enter opens the second bar.
    chart.setFocus()
    with qtbot.waitSignal(chart.bar_clicked) as clicked:
        qtbot.keyClick(chart, Qt.Key_Down)
        qtbot.keyClick(chart, Qt.Key_Return)
    assert clicked.args == [CATEGORIES[1]]
