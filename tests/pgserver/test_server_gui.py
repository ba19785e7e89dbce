"""打开县级数据库 in the window: the connection setting kept without its password, the login
asked for, a county login choosing its township, and the window working with the server's role."""

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QPushButton

from desktop.server_open import ServerOpenDialog
from desktop.settings import Settings
from models.server.archive import ServerArchive
from models.server.connection import ServerSetting
from pgserver.pgcluster import PASSWORD


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.ini")


def address(county) -> str:
    """The server address as the county's IT office hands it out (no user, no password)."""
    return ServerSetting.parse(county.setting()).with_user("").text()


def fill(dialog, server: str, user: str, password: str) -> None:
    dialog.server.setText(server)
    dialog.username.setText(user)
    dialog.password.setText(password)


def test_a_clerk_logs_in_and_the_setting_is_kept_without_the_password(
        qtbot, county, two_children, settings, tmp_path):
    from models.schema import Child

    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    fill(dialog, address(county), "clerk_a", "wrong")
    assert not dialog.log_in()
    assert "用户名或密码不对" in dialog.message.text()
    assert dialog.password.text() == "" and dialog.archive is None
    dialog.password.setText(PASSWORD)
    assert dialog.go_on()
    archive = dialog.archive
    assert (archive.username, archive.role) == ("clerk_a", "录入员")
    assert archive.township.name == "甲镇"
    assert [c.name for c in Child.select()] == ["张小明"]
    archive.close()
    settings.sync()
    assert settings.opens_server
    assert settings.server.startswith("postgresql://clerk_a@127.0.0.1:")
    stored = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert PASSWORD not in stored and "clerk_a@" in stored
    # Next time the address and user are filled in; only the password is asked for.
    again = ServerOpenDialog(settings)
    qtbot.addWidget(again)
    assert again.server.text() == address(county)
    assert again.username.text() == "clerk_a" and again.password.text() == ""


def test_a_county_login_chooses_the_township(qtbot, county, two_children, settings):
    from models.schema import Child

    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.township.isVisible()
    fill(dialog, address(county), "county_reader", PASSWORD)
    assert not dialog.go_on()  # logged in: now the township
    assert dialog.township.isVisible() and dialog.ok.text() == "打开"
    assert [dialog.township.itemText(i) for i in range(dialog.township.count())] == ["全县", "甲镇", "乙镇"]
    assert "县级查阅" in dialog.message.text()
    assert not dialog.server.isEnabled() and not dialog.password.isEnabled()
    dialog.township.setCurrentText("乙镇")
    assert dialog.go_on()
    archive = dialog.archive
    assert archive.township.name == "乙镇" and archive.role == "查阅"
    assert [c.name for c in Child.select()] == ["李小红"]  # the database shows one township
    archive.close()
    assert settings.server_township == "乙镇"
    # The next login of the county reader offers the township chosen last.
    again = ServerOpenDialog(settings)
    qtbot.addWidget(again)
    again.password.setText(PASSWORD)
    again.go_on()
    assert again.township.currentText() == "乙镇"
    again.reject()  # cancelling closes the archive that waited for its township
    assert again.pending is None and again.archive is None


def test_a_remembered_password_comes_from_the_keyring(qtbot, county, settings, memory_keyring):
    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    fill(dialog, address(county), "clerk_b", PASSWORD)
    dialog.remember.setChecked(True)
    assert dialog.go_on()
    dialog.archive.close()
    assert PASSWORD in memory_keyring.store.values()
    again = ServerOpenDialog(settings)
    qtbot.addWidget(again)
    assert again.go_on()  # nothing typed
    assert again.archive.township.name == "乙镇"
    again.archive.close()


def test_a_bad_address_is_told_in_chinese(qtbot, settings):
    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    fill(dialog, "postgresql://wang:secret@db.example.cn/county", "wang", "x")
    assert not dialog.go_on()
    assert "不能写密码" in dialog.message.text()
    dialog.server.setText("http://db.example.cn/county")
    assert not dialog.go_on()
    assert "postgresql://" in dialog.message.text()
    assert settings.server == ""


