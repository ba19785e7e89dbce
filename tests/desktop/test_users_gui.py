"""用户管理 in 设置: adding users, resetting passwords, unlocking, roles, 停用, 修改我的密码."""

from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialog

from desktop.context import AppContext
from desktop.pages import settings as settings_page
from desktop.pages import users as users_page
from desktop.settings import Settings
from models import users
from models.roles import ADMIN, CLERK, READER

ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture
def shown(monkeypatch):
    """Message boxes the users section would show (collected instead of blocking)."""
    messages = []
    for name in ("warning", "information"):
        monkeypatch.setattr(users_page.QMessageBox, name,
                            lambda _p, _t, text, *_a, **_k: messages.append(text))
    return messages


@pytest.fixture
def admin_page(qtbot, new_archive, tmp_path):
    users.create_first_admin(new_archive, "zhang", ADMIN_PASSWORD, "张主任")
    users.login(new_archive, "zhang", ADMIN_PASSWORD)
    page = settings_page.Page(AppContext(archive=new_archive, settings=Settings(tmp_path / "s.ini")))
    qtbot.addWidget(page)
    page.refresh()
    return page


def add_clerk(section, username="li", password="clerk-pass-1"):
    return section.add_user(username, "李录入", CLERK, password, password)


def test_an_admin_adds_a_clerk_who_can_then_log_in(admin_page, shown):
    section = admin_page.users_section
    assert section is not None and not section.isHidden()
    assert section.rows() == [["zhang", "张主任", ADMIN, "正常"]]
    assert add_clerk(section)
    assert section.rows()[1] == ["li", "李录入", CLERK, "正常"]
    assert "已添加用户：li" in section.status.text()
    user = users.authenticate("li", "clerk-pass-1")
    assert (user.role, user.display_name) == (CLERK, "李录入")
    assert shown == []


def test_bad_input_gives_a_chinese_message_and_no_user(admin_page, shown):
    section = admin_page.users_section
    assert not section.add_user("wang", "王", READER, "short", "short")
    assert not section.add_user("wang", "王", READER, "long-enough-1", "long-enough-2")
    assert not section.add_user("zhang", "又一个张", READER, "long-enough-1", "long-enough-1")
    assert not section.add_user("", "无名", READER, "long-enough-1", "long-enough-1")
    assert shown == ["密码至少需要8个字符。", "两次输入的密码不一致，请重新输入。",
                     "用户名“zhang”已存在，请换一个。", "用户名不能为空。"]
    assert [row[0] for row in section.rows()] == ["zhang"]
    assert users.find_user("wang") is None


def test_unlock_and_reset_a_forgotten_password(admin_page, shown):
    section = admin_page.users_section
    add_clerk(section)
    for _ in range(users.MAX_FAILED_ATTEMPTS):
        with pytest.raises(users.LoginFailed):
            users.authenticate("li", "wrong-password")
    section.refresh()
    status = section.rows()[1][3]
    assert status.startswith("已锁定至") and status == \
        f"已锁定至{users.find_user('li').locked_until:%H:%M}"
    assert section.unlock("li")
    assert section.rows()[1][3] == "正常"
    assert users.authenticate("li", "clerk-pass-1").username == "li"
    assert not section.reset_password("li", "new-clerk-pass", "other-clerk-pass")
    assert section.reset_password("li", "new-clerk-pass", "new-clerk-pass")
    assert users.authenticate("li", "new-clerk-pass").username == "li"
    with pytest.raises(users.LoginFailed):
        users.authenticate("li", "clerk-pass-1")
    assert shown == ["两次输入的新密码不一致，请重新输入。"]


def test_change_role_and_deactivate(admin_page, shown):
    section = admin_page.users_section
    add_clerk(section)
    assert section.change_role("li", READER)
    assert users.find_user("li").role == READER and section.rows()[1][2] == READER
    assert section.set_active("li", False)
    assert section.rows()[1][3] == "已停用"
    with pytest.raises(users.LoginFailed, match="停用"):
        users.authenticate("li", "clerk-pass-1")
    assert section.set_active("li", True)
    assert users.authenticate("li", "clerk-pass-1").role == READER
    # The admin cannot lock themself out, nor leave the archive without an admin.
    assert not section.change_role("zhang", CLERK)
    assert not section.set_active("zhang", False)
    assert users.find_user("zhang").role == ADMIN and users.find_user("zhang").active
    assert shown == ["不能更改自己的角色，请由另一位管理员操作。", "不能停用当前登录的用户。"]


