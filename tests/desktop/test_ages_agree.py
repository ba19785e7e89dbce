"""One age everywhere: a child born on 29 February is as old in the list as in its file.

周岁 by 《民法典》第二百零二条 (see ``models.rules.dates.birthday``): born 2012-02-29, the
fourteen years are complete on 2026-02-28, the last day of February 2026.
"""

from datetime import date

import pytest

from desktop.children_model import COLUMN_KEYS
from models.schema import Child, Village
from tests.desktop.gui_helpers import id_number, make_window

ON = date(2026, 2, 28)


@pytest.fixture
def leap_child(qtbot, new_archive, tmp_path):
    writer = new_archive.writer()
    village = writer.create(Village, name="东坡村")
    child = writer.create(Child, name="闰二月", id_number=id_number(date(2012, 2, 29), 11),
                          birth_date=date(2012, 2, 29), sex="男", village=village.id,
                          entered_on=date(2025, 1, 1))
    window = make_window(new_archive, tmp_path, on=ON)
    qtbot.addWidget(window)
    window.show()
    window.show_page("children")
    return window, child


def test_list_and_file_header_show_the_same_age(leap_child):
    window, child = leap_child
    page = window.page("children")
    model = page.list.model
    row = next(r for r in range(model.rowCount()) if model.child_id(r) == child.id)
    listed = model.data(model.index(row, COLUMN_KEYS.index("age")))
    assert listed == "男 14岁"
    file = page.open_child(child.id)
    assert "男 14岁" in file.header.title.text()
