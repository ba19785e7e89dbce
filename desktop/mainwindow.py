"""The main window: navigation on the left, one page at a time on the right.

Pages are modules ``desktop/pages/<name>.py`` with ``class Page(QWidget)`` (see
``desktop.context``). They are imported when first shown, so the window opens fast; a page
whose module does not exist yet shows "该功能尚在建设中".

Optional page methods the window calls when present: ``refresh()``, ``confirm_leave() -> bool``
(unsaved edits), ``focus_search()`` (Ctrl+F), ``new_child()`` (Ctrl+N), ``print_current()``
(Ctrl+P), ``save()`` (Ctrl+S), ``show_filter(ChildFilter)``, ``open_child(child_id)``.
"""

from __future__ import annotations

import logging
import traceback
from datetime import date
from functools import partial

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext, ChildFilter
from desktop.permissions import CHANGE_OWN_PASSWORD, EDIT_CHILDREN, can, may_open_page, role_of
from desktop.worker import run_in_background

log = logging.getLogger(__name__)

# (module name, navigation label), in the order of the navigation.
PAGES = (
    ("dashboard", "工作台"),
    ("children", "儿童档案"),
    ("quick_entry", "走访录入"),
    ("reports", "报表"),
    ("spotcheck", "抽查"),
    ("directors", "儿童主任"),
    ("ledger_import", "导入台账"),
    ("settings", "设置"),
)
PAGE_TITLES = dict(PAGES)
PREFERRED_SIZE = QSize(1280, 800)  # smaller when the screen has less room (desktop.screen)
DEFAULT_PAGE = "dashboard"  # 工作台 is where a clerk starts the day (issue 6)


class PlaceholderPage(QWidget):
    def __init__(self, title: str, message: str = "该功能尚在建设中。"):
        super().__init__()
        self.title = title
        layout = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>{message}</p>")
        label.setAlignment(Qt.AlignCenter)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(label)

    def refresh(self) -> None:
        pass


def page_module(name: str):
    """The module of page ``name``, imported when the page is first shown (so that the window
    opens fast); None for a name with no page."""
    if name == "dashboard":
        from desktop.pages import dashboard as module
    elif name == "county":
        from desktop.pages import county as module
    elif name == "children":
        from desktop.pages import children as module
    elif name == "quick_entry":
        from desktop.pages import quick_entry as module
    elif name == "reports":
        from desktop.pages import reports as module
    elif name == "spotcheck":
        from desktop.pages import spotcheck as module
    elif name == "directors":
        from desktop.pages import directors as module
    elif name == "ledger_import":
        from desktop.pages import ledger_import as module
    elif name == "settings":
        from desktop.pages import settings as module
    else:
        return None
    return module


def load_page(name: str, context: AppContext) -> QWidget:
    """The page for ``name``; a placeholder when its module is missing or fails."""
    title = PAGE_TITLES.get(name, name)
    try:
        module = page_module(_county_page(name, context))
    except ImportError as exc:  # a page missing from the installation: "cannot import name"
        if exc.name in (f"desktop.pages.{name}", "desktop.pages"):
            return PlaceholderPage(title)
        if not isinstance(exc, ModuleNotFoundError):
            raise
        log.exception("page %s failed to import", name)
        return PlaceholderPage(title, f"该页面暂时无法打开（缺少组件：{exc.name}）。")
    if module is None:
        return PlaceholderPage(title)
    try:
        page = module.Page(context)
    except Exception as exc:  # noqa: BLE001 - one broken page must not stop the window
        log.error("page %s failed: %s", name, traceback.format_exc())
        return PlaceholderPage(title, f"该页面暂时无法打开：{exc}")
    if not getattr(page, "title", ""):
        page.title = title
    return page


def _county_page(name: str, context: AppContext) -> str:
    """A county login's 工作台 is the county's (desktop/pages/county.py)."""
    county = getattr(context.archive, "county_role", "")
    return "county" if name == "dashboard" and county else name


