"""Windows that fit the screen they open on (1366×768 and 1280×720 office screens, 100 % or
125 % scaling: as little as 1024×576 logical pixels).

``fit_window(window, QSize(1280, 800))`` opens a window at its preferred size or at what the
screen has room for, centred; ``keep_on_screen`` brings a restored or grown window back.
Windows sized by Qt itself (message boxes, file dialogs) already stay on the screen; the
ones with a preferred size of their own call these.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = QSize(16, 40)  # room for a window frame and title bar the OS adds around a window


def available(widget: QWidget | None = None) -> QRect:
    """The usable part of the screen (without the task bar) the widget is or will be on."""
    screen = None
    if widget is not None:
        screen = widget.screen()
        parent = widget.parentWidget()
        if parent is not None and parent.window().isVisible():
            screen = parent.window().screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def room(widget: QWidget | None = None) -> QSize:
    """The largest client size a window can have on the screen, frame included."""
    area = available(widget)
    return QSize(max(area.width() - FRAME.width(), 200), max(area.height() - FRAME.height(), 200))


def fit_size(preferred: QSize, widget: QWidget | None = None) -> QSize:
    return preferred.boundedTo(room(widget))


def fit_window(window: QWidget, preferred: QSize) -> None:
    """Resize to ``preferred`` or to the screen's room, whichever is smaller, and centre."""
    window.resize(fit_size(preferred, window))
    centre(window)


def centre(window: QWidget) -> None:
    area = available(window)
    parent = window.parentWidget()
    anchor = parent.window().frameGeometry() if parent is not None and parent.isVisible() else area
    size = window.frameGeometry().size() if window.isVisible() else window.size() + FRAME
    x = anchor.center().x() - size.width() // 2
    y = anchor.center().y() - size.height() // 2
    x = max(area.left(), min(x, area.right() - size.width() + 1))
    y = max(area.top(), min(y, area.bottom() - size.height() + 1))
    window.move(x, y)


def keep_on_screen(window: QWidget) -> bool:
    """Shrink (down to the window's minimum) and move a window so it lies on its screen.
    Returns True when something changed."""
    if window.isMaximized() or window.isFullScreen():
        return False
    area = available(window)
    frame = window.frameGeometry()
    extra = QSize(frame.width() - window.width(), frame.height() - window.height())
    if not window.isVisible() or extra.isEmpty():
        extra = QSize(0, 0)
    limit = QSize(area.width() - extra.width(), area.height() - extra.height())
    size = window.size()
    changed = False
    if size.width() > limit.width() or size.height() > limit.height():
        window.resize(size.boundedTo(limit).expandedTo(window.minimumSize()))
        changed = True
    frame = window.frameGeometry()
    x = max(area.left(), min(frame.left(), area.right() - frame.width() + 1))
    y = max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)
        changed = True
    return changed


def fits(window: QWidget) -> bool:
    """The whole window lies on the screen's usable area (tests and the screenshot tool)."""
    return available(window).contains(window.frameGeometry())
