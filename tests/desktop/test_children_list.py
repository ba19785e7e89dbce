"""The children list: search by pinyin initials, filters and sorting in SQL, lazy rows."""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from desktop.children_model import COLUMN_KEYS, ChildrenModel
from desktop.context import ChildFilter
from models.child_query import ChildQuery
from models.schema import Child, Village
from tests.desktop.gui_helpers import id_number, make_window

TODAY = date.today()


@pytest.fixture
def window(qtbot, demo_archive, tmp_path):
    village = Village.select().first()
    writer = demo_archive.writer()
    writer.create(Child, name="张三", id_number=id_number(date(2015, 5, 1), 11), village=village.id,
                  entered_on=TODAY - timedelta(days=30))
    writer.create(Child, name="赵四", id_number=id_number(date(2016, 6, 2), 13), village=village.id,
                  entered_on=TODAY - timedelta(days=30))
    w = make_window(demo_archive, tmp_path, on=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.show_page("children")
    return w


def names(model) -> list[str]:
    return [model.line(r).name for r in range(model.rowCount())]


def test_search_by_pinyin_initials_full_pinyin_and_id_digits(qtbot, window):
    page = window.page("children")
    search = page.list.search
    qtbot.keyClicks(search, "zs")
    shown = names(page.list.model)
    assert "张三" in shown
    initials = {c.name: c.pinyin_initials for c in Child.select()}
    assert all(initials[n].startswith("zs") for n in shown)
    assert page.list.count.text() == f"共 {len(shown)} 名儿童"

    search.clear()
    qtbot.keyClicks(search, "zhangsan")
    assert names(page.list.model) == ["张三"]

    zhang = Child.get(Child.name == "张三")
    search.clear()
    qtbot.keyClicks(search, zhang.id_number[6:14])  # the birth date digits
    assert "张三" in names(page.list.model)

    search.clear()
    assert page.list.model.rowCount() == Child.select().where(Child.closed_on.is_null()).count()


def test_enter_opens_the_child(qtbot, window):
    page = window.page("children")
    qtbot.keyClicks(page.list.search, "zhaosi")
    qtbot.keyClick(page.list.search, Qt.Key_Return)
    assert page.file is not None and page.file.child.name == "赵四"


def test_filters_match_the_cached_state(window):
    page = window.page("children")
    page.show_filter(ChildFilter(colour="green", overdue_only=True, label="测试"))
    model = page.list.model
    expected = Child.select().where(
        Child.closed_on.is_null() & (Child.colour == "green")
        & ((Child.next_contact_due < TODAY) | (Child.next_home_visit_due < TODAY))).count()
    assert model.rowCount() == expected > 0
    for r in range(model.rowCount()):
        line = model.line(r)
        assert line.colour == "green"
        assert min(line.next_contact_due, line.next_home_visit_due) < TODAY
    assert page.list.label.text() == "测试"
    # an overdue date is shown in red
    column = COLUMN_KEYS.index("next_contact_due")
    overdue_row = next(r for r in range(model.rowCount()) if model.line(r).next_contact_due < TODAY)
    brush = model.data(model.index(overdue_row, column), Qt.ForegroundRole)
    assert brush.color().name() == "#c5221f"


def test_category_is_a_whole_word(demo_archive):
    demo_archive.writer()
    low = ChildQuery(category="低保", include_closed=True).ids()
    edge = ChildQuery(category="低保边缘", include_closed=True).ids()
    cats = {c.id: c.categories.split("、") for c in Child.select()}
    assert set(low) == {i for i, words in cats.items() if "低保" in words}
    assert set(edge) == {i for i, words in cats.items() if "低保边缘" in words}


def test_sorting_is_done_in_sql_and_rows_load_in_pages(demo_archive):
    model = ChildrenModel(demo_archive, on=TODAY, page_size=10)
    model.set_query(ChildQuery())
    assert model.pages_loaded == 0  # nothing fetched before it is shown
    model.sort(COLUMN_KEYS.index("next_contact_due"), Qt.AscendingOrder)
    dues = [model.line(r).next_contact_due for r in range(model.rowCount())]
    assert dues == sorted(dues)
    assert model.pages_loaded == -(-model.rowCount() // 10)
    model.sort(COLUMN_KEYS.index("name"), Qt.DescendingOrder)
    shown = [Child.get_by_id(model.child_id(r)).pinyin for r in range(model.rowCount())]
    assert shown == sorted(shown, reverse=True)
    assert model.line(0).name == Child.get_by_id(model.child_id(0)).name


def test_full_id_only_when_allowed(demo_archive):
    masked = ChildrenModel(demo_archive, on=TODAY)
    masked.set_query(ChildQuery())
    column = COLUMN_KEYS.index("id_number")
    assert "*" in masked.data(masked.index(0, column))
    full = ChildrenModel(demo_archive, on=TODAY, full_id=True)
    full.set_query(ChildQuery())
    assert "*" not in full.data(full.index(0, column))


def test_search_finds_surnames_by_their_own_reading(qtbot, demo_archive, tmp_path):
    """曾 is read zeng and 单 shan as surnames: zengjie, zj and shanli find them."""
    village = Village.select().first()
    writer = demo_archive.writer()
    writer.create(Child, name="曾杰", id_number=id_number(date(2015, 7, 1), 21), village=village.id,
                  entered_on=TODAY - timedelta(days=30))
    writer.create(Child, name="单丽", id_number=id_number(date(2016, 8, 2), 22, male=False),
                  village=village.id, entered_on=TODAY - timedelta(days=30))
    w = make_window(demo_archive, tmp_path, on=TODAY)
    qtbot.addWidget(w)
    w.show()
    w.show_page("children")
    page = w.page("children")
    search = page.list.search
    for text, expected in (("zengjie", "曾杰"), ("zj", "曾杰"), ("shanli", "单丽")):
        search.clear()
        qtbot.keyClicks(search, text)
        qtbot.waitUntil(lambda expected=expected: expected in names(page.list.model))
        shown = names(page.list.model)
        keys = {c.name: c.pinyin_keys for c in Child.select()}
        assert all(f" {text}" in keys[n] for n in shown), (text, shown)
