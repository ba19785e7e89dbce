"""What a new user meets in the first hour, in the window: the first-use screen, the demo's
演示数据 banner, a title that names 童档 once, dialogs whose messages are not clipped."""

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton

import models.archive
from desktop import app as app_module
from desktop.app import Session
from desktop.login import LoginDialog
from desktop.mainwindow import DEMO_BANNER
from desktop.settings import Settings
from desktop.unlock import UnlockDialog
from desktop.welcome import WelcomeDialog
from models.schema import Child, Township
from models.users import create_first_admin
from tests.desktop.gui_helpers import make_window


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A computer with no archive yet: the user data folder is empty."""
    monkeypatch.setattr(models.archive, "data_dir", lambda: tmp_path / "data")
    return tmp_path / "data"


def fully_shown(label: QLabel) -> bool:
    """A word-wrapped label is as tall as its text needs at its width (nothing clipped)."""
    return label.isVisible() and label.height() >= label.heightForWidth(label.width())


# -- the first-use screen ------------------------------------------------------------------------

def test_with_no_archive_the_window_starts_on_the_three_choices(qtbot, qapp, settings, data_dir,
                                                                monkeypatch):
    shown = []

    def choose_demo(dialog):
        shown.append(dialog)
        texts = {b.objectName(): b.text() for b in dialog.findChildren(QPushButton)}
        assert texts["new"] == "新建档案库…" and texts["other"] == "打开其他档案库…"
        assert texts["demo"] == "先看看演示"
        task = dialog.open_demo()
        qtbot.waitUntil(lambda: task.done, timeout=120000)
        assert task.error is None, task.error_text
        return QDialog.Accepted if dialog.archive is not None else QDialog.Rejected

    monkeypatch.setattr(WelcomeDialog, "exec", choose_demo)
    monkeypatch.setattr("models.demo_archive.DEMO_CHILDREN", 40)
    monkeypatch.setattr("models.demo_archive.open_demo.__defaults__", (40, None))
    session = Session(qapp, settings)
    assert session.start(None)  # what `./run` and `tongdang` do: no --demo
    qtbot.addWidget(session.window)
    try:
        assert len(shown) == 1 and isinstance(shown[0], WelcomeDialog)
        assert Township.get().is_demo and Child.select().count() == 40
        assert settings.last_archive == data_dir / "demo.tongdang"
    finally:
        session.window.close()
        session.close()


def test_with_an_archive_the_first_use_screen_is_not_shown(qtbot, settings, data_dir, monkeypatch):
    from tests.conftest import RECOVERY

    archive, _ = models.archive.Archive.create(models.archive.default_path(), "丹朱镇", "长子县",
                                               "changzhi", recovery_code=RECOVERY)
    archive.close()
    monkeypatch.setattr(WelcomeDialog, "exec", lambda self: pytest.fail("first-use screen shown"))
    opened = app_module.open_archive(settings, None)
    try:
        assert opened is not None and opened.path == models.archive.default_path()
    finally:
        opened.close()


def test_first_use_new_archive_opens_the_wizard_on_the_default_place(qtbot, settings, data_dir,
                                                                      monkeypatch):
    from desktop import unlock

    seen = []

    def wizard_exec(self):
        seen.append(self.place_page.path.text())
        return QDialog.Rejected

    monkeypatch.setattr(unlock.NewArchiveWizard, "exec", wizard_exec)
    dialog = WelcomeDialog(settings, models.archive.default_path())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons["new"].click()
    assert seen == [str(data_dir / "archive.tongdang")]
    assert dialog.archive is None and dialog.result() != QDialog.Accepted
    for name in ("new_hint", "other_hint", "demo_hint"):
        assert fully_shown(dialog.findChild(QLabel, name))


# -- the demo banner and the window title -----------------------------------------------------

def test_a_demo_archive_shows_a_banner_inside_the_window(qtbot, demo_archive, tmp_path):
    demo_archive.writer().update(Township.get(), is_demo=True)
    window = make_window(demo_archive, tmp_path, on=date.today())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    banner = window.demo_banner
    assert banner is not None and banner.isVisible()
    text = banner.findChild(QLabel, "demo_banner_text")
    assert "演示数据" in text.text() and "虚构" in text.text() and fully_shown(text)
    assert DEMO_BANNER.startswith("演示数据")
    # it stays on every page
    for page in ("children", "reports", "settings"):
        window.show_page(page)
        assert banner.isVisible() and banner.geometry().top() < window.stack.mapTo(window, window.stack.rect().topLeft()).y()
    title = window.windowTitle()
    assert title == "长子县 丹朱镇（演示数据） — 童档"


def test_a_real_archive_has_no_banner_and_names_the_app_once(qtbot, new_archive, tmp_path):
    window = make_window(new_archive, tmp_path, on=date.today())
    qtbot.addWidget(window)
    window.show()
    assert window.demo_banner is None
    title = window.windowTitle()
    # Qt appends the application display name (童档) to a title that does not end with it.
    assert QApplication.applicationDisplayName() in ("童档", "") or title.endswith("童档")
    assert title == "长子县 丹朱镇 — 童档" and title.count("童档") == 1


def test_dialog_titles_name_the_app_once_at_the_end(qtbot, settings, tmp_path, new_archive):
    create_first_admin(new_archive, "zhangsan", "Mima-2026-ok")
    for dialog in (UnlockDialog(settings, tmp_path / "none.tongdang"), LoginDialog(new_archive),
                   WelcomeDialog(settings, tmp_path / "none.tongdang")):
        qtbot.addWidget(dialog)
        title = dialog.windowTitle()
        assert title.endswith("童档") and title.count("童档") == 1, title


# -- messages that are not clipped ----------------------------------------------------------------

def test_unlock_dialog_keeps_its_subtitle_after_an_error(qtbot, settings, new_archive, memory_keyring):
    path = new_archive.path
    new_archive.close()
    memory_keyring.store.clear()  # the key is lost: the code is needed
    dialog = UnlockDialog(settings, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert fully_shown(dialog.heading)
    before = dialog.height()
    dialog.code.setText("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-0000")
    assert not dialog.unlock()
    assert "恢复码不对" in dialog.message.text()
    QApplication.processEvents()
    assert fully_shown(dialog.heading), "the subtitle under 童档 is clipped"
    assert fully_shown(dialog.message), "the error message is clipped"
    assert dialog.height() > before


def test_login_message_is_shown_whole(qtbot, new_archive):
    create_first_admin(new_archive, "zhangsan", "Mima-2026-ok")
    dialog = LoginDialog(new_archive)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for _ in range(6):  # the fifth wrong password locks the user: the longest message
        dialog.username.setText("zhangsan")
        dialog.password.setText("wrong-password")
        assert not dialog.log_in()
    QApplication.processEvents()
    assert "锁定" in dialog.message.text()
    assert fully_shown(dialog.message), "the login message is clipped"
    assert dialog.width() >= 380


# -- a small screen and an empty archive ---------------------------------------------------------

def test_the_first_window_fits_a_1366_by_768_screen():
    from PySide6.QtCore import QRect

    from desktop.mainwindow import first_size

    width, height = first_size(QRect(0, 0, 1366, 768))
    assert width <= 1366 and height <= 768 - 40
    assert first_size(QRect(0, 0, 1920, 1080)) == (1280, 800)


def test_an_empty_archive_charts_count_in_whole_steps(qtbot, new_archive, tmp_path):
    from desktop.charts import count_axis

    assert count_axis(0) == (1, 1) and count_axis(206) == (300, 100) and count_axis(5) == (6, 2)
    window = make_window(new_archive, tmp_path, on=date.today())
    qtbot.addWidget(window)
    window.show()
    board = window.page("dashboard")
    qtbot.waitUntil(lambda: board.board is not None, timeout=20000)
    # The charts (desktop.charts, issue 14) print each bar's count instead of an axis: whole
    # numbers, one per bar — never 0, 0, 1, 1.
    chart = board.colour_chart
    assert [b.value for b in chart.bars] == [0, 0, 0, 0]
    assert all(isinstance(b.value, int) for b in chart.bars)
    assert chart.accessibleDescription() == "红色0人，黄色0人，蓝色0人，绿色0人"


# -- the empty template on the 导入台账 page -------------------------------------------------------

def test_the_import_page_says_the_empty_template_has_no_rows(qtbot, new_archive, tmp_path):
    from functools import partial

    from desktop.context import AppContext
    from desktop.pages.ledger_import import Page
    from desktop.worker import run_in_background
    from exports.ledger_template import write_ledger_template
    from models import ledger_import as li
    from models.schema import AuditEntry

    context = AppContext(archive=new_archive)
    context.run_in_background = partial(run_in_background, show_dialog=False)
    page = Page(context)
    qtbot.addWidget(page)
    template = tmp_path / "台账模板.xlsx"
    write_ledger_template(template)
    before = AuditEntry.select().count()
    task = page.choose(str(template))
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert task.error is None, task.error_text
    assert "没有填写任何儿童或走访记录" in page.status.text()
    assert "检查通过" not in page.status.text() and "可以导入" not in page.status.text()
    assert not page.import_button.isEnabled()
    # importing anyway (e.g. a file emptied after the check) says the same and changes nothing
    task = page.start_import()
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert isinstance(task.error, li.LedgerEmpty)
    assert "没有填写任何儿童或走访记录" in page.status.text() and page.summary is None
    assert AuditEntry.select().count() == before


# -- opening another archive from the first-use screen --------------------------------------------

def test_first_use_opens_another_archive_through_the_keyring(qtbot, settings, data_dir, tmp_path):
    from tests.conftest import RECOVERY

    other = tmp_path / "U盘" / "东坡.tongdang"
    other.parent.mkdir()
    archive, _ = models.archive.Archive.create(other, "丹朱镇", "长子县", "changzhi",
                                               recovery_code=RECOVERY)
    archive.close()
    dialog = WelcomeDialog(settings, models.archive.default_path())
    qtbot.addWidget(dialog)
    dialog.open_other(other)
    try:
        assert dialog.archive is not None and dialog.archive.path == other
        assert dialog.result() == QDialog.Accepted and settings.last_archive == other
    finally:
        dialog.archive.close()


def test_from_the_demo_the_banner_leads_back_to_the_three_choices(qtbot, qapp, settings, data_dir,
                                                                  monkeypatch):
    """新建或打开正式档案库… on the demo, with no archive of one's own yet: the first-use screen
    (新建档案库 …), and the new archive replaces the demo in the window."""
    from desktop import unlock
    from tests.conftest import RECOVERY

    monkeypatch.setattr("models.demo_archive.DEMO_CHILDREN", 30)
    monkeypatch.setattr("models.demo_archive.open_demo.__defaults__", (30, None))
    session = Session(qapp, settings)
    assert session.start(None, demo=True)
    qtbot.addWidget(session.window)
    demo_window = session.window
    chooser = session.chooser()
    qtbot.addWidget(chooser)
    assert isinstance(chooser, WelcomeDialog)

    def create(self):
        self.archive, _ = models.archive.Archive.create(
            models.archive.default_path(), "丹朱镇", "长子县", "changzhi", recovery_code=RECOVERY)
        return QDialog.Accepted

    monkeypatch.setattr(unlock.NewArchiveWizard, "exec", create)
    monkeypatch.setattr(WelcomeDialog, "exec",
                        lambda self: (self.new_archive(), self.result())[1])
    demo_window.demo_banner.findChild(QPushButton, "demo_banner_switch").click()
    try:
        assert session.window is not demo_window
        qtbot.addWidget(session.window)
        assert session.archive.path == models.archive.default_path()
        assert session.window.demo_banner is None
        assert session.window.windowTitle() == "长子县 丹朱镇 — 童档"
        # with an archive of its own, 打开其他档案库 is the unlock dialog again
        assert isinstance(session.chooser(), UnlockDialog)
    finally:
        session.window.close()
        session.close()
