"""全县抽查 in the window: the 抽查 page of a county login has the tab; the draw is recorded in
every chosen township, the packets are written a folder per township (in a worker thread,
which works on its own connection); a 县级查阅 login only sees the past draws."""

from functools import partial

from desktop.context import AppContext
from desktop.county_spotcheck import folder_name
from desktop.pages import spotcheck as page_module
from desktop.worker import run_in_background
from pgserver.test_county_spotcheck import (
    ON,
    _server,
    _spot_checks,
    two_townships,  # noqa: F401 - the fixture
)


def _page(qtbot, archive):
    page = page_module.Page(AppContext(archive=archive, on=ON))
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_the_county_tab_draws_records_and_writes_a_folder_per_township(
        qtbot, county, two_townships, tmp_path):  # noqa: F811
    admin = _server(county, "county_admin")
    try:
        page = _page(qtbot, admin)
        assert page.tabs.tabText(2) == "全县抽查"
        assert page.draw_button.isHidden() and "全县视图" in page.county_hint.text()
        page.tabs.setCurrentIndex(2)
        panel = page.county
        assert [panel.townships.item(i).text() for i in range(panel.townships.count())] == [
            "甲镇（在档30名）", "乙镇（在档40名）"]
        panel.share.setValue(10)
        panel.seed.setText("606")
        panel.context.run_in_background = partial(run_in_background, show_dialog=False)
        task = panel.draw()  # in a worker thread, on that thread's own connection
        qtbot.waitUntil(lambda: task.done, timeout=120000)
        assert task.error is None, task.error_text
        check = panel.check
        assert [c.township for c in check.checks] == ["甲镇", "乙镇"]
        assert "全县随机种子：<b>606</b>" in panel.status.text()
        assert panel.result_table.item(1, 4).text() == "606/乙镇"
        assert panel.history_table.rowCount() == 1
        assert [r[0] for r in _spot_checks(county)] == ["甲镇", "乙镇"]

        task = panel.export_packets(str(tmp_path))
        qtbot.waitUntil(lambda: task.done, timeout=120000)
        assert task.error is None, task.error_text
        folder = tmp_path / folder_name(check)
        assert panel.packet_path == folder
        for township in check.checks:
            own = folder / township.township
            assert len(list((own / "儿童档案").glob("*.pdf"))) == len(township.run.children)
            assert (own / "抽查记录表.pdf").is_file()
        assert admin.township_id is None and len(admin.township_names()) == 2
    finally:
        admin.close()


def test_a_county_reader_sees_the_draws_but_cannot_draw(qtbot, county, two_townships):  # noqa: F811
    admin = _server(county, "county_admin")
    try:
        admin.county_spotchecks.run(count=3, seed="5", on=ON)
    finally:
        admin.close()
    reader = _server(county, "county_reader")
    try:
        page = _page(qtbot, reader)
        page.tabs.setCurrentIndex(2)
        panel = page.county
        assert panel.draw_button.isHidden() and "县级查阅" in panel.status.text()
        assert panel.history_table.rowCount() == 1
        assert panel.history_table.item(0, 2).text() == "每个乡镇3份"
    finally:
        reader.close()
