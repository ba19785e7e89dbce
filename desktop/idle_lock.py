"""Locking the window after some idle minutes (settings.idle_lock_minutes; 0 = never).

When the archive has users, unlocking asks for the current user's password. Without users
the lock is a privacy screen: the children's data is hidden until someone clicks 继续.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout

_INPUT_EVENTS = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel}


class LockDialog(QDialog):
    def __init__(self, archive, parent=None):
        super().__init__(parent)
        self.archive = archive
        self.setWindowTitle("已锁定 — 童档")
        self.setModal(True)
        self.needs_password = archive.users.has_users()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>童档已锁定</h3>长时间无操作，为保护儿童信息，窗口已锁定。"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText(f"用户 {archive.username} 的密码")
        self.password.returnPressed.connect(self.try_unlock)
        self.message = QLabel()
        self.message.setStyleSheet("color:#c5221f")
        button = QPushButton("解锁" if self.needs_password else "继续")
        button.clicked.connect(self.try_unlock)
        if self.needs_password:
            layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(button)

    def try_unlock(self) -> bool:
        if self.needs_password:
            from models.users import LoginFailed

            try:
                self.archive.users.authenticate(self.archive.username, self.password.text())
            except LoginFailed as exc:
                self.message.setText(str(exc))
                self.password.clear()
                return False
        self.accept()
        return True

    def reject(self) -> None:  # Esc does not unlock
        pass


class IdleLock(QObject):
    """Watches input to the application; locks ``window`` after the idle minutes."""

    def __init__(self, window, settings):
        super().__init__(window)
        self.window, self.settings = window, settings
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.locked = False
        QApplication.instance().installEventFilter(self)
        self.restart()

    def restart(self) -> None:
        minutes = self.settings.idle_lock_minutes
        if minutes > 0 and not self.locked:
            self.timer.start(minutes * 60 * 1000)
        else:
            self.timer.stop()

    def eventFilter(self, obj, event) -> bool:
        if not self.locked and event.type() in _INPUT_EVENTS:
            self.timer.start() if self.timer.isActive() else self.restart()
        return False

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        central = self.window.centralWidget()
        central.setVisible(False)  # nothing of the children stays on screen behind the dialog
        dialog = LockDialog(self.window.archive, self.window)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self.unlocked())
        dialog.open()

    def unlocked(self) -> None:
        self.locked = False
        self.window.centralWidget().setVisible(True)
        self.restart()
