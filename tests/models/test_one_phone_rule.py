"""One phone rule: the editors, the Excel ledger and the 儿童主任 ledger accept the same
numbers and store them the same way (``forms.checks``)."""

from datetime import date

import pytest

from forms import ledger
from forms.checks import normalise_phone
from forms.spec import Field, check_value
from models import directors
from models.schema import ChildDirector

PHONE = Field("phone", "联系电话", "phone")
COLUMN = ledger.CHILDREN.column("父亲联系电话")


@pytest.mark.parametrize("typed", [
    "+86 138 1234 5678", "0355-1234567", "(0355)1234567", "１３８１２３４５６７８",
    "13812345678、0355-1234567", "0086 13812345678", "12ab", "12345", "打不通",
])
def test_editor_ledger_and_directors_agree(new_archive, typed):
    # the editors: the field's check, then the stored form (desktop.form_editor.to_python)
    in_editor = normalise_phone(typed) if check_value(PHONE, typed) is None else None
    try:
        in_ledger = ledger.parse_cell(COLUMN, typed, date(2026, 5, 20))
    except ledger.CellError:
        in_ledger = None
    try:
        director = directors.add_director(new_archive.writer(), "李秀英", phone=typed)
        in_directors = ChildDirector.get_by_id(director.id).phone
    except ValueError:
        in_directors = None
    assert in_editor == in_ledger == in_directors
