"""Starting the window: Qt application, Chinese font, font size, opening and unlocking the
archive, who is working, and the main window.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop.settings import Settings, apply_font_size
from models.roles import EDIT_CHILDREN, can

log = logging.getLogger(__name__)
FONT_PATH = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"
ICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "icons" / "tongdang-256.png"
APP_NAME = "童档"
LOCAL_USER = "本机用户"
# TONGDANG_SMOKE_QUIT=1: quit as soon as the first main window is drawn, after printing
# "SMOKE-WINDOW-SHOWN <epoch seconds>" (smoke tests of the installed program, start-up timing).
SMOKE_ENV = "TONGDANG_SMOKE_QUIT"
SMOKE_MARK = "SMOKE-WINDOW-SHOWN"
SERVER_READER_STALE = ("风险等级和走访日期还没有按今天的日期更新：查阅用户不能写入县级数据库，"
                       "本乡镇的录入员或管理员登录后会自动更新。")
COUNTY_STALE = "有的乡镇的风险等级和走访日期还没有按今天的日期更新，见工作台“颜色计算日期”一列。"


def has_cjk_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_cjk_font(app: QApplication) -> str | None:
    """Load the bundled font when the system has no Chinese font; returns the family used."""
    if has_cjk_font() and not os.environ.get("TONGDANG_FORCE_BUNDLED_FONT"):
        return None
    font_id = QFontDatabase.addApplicationFont(str(FONT_PATH))
    if font_id < 0:
        log.warning("bundled font %s could not be loaded", FONT_PATH)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    font = app.font()
    font.setFamilies([families[0], *font.families()])
    app.setFont(font)
    return families[0]


def install_qt_chinese(app: QCoreApplication) -> bool:
    """Qt's own strings in Chinese: OK/Cancel, right-click menus, file dialogs.

    PySide6 ships ``qtbase_zh_CN.qm``; loaded once, kept on the application object. On Linux
    Qt's own file dialog is used (a GTK or portal dialog would ignore the translation).
    """
    if getattr(app, "_tongdang_translators", None):
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            loaded.append(translator)
            break  # qt_zh_CN is only a catalogue that includes qtbase_zh_CN
    if not loaded:
        log.warning("Qt's Chinese translations were not found in %s", folder)
    app._tongdang_translators = loaded
    if sys.platform.startswith("linux"):
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    return bool(loaded)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if existing is not None:
        install_qt_chinese(existing)
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv or sys.argv[:1])
    install_qt_chinese(app)
    app.setApplicationName("tongdang")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("tongdang")
    if ICON_PATH.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(ICON_PATH)))
    install_qt_translations(app)
    return app


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own texts (OK/Cancel in standard dialogs, the file dialog) in Chinese."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_zh_CN", folder):
        log.info("Qt's Chinese translations not found in %s", folder)
        return False
    app.installTranslator(translator)
    app._tongdang_translator = translator  # keep it alive with the application
    return True


def prepare_archive(archive) -> None:
    """Cached rule results follow every write; who writes is the logged-in user."""
    def refresh(ids):  # models.derived (and the rules) load on the first write, not at start
        archive.states.keep_current()
        archive.on_children_changed(ids)

    archive.on_children_changed = refresh
    if archive.username in ("", "系统"):
        from models.roles import ADMIN

        archive.login_as(_local_user(), ADMIN)


def _local_user() -> str:
    try:
        return getpass.getuser() or LOCAL_USER
    except Exception:  # noqa: BLE001 - no login name on some systems
        return LOCAL_USER


def open_archive(settings: Settings, path: Path | None, parent=None):
    """Open silently through the keyring when possible, else ask (the unlock dialog). With no
    archive on this computer at all, the first-use screen offers 新建 / 打开其他 / 演示."""
    from desktop.unlock import UnlockDialog, try_open
    from models.archive import default_path

    if path is None and settings.opens_server:  # the county database, as last time
        from desktop.server_open import ServerOpenDialog

        server = ServerOpenDialog(settings, parent)
        if server.exec() == QDialog.Accepted:
            return server.archive
        if not server.wants_file:
            return None
        path = settings.last_archive
    if (path is None or not Path(path).exists()) and not default_path().exists():
        # nothing on this computer yet: the first-use screen
        from desktop.welcome import WelcomeDialog

        welcome = WelcomeDialog(settings, default_path(), parent)
        return welcome.archive if welcome.exec() == QDialog.Accepted else None
    path = Path(path) if path else default_path()
    message = ""
    if path is not None and path.exists():
        archive, problem = try_open(path)
        if archive is not None:
            settings.last_archive = path
            return archive
        message = problem[1]
    dialog = UnlockDialog(settings, path, message, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.archive


def open_demo_archive():
    """``tongdang --demo``: the demo archive, made on first use (a second or two)."""
    from models.opening import open_demo

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return open_demo()
    finally:
        QApplication.restoreOverrideCursor()


def log_in(archive, parent=None) -> bool:
    """When the archive has users, ask who is working; else the local user is the 管理员.
    On the county database the server's login is who is working (desktop/server_open.py)."""
    if archive.on_server or not archive.users.has_users() or archive.users.find(archive.username) is not None:
        # No users yet, or already logged in (the new-archive wizard logs its 管理员 in).
        prepare_archive(archive)
        return True
    from desktop.login import LoginDialog

    dialog = LoginDialog(archive, parent)
    if dialog.exec() != QDialog.Accepted:
        return False
    prepare_archive(archive)
    return True


