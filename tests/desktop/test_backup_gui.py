"""Backups from the window: the backup folder and how many to keep (设置), the daily backup after
the window shows, the backup each time the archive is closed, and a clear warning (never a
blocked exit) when the USB drive is not there. Also: attachments exported under a stored name
can never land outside the chosen folder."""

from datetime import datetime
from functools import partial

import pytest

from desktop import attachments as attachments_module
from desktop.app import Session, prepare_archive
from desktop.context import AppContext
from desktop.pages import settings as page_module
from desktop.settings import DEFAULT_BACKUP_KEEP, Settings
from desktop.worker import run_in_background
from models.backup import backup_time, check_backup, default_folder, list_backups, make_backup
from models.schema import Attachment, Child, Township
from tests.conftest import RECOVERY


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def session(qapp, settings, new_archive, monkeypatch):
    """A session whose archive is open (as after start) and whose warnings are recorded."""
    prepare_archive(new_archive)
    s = Session(qapp, settings)
    s.archive = new_archive
    s.warnings = []
    monkeypatch.setattr(s, "warn", s.warnings.append)
    return s


def test_backup_settings_default_to_the_folder_beside_the_archive(settings, new_archive, tmp_path):
    assert settings.backup_folder is None
    assert settings.backup_folder_for(new_archive) == default_folder(new_archive)
    assert settings.backup_keep == DEFAULT_BACKUP_KEEP == 10
    settings.backup_folder = tmp_path / "U盘" / "童档备份"
    settings.backup_keep = 3
    again = Settings(tmp_path / "settings.ini")  # kept in the file, read back
    assert again.backup_folder_for(new_archive) == tmp_path / "U盘" / "童档备份"
    assert again.backup_keep == 3
    again.backup_keep = 0
    assert again.backup_keep == 1  # at least one backup is always kept


def test_exit_backup_goes_to_the_chosen_folder_and_keeps_the_newest(session, settings, tmp_path):
    usb = tmp_path / "U盘"
    usb.mkdir()
    settings.backup_folder = usb
    settings.backup_keep = 3
    archive = session.archive
    older = [make_backup(archive, folder=usb, now=datetime(2026, 1, day, 9)) for day in (1, 2, 3, 4)]
    session.close()
    assert archive.db.is_closed()
    assert session.warnings == []
    kept = list_backups(usb)
    assert len(kept) == 3
    assert kept[1:] == [older[3], older[2]]  # the two newest older ones survive the rotation
    assert backup_time(kept[0]).date() == datetime.now().date()  # and the exit backup itself
    counts = check_backup(kept[0], RECOVERY)  # a real, checked copy opened with the code
    assert counts["township"] == 1


def test_every_exit_makes_a_backup_even_on_the_same_day(session, settings, tmp_path, new_archive):
    usb = tmp_path / "U盘"
    usb.mkdir()
    settings.backup_folder = usb
    session.close()
    assert len(list_backups(usb)) == 1
    from models.archive import Archive

    reopened, _ = Archive.open(new_archive.path)
    session.archive = reopened
    session.close()
    assert len(list_backups(usb)) == 2
    assert reopened.db.is_closed()


def test_without_a_chosen_folder_backups_go_beside_the_archive(session):
    beside = default_folder(session.archive)
    assert not beside.exists()
    session.close()
    assert len(list_backups(beside)) == 1 and session.warnings == []


def test_a_missing_usb_drive_warns_and_the_archive_still_closes(session, settings, tmp_path):
    absent = tmp_path / "未插入的U盘" / "童档备份"
    settings.backup_folder = absent
    session.close()
    assert session.archive.db.is_closed()
    (warning,) = session.warnings
    assert warning == (f"备份文件夹不可用：{absent}，本次未备份。"
                       "请插入U盘或在“设置”中更改备份位置。")
    assert not absent.parent.exists()  # nothing made up on the computer instead


def test_a_chosen_folder_that_is_gone_is_not_made_again(session, settings, tmp_path):
    gone = tmp_path / "U盘"  # the drive's mount point disappears when it is pulled out
    settings.backup_folder = gone
    session.close()
    assert session.warnings[0].startswith(f"备份文件夹不可用：{gone}")
    assert not gone.exists()


