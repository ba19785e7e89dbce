"""走访录入: three paper records typed with the keyboard; the due dates move at once."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from models.schema import Child, Contact, Village
from tests.desktop.gui_helpers import id_number, make_window, type_chinese

TODAY = date.today()


@pytest.fixture
def page(qtbot, new_archive, tmp_path):
    writer = new_archive.writer()
    village = writer.create(Village, name="西岭村")
    for name, seq in (("张三", 11), ("章珊珊", 13), ("李四", 15)):
        writer.create(Child, name=name, id_number=id_number(date(2014, 5, 1), seq),
                      village=village.id, entered_on=TODAY - timedelta(days=400))
    from models.derived import refresh_all

    refresh_all(TODAY)
    w = make_window(new_archive, tmp_path, on=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.show_page("quick_entry")
    return w.page("quick_entry")


def record(qtbot, page, initials: str, on: date, kind: str, notes: str) -> Child:
    qtbot.keyClicks(page.search, initials)
    qtbot.keyClick(page.search, Qt.Key_Return)
    assert page.child_id is not None
    dated = page.editor.widgets["on"]
    dated.selectAll()
    qtbot.keyClicks(dated, on.isoformat())
    page.editor.set_value("kind", kind)
    type_chinese(page.editor.widgets["living"], notes)
    qtbot.keyClick(page.editor.widgets["living"], Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Enter
    return Child.get(Child.name == "张三")


def test_three_visits_move_the_due_dates(qtbot, page):
    type_chinese(page.editor.widgets["visitor"], "王主任")
    child = Child.get(Child.name == "张三")
    assert child.next_contact_due < TODAY  # never contacted: due since entry

    qtbot.keyClicks(page.search, "zs")
    assert page.matches.count() == 2  # 张三 and 章珊珊
    page.search.clear()

    first = record(qtbot, page, "zhangsan", TODAY - timedelta(days=70), "电话", "电话了解近况")
    assert first.next_contact_due > child.next_contact_due
    assert first.next_home_visit_due == child.next_home_visit_due  # a call is no home visit
    assert page.search.text() == "" and page.child_id is None  # cleared for the next record
    assert str(first.next_contact_due) in page.result.text()

    second = record(qtbot, page, "zhangsan", TODAY - timedelta(days=35), "入户走访", "入户看望")
    assert second.next_home_visit_due > first.next_home_visit_due
    assert second.next_contact_due > first.next_contact_due

    third = record(qtbot, page, "zhangsan", TODAY, "入户走访", "生活正常")
    assert third.next_contact_due > TODAY and third.next_home_visit_due > TODAY
    assert "已逾期" not in page.result.text()

    contacts = list(Contact.select().where(Contact.child == third.id).order_by(Contact.on))
    assert [(c.on, c.kind, c.visitor) for c in contacts] == [
        (TODAY - timedelta(days=70), "电话", "王主任"),
        (TODAY - timedelta(days=35), "入户走访", "王主任"),
        (TODAY, "入户走访", "王主任")]
    assert page.log.rowCount() == 3
    assert page.log.item(0, 3).text() == str(third.next_contact_due)


def test_saving_without_a_child_or_with_a_bad_date_saves_nothing(qtbot, page):
    type_chinese(page.editor.widgets["visitor"], "王主任")
    assert not page.save()
    assert "请先选择儿童" in page.result.text()
    qtbot.keyClicks(page.search, "ls")
    qtbot.keyClick(page.search, Qt.Key_Return)
    dated = page.editor.widgets["on"]
    dated.selectAll()
    qtbot.keyClicks(dated, "2025-02-30")
    assert not page.save()
    assert "不是有效日期" in page.editor.error_text("on")
    assert Contact.select().count() == 0