def refresh_if_stale(window, archive, then=None) -> None:
    """The cached colours and due dates are per day: recompute them off the GUI thread.

    ``then`` runs afterwards (also when nothing was stale), so that the daily backup does
    not copy the archive while it is being rewritten.
    """
    then = then or (lambda: None)
    if not archive.states.stale(window.context.on):
        then()
        return
    if archive.on_server and not can(archive.role, EDIT_CHILDREN):
        # The server lets it read only; the county 工作台 shows each township's day itself.
        county_wide = getattr(archive, "county_role", "") and archive.township_id is None
        window.statusBar().showMessage(COUNTY_STALE if county_wide else SERVER_READER_STALE)
        then()
        return
    window.statusBar().showMessage("正在按今天的日期更新风险等级和走访日期……")

    def done(count):
        window.statusBar().showMessage(f"已更新 {count} 名儿童的风险等级和走访日期。", 5000)
        page = window.current_page()
        for p in window.pages.values():
            if hasattr(p, "mark_stale"):
                p.mark_stale()
        if page is not None and hasattr(page, "refresh"):
            page.refresh()
        then()

    def failed(exc):
        from desktop.worker import user_message

        QMessageBox.warning(window, APP_NAME, user_message(exc))
        then()

    window.context.run_in_background(lambda progress, is_cancelled: archive.states.refresh_all(
                                         window.context.on),
                                     show_dialog=False, on_done=done, on_error=failed)


# -- automatic backups -------------------------------------------------------------------

def is_demo_archive(archive) -> bool:
    try:
        return bool(archive.township.is_demo)
    except Exception:  # noqa: BLE001 - an unreadable archive is not backed up either
        return True


def automatic_backup(archive, settings: Settings, daily: bool) -> Path | None:
    """One automatic backup into the configured folder; raises ``BackupError`` (Chinese)."""
    from models.backup import BackupError

    folder = settings.backup_folder_for(archive)
    problem = archive.backups.folder_problem(folder, chosen=settings.backup_folder is not None)
    if problem:
        raise BackupError(problem)
    return archive.backups.auto(folder, settings.backup_keep, daily=daily, force=not daily)


def backup_warning(exc: BaseException) -> str:
    """The sentence shown when an automatic backup did not happen: the data is untouched."""
    from desktop.worker import user_message

    text = user_message(exc)
    if text.startswith("备份文件夹不可用"):
        return text
    return f"自动备份未完成：{text}（档案库本身未受影响。）"


