"""打开县级数据库: the county database instead of a township's file (issue 16).

The connection setting (server address and user name, never the password) is kept in the
settings; the password is typed at each login, or kept in the OS keyring when the person asks.
A county login (县级管理员 / 县级查阅) then chooses the township to work in. After ``exec()``
succeeds, ``self.archive`` is open and logged in with the role the server gives the login.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from desktop.dialog_fit import grow_to_fit
from models.server.connection import ServerSetting
from models.server.county_overview import WHOLE_COUNTY
from models.storage import ArchiveOpenError

TITLE = "打开县级数据库 — 童档"
EXAMPLE = "postgresql://主机/数据库?sslmode=verify-full"
LOG_IN, OPEN = "登录", "打开"


class ServerOpenDialog(QDialog):
    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.archive = None
        self.pending = None  # a county login's archive, waiting for its township
        self.wants_file = False  # 使用档案库文件…: the caller shows the file choices instead
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        heading = QLabel("<h3>县级数据库</h3>县里统一使用服务器时，填写县民政局信息管理员提供的"
                         "服务器地址，用自己的用户名和密码登录。")
        heading.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setObjectName("server")
        self.server.setPlaceholderText(EXAMPLE)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.go_on)
        self.remember = QCheckBox("在本机的系统凭据中记住密码")
        self.remember.setObjectName("remember")
        self.township = QComboBox()
        self.township.setObjectName("township")
        self.township_label = QLabel("乡镇（街道）")
        hint = QLabel("地址中不写密码。使用证书的服务器请写 sslmode=verify-full（验证服务器身份）。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#c5221f")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("服务器地址", self.server)
        form.addRow("", hint)
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        form.addRow("", self.remember)
        form.addRow(self.township_label, self.township)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(LOG_IN, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("log_in")
        self.ok.setDefault(True)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        use_file = QPushButton("使用档案库文件…")
        use_file.setObjectName("use_file")
        use_file.clicked.connect(self.use_file)
        buttons.addButton(use_file, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.go_on)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._show_township(False)
        self._fill_from_settings()

    def _fill_from_settings(self) -> None:
        from models.opening import keyring_available

        self.remember.setEnabled(keyring_available())
        text = self.settings.server if self.settings is not None else ""
        if not text:
            self.server.setFocus()
            return
        try:
            setting = ServerSetting.parse(text)
        except ArchiveOpenError:
            self.server.setText(text)
            return
        self.server.setText(setting.with_user("").text())
        self.username.setText(setting.user)
        (self.password if setting.user else self.username).setFocus()

    def _show_township(self, shown: bool) -> None:
        self.township.setVisible(shown)
        self.township_label.setVisible(shown)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        grow_to_fit(self)  # the whole message, not half a line of it

    # -- actions ---------------------------------------------------------------------
    def go_on(self) -> bool:
        """登录, then for a county login 打开 the chosen township."""
        if self.pending is not None:
            return self.open_township()
        return self.log_in()

    def setting(self) -> ServerSetting:
        """The typed address with the typed user name (``BadServerSetting`` when wrong)."""
        setting = ServerSetting.parse(self.server.text())
        user = self.username.text().strip()
        return setting.with_user(user) if user else setting

    def log_in(self) -> bool:
        from models.opening import open_server, stored_server_password

        try:
            setting = self.setting()
        except ArchiveOpenError as exc:
            self.show_message(str(exc))
            self.server.setFocus()
            return False
        password = self.password.text() or stored_server_password(setting) or ""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            archive, _ = open_server(setting, password)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message
            self.show_message(_open_message(exc))
            self.password.clear()
            self.password.setFocus()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._login_ok(setting, password)
        if archive.county_role:
            return self._ask_township(archive)
        return self._done(archive)

    def _login_ok(self, setting: ServerSetting, password: str) -> None:
        """The setting is kept (without the password); the password only when asked."""
        from models.opening import store_server_password

        if self.settings is not None:
            self.settings.server = setting.text()
        if self.remember.isChecked() and not store_server_password(setting, password):
            self.show_message("密码没有记住（本机的系统凭据不可用），下次登录时请再输入。")

    def _ask_township(self, archive) -> bool:
        names = archive.township_names()
        if not names:
            archive.close()
            self.show_message("县级数据库中还没有乡镇。请先用 tongdang server township 添加乡镇。")
            return False
        self.pending = archive
        self.township.clear()
        self.township.addItem(WHOLE_COUNTY)  # the county 工作台, read-only (desktop/pages/county.py)
        self.township.addItems(names)
        last = self.settings.server_township if self.settings is not None else ""
        if last in names or last == WHOLE_COUNTY:
            self.township.setCurrentText(last)
        self._show_township(True)
        for field in (self.server, self.username, self.password, self.remember):
            field.setEnabled(False)
        self.ok.setText(OPEN)
        self.show_message("")
        self.message.setStyleSheet("color:#333")
        self.show_message(f"您是{archive.county_role}。请选择要打开的乡镇（街道），"
                          "或选“全县”查看各乡镇一览（只读）。")
        self.township.setFocus()
        return False

    def open_township(self) -> bool:
        name = self.township.currentText()
        try:
            self.pending.county.choose(name)  # the login's role there (全县: 查阅)
        except ArchiveOpenError as exc:
            self.show_message(str(exc))
            return False
        if self.settings is not None:
            self.settings.server_township = name
        archive, self.pending = self.pending, None
        return self._done(archive)

    def _done(self, archive) -> bool:
        if not archive.county_role:  # (a county login's role came with its choice)
            archive.login_as(archive.setting.user, archive.login_role())
        self.archive = archive
        self.accept()
        return True

    def use_file(self) -> None:
        self.wants_file = True
        self.reject()

    def reject(self) -> None:
        if self.pending is not None:
            self.pending.close()
            self.pending = None
        super().reject()


def _open_message(exc: BaseException) -> str:
    if isinstance(exc, ArchiveOpenError):
        return str(exc)
    from desktop.worker import user_message

    return user_message(exc)


def open_server_in(dialog) -> bool:
    """For the welcome and unlock dialogs: 县级数据库… opens the county database through
    ``dialog._opened``; True when it did."""
    server = ServerOpenDialog(dialog.settings, dialog)
    dialog.server_dialog = server
    if server.exec() == QDialog.DialogCode.Accepted and server.archive is not None:
        dialog._opened(server.archive)
        return True
    return False


def server_label(archive) -> str:
    """Who works on which server, for the status bar: ``县级数据库 · clerk_a（录入员）``."""
    if not archive.on_server:
        return ""
    role = archive.county_role or archive.role
    return f"县级数据库 · {archive.username}（{role}）"
