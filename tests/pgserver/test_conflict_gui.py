"""Two clerks, one record, in the window: the second save is refused with a Chinese dialog that
names who changed what, and 重新载入 shows the record as the other clerk saved it."""

from datetime import date

import pytest

from desktop import child_file as cf
from desktop import records_panel
from desktop.edit_conflict import RELOAD, ask_reload
from models.schema import Child, Contact, Village, database
from models.server.archive import ServerArchive
from pgserver.pgcluster import PASSWORD
from tests.desktop.gui_helpers import make_window, type_chinese

ON = date(2026, 11, 25)


def open_as(county, login):
    archive, _ = ServerArchive.open(county.setting(login), PASSWORD)
    archive.login_as(login, archive.login_role())
    return archive


@pytest.fixture
def asked(monkeypatch):
    """The conflict dialog answered 重新载入; the messages it showed."""
    messages = []

    def answer(parent, conflict):
        messages.append(str(conflict))
        return True

    monkeypatch.setattr(records_panel.RecordsPanel, "ask_reload", staticmethod(answer))
    monkeypatch.setattr(cf.ChildFile, "ask_reload", staticmethod(answer))
    monkeypatch.setattr(cf.ChildFile, "ask", staticmethod(lambda parent, what: "discard"))
    return messages


@pytest.fixture
def two_clerks(qtbot, county, two_children, tmp_path):
    """clerk_a's window on 甲镇's child, and admin_a's archive beside it."""
    first = open_as(county, "clerk_a")
    window = make_window(first, tmp_path, on=ON)
    qtbot.addWidget(window)
    window.show()
    window.show_page("children")
    second = open_as(county, "admin_a")
    database.initialize(first.db)  # the window's archive is the one in use
    yield window, first, second, two_children["甲镇"]
    second.close()
    first.close()


def by_second(second, first, write) -> None:
    """Run ``write`` as the second clerk (another PC: its own connection), then back."""
    database.initialize(second.db)
    write(second.writer())
    database.initialize(first.db)


def test_a_visit_saved_by_another_clerk_is_reloaded(qtbot, two_clerks, asked):
    window, first, second, child_id = two_clerks
    visit = first.writer().create(Contact, child=child_id, on=ON, kind="入户走访", visitor="王")
    file = window.page("children").open_child(child_id)
    file.show_tab("走访记录")
    panel = file.panel("contact")
    panel.table.selectRow(0)
    assert panel.current.id == visit.id
    by_second(second, first, lambda w: w.update(Contact.get_by_id(visit.id), problems="缺课"))
    type_chinese(panel.editor.widgets["actions"], "联系学校")
    assert not panel.save()
    assert len(asked) == 1
    assert "admin_a" in asked[0] and "“（空）”改为“缺课”" in asked[0]
    assert "您的修改没有保存" in asked[0]
    # Reloaded: the other clerk's change shows, this clerk's typing (and draft) is gone.
    assert panel.editor.values()["problems"] == "缺课"
    assert panel.editor.values()["actions"] == ""
    assert not panel.editor.dirty and panel.keeper.pending() is None
    assert "已重新载入" in panel.state.text()
    saved = Contact.get_by_id(visit.id)
    assert (saved.problems, saved.actions) == ("缺课", "")
    # Now the clerk's change goes on top of the other's.
    type_chinese(panel.editor.widgets["actions"], "联系学校")
    assert panel.save()
    saved = Contact.get_by_id(visit.id)
    assert (saved.problems, saved.actions) == ("缺课", "联系学校")


def test_a_visit_deleted_by_another_clerk_is_said(qtbot, two_clerks, asked):
    window, first, second, child_id = two_clerks
    visit = first.writer().create(Contact, child=child_id, on=ON, kind="入户走访", visitor="王")
    file = window.page("children").open_child(child_id)
    file.show_tab("走访记录")
    panel = file.panel("contact")
    panel.table.selectRow(0)
    by_second(second, first, lambda w: w.delete(Contact.get_by_id(visit.id), "录重了"))
    type_chinese(panel.editor.widgets["actions"], "联系学校")
    assert not panel.save()
    assert "已被其他用户删除" in asked[0]
    assert panel.current is None and panel.table.rowCount() == 0
    assert "已被其他用户删除" in panel.state.text()
    assert Contact.select().count() == 0


def test_the_particulars_saved_by_another_clerk_are_reloaded(qtbot, two_clerks, asked):
    window, first, second, child_id = two_clerks
    village = first.writer().create(Village, name="东坡村")
    first.writer().update(Child.get_by_id(child_id), village=village.id)
    file = window.page("children").open_child(child_id)
    by_second(second, first, lambda w: w.update(Child.get_by_id(child_id), school="城关一小"))
    type_chinese(file.basic.widgets["grade"], "三年级")
    assert file.basic.validate() == {}
    assert not file.save_basic()
    assert "admin_a" in asked[0] and "城关一小" in asked[0]
    assert file.basic.values()["school"] == "城关一小" and not file.basic.dirty
    assert "已重新载入" in file.status.text()
    assert Child.get_by_id(child_id).grade == ""


def test_the_dialog_names_the_change_and_offers_reload(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = {}

    def click_reload(box):
        shown["title"], shown["text"] = box.windowTitle(), box.text()
        shown["advice"] = box.informativeText()
        shown["buttons"] = [b.text() for b in box.buttons()]
        next(b for b in box.buttons() if b.text() == RELOAD).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_reload)
    assert ask_reload(None, Exception("这条走访记录在您打开之后已被 admin_a 修改"))
    assert "其他用户修改" in shown["title"] and "admin_a" in shown["text"]
    assert RELOAD in shown["buttons"] and "继续编辑" in shown["buttons"]
    assert "您这次的输入不再保留" in shown["advice"]
