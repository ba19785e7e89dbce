"""The county 工作台 in the window (issue 17, item 1): a county login sees the township table,
each number opens the children behind it in that township's children list, a township's name
opens its own 工作台, and 全县 is read-only."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from pgserver.test_county_overview import (
    _open,
    filled,  # noqa: F401 - the fixture
)

TODAY = date.today()


@pytest.fixture
def window(qtbot, filled, tmp_path):  # noqa: F811 - the fixture above
    from tests.desktop.gui_helpers import make_window

    archive = _open(filled, "county_reader")
    archive.county.choose("全县")
    window = make_window(archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    window.show()
    yield window
    archive.close()


def _page(qtbot, window):
    page = window.page("dashboard")
    qtbot.waitUntil(lambda: page.overview is not None, timeout=20000)
    return page


def _click(qtbot, table, row: int, column: int) -> None:
    rect = table.visualRect(table.model().index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def test_the_county_sees_the_township_table_with_a_total_line(qtbot, window):
    from desktop.pages.county import Page

    page = _page(qtbot, window)
    assert isinstance(page, Page) and page.title == "工作台"
    table = page.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["甲镇", "乙镇", "合计"]
    overview = page.overview
    for row, line in enumerate([*overview.townships, overview.total]):
        assert [table.item(row, c).text() for c in range(1, 6)] == [
            str(line.count(c)) for c in ("children", "red", "overdue_contact", "overdue_visit",
                                         "agreement_missing")]
    assert table.item(0, 6).text() != "尚无记录" and table.item(1, 6).text() == "尚无记录"
    assert table.item(2, 6).text() == "1个乡镇超过一年未抽查"
    assert table.item(0, 7).text() == "今天" and table.item(2, 7).text() == "今天"
    assert "全县" in window.windowTitle()
    assert "quick_entry" not in dict(window.visible_pages())  # the whole county is read-only
    assert [page.selector.itemText(i) for i in range(page.selector.count())] == ["全县", "甲镇", "乙镇"]
    reminders = page.reminders  # the county's reminders under the table (issue 17 item 5)
    assert reminders.on == overview.on and reminders.list.topLevelItemCount() > 0, reminders.summary.text()
    assert page.tabs.tabText(1) == f"提醒（{reminders.late}项应即办理或已逾期）" and reminders.late > 0


def test_a_number_opens_its_children_in_that_township(qtbot, window):
    page = _page(qtbot, window)
    archive = window.archive
    line = page.overview.townships[0]
    expected = archive.county.child_ids(line.township_id, "overdue_contact", TODAY)
    assert len(expected) == line.count("overdue_contact") > 0
    _click(qtbot, page.table, 0, 3)  # 甲镇, 联系逾期
    assert window._current == "children"
    assert archive.township_id == line.township_id and "甲镇" in window.windowTitle()
    children = window.page("children").list
    assert children.label.text() == "工作台：甲镇联系逾期"
    shown = {children.model.child_id(r) for r in range(children.model.rowCount())}
    assert shown == set(expected)
    # Back on the 工作台 it is 甲镇's own; 全县 brings the table back.
    window.show_page("dashboard")
    assert page.stack.currentWidget() is page.township_page
    assert page.selector.currentText() == "甲镇"
    assert page.choose("全县")
    assert archive.township_id is None and page.stack.currentIndex() == 0


def test_the_total_opens_the_whole_countys_children_and_a_name_its_dashboard(qtbot, window):
    page = _page(qtbot, window)
    total_red = page.overview.total.count("red")
    _click(qtbot, page.table, 2, 2)  # 合计, 红色
    children = window.page("children").list
    assert window.archive.township_id is None
    assert children.label.text() == "工作台：全县红色"
    assert children.model.rowCount() == total_red
    window.show_page("dashboard")
    _click(qtbot, page.table, 1, 0)  # 乙镇
    assert window.archive.county.township_name() == "乙镇"
    assert page.stack.currentWidget() is page.township_page
    qtbot.waitUntil(lambda: page.township_page.board is not None, timeout=20000)
    assert page.township_page.board.open_children == page.overview.townships[1].count("children")


def test_a_reader_is_told_which_townships_colours_are_not_of_today(qtbot, filled, tmp_path):  # noqa: F811
    from tests.desktop.gui_helpers import make_window

    with filled.plain_owner() as conn:
        conn.execute("UPDATE child SET state_on = state_on - 2 WHERE township_id = %s",
                     (filled.townships["乙镇"],))
    archive = _open(filled, "county_reader")
    archive.county.choose("全县")
    window = make_window(archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    window.show()
    try:
        page = _page(qtbot, window)
        assert page.table.item(1, 7).text().endswith("（未更新）")
        assert page.table.item(2, 7).text() == "1个乡镇未更新"
        assert "乙镇的颜色不是按今天计算的" in page.note.text()
        assert "县级查阅不能写入" in page.note.text()
        assert not page.refresh_button.isVisible()
    finally:
        archive.close()


def test_the_login_dialog_offers_the_whole_county_read_only(qtbot, county, tmp_path):
    from desktop.server_open import ServerOpenDialog
    from desktop.settings import Settings
    from models.server.connection import ServerSetting
    from pgserver.pgcluster import PASSWORD

    settings = Settings(tmp_path / "settings.ini")
    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    dialog.server.setText(ServerSetting.parse(county.setting()).with_user("").text())
    dialog.username.setText("county_admin")
    dialog.password.setText(PASSWORD)
    assert not dialog.go_on()
    assert dialog.township.currentText() == "全县" and "全县" in dialog.message.text()
    assert dialog.go_on()
    archive = dialog.archive
    try:
        assert archive.township_id is None and archive.role == "查阅"  # writes need a township
        assert settings.server_township == "全县"
        archive.county.choose("乙镇")
        assert archive.role == "管理员"  # the county administrator, in 乙镇
    finally:
        archive.close()


def test_the_county_admin_brings_a_township_up_to_today(qtbot, filled, tmp_path):  # noqa: F811
    from tests.desktop.gui_helpers import make_window

    with filled.plain_owner() as conn:
        conn.execute("UPDATE child SET state_on = state_on - 2 WHERE township_id = %s",
                     (filled.townships["甲镇"],))
    archive = _open(filled, "county_admin")
    archive.county.choose("全县")
    window = make_window(archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    window.show()
    try:
        page = _page(qtbot, window)
        assert [t.name for t in page.overview.stale] == ["甲镇"]
        assert page.refresh_button.isVisible() and "按今天更新" in page.note.text()
        before = page.overview
        page.refresh_button.click()
        qtbot.waitUntil(lambda: page.overview is not before and not page.overview.stale,
                        timeout=30000)
        assert page.table.item(0, 7).text() == "今天" and not page.refresh_button.isVisible()
        assert archive.township_id is None  # still the whole county
    finally:
        archive.close()


def test_the_whole_county_start_names_the_county_table_not_a_township_clerk(
        qtbot, filled, tmp_path):  # noqa: F811
    from desktop.app import COUNTY_STALE, refresh_if_stale
    from tests.desktop.gui_helpers import make_window

    with filled.plain_owner() as conn:
        conn.execute("UPDATE child SET state_on = state_on - 1 WHERE township_id = %s",
                     (filled.townships["乙镇"],))
    archive = _open(filled, "county_admin")
    archive.county.choose("全县")
    window = make_window(archive, tmp_path, on=TODAY)
    qtbot.addWidget(window)
    try:
        assert not window.new_child_action.isVisible()  # the whole county is read-only
        refresh_if_stale(window, archive)
        assert window.statusBar().currentMessage() == COUNTY_STALE
        page = _page(qtbot, window)
        assert page.choose("甲镇")
        assert window.new_child_action.isVisible()  # the county administrator, in 甲镇
        assert "quick_entry" in dict(window.visible_pages())
    finally:
        archive.close()
