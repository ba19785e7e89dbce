"""用户管理 (管理员 only) and 修改我的密码 (every logged-in user), shown inside the 设置 page.

Everything goes through models.users with the archive's writer, so the data layer refuses what
the role may not do; a refusal becomes a Chinese message box, never a traceback.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from models.roles import ADMIN, CLERK, ROLES, PermissionDenied
from models.users import BadUserInput, LoginFailed

TITLE = "用户管理"
COLUMNS = ["用户名", "姓名", "角色", "状态"]
MISMATCH = "两次输入的新密码不一致，请重新输入。"
REFUSALS = (BadUserInput, LoginFailed, PermissionDenied)


def logged_in_user(archive):
    """The archive's user behind this login (None when the archive is used without users)."""
    return archive.users.logged_in()


def default_new_role(archive) -> str:
    """添加用户 suggests 录入员, except for the first user, who must be a 管理员."""
    return CLERK if archive.users.has_users() else ADMIN


def user_status(user, now: datetime | None = None) -> str:
    now = now or datetime.now()
    if not user.active:
        return "已停用"
    if user.locked_until and user.locked_until > now:
        return f"已锁定至{user.locked_until:%H:%M}"
    return "正常"


def change_my_password(archive, old: str, new: str, again: str) -> str | None:
    """Change the logged-in user's own password; the Chinese refusal, or None when done."""
    if new != again:
        return MISMATCH
    try:
        archive.users.change_password(archive.username, old, new)
    except REFUSALS as exc:
        return str(exc)
    return None


