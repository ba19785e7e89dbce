"""The GUI hides what a role may not do: pages, buttons, settings, full ID numbers."""

import pytest
from PySide6.QtWidgets import QGroupBox, QPushButton

from desktop.children_model import COLUMN_KEYS
from desktop.permissions import (
    CHANGE_TOWNSHIP,
    EDIT_CHILDREN,
    MANAGE_USERS,
    SHOW_FULL_ID,
    can,
    may_open_page,
)
from models import users
from models.roles import ADMIN, CLERK, READER, SYSTEM
from models.schema import Child
from tests.desktop.gui_helpers import make_window

PASSWORD = "admin-pass-1"


def log_in_as(archive, role: str) -> None:
    """The first 管理员, then (for other roles) a user of ``role``, logged in."""
    users.create_first_admin(archive, "zhang", PASSWORD, "张主任")
    users.login(archive, "zhang", PASSWORD)
    if role != ADMIN:
        users.create_user(archive.writer(), "other", "other-pass-1", role, "王五")
        users.login(archive, "other", "other-pass-1")
    assert archive.role == role


def nav_labels(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def button_texts(widget) -> set[str]:
    return {b.text() for b in widget.findChildren(QPushButton) if not b.isHidden()}


def id_column(window) -> list[str]:
    page = window.page("children")
    model = page.list.model
    col = COLUMN_KEYS.index("id_number")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


@pytest.fixture
def window_for(qtbot, demo_archive, tmp_path):
    def make(role: str):
        log_in_as(demo_archive, role)
        window = make_window(demo_archive, tmp_path)
        qtbot.addWidget(window)
        return window
    return make


def test_the_table_of_actions():
    assert can(ADMIN, MANAGE_USERS) and can(ADMIN, SHOW_FULL_ID) and can(ADMIN, EDIT_CHILDREN)
    assert can(CLERK, EDIT_CHILDREN) and not can(CLERK, CHANGE_TOWNSHIP)
    assert not can(CLERK, MANAGE_USERS) and not can(CLERK, SHOW_FULL_ID)
    assert not any(can(READER, a) for a in (EDIT_CHILDREN, CHANGE_TOWNSHIP, MANAGE_USERS))
    assert not can(ADMIN, "no_such_action") and not can("访客", EDIT_CHILDREN)
    assert may_open_page(CLERK, "quick_entry") and not may_open_page(READER, "quick_entry")
    assert not may_open_page(READER, "ledger_import") and may_open_page(READER, "children")
    assert may_open_page(SYSTEM, "ledger_import")


def test_a_reader_has_no_entry_import_or_new_child(window_for):
    window = window_for(READER)
    labels = nav_labels(window)
    assert "走访录入" not in labels and "导入台账" not in labels
    assert labels == ["工作台", "儿童档案", "报表", "抽查", "儿童主任", "设置"]
    assert window.show_page("quick_entry") is False
    children = window.page("children")
    assert children.list.new_button.isHidden()
    assert "新建儿童档案 (Ctrl+N)" not in button_texts(children.list)
    window.new_child()  # Ctrl+N
    assert children.file is None and children.new_child() is None
    # Navigation rows map onto the visible pages, not onto the full list.
    window.nav.setCurrentRow(labels.index("儿童主任"))
    assert window.current_page() is window.page("directors")


def test_a_reader_gets_no_writing_buttons(window_for):
    window = window_for(READER)
    directors = button_texts(window.page("directors"))
    assert not directors & {"新增儿童主任", "修改", "登记离任", "登记培训", "登记摸底排查"}
    assert "查看负责的儿童" in directors
    assert window.page("spotcheck").draw_button.isHidden()
    settings = window.page("settings")
    texts = button_texts(settings)
    assert "立即备份" not in texts and "保存乡镇信息" not in texts and "校验档案库" in texts
    assert settings.township.isReadOnly() and settings.county.isReadOnly()
    assert settings.full_id.isHidden() and settings.users_section is None
    assert "修改我的密码…" in texts  # every logged-in user


def test_a_clerk_enters_visits_but_not_township_or_users(window_for):
    window = window_for(CLERK)
    labels = nav_labels(window)
    assert "走访录入" in labels and "导入台账" in labels
    assert not window.page("children").list.new_button.isHidden()
    assert "新增儿童主任" in button_texts(window.page("directors"))
    assert not window.page("spotcheck").draw_button.isHidden()
    settings = window.page("settings")
    texts = button_texts(settings)
    assert "保存乡镇信息" not in texts and "立即备份" in texts
    assert settings.township.isReadOnly() and settings.users_section is None
    titles = {box.title() for box in settings.findChildren(QGroupBox)}
    assert "用户管理" not in titles and "我的账户" in titles


def test_full_id_numbers_only_for_an_admin(window_for):
    window = window_for(ADMIN)
    window.show_page("children")
    masked = id_column(window)
    assert masked and all("*" in number for number in masked)
    window.show_page("settings")
    box = window.page("settings").full_id
    assert not box.isHidden()
    box.setChecked(True)
    window.show_page("children")
    full = id_column(window)
    real = {c.id_number for c in Child.select()}
    assert full and all(number in real for number in full)
    window.show_page("settings")
    box.setChecked(False)
    window.show_page("children")
    assert all("*" in number for number in id_column(window))


def test_a_clerk_sees_masked_ids_even_with_the_setting_on(window_for):
    window = window_for(CLERK)
    window.settings.show_full_id = True  # set by an admin on this computer
    window.show_page("settings")
    assert window.page("settings").full_id.isHidden()
    window.show_page("children")
    numbers = id_column(window)
    assert numbers and all("*" in number for number in numbers)