def test_buttons_through_their_dialogs(admin_page, shown, monkeypatch):
    section = admin_page.users_section
    values = {"username": "zhao", "display_name": "赵查阅", "password": "reader-pass-1",
              "password_again": "reader-pass-1", "role": READER}

    def fill_and_accept(dialog):
        for key, edit in dialog.edits.items():
            edit.setText(values[key])
        if dialog.role is not None:
            dialog.role.setCurrentText(values["role"])
        return QDialog.Accepted

    monkeypatch.setattr(users_page.FieldsDialog, "exec", fill_and_accept)
    section.ask_add_user()
    assert users.authenticate("zhao", "reader-pass-1").role == READER
    section.table.clearSelection()
    section.ask_reset_password()  # nothing selected: asks to select first
    assert shown == ["请先在列表中选中一个用户。"]
    section.select("zhao")
    values.update(password="reader-pass-2", password_again="reader-pass-2")
    section.ask_reset_password()
    assert users.authenticate("zhao", "reader-pass-2").username == "zhao"
    section.select("zhao")
    section.toggle_selected()
    assert not users.find_user("zhao").active


def test_a_clerk_sees_no_user_management(qtbot, new_archive, tmp_path):
    users.create_first_admin(new_archive, "zhang", ADMIN_PASSWORD)
    users.login(new_archive, "zhang", ADMIN_PASSWORD)
    users.create_user(new_archive.writer(), "li", "clerk-pass-1", CLERK)
    users.login(new_archive, "li", "clerk-pass-1")
    page = settings_page.Page(AppContext(archive=new_archive, settings=Settings(tmp_path / "s.ini")))
    qtbot.addWidget(page)
    assert page.users_section is None
    assert not page.findChildren(users_page.UsersSection)
    assert page.findChildren(users_page.MyAccountBox)
    # And the data layer refuses even if a users section were reached some other way.
    section = users_page.UsersSection(new_archive)
    qtbot.addWidget(section)
    messages = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users_page.QMessageBox, "warning", lambda _p, _t, text: messages.append(text))
        assert not add_clerk(section, "sun")
    assert messages == ["只有管理员可以修改用户和乡镇设置。"] and users.find_user("sun") is None


def test_every_user_changes_their_own_password(new_archive):
    users.create_first_admin(new_archive, "zhang", ADMIN_PASSWORD)
    users.login(new_archive, "zhang", ADMIN_PASSWORD)
    users.create_user(new_archive.writer(), "zhao", "reader-pass-1", READER)
    users.login(new_archive, "zhao", "reader-pass-1")
    change = users_page.change_my_password
    assert change(new_archive, "reader-pass-1", "reader-pass-2", "reader-pass-3") == \
        users_page.MISMATCH
    assert change(new_archive, "wrong-old-pass", "reader-pass-2", "reader-pass-2") \
        .startswith("用户名或密码不正确")
    assert change(new_archive, "reader-pass-1", "short", "short") == "密码至少需要8个字符。"
    assert change(new_archive, "reader-pass-1", "reader-pass-2", "reader-pass-2") is None
    assert users.authenticate("zhao", "reader-pass-2").role == READER


def test_the_change_password_dialog_keeps_open_on_a_refusal(qtbot, new_archive, shown):
    users.create_first_admin(new_archive, "zhang", ADMIN_PASSWORD)
    users.login(new_archive, "zhang", ADMIN_PASSWORD)
    dialog = users_page.ChangePasswordDialog(new_archive)
    qtbot.addWidget(dialog)
    dialog.edits["old_password"].setText(ADMIN_PASSWORD)
    dialog.edits["password"].setText("admin-pass-2")
    dialog.edits["password_again"].setText("admin-pass-3")
    dialog.accept()
    assert dialog.result() != QDialog.Accepted and shown == [users_page.MISMATCH]
    dialog.edits["password_again"].setText("admin-pass-2")
    dialog.accept()
    assert dialog.result() == QDialog.Accepted
    assert users.authenticate("zhang", "admin-pass-2", datetime.now()).role == ADMIN
