"""An ID number typed with a Chinese input method (full-width digits, spaces, a small ｘ) is
the same number everywhere: searching, ``export --child`` (``find_child``), saving."""

from datetime import date

import pytest

from forms.idnumber import make_id_number, normalise_id_number
from models.child_query import ChildQuery
from models.child_records import find_child
from models.schema import Child

NUMBER = make_id_number("140428", date(2015, 5, 1), 12, False)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


def typed(text: str) -> str:
    return "　" + text.translate(FULL_WIDTH) + " "


def test_normalise_makes_ascii_upper_case_without_spaces():
    assert normalise_id_number(typed("14042820150501001x")) == "14042820150501001X"
    assert normalise_id_number(" 1404 2820 ") == "14042820"


@pytest.mark.both_backends
def test_search_and_find_child_accept_full_width_digits(new_archive):
    child = new_archive.writer().create(Child, name="张三", id_number=typed(NUMBER),
                                        entered_on=date(2025, 1, 1))
    assert Child.get_by_id(child.id).id_number == NUMBER  # stored normalised
    assert find_child(typed(NUMBER)).id == child.id
    assert ChildQuery(text=typed(NUMBER[6:14])).ids() == [child.id]