class Session:
    """The window and the archive it shows; reopens through the unlock dialog on request.

    Backups happen by themselves: once a day after the window shows (in the background) and
    every time an archive is closed. A failed backup is reported and never stops the closing.
    """

    def __init__(self, app: QApplication, settings: Settings):
        self.app, self.settings = app, settings
        self.archive = None
        self.window = None
        self.daily_task = None
        self.backup_warning = ""  # the last automatic backup's problem, if any
        self.file_timer = None
        self.last_notice = ""

    def start(self, path: Path | None, demo: bool = False) -> bool:
        archive = open_demo_archive() if demo else open_archive(self.settings, path)
        if archive is None or not log_in(archive):
            if archive is not None:
                archive.close()
            return False
        self.show(archive)
        return True

    def show(self, archive) -> None:
        from desktop.mainwindow import MainWindow

        self.archive = archive
        self.window = window = MainWindow(archive, self.settings)
        self.window.archive_switch_requested.connect(self.switch)
        self.window.show()
        warning = getattr(archive, "open_warning", None)
        if warning:
            self.notice(warning)
        self._watch_file(window, archive)
        if os.environ.get(SMOKE_ENV):
            QTimer.singleShot(0, lambda: self.smoke_quit(window))
        QTimer.singleShot(0, lambda: refresh_if_stale(
            window, archive, then=lambda: self.start_daily_backup(window, archive)))

    def start_daily_backup(self, window, archive):
        """The day's first backup, in the background; problems go to the status bar."""
        from desktop.worker import run_in_background

        if (self.settings is None or is_demo_archive(archive) or archive.on_server
                or archive is not self.archive):  # (the server is backed up by pg_dump)
            return None

        def done(path):
            if path is not None:
                window.statusBar().showMessage(f"已完成今天的自动备份：{path}", 8000)

        def failed(exc):
            self.backup_warning = backup_warning(exc)
            log.warning("daily backup failed: %s", exc)
            window.statusBar().showMessage(self.backup_warning)

        self.daily_task = run_in_background(
            lambda progress, is_cancelled: automatic_backup(archive, self.settings, daily=True),
            parent=window, show_dialog=False, on_done=done, on_error=failed)
        return self.daily_task

    def smoke_quit(self, window) -> None:
        """The first window is drawn: say so and quit (``TONGDANG_SMOKE_QUIT``)."""
        page = window.current_page()
        window.repaint()
        if page is not None:
            page.repaint()
        self.app.processEvents()
        qt_zh = "qt-zh_CN" if getattr(self.app, "_tongdang_translator", None) else "qt-en"
        print(f"{SMOKE_MARK} {time.time():.3f} {qt_zh} {window.windowTitle()}", flush=True)
        self.app.quit()

    def chooser(self) -> QDialog:
        """打开其他档案库: from the demo, while this computer has no archive of its own, the
        first-use choices (新建档案库 first); otherwise the unlock dialog on the current one."""
        from desktop.unlock import UnlockDialog
        from models.archive import default_path

        if is_demo_archive(self.archive) and not default_path().exists():
            from desktop.welcome import WelcomeDialog

            return WelcomeDialog(self.settings, default_path(), self.window)
        dialog = UnlockDialog(self.settings, None, "", self.window)
        if not self.archive.on_server:  # (from the server: the file opened last)
            dialog.set_path(self.archive.path)
        return dialog

    def switch(self) -> None:
        dialog = self.chooser()
        if dialog.exec() != QDialog.Accepted or dialog.archive is None:
            return
        old_window, old_archive = self.window, self.archive
        old_window.save_layout()
        old_window.hide()
        if old_archive is not None and (old_archive.on_server
                                        or dialog.archive.path != old_archive.path):
            self._close_archive(old_archive)
        if not log_in(dialog.archive):
            return
        self.show(dialog.archive)
        old_window.deleteLater()

    def close(self) -> None:
        if self.archive is not None:
            self._close_archive(self.archive)

    def _watch_file(self, window, archive) -> None:
        """Notice when the archive's file is replaced (restored elsewhere, copied over):
        writes into the old file are refused by the data layer; the user is told here."""
        timer = QTimer(window)
        timer.setInterval(3000)

        def check():
            if archive is self.archive and archive.file_replaced():
                timer.stop()
                from models.storage import REPLACED_MESSAGE

                text = REPLACED_MESSAGE.format(path=archive.path)
                window.statusBar().showMessage(text)
                self.notice(text)

        timer.timeout.connect(check)
        timer.start()
        self.file_timer = timer

    def notice(self, text: str) -> None:
        """A message that does not stop the window (the window stays usable behind it)."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_notice = text

    def _close_archive(self, archive) -> None:
        from desktop.attachments import clear_viewing_folder

        if self.daily_task is not None:
            self.daily_task.wait()  # the daily copy must end before the file is closed
        if not archive.file_replaced():  # a backup of the old, replaced file would mislead
            self.backup_on_exit(archive)
        try:
            archive.close()
        except Exception:
            log.exception("closing the archive failed")
        clear_viewing_folder()

    def backup_on_exit(self, archive) -> Path | None:
        """The backup made each time an archive is closed; the newest ones are kept."""
        if self.settings is None or is_demo_archive(archive) or archive.on_server:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return automatic_backup(archive, self.settings, daily=False)
        except Exception as exc:  # noqa: BLE001 - closing goes on whatever happened
            self.backup_warning = backup_warning(exc)
            log.warning("backup on exit failed: %s", exc)
            self.warn(self.backup_warning)
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def warn(self, text: str) -> None:
        QMessageBox.warning(None, APP_NAME, text)


def wait_in_window(session):
    """``models.storage.on_wait`` for the window: while a save waits for another program (a
    long import), say so in the status bar and keep repainting; input waits."""
    shown = {"message": ""}

    def on_wait(message):
        if threading.current_thread() is not threading.main_thread():
            return  # background work shows its own progress dialog
        bar = session.window.statusBar() if session.window is not None else None
        if message == "":  # the save got the archive
            if bar is not None and bar.currentMessage() == shown["message"]:
                bar.clearMessage()
            shown["message"] = ""
            return
        if message:
            shown["message"] = message
        if bar is not None and shown["message"]:
            bar.showMessage(shown["message"])
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if bar is not None and shown["message"] and bar.currentMessage() != shown["message"]:
            bar.showMessage(shown["message"])
    return on_wait


def run_gui(args) -> int:
    from desktop.attachments import clear_viewing_folder
    from models.opening import show_waits_with

    app = make_application()
    ensure_cjk_font(app)
    settings = Settings()
    apply_font_size(app, settings.font_size)
    clear_viewing_folder()  # copies left by a crash or a viewer that held them at closing
    session = Session(app, settings)
    show_waits_with(wait_in_window(session))
    path = getattr(args, "archive", None) or os.environ.get("TONGDANG_ARCHIVE") \
        or (None if settings.opens_server else settings.last_archive)
    try:
        if not session.start(Path(path) if path else None, demo=getattr(args, "demo", False)):
            return 0
    except Exception as exc:  # noqa: BLE001 - a last word instead of a crash
        from desktop.worker import user_message

        QMessageBox.critical(None, APP_NAME, user_message(exc))
        return 1
    status = app.exec()
    if os.environ.get(SMOKE_ENV):
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()  # a refresh just started ends first
    session.close()
    return status