def test_the_window_starts_on_the_server_as_last_time(qtbot, county, two_children, settings,
                                                       tmp_path, monkeypatch):
    """Started again, the window asks for the server login (not a file) and works with the
    login's role: a 查阅 login sees no 走访录入 and the status bar names the login."""
    from desktop import app
    from desktop.mainwindow import MainWindow

    settings.server = ServerSetting.parse(county.setting("reader_a")).text()

    def log_in(dialog):
        dialog.password.setText(PASSWORD)
        return QDialog.Accepted if dialog.go_on() else QDialog.Rejected

    monkeypatch.setattr(ServerOpenDialog, "exec", log_in)
    archive = app.open_archive(settings, None)
    assert archive is not None and archive.on_server
    assert app.log_in(archive)  # no second login: the server's is the one
    window = MainWindow(archive, settings, on=date(2026, 11, 25))
    qtbot.addWidget(window)
    assert "县级数据库 · reader_a（查阅）" in window.status.text()
    assert "quick_entry" not in dict(window.visible_pages())
    assert "甲镇" in window.windowTitle()
    archive.close()


def test_the_welcome_screen_and_the_unlock_dialog_offer_the_server(qtbot, county, settings,
                                                                  tmp_path, monkeypatch):
    from desktop.unlock import UnlockDialog
    from desktop.welcome import WelcomeDialog

    def log_in(dialog):
        fill(dialog, address(county), "clerk_a", PASSWORD)
        return QDialog.Accepted if dialog.go_on() else QDialog.Rejected

    monkeypatch.setattr(ServerOpenDialog, "exec", log_in)
    for dialog in (WelcomeDialog(settings, tmp_path / "none.tongdang"),
                   UnlockDialog(settings, tmp_path / "none.tongdang")):
        qtbot.addWidget(dialog)
        dialog.findChild(QPushButton, "server").click()
        assert dialog.archive is not None and dialog.archive.township.name == "甲镇"
        dialog.archive.close()
    assert settings.last_archive is None  # the server is not a file to open next time
    assert settings.opens_server


def test_unlocking_after_idle_minutes_asks_the_server(qtbot, county, settings):
    from desktop.idle_lock import LockDialog

    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    fill(dialog, address(county), "county_admin", PASSWORD)
    dialog.go_on()
    dialog.township.setCurrentText("甲镇")
    assert dialog.go_on()
    archive = dialog.archive
    assert archive.role == "管理员"  # a county administrator acts as the township's 管理员
    lock = LockDialog(archive)
    qtbot.addWidget(lock)
    assert lock.needs_password
    lock.password.setText("wrong")
    assert not lock.try_unlock()
    assert "用户名或密码不正确" in lock.message.text()
    lock.password.setText(PASSWORD)
    assert lock.try_unlock()
    archive.close()


def test_changing_ones_password_changes_the_server_login(county, monkeypatch):
    from models.schema import database
    from models.server.connection import ServerLoginFailed
    from models.server.logins import add_login
    from models.users import BadUserInput, LoginFailed

    owner = county.owner_db()
    database.initialize(owner)
    add_login(owner, "pw_clerk", PASSWORD, "录入员", county.townships["甲镇"])
    owner.close()
    setting = ServerSetting.parse(county.setting()).with_user("pw_clerk")
    archive, _ = ServerArchive.open(setting, PASSWORD)
    with pytest.raises(LoginFailed):
        archive.users.change_password("pw_clerk", "wrong", "New-Pass-2026x")
    with pytest.raises(BadUserInput):
        archive.users.change_password("pw_clerk", PASSWORD, PASSWORD)
    archive.users.change_password("pw_clerk", PASSWORD, "New-Pass-2026x")
    archive.close()
    with pytest.raises(ServerLoginFailed):
        ServerArchive.open(setting, PASSWORD)
    archive, _ = ServerArchive.open(setting, "New-Pass-2026x")
    assert archive.township.name == "甲镇"
    archive.close()


