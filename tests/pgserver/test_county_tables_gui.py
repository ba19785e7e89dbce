"""The county in the window (issue 17, items 2 and 5): the 报表 page of a county login offers
the whole county (one table, or a table per township with a 汇总) and each township, exports
what it shows and notes a list for another department in the log; the reminders widget shows
what is due with its basis and records a list sent by hand."""

from datetime import date
from functools import partial

import openpyxl
import pytest

from pgserver.test_county_reminders import county_tables  # noqa: F401 - the fixture
from pgserver.test_county_tables import ON, two_reported  # noqa: F401 - the fixture


@pytest.fixture
def county_page(qtbot, county_tables, two_reported):  # noqa: F811
    from desktop.context import AppContext
    from desktop.pages.reports import Page
    from desktop.worker import run_in_background
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county_tables.setting("county_reader"), PASSWORD)
    context = AppContext(archive=server, on=ON)
    context.run_in_background = partial(run_in_background, show_dialog=False)
    page = Page(context)
    qtbot.addWidget(page)
    page.refresh()
    yield page
    server.close()


def _preview(page, qtbot, kind, scope):
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.scope.setCurrentIndex(page.scope.findText(scope))
    page.form = None
    page.make_preview()
    qtbot.waitUntil(lambda: page.form is not None, timeout=30000)
    return [page.tabs.tabText(i) for i in range(page.tabs.count())]


def test_the_page_offers_the_county_two_ways_and_each_township(county_page, qtbot, tmp_path):
    page = county_page
    scopes = [page.scope.itemText(i) for i in range(page.scope.count())]
    assert scopes == ["全县（一张表，按乡镇列出）", "全县（每个乡镇一张表，另加汇总）", "甲镇", "乙镇"]
    assert page.scope.isVisibleTo(page)
    tabs = _preview(page, qtbot, "stats", "全县（一张表，按乡镇列出）")
    assert len(tabs) == 1 and "合计" in tabs[0]
    assert [c.label for c in page.form.spec.sections[1].columns][2:] == ["甲镇", "乙镇", "合计"]
    tabs = _preview(page, qtbot, "screening", "全县（每个乡镇一张表，另加汇总）")
    assert [t.split("（")[0] for t in tabs] == ["汇总", "甲镇", "乙镇"]
    tabs = _preview(page, qtbot, "lists", "乙镇")
    assert page.form.values["unit"] == "乙镇" and "乙镇" in page.form.title
    assert [t.rsplit("（", 1)[0] for t in tabs] == [s.title for s in page.form.spec.sections[1:]]


def test_exporting_the_county_school_list_notes_it_in_the_log(county_page, qtbot, tmp_path):
    page = county_page
    _preview(page, qtbot, "school", "全县（每个乡镇一张表，另加汇总）")
    page.term.setText("2027春")
    assert page.record_sent.isVisibleTo(page) and page.record_sent.isChecked()
    out = tmp_path / "教育名单.xlsx"
    page.export("xlsx", str(out))
    qtbot.waitUntil(lambda: "已保存" in page.status.text(), timeout=30000)
    assert "已记入报送记录" in page.status.text()
    assert openpyxl.load_workbook(out).sheetnames == ["汇总", "甲镇", "乙镇"]
    (entry,) = page.context.archive.county_settings.sent()
    assert (entry.kind, entry.recipient, entry.term, entry.file_name, entry.how) == (
        "school", "教育局", "2027春", out.name, "导出时记录")
    page.record_sent.setChecked(False)  # not for sending: not noted
    page.export("xlsx", str(tmp_path / "草稿.xlsx"))
    qtbot.waitUntil(lambda: "草稿" in page.status.text(), timeout=30000)
    assert len(page.context.archive.county_settings.sent()) == 1


def test_the_reminders_widget_shows_the_basis_and_records_by_hand(qtbot, county_tables, monkeypatch):  # noqa: F811
    from PySide6.QtWidgets import QDialog

    from desktop import county_reminders
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county_tables.setting("county_admin"), PASSWORD)
    try:
        widget = county_reminders.CountyReminders(server, on=ON)
        qtbot.addWidget(widget)
        rows = [[widget.list.topLevelItem(i).text(c) for c in range(5)]
                for i in range(widget.list.topLevelItemCount())]
        women = next(r for r in rows if "妇联" in r[2])
        assert women[0] == "应即办理" and "普宁市实施方案四(三)" in women[4]
        assert any(r[4].startswith("本地做法") for r in rows)
        assert {r[2] for r in rows if r[2].startswith("抽查")} == {"抽查甲镇的儿童档案", "抽查乙镇的儿童档案"}

        def accept(dialog):
            dialog.kind.setCurrentIndex(dialog.kind.findData("lists"))
            dialog.recipient.setCurrentText("妇联")
            dialog.note.setText("邮寄")
            return QDialog.Accepted

        monkeypatch.setattr(county_reminders.RecordSent, "exec", accept)
        widget.record_by_hand()
        assert widget.log.topLevelItemCount() == 1
        assert widget.log.topLevelItem(0).text(2) == "妇联"
        women = next(widget.list.topLevelItem(i) for i in range(widget.list.topLevelItemCount())
                     if "妇联" in widget.list.topLevelItem(i).text(2))
        assert women.text(0) == "未到期" and women.text(3).startswith(f"上次报送：{date.today():%Y-%m-%d}")
    finally:
        server.close()


def test_the_widget_says_what_to_run_on_a_server_without_the_county_tables(qtbot, county):
    from desktop.county_reminders import CountyReminders
    from models.server.archive import ServerArchive
    from pgserver.pgcluster import PASSWORD

    server, _ = ServerArchive.open(county.setting("county_reader"), PASSWORD)
    try:
        widget = CountyReminders(server, on=ON)
        qtbot.addWidget(widget)
        assert "upgrade" in widget.summary.text() and not widget.record_button.isEnabled()
    finally:
        server.close()
