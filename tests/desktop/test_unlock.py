"""Opening an archive: the new-archive wizard, unlocking with the recovery code, clear errors."""

import subprocess

import pytest
from PySide6.QtPrintSupport import QPrinter

from desktop.settings import Settings
from desktop.unlock import CONFIRM_KEPT, NewArchiveWizard, UnlockDialog, try_open
from models import storage
from models.archive import Archive
from models.schema import Township, User
from models.users import authenticate
from tests.conftest import RECOVERY
from tests.desktop.gui_helpers import type_chinese


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.ini")


def test_wizard_creates_archive_shows_code_and_requires_confirmation(qtbot, tmp_path, memory_keyring):
    path = tmp_path / "东坡.tongdang"
    wizard = NewArchiveWizard(path)
    qtbot.addWidget(wizard)
    wizard.show()
    place = wizard.place_page
    type_chinese(place.township, "丹朱镇")
    type_chinese(place.county, "长子县")
    place.profile.setCurrentIndex(place.profile.findData("changzhi"))
    qtbot.keyClicks(place.admin, "liwen")
    qtbot.keyClicks(place.password, "mima-1234")
    qtbot.keyClicks(place.password_again, "mima-1235")
    wizard.next()
    assert wizard.currentPage() is place and "不一致" in place.error.text()
    assert not path.exists()  # nothing created while the page has errors
    place.password_again.clear()
    qtbot.keyClicks(place.password_again, "mima-1234")
    wizard.next()
    assert wizard.currentPage() is wizard.code_page
    code = wizard.code_page.code.text()
    assert code == wizard.recovery_code and len(code.replace("-", "")) == 32
    assert path.exists()
    assert not wizard.code_page.isComplete()  # 完成 stays disabled until the clerk confirms
    wizard.reject()
    assert wizard.isVisible()  # cannot walk away without confirming
    assert wizard.code_page.kept.text() == CONFIRM_KEPT
    wizard.code_page.kept.setChecked(True)
    assert wizard.code_page.isComplete()

    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "code.pdf"))
    wizard.code_page.print_to(printer)
    text = subprocess.run(["pdftotext", str(tmp_path / "code.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert code in text.replace("\n", "") and "恢复码" in text

    assert Township.get().name == "丹朱镇" and Township.get().profile == "changzhi"
    admin = User.get()  # the first user is created with the archive, as 管理员
    assert (admin.username, admin.role) == ("liwen", "管理员")
    assert authenticate("liwen", "mima-1234").username == "liwen"
    assert wizard.archive.username == "liwen"
    wizard.archive.close()
    # the key went to the keyring: the archive opens without the code
    archive, problem = try_open(path)
    assert problem is None
    archive.close()


def test_unlock_with_recovery_code_after_the_key_is_lost(qtbot, tmp_path, memory_keyring, settings):
    path = tmp_path / "a.tongdang"
    archive, _code = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=RECOVERY)
    archive.close()
    memory_keyring.store.clear()  # a new computer: no key in the credential store

    dialog = UnlockDialog(settings, path)
    qtbot.addWidget(dialog)
    assert not dialog.unlock()
    assert "恢复码" in dialog.message.text()

    qtbot.keyClicks(dialog.code, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-0000")
    assert not dialog.unlock()
    assert "恢复码不对" in dialog.message.text()
    assert dialog.archive is None

    dialog.code.clear()
    qtbot.keyClicks(dialog.code, "abcd efgh jkmn pqrs tvwx yz01 2345 6789")  # as people type it
    assert dialog.unlock()
    assert dialog.archive is not None and dialog.archive.township.name == "丹朱镇"
    assert settings.last_archive == path
    dialog.archive.close()


def test_newer_schema_and_damaged_file_have_clear_messages(tmp_path):
    path = tmp_path / "new.tongdang"
    archive, _ = Archive.create(path, "丹朱镇", "长子县", "changzhi", recovery_code=RECOVERY)
    storage.set_user_version(archive.db, 99)
    archive.close()
    archive, problem = try_open(path, RECOVERY)
    assert archive is None and "更新版本" in problem[1]

    damaged = tmp_path / "damaged.tongdang"
    damaged.write_bytes(b"\x00garbage" * 4000)
    archive, problem = try_open(damaged, RECOVERY)
    assert archive is None
    assert problem[0] == "error" and ("恢复码" in problem[1] or "损坏" in problem[1])

    archive, problem = try_open(tmp_path / "missing.tongdang", RECOVERY)
    assert archive is None and "找不到档案库文件" in problem[1]


def test_dialog_without_archive_offers_new_and_demo(qtbot, tmp_path, settings):
    dialog = UnlockDialog(settings, tmp_path / "none.tongdang")
    qtbot.addWidget(dialog)
    assert not dialog.unlock_button.isEnabled()
    assert "新建档案库" in dialog.message.text()


def test_demo_archive_is_made_in_the_background_then_opened(qtbot, tmp_path, settings, monkeypatch):
    from desktop import unlock
    from models import demo_archive
    from models.schema import Child

    demo = tmp_path / "data" / "demo.tongdang"
    monkeypatch.setattr(unlock, "demo_path", lambda: demo)
    monkeypatch.setattr(demo_archive, "demo_path", lambda: demo)
    monkeypatch.setattr(demo_archive, "DEMO_CHILDREN", 40)
    monkeypatch.setattr(demo_archive.open_demo, "__defaults__", (40, None))
    dialog = UnlockDialog(settings, tmp_path / "none.tongdang")
    qtbot.addWidget(dialog)
    task = dialog.open_demo()
    assert task is not None  # created off the GUI thread
    qtbot.waitUntil(lambda: task.done, timeout=120000)
    assert task.error is None, task.error_text
    assert dialog.archive is not None and dialog.archive.township.is_demo
    assert Child.select().count() == 40
    dialog.archive.close()

    again = UnlockDialog(settings, tmp_path / "none.tongdang")
    qtbot.addWidget(again)
    assert again.open_demo() is None  # it exists: opened at once with the public code
    assert again.archive is not None and again.archive.path == demo
    again.archive.close()
