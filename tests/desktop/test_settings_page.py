"""设置 page: township names, the profile with its sources, verify, backup, font size."""

from functools import partial

import pytest

from desktop.context import AppContext
from desktop.pages import settings as page_module
from desktop.settings import Settings
from desktop.worker import run_in_background
from models.profiles import get_profile, profile_settings
from models.roles import READER
from models.schema import AuditEntry, Township, database


@pytest.fixture
def page(qtbot, demo_archive, tmp_path):
    context = AppContext(archive=demo_archive, settings=Settings(tmp_path / "s.ini"))
    context.run_in_background = partial(run_in_background, show_dialog=False)
    widget = page_module.Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def wait(qtbot, task):
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None, task.error_text


def table(page):
    t = page.profile_table
    return [[t.item(r, c).text() for c in range(3)] for r in range(t.rowCount())]


def test_the_profile_is_shown_with_its_policy_sources(page):
    assert page.township.text() == "丹朱镇" and page.county.text() == "长子县"
    rows = table(page)
    expected = profile_settings(get_profile("changzhi"))
    assert [r[:2] for r in rows] == [[label, value] for label, value, _s in expected]
    assert all(s.quote in r[2] and s.clause in r[2]
               for r, (_l, _v, s) in zip(rows, expected, strict=True))
    assert rows[0][2].startswith("长治市实施方案")
    page.profile.setCurrentIndex(page.profile.findData("shangrila"))
    assert table(page)[0][1] == "跨市"
    assert Township.get().profile == "changzhi"  # only shown until saved


def test_saving_names_and_a_new_profile(page, qtbot, monkeypatch):
    page.township.setText("鲍店镇")
    page.county.setText("长子县")
    page.profile.setCurrentIndex(page.profile.findData("shangrila"))
    monkeypatch.setattr(page, "_confirm", lambda _text: True)
    wait(qtbot, page.save_township())
    township = Township.get()
    assert (township.name, township.profile) == ("鲍店镇", "shangrila")
    assert "已按新方案重新计算50名儿童" in page.archive_status.text()
    changes = [e.changes for e in AuditEntry.select().where(AuditEntry.table == "township")]
    assert any("鲍店镇" in c for c in changes) and any("shangrila" in c for c in changes)


def test_a_reader_cannot_change_the_township(page, monkeypatch):
    shown = []
    monkeypatch.setattr(page_module.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    page.context.archive.login_as("访客", READER)
    page.township.setText("别的镇")
    page.save_township()
    assert shown and "查阅" in shown[0]
    assert Township.get().name == "丹朱镇"


def test_verify_finds_a_changed_audit_entry(page, qtbot):
    wait(qtbot, page.verify())
    assert "校验通过" in page.archive_status.text()
    database.execute_sql("UPDATE audit_entry SET username = 'x' WHERE id = 5")
    wait(qtbot, page.verify())
    assert "审计记录第5条的内容被改动过" in page.archive_status.text()


def test_backup_writes_a_verified_copy(page, qtbot, tmp_path):
    folder = tmp_path / "备份"
    wait(qtbot, page.backup(str(folder)))
    copies = list(folder.glob("*.tongdang"))
    assert len(copies) == 1 and copies[0].stat().st_size > 0
    assert "备份已保存并校验通过" in page.archive_status.text()


def test_font_size_is_kept_in_the_settings(page):
    from PySide6.QtWidgets import QApplication

    before = QApplication.font()
    try:
        page.set_font_size(14)
        assert QApplication.font().pointSize() == 14
    finally:
        QApplication.setFont(before)
    assert page.context.settings.font_size == 14
    assert "14磅" in page.archive_status.text()


def test_local_practice_is_shown_apart_and_saved(page):
    # Issue 11: local-practice settings are listed as such and saved by an administrator.
    from models.local_practice import archive_profile
    from models.schema import LocalSetting

    labels = [page.local_table.item(r, 0).text() for r in range(page.local_table.rowCount())]
    assert "发现问题、转介未记录结果的提醒期限" in labels and "抽查比例" in labels
    assert all("普宁" not in r[2] for r in table(page))  # a 长治 archive cites no 普宁 clause
    assert any(r[2].startswith("本地做法") for r in table(page))
    page.local_spins["follow_up_days"].setValue(0)
    page.save_local_practice()
    assert LocalSetting.get(LocalSetting.key == "follow_up_days").value == 0
    assert archive_profile().local_value("follow_up_days") == 0
    assert "本地做法已保存" in page.archive_status.text()


def test_a_reader_cannot_change_local_practice(page, monkeypatch):
    from models.schema import LocalSetting

    shown = []
    monkeypatch.setattr(page_module.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    page.context.archive.login_as("访客", READER)
    page.local_spins["follow_up_days"].setValue(5)
    page.save_local_practice()
    assert shown and "管理员" in shown[0]
    assert not LocalSetting.select().exists()