class MainWindow(QMainWindow):
    archive_switch_requested = Signal()  # 打开其他档案库: app.py reopens through the unlock dialog

    def __init__(self, archive, settings, on: date | None = None):
        super().__init__()
        self.archive = archive
        self.settings = settings
        self.context = AppContext(
            archive=archive, settings=settings, on=on or date.today(),
            show_children=self.show_children, open_child=self.open_child,
            run_in_background=partial(run_in_background, parent=self),
            archive_changed=self.archive_changed,
            township_changing=self._confirm_all_pages, township_changed=self.township_changed,
        )
        self.pages: dict[str, QWidget] = {}
        self._current = ""
        self._build()
        self._shortcuts()
        self._menus()
        self._restore()
        from desktop.idle_lock import IdleLock

        self.idle_lock = IdleLock(self, settings)

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(self._title())
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(220)
        self.nav.setMinimumWidth(96)
        self._fill_nav()
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([140, 1200])
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.demo_banner = demo_banner(self._switch_archive) if _is_demo(self.archive) else None
        if self.demo_banner is not None:
            column.addWidget(self.demo_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status = QLabel(self._status_text())
        self.statusBar().addPermanentWidget(self.status)

    def _fill_nav(self) -> None:
        self.nav.blockSignals(True)
        self.nav.clear()
        for name, label in self.visible_pages():
            item = QListWidgetItem(label)
            item.setData(Qt.UserRole, name)
            item.setSizeHint(QSize(100, self.nav.fontMetrics().height() * 2 + 8))
            self.nav.addItem(item)
        self.nav.blockSignals(False)

    def _status_text(self) -> str:
        from desktop.server_open import server_label

        return "　".join(filter(None, (_township_text(self.archive), server_label(self.archive))))

    def visible_pages(self) -> tuple[tuple[str, str], ...]:
        """The navigation entries the logged-in role may use (查阅 has no 走访录入/导入台账)."""
        role = role_of(self.context)
        return tuple((name, label) for name, label in PAGES if may_open_page(role, name))

    def _title(self) -> str:
        """Ends with the application name: Qt then does not append it a second time."""
        demo = "（演示数据）" if _is_demo(self.archive) else ""
        return window_title(f"{_township_text(self.archive)}{demo}")

    def _shortcuts(self) -> None:
        for keys, method in ((QKeySequence.Find, self.focus_search),
                             (QKeySequence.New, self.new_child),
                             (QKeySequence.Print, self.print_current),
                             (QKeySequence.Save, self.save)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.WindowShortcut)
            shortcut.activated.connect(method)

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("档案库(&A)")
        switch = QAction("打开其他档案库…", self)
        switch.triggered.connect(self._switch_archive)
        menu.addAction(switch)
        from desktop.pages.users import logged_in_user

        if can(role_of(self.context), CHANGE_OWN_PASSWORD) and logged_in_user(self.archive):
            password = QAction("修改我的密码…", self)
            password.triggered.connect(self.change_my_password)
            menu.addAction(password)
        menu.addSeparator()
        quit_action = QAction("退出", self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        child_menu = self.menuBar().addMenu("儿童(&C)")
        for label, keys, method in (("查找儿童", QKeySequence.Find, self.focus_search),
                                    ("新建儿童档案", QKeySequence.New, self.new_child),
                                    ("打印", QKeySequence.Print, self.print_current),
                                    ("保存", QKeySequence.Save, self.save)):
            action = QAction(f"{label}\t{QKeySequence(keys).toString(QKeySequence.NativeText)}",
                             self)
            action.triggered.connect(method)
            if method == self.new_child:
                self.new_child_action = action
            child_menu.addAction(action)
        self._show_new_child()
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于童档", self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, "关于童档", "童档：乡镇农村留守儿童和困境儿童“一人一档”档案管理。\n"
            "档案库已加密保存；请妥善保管恢复码。"))
        help_menu.addAction(about)

    def _show_new_child(self) -> None:
        self.new_child_action.setVisible(can(role_of(self.context), EDIT_CHILDREN))

    def _restore(self) -> None:
        from desktop.screen import fit_window, keep_on_screen

        geometry = self.settings.window_geometry
        if not geometry.isEmpty() and self.restoreGeometry(geometry):
            keep_on_screen(self)  # saved on a larger screen, or the screen changed
        else:
            fit_window(self, PREFERRED_SIZE)  # first_size() or less, centred on the screen
        state = self.settings.splitter_state("main")
        if not state.isEmpty():
            self.splitter.restoreState(state)
        last = self.settings.last_page
        visible = dict(self.visible_pages())
        self.show_page(last if last in visible else DEFAULT_PAGE)

    # -- pages -----------------------------------------------------------------------
    def page(self, name: str) -> QWidget:
        if name not in self.pages:
            page = load_page(name, self.context)
            self.pages[name] = page
            self.stack.addWidget(_scrolling(page))
        return self.pages[name]

    def current_page(self) -> QWidget | None:
        return self.pages.get(self._current)

    def show_page(self, name: str) -> bool:
        """Switch pages; False when the current page kept the user (unsaved edits)."""
        if name == self._current:
            return True
        if not may_open_page(role_of(self.context), name):
            return False
        current = self.current_page()
        if current is not None and hasattr(current, "confirm_leave") and not current.confirm_leave():
            self._select_nav(self._current)
            return False
        page = self.page(name)
        self._current = name
        self.stack.setCurrentWidget(page.parentWidget().parentWidget())  # its scroll area
        self._select_nav(name)
        self.settings.last_page = name
        if hasattr(page, "refresh"):
            try:
                page.refresh()
            except Exception:
                log.exception("refresh of %s failed", name)
        return True

    def _select_nav(self, name: str) -> None:
        names = [n for n, _ in self.visible_pages()]
        if name in names:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(names.index(name))
            self.nav.blockSignals(False)

    def _nav_changed(self, row: int) -> None:
        pages = self.visible_pages()
        if 0 <= row < len(pages):
            self.show_page(pages[row][0])

    # -- what pages ask of the window ------------------------------------------------
    def show_children(self, child_filter: ChildFilter) -> None:
        if self.show_page("children"):
            page = self.page("children")
            if hasattr(page, "show_filter"):
                page.show_filter(child_filter)

    def open_child(self, child_id: int) -> None:
        if self.show_page("children"):
            page = self.page("children")
            if hasattr(page, "open_child"):
                page.open_child(child_id)

    def archive_changed(self) -> None:
        """Some page wrote to the archive: the others reload when next shown."""
        for name, page in self.pages.items():
            if name != self._current and hasattr(page, "mark_stale"):
                page.mark_stale()

    def township_changed(self) -> None:
        """A county login now works in another township, or the whole county (read-only):
        the title, the status bar and the navigation (the role may differ) follow; the other
        pages reload when next shown."""
        self.setWindowTitle(self._title())
        self.status.setText(self._status_text())
        self._fill_nav()
        self._select_nav(self._current)
        self._show_new_child()
        for name, page in self.pages.items():
            if name == self._current:
                continue
            if getattr(page, "file", None) is not None and hasattr(page, "close_file"):
                page.close_file()  # a child of the township left (edits were confirmed before)
            if hasattr(page, "mark_stale"):
                page.mark_stale()

    # -- shortcuts -------------------------------------------------------------------
    def _call_page(self, method: str) -> bool:
        page = self.current_page()
        if page is not None and hasattr(page, method):
            getattr(page, method)()
            return True
        return False

    def focus_search(self) -> None:
        if not self._call_page("focus_search") and self.show_page("children"):
            self._call_page("focus_search")

    def new_child(self) -> None:
        if not can(role_of(self.context), EDIT_CHILDREN):
            self.statusBar().showMessage("当前用户为“查阅”角色，不能新建儿童档案。", 4000)
            return
        if self._current != "children" and not self.show_page("children"):
            return
        self._call_page("new_child")

    def print_current(self) -> None:
        if not self._call_page("print_current"):
            self.statusBar().showMessage("当前页面没有可打印的内容。", 4000)

    def save(self) -> None:
        if not self._call_page("save"):
            self.statusBar().showMessage("当前页面没有需要保存的内容。", 4000)

    def change_my_password(self) -> None:
        from desktop.pages.users import ChangePasswordDialog

        ChangePasswordDialog(self.archive, self).exec()

    def _switch_archive(self) -> None:
        if self._confirm_all_pages():
            self.archive_switch_requested.emit()

    # -- closing ---------------------------------------------------------------------
    def _confirm_all_pages(self) -> bool:
        for page in self.pages.values():
            if hasattr(page, "confirm_leave") and not page.confirm_leave():
                return False
        return True

    def save_layout(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.set_splitter_state("main", self.splitter.saveState())
        for page in self.pages.values():
            if hasattr(page, "save_layout"):
                page.save_layout()
        self.settings.sync()

    def closeEvent(self, event) -> None:
        if not self._confirm_all_pages():
            event.ignore()
            return
        self.save_layout()
        event.accept()


def _scrolling(page: QWidget) -> QScrollArea:
    """A page inside a frameless scroll area: on a small screen (1366×768 at 125 %: 1093×614)
    a page taller or wider than the room scrolls instead of pushing the window off the
    screen. A page that fits fills the area exactly as before."""
    area = QScrollArea()
    area.setObjectName(f"scroll_{type(page).__module__.rsplit('.', 1)[-1]}")
    area.setFrameShape(QScrollArea.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(page)
    return area


APP_NAME = "童档"
DEMO_BANNER = ("演示数据：本档案库中的儿童、家长和记录全部是虚构的，仅供熟悉操作，"
               "不要录入真实儿童的信息。")


def first_size(available) -> tuple[int, int]:
    """1280×800, or less on a smaller screen (a 1366×768 laptop): the whole window, with its
    status bar, fits on the screen the first time it opens."""
    if available is None or available.width() <= 0 or available.height() <= 0:
        return 1280, 800
    return min(1280, available.width()), min(800, available.height() - 40)


def window_title(what: str) -> str:
    """``what — 童档``. Qt appends the application's display name (童档) to a title that does not
    already end with it, so the name is put last, once."""
    return f"{what} — {APP_NAME}" if what else APP_NAME


def demo_banner(on_switch) -> QWidget:
    """The yellow strip over every page of a demo archive (not only in the title bar)."""
    from PySide6.QtWidgets import QHBoxLayout, QPushButton

    banner = QWidget()
    banner.setObjectName("demo_banner")
    banner.setAttribute(Qt.WA_StyledBackground, True)
    banner.setStyleSheet("#demo_banner { background:#fff3c4; border-bottom:1px solid #e0b400; }"
                         "#demo_banner QLabel { color:#5c4400; }")
    row = QHBoxLayout(banner)
    row.setContentsMargins(12, 6, 12, 6)
    text = QLabel(f"<b>{DEMO_BANNER[:4]}</b>{DEMO_BANNER[4:]}")
    text.setObjectName("demo_banner_text")
    text.setWordWrap(True)
    row.addWidget(text, 1)
    button = QPushButton("新建或打开正式档案库…")
    button.setObjectName("demo_banner_switch")
    button.clicked.connect(lambda: on_switch())
    row.addWidget(button)
    return banner


def _township_text(archive) -> str:
    if getattr(archive, "county_role", "") and archive.township_id is None:
        return f"{_county_name(archive)} 全县"
    try:
        township = archive.township
    except Exception:  # noqa: BLE001
        return ""
    return f"{township.county} {township.name}"


def _county_name(archive) -> str:
    try:
        return archive.township.county
    except Exception:  # noqa: BLE001
        return ""


def _is_demo(archive) -> bool:
    try:
        return bool(archive.township.is_demo)
    except Exception:  # noqa: BLE001
        return False