def test_a_failing_backup_warns_in_chinese_and_the_archive_still_closes(session, tmp_path):
    not_a_folder = default_folder(session.archive)  # a file where the backup folder would go
    not_a_folder.write_text("这是一个文件，不是文件夹")
    session.close()
    assert session.archive.db.is_closed()
    (warning,) = session.warnings
    assert warning.startswith("自动备份未完成：") and "档案库本身未受影响" in warning


def test_demo_archives_are_not_backed_up(session, settings, tmp_path):
    Township.update(is_demo=True).execute()
    settings.backup_folder = tmp_path / "U盘"
    (tmp_path / "U盘").mkdir()
    session.close()
    assert list_backups(tmp_path / "U盘") == [] and session.warnings == []


def test_daily_backup_runs_in_the_background_after_the_window_shows(session, settings, qtbot,
                                                                   tmp_path):
    usb = tmp_path / "U盘"
    usb.mkdir()
    settings.backup_folder = usb
    session.show(session.archive)
    qtbot.addWidget(session.window)
    qtbot.waitUntil(lambda: session.daily_task is not None and session.daily_task.done,
                    timeout=30000)
    assert session.daily_task.error is None, session.daily_task.error_text
    (daily,) = list_backups(usb)
    assert "已完成今天的自动备份" in session.window.statusBar().currentMessage()
    # the same day's second start makes no second daily backup
    task = session.start_daily_backup(session.window, session.archive)
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None and task.result is None
    assert list_backups(usb) == [daily]
    session.window.close()
    session.close()
    assert len(list_backups(usb)) == 2 and session.warnings == []


def test_daily_backup_failure_is_shown_in_the_status_bar(session, settings, qtbot, tmp_path):
    settings.backup_folder = tmp_path / "未插入的U盘" / "童档备份"
    session.show(session.archive)
    qtbot.addWidget(session.window)
    qtbot.waitUntil(lambda: session.daily_task is not None and session.daily_task.done,
                    timeout=30000)
    message = session.window.statusBar().currentMessage()
    assert message.startswith("备份文件夹不可用") and "请插入U盘" in message
    session.window.close()
    session.close()
    assert session.archive.db.is_closed()


# -- 设置 page --------------------------------------------------------------------------------

@pytest.fixture
def page(qtbot, new_archive, settings):
    context = AppContext(archive=new_archive, settings=settings)
    context.run_in_background = partial(run_in_background, show_dialog=False)
    widget = page_module.Page(context)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def test_settings_page_changes_the_folder_and_backs_up_there_without_asking(page, qtbot, tmp_path,
                                                                            monkeypatch):
    assert str(default_folder(page.context.archive)) in page.backup_folder.text()
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(page_module.QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(usb))
    page.change_backup_folder()  # 更改…
    assert page.context.settings.backup_folder == usb
    assert str(usb) in page.backup_folder.text()
    page.backup_keep.setValue(4)
    assert page.context.settings.backup_keep == 4

    def no_prompt(*_a, **_k):
        raise AssertionError("立即备份 must not ask for a folder")

    monkeypatch.setattr(page_module.QFileDialog, "getExistingDirectory", no_prompt)
    task = page.backup()
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None, task.error_text
    (made,) = list_backups(usb)
    assert check_backup(made, RECOVERY)["township"] == 1
    assert "备份已保存并校验通过" in page.archive_status.text()


def test_settings_page_backup_to_an_absent_drive_says_so(page, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(page_module.QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    page.context.settings.backup_folder = tmp_path / "未插入的U盘" / "备份"
    page.refresh()
    assert "现在不可用" in page.backup_folder.text()
    assert page.backup() is None
    assert shown and shown[0].startswith("备份文件夹不可用")


# -- attachments ------------------------------------------------------------------------------

def test_an_attachment_named_to_escape_is_exported_inside_the_folder(demo_archive, tmp_path):
    import hashlib
    from datetime import date

    prepare_archive(demo_archive)
    child = Child.select().first()
    content = b"%PDF-1.4 scanned agreement"
    stored = demo_archive.writer().create(
        Attachment, child=child.id, file_name="../../evil.txt", mime_type="text/plain",
        sha256=hashlib.sha256(content).hexdigest(), size=len(content), content=content,
        added_on=date(2026, 1, 5))
    folder = tmp_path / "导出" / "附件"
    folder.mkdir(parents=True)
    path = attachments_module.export_into(demo_archive.attachments.stored(stored.id), folder)
    assert path.parent == folder and path.read_bytes() == content
    assert list(folder.iterdir()) == [path]
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "导出" / "evil.txt").exists()
