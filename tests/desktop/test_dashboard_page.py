"""The 工作台 page: its numbers, and clicks that open the children concerned."""

from collections import Counter
from datetime import date, timedelta
from functools import partial

import pytest
from PySide6.QtCore import QDate, Qt

from desktop.context import AppContext, ChildFilter
from desktop.pages.dashboard import Page
from desktop.worker import run_in_background
from models.profiles import get_profile
from models.rules import child_state
from models.schema import RiskFinding, Township
from models.snapshot import load_facts

TODAY = date.today()


def rule_counts(on):
    profile = get_profile(Township.get().profile)
    states = [(c.extra["child_id"], child_state(c, on, profile)) for c in load_facts()
              if c.closed_on is None or c.closed_on > on]
    return (Counter(s.colour for _i, s in states), Counter(w for _i, s in states for w in s.categories),
            {i for i, s in states if s.urgent})


@pytest.fixture
def opened():
    return {"filters": [], "children": []}


@pytest.fixture
def page(qtbot, demo_archive, opened):
    writer = demo_archive.writer()
    writer.create(RiskFinding, child=2, criterion="脱离监护", found_on=TODAY - timedelta(days=3))
    context = AppContext(archive=demo_archive, on=TODAY,
                         show_children=opened["filters"].append,
                         open_child=opened["children"].append)
    from models.derived import refresh_all

    refresh_all()
    widget = Page(context)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def bar_values(chart):
    return {b.key: b.value for b in chart.bars}


def test_charts_show_the_counts_the_rules_give(page):
    colours, categories, urgent = rule_counts(TODAY)
    assert bar_values(page.colour_chart) == {c: colours.get(c, 0) for c in ("red", "yellow", "blue", "green")}
    assert bar_values(page.category_chart) == dict(categories)
    # Child 2 is made red above; child 12 is one of the demo's own red children (models.demo
    # SHOWCASE: no intervention recorded yet), so that the demo's 红色高风险待介入 is never empty.
    assert sum(colours.values()) == 50 and urgent == {2, 12}
    assert page.urgent.topLevelItemCount() == 2
    assert "2人" in page.urgent_box.title()


def test_clicking_a_colour_bar_opens_the_filtered_list(page, qtbot, opened):
    chart = page.colour_chart
    qtbot.mouseClick(chart.viewport(), Qt.LeftButton, pos=chart.bar_centre("green"))
    qtbot.mouseClick(chart.viewport(), Qt.LeftButton, pos=chart.bar_centre("red"))
    assert [(f.colour, f.category) for f in opened["filters"]] == [("green", None), ("red", None)]
    assert opened["filters"][0].label == "工作台：绿色"


def test_clicking_a_category_bar_opens_the_filtered_list(page, qtbot, opened):
    chart = page.category_chart
    qtbot.mouseClick(chart.viewport(), Qt.LeftButton, pos=chart.bar_centre("留守"))
    assert opened["filters"] == [ChildFilter(category="留守", label="工作台：留守")]


def test_list_rows_open_a_child_or_a_group(page, qtbot, opened):
    item = page.urgent.topLevelItem(0)
    page.urgent.itemClicked.emit(item, 0)
    assert opened["children"] == [2]
    group = page.by_village.topLevelItem(0)
    page.by_village.itemClicked.emit(group, 1)  # the 联系逾期 column: only those children
    village = page.board.overdue_by_village[0]
    assert opened["filters"][-1].child_ids == village.contact_ids
    page.by_village.itemClicked.emit(group, 0)
    assert opened["filters"][-1].child_ids == village.child_ids


def test_another_day_is_computed_off_the_gui_thread(page, qtbot, opened):
    page.context.run_in_background = partial(run_in_background, parent=page, show_dialog=False)
    earlier = TODAY - timedelta(days=20)
    page.date_edit.setDate(QDate(earlier.year, earlier.month, earlier.day))
    qtbot.waitUntil(lambda: page.board is not None and page.board.on == earlier, timeout=20000)
    assert not page.board.from_cache
    colours, _categories, _urgent = rule_counts(earlier)
    assert bar_values(page.colour_chart) == {c: colours.get(c, 0) for c in ("red", "yellow", "blue", "green")}
    assert page.context.on == earlier
    # On another day a bar opens exactly the children of that day, not today's colours.
    qtbot.mouseClick(page.colour_chart.viewport(), Qt.LeftButton,
                     pos=page.colour_chart.bar_centre("green"))
    assert opened["filters"][-1].child_ids == page.board.colour_ids["green"]
    assert opened["filters"][-1].colour is None


def test_in_the_window_a_bar_click_filters_the_children_list(qtbot, demo_archive, tmp_path):
    from gui_helpers import make_window

    window = make_window(demo_archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.show_page("dashboard")
    qtbot.waitExposed(window)
    dashboard = window.page("dashboard")
    # The window shows the counts at once and fills the lists in the background.
    assert dashboard.colour_chart.bars
    qtbot.waitUntil(lambda: dashboard.board is not None, timeout=20000)
    expected = set(dashboard.board.colour_ids["yellow"])
    chart = dashboard.colour_chart
    qtbot.mouseClick(chart.viewport(), Qt.LeftButton, pos=chart.bar_centre("yellow"))
    assert window.current_page() is window.page("children")
    children = window.page("children").list
    assert children.current_filter().colour == "yellow"
    assert set(children.model.ids()) == expected and expected


def test_in_the_window_counts_come_first_then_the_lists(qtbot, demo_archive, tmp_path):
    """Start page: the charts are drawn from a quick count; the lists follow in the background
    and agree with it."""
    from gui_helpers import make_window

    window = make_window(demo_archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    window.show()
    dashboard = window.page("dashboard")
    quick = bar_values(dashboard.colour_chart)
    quick_categories = bar_values(dashboard.category_chart)
    assert sum(quick.values()) > 0
    qtbot.waitUntil(lambda: dashboard.board is not None, timeout=20000)
    assert bar_values(dashboard.colour_chart) == quick
    assert bar_values(dashboard.category_chart) == quick_categories
    assert dashboard.board.open_children == sum(quick.values())
    assert "正在载入" not in dashboard.status.text()
