"""The main window: navigation, placeholders for pages not built yet, shortcuts, layout kept."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.mainwindow import PAGES, MainWindow, PlaceholderPage, load_page
from desktop.settings import Settings
from tests.desktop.gui_helpers import make_window


def test_every_navigation_entry_opens_a_page(qtbot, new_archive, tmp_path):
    window = make_window(new_archive, tmp_path)
    qtbot.addWidget(window)
    window.show()
    for row, (name, label) in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        assert window.current_page() is window.page(name)
        assert window.page(name).title == label
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == \
        ["工作台", "儿童档案", "走访录入", "报表", "抽查", "儿童主任", "导入台账", "设置"]


def test_a_missing_page_module_shows_the_placeholder(new_archive, tmp_path, qtbot):
    from desktop.context import AppContext

    page = load_page("no_such_page", AppContext(archive=new_archive))
    qtbot.addWidget(page)
    assert isinstance(page, PlaceholderPage)
    assert "该功能尚在建设中" in page.findChildren(type(page.layout().itemAt(0).widget()))[0].text()


def test_shortcuts_reach_the_children_page(qtbot, new_archive, tmp_path):
    window = make_window(new_archive, tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.show_page("quick_entry")
    window.raise_()
    window.activateWindow()  # window shortcuts need the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    page = window.page("children")
    assert window.current_page() is page and page.file is not None and page.file.is_new
    page.close_file()
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert QApplication.focusWidget() is page.list.search


def test_window_size_splitter_and_last_page_persist(qtbot, new_archive, tmp_path):
    settings = Settings(tmp_path / "s.ini")
    first = MainWindow(new_archive, settings, on=date.today())
    qtbot.addWidget(first)
    first.show()
    first.resize(701, 503)
    first.splitter.setSizes([150, 550])
    first.show_page("quick_entry")
    first.close()
    expected = first.saveGeometry()
    again = MainWindow(new_archive, Settings(tmp_path / "s.ini"), on=date.today())
    qtbot.addWidget(again)
    again.show()
    assert again.current_page() is again.page("quick_entry")
    assert Settings(tmp_path / "s.ini").window_geometry == expected  # restored at start
    assert abs(again.splitter.sizes()[0] - 150) <= 2


def test_settings_are_typed(tmp_path):
    settings = Settings(tmp_path / "s.ini")
    assert settings.font_size == 0 and settings.idle_lock_minutes == 15
    assert not settings.show_full_id
    settings.font_size, settings.idle_lock_minutes, settings.show_full_id = 14, 5, True
    settings.last_archive = tmp_path / "a.tongdang"
    settings.sync()
    again = Settings(tmp_path / "s.ini")
    assert (again.font_size, again.idle_lock_minutes, again.show_full_id) == (14, 5, True)
    assert again.last_archive == tmp_path / "a.tongdang"
    assert again.recent_archives == [tmp_path / "a.tongdang"]
    assert again.may_show_full_id("管理员") and not again.may_show_full_id("录入员")


def test_idle_lock_hides_the_children_and_asks_for_the_password(qtbot, new_archive, tmp_path):
    from models import users

    users.create_first_admin(new_archive, "lijuan", "Dongpo-2025!")
    users.login(new_archive, "lijuan", "Dongpo-2025!")
    window = make_window(new_archive, tmp_path)
    qtbot.addWidget(window)
    window.show()
    lock = window.idle_lock
    assert lock.timer.isActive() and lock.timer.interval() == 15 * 60 * 1000
    lock.lock()
    assert not window.centralWidget().isVisible()
    dialog = lock.dialog
    dialog.password.setText("wrong-password")
    assert not dialog.try_unlock()
    assert lock.locked and not window.centralWidget().isVisible()
    dialog.password.setText("Dongpo-2025!")
    assert dialog.try_unlock()
    assert not lock.locked and window.centralWidget().isVisible()


def test_bundled_chinese_font_is_loaded_when_asked(qtbot, monkeypatch):
    from PySide6.QtGui import QFontDatabase

    from desktop.app import ensure_cjk_font

    monkeypatch.setenv("TONGDANG_FORCE_BUNDLED_FONT", "1")
    app = QApplication.instance()
    before = app.font()
    try:
        family = ensure_cjk_font(app)
        assert family and "WenQuanYi" in family
        assert family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        assert app.font().families()[0] == family
    finally:
        app.setFont(before)


def test_a_reader_sees_the_file_but_cannot_edit(qtbot, demo_archive, tmp_path):
    from models.schema import Child

    window = make_window(demo_archive, tmp_path)
    demo_archive.login_as("chayue", "查阅")
    qtbot.addWidget(window)
    child = Child.select().first()
    file = window.page("children").open_child(child.id)
    assert not file.basic.isEnabled() and not file.save_button.isEnabled()
    assert not file.panel("contact").save_button.isEnabled()
    assert child.name in file.header.title.text()


def test_a_first_start_opens_on_the_workbench(qtbot, new_archive, tmp_path):
    window = make_window(new_archive, tmp_path)  # fresh settings: no last page yet
    qtbot.addWidget(window)
    window.show()
    assert window.current_page() is window.page("dashboard")
    assert window.nav.currentItem().text() == "工作台"
