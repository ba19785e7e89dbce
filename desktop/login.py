"""Who is working: user name and password, when the archive has users (models.users)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from desktop.dialog_fit import grow_to_fit


class LoginDialog(QDialog):
    def __init__(self, archive, parent=None):
        super().__init__(parent)
        self.archive = archive
        self.user = None
        self.setWindowTitle("登录 — 童档")
        self.setMinimumWidth(380)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.Password)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet("color:#c5221f")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("登录")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.log_in)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"档案库：{archive.path.name}"))
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        form.addRow(self.message)
        form.addRow(buttons)

    def log_in(self) -> bool:
        from models.users import LoginFailed

        try:
            self.user = self.archive.users.login(self.username.text(), self.password.text())
        except LoginFailed as exc:
            self.message.setText(str(exc))
            grow_to_fit(self)  # the whole message, not half a line of it
            self.password.clear()
            self.password.setFocus()
            return False
        self.accept()
        return True
