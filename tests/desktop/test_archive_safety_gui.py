"""The window and the archive file: attachments opened for viewing live in a private folder
emptied when the archive closes and at the next start; a window whose file was replaced says
so and saves nothing into the old file; a save that waits for another program says why."""

import os
import stat
from datetime import date

import pytest

from desktop import app as app_module
from desktop import attachments
from desktop.app import Session, prepare_archive, wait_in_window
from desktop.settings import Settings
from forms.idnumber import make_id_number
from models import storage
from models.attachments import add_attachment
from models.schema import Child


@pytest.fixture
def viewing(tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "viewing"
    monkeypatch.setattr(attachments, "viewing_folder", lambda: folder)
    return folder


@pytest.fixture
def child_with_scan(new_archive, tmp_path):
    child = new_archive.writer().create(
        Child, id_number=make_id_number("140428", date(2015, 5, 1), 1, True), name="王小明",
        entered_on=date(2025, 1, 1))
    scan = tmp_path / "户口本.png"
    scan.write_bytes(b"\x89PNG scan of a household register")
    return add_attachment(new_archive, child.id, scan)


@pytest.fixture
def session(qapp, tmp_path, new_archive, monkeypatch):
    prepare_archive(new_archive)
    s = Session(qapp, Settings(tmp_path / "settings.ini"))
    s.warnings = []
    monkeypatch.setattr(s, "warn", s.warnings.append)
    return s


def test_opened_attachments_are_private_and_removed_when_the_archive_closes(
        session, new_archive, child_with_scan, viewing):
    copy = attachments.open_for_viewing(new_archive.attachments.stored(child_with_scan.id))
    assert copy.read_bytes() == b"\x89PNG scan of a household register"
    assert viewing in copy.parents
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(viewing).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(copy.parent).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    session._close_archive(new_archive)
    assert not copy.exists() and list(viewing.iterdir()) == []


def test_copies_left_by_a_crash_are_removed_at_the_next_start(viewing, monkeypatch):
    (viewing / "a123").mkdir(parents=True)
    (viewing / "a123" / "身份证.jpg").write_bytes(b"id card")
    assert attachments.clear_viewing_folder() == 0
    assert list(viewing.iterdir()) == []
    # run_gui clears before anything else happens
    calls = []
    monkeypatch.setattr(attachments, "clear_viewing_folder", lambda: calls.append(1))
    monkeypatch.setattr(app_module.Session, "start", lambda self, path, demo=False: False)
    assert app_module.run_gui(type("Args", (), {"archive": None, "demo": False})()) == 0
    assert calls == [1]


def test_a_window_whose_file_was_replaced_says_so_and_stops_saving(session, new_archive, qtbot,
                                                                   tmp_path):
    session.show(new_archive)
    qtbot.addWidget(session.window)
    path = new_archive.path
    os.link(path, tmp_path / "旧.tongdang")
    replacement = tmp_path / "replacement"
    replacement.write_bytes(path.read_bytes())
    os.replace(replacement, path)
    assert new_archive.file_replaced()
    session.file_timer.timeout.emit()
    assert "已被替换或移走" in session.last_notice
    assert "已被替换或移走" in session.window.statusBar().currentMessage()
    with pytest.raises(storage.ArchiveReplaced, match="不再保存"):
        new_archive.writer().update(new_archive.township, name="别处")
    from desktop.worker import user_message

    try:
        new_archive.writer().update(new_archive.township, name="别处")
    except storage.ArchiveReplaced as exc:
        assert user_message(exc).startswith("档案库文件")


def test_a_waiting_save_shows_the_message_in_the_status_bar(session, new_archive, qtbot):
    session.show(new_archive)
    qtbot.addWidget(session.window)
    on_wait = wait_in_window(session)
    on_wait(storage.WAIT_MESSAGE.format(what="导入台账"))
    assert session.window.statusBar().currentMessage() == "另一个程序正在导入台账，请稍候…"
    on_wait(None)  # still waiting: the window repaints, the message stays
    assert session.window.statusBar().currentMessage() == "另一个程序正在导入台账，请稍候…"
    on_wait("")  # saved
    assert session.window.statusBar().currentMessage() == ""


def test_an_interrupted_restore_is_shown_when_the_window_opens(session, new_archive, qtbot):
    new_archive.open_warning = "上次从备份恢复档案库时被中断"
    session.show(new_archive)
    qtbot.addWidget(session.window)
    assert session.last_notice == "上次从备份恢复档案库时被中断"
