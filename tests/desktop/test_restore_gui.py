"""A damaged archive: the unlock dialog says so and offers 从备份恢复…, which keeps the damaged
file aside, puts a checked backup in its place and opens it. A wrong code or a damaged backup
replaces nothing. Damage noticed later (English SQLite errors) becomes a Chinese sentence."""

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop import unlock
from desktop.settings import Settings
from desktop.unlock import DAMAGED, UnlockDialog, open_error_message, try_open
from desktop.worker import user_message
from models.archive import Archive
from models.backup import make_backup
from models.schema import Township
from tests.conftest import RECOVERY

OTHER_CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-0000"


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def damaged(tmp_path):
    """(archive path, backup path): a backup made of 鲍店镇, then the archive file half lost."""
    path = tmp_path / "a.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=RECOVERY)
    archive.writer().update(archive.township, name="鲍店镇")
    backup = make_backup(archive, folder=tmp_path / "备份")
    archive.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path, backup


def dialog_for(qtbot, settings, path, monkeypatch):
    _archive, problem = try_open(path)
    dialog = UnlockDialog(settings, path, problem[1] if problem else "")
    qtbot.addWidget(dialog)
    dialog.informed = []
    monkeypatch.setattr(dialog, "inform", dialog.informed.append)
    return dialog


def restore_button(dialog) -> QPushButton:
    return dialog.findChild(QPushButton, "restore")


def test_a_damaged_archive_points_at_the_restore_button(damaged, qtbot, settings, monkeypatch):
    path, _backup = damaged
    archive, problem = try_open(path)
    assert archive is None and problem[0] == "error"
    assert problem[1].startswith("档案库文件已损坏。请点击“从备份恢复…”选择最近的备份文件。")
    dialog = dialog_for(qtbot, settings, path, monkeypatch)
    assert DAMAGED in dialog.message.text()
    assert restore_button(dialog).text() == "从备份恢复…"


def test_restore_keeps_the_damaged_file_aside_and_opens_the_backup(damaged, qtbot, settings,
                                                                   monkeypatch, tmp_path):
    path, backup = damaged
    damaged_bytes = path.read_bytes()
    chosen = []

    def choose(_parent, _title, folder, file_filter):
        chosen.append(file_filter)
        return str(backup), file_filter

    monkeypatch.setattr(unlock.QFileDialog, "getOpenFileName", choose)
    dialog = dialog_for(qtbot, settings, path, monkeypatch)
    qtbot.keyClicks(dialog.code, RECOVERY)
    qtbot.mouseClick(restore_button(dialog), Qt.LeftButton)
    assert "*.tongdang" in chosen[0]
    assert dialog.archive is not None and dialog.result() == UnlockDialog.Accepted
    try:
        assert dialog.archive.path == path and Township.get().name == "鲍店镇"
        (aside,) = tmp_path.glob("a.恢复前-*.tongdang")
        assert aside.read_bytes() == damaged_bytes  # the damaged file is kept, not lost
        (text,) = dialog.informed
        assert str(aside) in text and backup.name in text
        assert settings.last_archive == path
    finally:
        dialog.archive.close()


def test_a_wrong_code_replaces_nothing(damaged, qtbot, settings, monkeypatch, tmp_path):
    path, backup = damaged
    before = path.read_bytes()
    dialog = dialog_for(qtbot, settings, path, monkeypatch)
    qtbot.keyClicks(dialog.code, OTHER_CODE)
    assert not dialog.restore_from_backup(backup)
    assert "恢复码不对" in dialog.message.text() and "档案库未改动" in dialog.message.text()
    assert path.read_bytes() == before and not list(tmp_path.glob("*恢复前*"))
    assert dialog.archive is None and dialog.informed == []


def test_without_a_code_the_dialog_asks_for_it_first(damaged, qtbot, settings, monkeypatch):
    path, _backup = damaged

    def no_dialog(*_a, **_k):
        raise AssertionError("no file dialog before the code is typed")

    monkeypatch.setattr(unlock.QFileDialog, "getOpenFileName", no_dialog)
    dialog = dialog_for(qtbot, settings, path, monkeypatch)
    assert not dialog.restore_from_backup()
    assert "请先在“恢复码”一栏输入恢复码" in dialog.message.text()


def test_a_damaged_backup_replaces_nothing(damaged, qtbot, settings, monkeypatch, tmp_path):
    path, backup = damaged
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    dialog = dialog_for(qtbot, settings, path, monkeypatch)
    qtbot.keyClicks(dialog.code, RECOVERY)
    assert not dialog.restore_from_backup(backup)
    assert "备份文件已损坏" in dialog.message.text()
    assert path.read_bytes() == before and not list(tmp_path.glob("*恢复前*"))


def test_restoring_where_no_archive_is_yet(qtbot, settings, monkeypatch, tmp_path, damaged):
    _path, backup = damaged
    target = tmp_path / "新电脑" / "archive.tongdang"
    dialog = dialog_for(qtbot, settings, target, monkeypatch)
    qtbot.keyClicks(dialog.code, RECOVERY)  # the code field works before any archive exists
    assert dialog.restore_from_backup(backup)
    try:
        assert dialog.archive.path == target and Township.get().name == "鲍店镇"
        assert "此位置原来没有档案库文件" in dialog.informed[0]
    finally:
        dialog.archive.close()


def test_sqlite_damage_errors_become_chinese():
    for exc in (sqlite3.DatabaseError("database disk image is malformed"),
                sqlite3.DatabaseError("file is not a database"),
                sqlite3.DatabaseError("file is encrypted or is not a database")):
        text = user_message(exc)
        assert text.startswith("档案库文件已损坏")
        assert "校验档案库" in text and "从备份恢复" in text
    assert user_message(ValueError("boom")).startswith("操作未完成")
    assert user_message(ValueError("已有中文说明。")) == "已有中文说明。"
    assert open_error_message(RuntimeError("database disk image is malformed")) == DAMAGED
