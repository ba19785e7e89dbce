"""Form definitions: validation messages, value formatting, fixed wording, layout rows."""

from datetime import date

import pytest

from forms.idnumber import make_id_number
from forms.spec import (
    ROW_UNITS,
    Field,
    FilledForm,
    FormSpec,
    Section,
    fill_text,
    format_value,
    pack_rows,
    parse_date,
    validate,
    validate_row,
)

VALID_ID = make_id_number("530922", date(2014, 5, 17), 21, male=False)

SPEC = FormSpec("t", "测试表", (
    Section("基本", (
        Field("name", "姓名", required=True),
        Field("id", "身份证号", "id_number"),
        Field("born", "出生日期", "date"),
        Field("sex", "性别", "choice", ("男", "女")),
        Field("kinds", "类别", "multichoice", ("孤儿", "低保")),
        Field("phone", "联系电话", "phone"),
        Field("age", "年龄", "number"),
        Field("boarding", "是否寄宿", "bool"),
    )),
    Section("期限", (Field("start", "起始日期", "date"),), text=("自{start}起，由{name}照护。",),
            kind="text"),
    Section("记录", kind="table", columns=(Field("on", "日期", "date", required=True),),
            key="rows"),
))


def test_valid_values_give_no_messages():
    values = {"name": "和小禾", "id": VALID_ID, "born": "2014-05-17", "sex": "女",
              "kinds": "孤儿、低保", "phone": "13812345678", "age": "12", "boarding": True}
    assert validate(SPEC, values) == {}


def test_wrong_check_digit_names_the_field():
    wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    errors = validate(SPEC, {"name": "甲", "id": wrong})
    assert errors["id"].startswith("身份证号：校验位不正确")


def test_required_field_missing():
    assert validate(SPEC, {"name": "  "}) == {"name": "姓名：必填项，不能为空"}


@pytest.mark.parametrize("text", ["2025-02-30", "2025年13月1日", "明天"])
def test_dates_must_be_real(text):
    errors = validate(SPEC, {"name": "甲", "born": text})
    assert errors["born"].startswith("出生日期：")


def test_choices_must_be_in_the_list():
    errors = validate(SPEC, {"name": "甲", "sex": "未知", "kinds": ["孤儿", "留守"]})
    assert "“未知”不在可选项中" in errors["sex"]
    assert errors["kinds"] == "类别：“留守”不在可选项中"


@pytest.mark.parametrize("phone", ["13812345678", "0887-8221234", "08878221234", "8221234"])
def test_phone_numbers_accepted(phone):
    assert validate(SPEC, {"name": "甲", "phone": phone}) == {}


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "电话", "0887-12"])
def test_phone_numbers_rejected(phone):
    assert validate(SPEC, {"name": "甲", "phone": phone})["phone"].startswith("联系电话：应为11位手机号")


def test_number_and_bool():
    errors = validate(SPEC, {"name": "甲", "age": "十二", "boarding": "也许"})
    assert errors == {"age": "年龄：应为数字", "boarding": "是否寄宿：应填“是”或“否”"}


def test_table_rows_are_validated_per_column():
    section = SPEC.section("rows")
    assert validate_row(section, {"on": "2025-04-31"})["on"].startswith("日期：")
    assert validate_row(section, {}) == {"on": "日期：必填项，不能为空"}


@pytest.mark.parametrize("text", ["2025-03-01", "2025/3/1", "2025.3.1", "2025年3月1日", "20250301"])
def test_parse_date_spellings(text):
    assert parse_date(text) == date(2025, 3, 1)


def test_format_value_prints_chinese():
    assert format_value(SPEC.field("born"), date(2025, 3, 1)) == "2025年3月1日"
    assert format_value(SPEC.field("kinds"), ["孤儿", "低保"]) == "孤儿、低保"
    assert format_value(SPEC.field("boarding"), False) == "否"
    assert format_value(SPEC.field("age"), 12.0) == "12"
    assert format_value(SPEC.field("born"), "不详") == "不详"  # kept as typed, never dropped


def test_fixed_wording_filled_and_blank():
    template = SPEC.section("期限").text[0]
    assert fill_text(SPEC, template, {"start": date(2025, 3, 1), "name": "和玉珍"}) == \
        "自2025年3月1日起，由和玉珍照护。"
    blank = FilledForm.blank(SPEC).fill(template)
    assert "______年____月____日" in blank
    assert "{" not in blank and "和玉珍" not in blank


def test_blank_form_prints_no_values():
    filled = FilledForm.blank(SPEC)
    assert filled.is_blank and filled.values == {}
    assert filled.text_of(SPEC.field("name")) == ""


def test_rows_by_key_or_title():
    section = SPEC.section("记录")
    assert FilledForm(SPEC, rows={"rows": [{"on": "2025-01-01"}]}).rows_of(section) == \
        [{"on": "2025-01-01"}]
    assert FilledForm(SPEC, rows={"记录": [{"on": "x"}]}).rows_of(section) == [{"on": "x"}]


def test_pack_rows_fill_every_row():
    fields = (Field("a", "a", width=4), Field("b", "b", width=3), Field("c", "c", "multiline"),
              Field("d", "d", width=2))
    rows = pack_rows(fields)
    assert [[f.key for f, _ in row] for row in rows] == [["a"], ["b"], ["c"], ["d"]]
    assert all(sum(span for _, span in row) == ROW_UNITS for row in rows)


def test_bad_definitions_are_refused():
    with pytest.raises(ValueError):
        Field("x", "x", "colour")
    with pytest.raises(ValueError):
        Field("x", "x", "choice")
    with pytest.raises(ValueError):
        Section("表", kind="table")


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("kinds", True, "类别：格式不正确，应从可选项中选择"),
    ("kinds", ["孤儿", 3], "类别：“3”不在可选项中"),
    ("age", float("nan"), "年龄：应为有效的数字"),
    ("age", "1e999", "年龄：应为有效的数字"),
    ("age", True, "年龄：应为数字"),
    ("born", 20250301, "出生日期：日期格式应为“2025-03-01”或“2025年3月1日”"),
    ("sex", ["女"], "性别：“['女']”不在可选项中（可选：男、女）"),
    ("name", {"a": 1}, "姓名：格式不正确，应填写文字"),
    ("name", b"\xff", "姓名：格式不正确，应填写文字"),
    ("boarding", 2.5, "是否寄宿：应填“是”或“否”"),
])
def test_odd_values_get_messages_not_exceptions(key, value, expected):
    values = {"name": "甲", key: value}
    assert validate(SPEC, values)[key] == expected


def test_long_wrong_choice_is_shortened_in_the_message():
    message = validate(SPEC, {"name": "甲", "sex": "字" * 1000})["sex"]
    assert len(message) < 80 and "…" in message