class FieldsDialog(QDialog):
    """A small form: line edits (passwords hidden) and at most one role choice."""

    def __init__(self, title: str, fields: list[tuple[str, str]], parent=None,
                 role: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in fields:
            edit = QLineEdit()
            edit.setObjectName(key)
            if "password" in key:
                edit.setEchoMode(QLineEdit.Password)
            self.edits[key] = edit
            form.addRow(label, edit)
        self.role = None
        if role is not None:
            self.role = QComboBox()
            self.role.addItems(ROLES)
            self.role.setCurrentText(role)
            form.addRow("角色", self.role)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        values = {key: edit.text() for key, edit in self.edits.items()}
        if self.role is not None:
            values["role"] = self.role.currentText()
        return values


class ChangePasswordDialog(FieldsDialog):
    def __init__(self, archive, parent=None):
        super().__init__("修改我的密码", [("old_password", "原密码"), ("password", "新密码"),
                                          ("password_again", "再输一次新密码")], parent)
        self.archive = archive

    def accept(self) -> None:
        v = self.values()
        problem = change_my_password(self.archive, v["old_password"], v["password"],
                                     v["password_again"])
        if problem:
            QMessageBox.warning(self, "修改我的密码", problem)
            return
        QMessageBox.information(self, "修改我的密码", "密码已修改，下次登录请使用新密码。")
        super().accept()


class MyAccountBox(QGroupBox):
    """Who is logged in, and 修改我的密码."""

    def __init__(self, archive, parent=None):
        super().__init__("我的账户", parent)
        self.archive = archive
        user = archive.users.find(archive.username)
        name = user.display_name if user else archive.username
        row = QHBoxLayout(self)
        row.addWidget(QLabel(f"当前用户：{archive.username}（{name}，{archive.role}）"))
        button = QPushButton("修改我的密码…")
        button.setObjectName("change_my_password")
        button.clicked.connect(lambda: ChangePasswordDialog(self.archive, self).exec())
        row.addWidget(button)
        row.addStretch(1)


class UsersSection(QGroupBox):
    """The users of this archive, for a 管理员."""

    def __init__(self, archive, parent=None):
        super().__init__(TITLE, parent)
        self.archive = archive
        self.setObjectName("users_section")
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        for text, slot in (("添加用户…", self.ask_add_user), ("重设密码…", self.ask_reset_password),
                           ("解除锁定", self.unlock_selected), ("更改角色…", self.ask_role),
                           ("停用/启用", self.toggle_selected)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("users_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setMinimumHeight(160)
        layout.addWidget(self.table)
        hint = QLabel("角色：管理员可管理用户和乡镇设置；录入员可查看和修改儿童档案；"
                      "查阅只能查看（如县级抽查人员）。连续输错5次密码的用户会被锁定15分钟。"
                      "添加的第一个用户总是管理员；最后一个启用的管理员不能停用，也不能改为其他角色。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        layout.addWidget(hint)
        self.status = QLabel()
        self.status.setObjectName("users_status")
        layout.addWidget(self.status)
        self.refresh()

    # -- showing ---------------------------------------------------------------------
    def refresh(self) -> None:
        rows = self.archive.users.all()
        self.table.setRowCount(len(rows))
        for r, user in enumerate(rows):
            for c, text in enumerate((user.username, user.display_name, user.role,
                                      user_status(user))):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, user.username)
                self.table.setItem(r, c, item)

    def rows(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def select(self, username: str) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).text() == username:
                self.table.selectRow(r)
                return

    def selected_username(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(Qt.UserRole) if items else None

    # -- doing -----------------------------------------------------------------------
    def _attempt(self, action, done: str) -> bool:
        try:
            action()
        except REFUSALS as exc:
            QMessageBox.warning(self, TITLE, str(exc))
            return False
        self.refresh()
        self.status.setText(done)
        return True

    def _user(self, username: str):
        user = self.archive.users.find(username)
        if user is None:
            QMessageBox.warning(self, TITLE, f"找不到用户“{username}”。")
        return user

    def add_user(self, username: str, display_name: str, role: str, password: str,
                 again: str) -> bool:
        if password != again:
            QMessageBox.warning(self, TITLE, MISMATCH.replace("新密码", "密码"))
            return False
        first = not self.archive.users.has_users()  # the first user is always a 管理员 (models.users)
        done = f"已添加用户：{username.strip()}"
        if first and role != ADMIN:
            done += "（第一个用户设为管理员，档案库至少要有一个管理员）"
        return self._attempt(lambda: self.archive.users.create(username, password,
                                                                 role, display_name), done)

    def reset_password(self, username: str, password: str, again: str) -> bool:
        if password != again:
            QMessageBox.warning(self, TITLE, MISMATCH)
            return False
        user = self._user(username)
        return user is not None and self._attempt(
            lambda: self.archive.users.reset_password(user, password),
            f"已重设“{username}”的密码。")

    def unlock(self, username: str) -> bool:
        user = self._user(username)
        return user is not None and self._attempt(
            lambda: self.archive.users.unlock(user), f"已解除“{username}”的锁定。")

    def change_role(self, username: str, role: str) -> bool:
        if username == self.archive.username:
            QMessageBox.warning(self, TITLE, "不能更改自己的角色，请由另一位管理员操作。")
            return False
        user = self._user(username)
        return user is not None and self._attempt(
            lambda: self.archive.users.set_role(user, role),
            f"“{username}”的角色已改为{role}。")

    def set_active(self, username: str, active: bool) -> bool:
        if not active and username == self.archive.username:
            QMessageBox.warning(self, TITLE, "不能停用当前登录的用户。")
            return False
        user = self._user(username)
        return user is not None and self._attempt(
            lambda: self.archive.users.set_active(user, active),
            f"已{'启用' if active else '停用'}用户“{username}”。")

    # -- buttons (dialogs) -----------------------------------------------------------
    def _selected_or_say(self) -> str | None:
        username = self.selected_username()
        if username is None:
            QMessageBox.information(self, TITLE, "请先在列表中选中一个用户。")
        return username

    def ask_add_user(self) -> None:
        dialog = FieldsDialog("添加用户", [("username", "用户名"), ("display_name", "姓名"),
                                           ("password", "密码"), ("password_again", "再输一次密码")],
                              self, role=default_new_role(self.archive))
        while dialog.exec() == QDialog.Accepted:
            v = dialog.values()
            if self.add_user(v["username"], v["display_name"], v["role"], v["password"],
                             v["password_again"]):
                return

    def ask_reset_password(self) -> None:
        username = self._selected_or_say()
        if username is None:
            return
        dialog = FieldsDialog(f"重设“{username}”的密码",
                              [("password", "新密码"), ("password_again", "再输一次新密码")], self)
        while dialog.exec() == QDialog.Accepted:
            v = dialog.values()
            if self.reset_password(username, v["password"], v["password_again"]):
                return

    def unlock_selected(self) -> None:
        username = self._selected_or_say()
        if username is not None:
            self.unlock(username)

    def ask_role(self) -> None:
        username = self._selected_or_say()
        user = self.archive.users.find(username) if username else None
        if user is None:
            return
        role, ok = QInputDialog.getItem(self, "更改角色", f"“{username}”的新角色：", list(ROLES),
                                        ROLES.index(user.role) if user.role in ROLES else 0, False)
        if ok:
            self.change_role(username, role)

    def toggle_selected(self) -> None:
        username = self._selected_or_say()
        user = self.archive.users.find(username) if username else None
        if user is not None:
            self.set_active(username, not user.active)

