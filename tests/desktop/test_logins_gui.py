"""The GUI side of issues 12/14/18: one login answer, the first user a 管理员, and the last
管理员 kept (pytest-qt, offscreen)."""

import pytest
from PySide6.QtWidgets import QDialog

from desktop.context import AppContext
from desktop.login import LoginDialog
from desktop.pages import settings as settings_page
from desktop.pages import users as users_page
from desktop.settings import Settings
from models import users
from models.roles import ADMIN, CLERK, READER, SYSTEM
from models.schema import User
from models.writer import Writer

PASSWORD = "admin-pass-1"


@pytest.fixture
def shown(monkeypatch):
    messages = []
    for name in ("warning", "information"):
        monkeypatch.setattr(users_page.QMessageBox, name,
                            lambda _p, _t, text, *_a, **_k: messages.append(text))
    return messages


def settings_page_for(qtbot, archive, tmp_path):
    page = settings_page.Page(AppContext(archive=archive, settings=Settings(tmp_path / "s.ini")))
    qtbot.addWidget(page)
    page.refresh()
    return page


def try_login(qtbot, archive, username, password) -> str:
    dialog = LoginDialog(archive)
    qtbot.addWidget(dialog)
    dialog.username.setText(username)
    dialog.password.setText(password)
    assert not dialog.log_in()
    assert dialog.password.text() == ""
    return dialog.message.text()


def test_the_login_dialog_gives_one_answer_for_unknown_users_and_wrong_passwords(qtbot,
                                                                                new_archive):
    users.create_first_admin(new_archive, "zhang", PASSWORD)
    li = users.create_user(Writer(SYSTEM, SYSTEM), "li", "clerk-pass-1", CLERK)
    users.set_active(Writer(SYSTEM, SYSTEM), li, False)
    answers = [try_login(qtbot, new_archive, "nobody", PASSWORD),
               try_login(qtbot, new_archive, "zhang", "wrong-pass-1"),
               try_login(qtbot, new_archive, "li", "wrong-pass-1")]
    assert answers == ["用户名或密码不正确。"] * 3
    assert try_login(qtbot, new_archive, "li", "clerk-pass-1") == "该用户已停用，请联系管理员。"
    for _ in range(3):
        try_login(qtbot, new_archive, "zhang", "wrong-pass-1")
    assert "密码连续错误5次" in try_login(qtbot, new_archive, "zhang", "wrong-pass-1")
    assert "已被锁定" in try_login(qtbot, new_archive, "zhang", PASSWORD)
    assert new_archive.role == SYSTEM  # nobody got in


def test_the_first_user_added_in_the_gui_is_an_admin(qtbot, new_archive, tmp_path, shown,
                                                     monkeypatch):
    """Issue 14 point 4: 添加用户's default role must not leave the archive without a 管理员."""
    page = settings_page_for(qtbot, new_archive, tmp_path)
    section = page.users_section
    seen_roles = []

    def fill_and_accept(dialog):
        seen_roles.append(dialog.role.currentText())
        values = {"username": "wang", "display_name": "王主任", "password": "first-pass-1",
                  "password_again": "first-pass-1"}
        for key, edit in dialog.edits.items():
            edit.setText(values[key])
        return QDialog.Accepted

    monkeypatch.setattr(users_page.FieldsDialog, "exec", fill_and_accept)
    section.ask_add_user()
    assert seen_roles == [ADMIN]  # the dialog suggests 管理员 for the first user
    assert User.get(User.username == "wang").role == ADMIN
    # Afterwards the dialog suggests 录入员 again.
    monkeypatch.setattr(users_page.FieldsDialog, "exec",
                        lambda dialog: seen_roles.append(dialog.role.currentText())
                        or QDialog.Rejected)
    section.ask_add_user()
    assert seen_roles == [ADMIN, CLERK]
    assert shown == []


def test_choosing_another_role_for_the_first_user_still_makes_an_admin(qtbot, new_archive,
                                                                      tmp_path, shown):
    section = settings_page_for(qtbot, new_archive, tmp_path).users_section
    assert section.add_user("wang", "王", READER, "first-pass-1", "first-pass-1")
    assert User.get(User.username == "wang").role == ADMIN
    assert "第一个用户设为管理员" in section.status.text()
    assert section.rows() == [["wang", "王", ADMIN, "正常"]]
    assert section.add_user("li", "李", READER, "second-pass-2", "second-pass-2")
    assert User.get(User.username == "li").role == READER


def test_the_gui_cannot_disable_or_demote_the_last_admin(qtbot, new_archive, tmp_path, shown):
    users.create_first_admin(new_archive, "zhang", PASSWORD, "张主任")
    # The archive's own session (not zhang), so the "not yourself" rule does not step in first.
    section = settings_page_for(qtbot, new_archive, tmp_path).users_section
    assert not section.change_role("zhang", CLERK)
    assert not section.set_active("zhang", False)
    assert shown == ["至少要保留一个管理员。", "至少要保留一个启用的管理员。"]
    zhang = users.find_user("zhang")
    assert (zhang.role, zhang.active) == (ADMIN, True)
    assert section.rows() == [["zhang", "张主任", ADMIN, "正常"]]
    # With a second active 管理员, the first may be demoted.
    assert section.add_user("wang", "王", ADMIN, "second-pass-2", "second-pass-2")
    assert section.change_role("zhang", CLERK)
    assert users.find_user("zhang").role == CLERK
    assert not section.set_active("wang", False)
    assert shown[-1] == "至少要保留一个启用的管理员。"