def test_a_server_archive_makes_no_automatic_file_backup(qtbot, county, settings):
    from desktop.app import Session, make_application

    dialog = ServerOpenDialog(settings)
    qtbot.addWidget(dialog)
    fill(dialog, address(county), "clerk_a", PASSWORD)
    assert dialog.go_on()
    session = Session(make_application(), settings)
    session.archive = dialog.archive
    assert session.backup_on_exit(dialog.archive) is None
    assert session.backup_warning == ""
    dialog.archive.close()


def test_background_work_of_a_county_login_stays_in_its_township(county, two_children):
    """The window's background work has its own connection (one per thread): it makes the
    township choice of the archive's, instead of reading — or refreshing — the whole county."""
    import threading

    from models.schema import Child, database

    archive, _ = ServerArchive.open(county.setting("county_admin"), PASSWORD, township="乙镇")
    seen = []

    def in_background():
        seen.append([c.name for c in Child.select()])
        database.close()

    worker = threading.Thread(target=in_background)
    worker.start()
    worker.join()
    assert seen == [["李小红"]]
    archive.choose_township(None)  # the whole county, in every thread too
    worker = threading.Thread(target=in_background)
    worker.start()
    worker.join()
    assert sorted(seen[1]) == ["张小明", "李小红"]
    archive.close()


def test_a_reader_on_the_server_is_told_why_the_colours_are_not_refreshed(
        qtbot, county, two_children, tmp_path):
    from desktop.app import SERVER_READER_STALE, refresh_if_stale
    from tests.desktop.gui_helpers import make_window

    archive, _ = ServerArchive.open(county.setting("reader_a"), PASSWORD)
    archive.login_as("reader_a", archive.login_role())
    window = make_window(archive, tmp_path, on=date(2026, 11, 25))
    qtbot.addWidget(window)
    assert archive.states.stale(date(2026, 11, 25))
    after = []
    refresh_if_stale(window, archive, then=lambda: after.append(True))
    assert after == [True]  # nothing started in the background (it could not write)
    assert window.statusBar().currentMessage() == SERVER_READER_STALE
    archive.close()


def test_user_management_on_the_server_says_what_needs_the_county(county):
    """用户管理 of a township 管理员: what the server would not honour is refused in Chinese."""
    from models.server.connection import ServerLoginFailed
    from models.users import BadUserInput

    admin, _ = ServerArchive.open(county.setting("admin_a"), PASSWORD)
    admin.login_as("admin_a", admin.login_role())
    with pytest.raises(BadUserInput, match="tongdang server --server 地址 login"):
        admin.users.create("newclerk", "Some-Pass-2026", "录入员")
    clerk = admin.users.find("clerk_a")
    with pytest.raises(BadUserInput, match="信息管理员重设"):
        admin.users.reset_password(clerk, "Some-Pass-2026")
    with pytest.raises(BadUserInput, match="查阅只能读"):
        admin.users.set_role(admin.users.find("reader_a"), "录入员")
    admin.users.set_role(clerk, "管理员")  # the same database group: the app's role only
    assert admin.users.find("clerk_a").role == "管理员"
    admin.users.set_active(admin.users.find("clerk_a"), False)
    admin.close()
    with pytest.raises(ServerLoginFailed, match="已停用"):
        ServerArchive.open(county.setting("clerk_a"), PASSWORD)


def test_opening_another_archive_from_the_server_offers_the_files(qtbot, county, settings,
                                                                  tmp_path):
    """打开其他档案库 from a server window: the unlock dialog on the file opened last, not on
    the server's address (which is no file)."""
    from desktop.app import Session, make_application
    from desktop.unlock import UnlockDialog

    settings.last_archive = tmp_path / "城关镇.tongdang"
    archive, _ = ServerArchive.open(county.setting("clerk_a"), PASSWORD)
    session = Session(make_application(), settings)
    session.archive = archive
    chooser = session.chooser()
    qtbot.addWidget(chooser)
    assert isinstance(chooser, UnlockDialog)
    assert chooser.path == tmp_path / "城关镇.tongdang"
    assert chooser.findChild(QPushButton, "server") is not None
    archive.close()
