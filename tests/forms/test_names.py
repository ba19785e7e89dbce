"""Invisible and direction-control characters are refused in names, in one place
(``forms.names``) used by the form editor's validation, the ledger import and 儿童主任."""

from datetime import date

import pytest

from forms import ledger
from forms.basic_info import BASIC_INFO
from forms.names import DIRECTION, INVISIBLE, is_name_key, name_problem
from forms.spec import validate

BAD = sorted(set(INVISIBLE) | set(DIRECTION) | {"\U000e0041", "\ufff9"})


@pytest.mark.parametrize("ch", BAD, ids=lambda c: f"U+{ord(c):04X}")
def test_each_character_is_named_with_how_to_fix_it(ch):
    message = name_problem(f"王{ch}明")
    assert message is not None
    assert f"U+{ord(ch):04X}" in message and "第2个字符" in message
    assert "请删除该字符" in message and "重新输入" in message
    if ch in INVISIBLE:
        assert INVISIBLE[ch] in message
    if ch in DIRECTION:
        assert DIRECTION[ch] in message and "方向" in message


@pytest.mark.parametrize("name", ["王明", "欧阳娜娜", "买买提·艾力", "阿卜杜拉 艾买提", "Zhang San",
                                  "东坡村", "石桥社区", "\ue000明", "王明\u3007", "李𠮷"])
def test_real_names_pass(name):
    assert name_problem(name) is None


def test_which_keys_are_names():
    assert all(is_name_key(k) for k in ("name", "father_name", "carer_name", "village",
                                        "director", "visitor", "township", "worker_name"))
    assert not any(is_name_key(k) for k in ("notes", "address", "illness", "phone", "school"))


def test_the_form_validation_refuses_them_in_names_only():
    values = {"name": "王\u200b明", "village": "\u202e村坡东", "illness": "感冒\u200b",
              "sex": "男", "birth_date": "2016-03-01", "id_number": "140428201603010015"}
    errors = validate(BASIC_INFO, values)
    assert errors["name"].startswith("姓名：第2个字符是看不见的字符“零宽空格”（U+200B）")
    assert errors["village"].startswith("村（社区）：第1个字符是文字方向控制符")
    assert "illness" not in errors  # free text is not a name
    assert "name" not in validate(BASIC_INFO, {**values, "name": "王明"})


def test_the_ledger_cell_refuses_them_naming_the_column():
    for header in ("姓名", "村(社区)", "儿童主任", "父亲姓名", "照护人姓名"):
        column = ledger.CHILDREN.column(header)
        with pytest.raises(ledger.CellError) as caught:
            ledger.parse_cell(column, "王\ufeff明", date(2026, 1, 1))
        assert str(caught.value).startswith(f"“{header}”的第2个字符")
        assert "U+FEFF" in str(caught.value)
    with pytest.raises(ledger.CellError):
        ledger.parse_cell(ledger.VISITS.column("走访人"), "张\u200d三", date(2026, 1, 1))
    notes = ledger.CHILDREN.column("备注")
    assert ledger.parse_cell(notes, "见附件\u200b", date(2026, 1, 1)) == "见附件\u200b"
