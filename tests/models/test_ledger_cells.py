"""One ledger cell against its column (forms.ledger.parse_cell)."""

from datetime import date, datetime

import pytest

from forms import ledger
from forms.idnumber import make_id_number

TODAY = date(2026, 5, 20)
C = ledger.CHILDREN


def parse(header, value, sheet=C):
    return ledger.parse_cell(sheet.column(header), value, TODAY)


def error(header, value, sheet=C):
    with pytest.raises(ledger.CellError) as caught:
        parse(header, value, sheet)
    message = str(caught.value)
    assert f"“{header}”" in message  # every message names its column
    return message


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_blank(value):
    assert parse("民族", value) is None


def test_dates_in_the_accepted_forms():
    for value in (datetime(2025, 3, 1, 0, 0), date(2025, 3, 1), "2025-03-01", "2025/3/1",
                  "2025.03.01", "2025年3月1日", "20250301", " 2025-3-1 "):
        assert parse("登记日期", value) == date(2025, 3, 1), value


def test_dates_out_of_range_and_wrong():
    assert "晚于今天" in error("登记日期", "2026-05-21")
    assert "早于1900年" in error("登记日期", datetime(1899, 12, 31))
    assert "不存在" in error("登记日期", "2025-02-30")
    assert "不是日期" in error("登记日期", "上个月")
    assert "应填写日期" in error("登记日期", 45000)
    assert parse("登记日期", TODAY) == TODAY


def test_choices_and_the_ethnicity_shortcut():
    assert parse("民族", "汉") == "汉族"
    assert parse("就学状况", " 初中 ") == "初中"
    message = error("户籍类型", "非农")
    assert "只能填：农村、城镇" in message


def test_several_words_in_one_cell():
    assert parse("困境类别", "重残；低保、低保") == ("低保", "重残")
    assert parse("风险情形", "辍学;监护不足") == ("辍学", "监护不足")
    assert "“贫困”" in error("困境类别", "低保、贫困")


def test_yes_no():
    assert parse("单亲家庭", "是") is True and parse("单亲家庭", "否") is False
    assert parse("单亲家庭", True) is True
    assert "只能填“是”或“否”" in error("单亲家庭", "Y")


def test_id_numbers():
    number = make_id_number("140428", date(2015, 1, 1), 5, True)
    assert parse("身份证号", number.lower()) == number
    assert "被存成了数字" in error("身份证号", 1.40428201501010e17)
    assert "18位" in error("身份证号", "1234")


def test_phone_and_numbers_as_text():
    assert parse("父亲联系电话", 13800138000) == "13800138000"
    assert parse("父亲联系电话", "0355-1234567") == "0355-1234567"
    assert "电话" in error("父亲联系电话", "12")
    assert parse("年级", 3.0) == "3"


def test_formulas_errors_and_huge_cells():
    assert "不能包含公式" in error("备注", "=SUM(A1:A3)")
    assert "错误值" in error("家庭住址", "#N/A")
    assert "最多2000字" in error("备注", "字" * 2001)
    assert parse("备注", "字" * 2000) == "字" * 2000
    assert "最多50字" in error("姓名", "名" * 51)
    assert "应填写文字" in error("家庭住址", datetime(2020, 1, 1))


def test_header_normalisation():
    assert ledger.normalise_header(" 村（社区）") == "村(社区)"
    assert ledger.normalise_header("姓名（必填）") == "姓名"
    assert ledger.normalise_header(None) == ""
