"""The blank ledger template: sheets, exact columns, drop-downs, formats, instructions."""

from datetime import date

import pytest
from openpyxl import load_workbook

from exports.ledger_template import TemplateError, write_ledger_template
from forms import ledger, vocab
from models.ledger_import import validate_ledger

CHILD_COLUMNS = [
    "姓名", "身份证号", "民族", "户籍类型", "村(社区)", "家庭住址", "就读学校", "年级", "就学状况", "健康状况",
    "残疾类别", "残疾等级", "困境类别", "单亲家庭", "风险情形", "父亲姓名", "父亲身份证号", "父亲状况", "父亲外出范围",
    "父亲外出起始日期", "父亲联系电话", "母亲姓名", "母亲身份证号", "母亲状况", "母亲外出范围", "母亲外出起始日期",
    "母亲联系电话", "照护人姓名", "照护人与儿童关系", "照护人身份证号", "照护人联系电话", "儿童主任", "登记日期", "备注",
]
VISIT_COLUMNS = ["身份证号", "日期", "方式", "走访人", "情况记录", "发现问题", "处理措施"]


@pytest.fixture
def template(tmp_path):
    return load_workbook(write_ledger_template(tmp_path / "模板.xlsx", villages=["东坡村", "西岭村"]))


def test_sheets_and_exact_columns(template):
    assert template.sheetnames == ["填写说明", "儿童", "走访记录", "选项"]
    assert template["选项"].sheet_state == "hidden"
    assert [c.value for c in template["儿童"][1]] == CHILD_COLUMNS
    assert [c.value for c in template["走访记录"][1]] == VISIT_COLUMNS
    assert template["儿童"].max_row == 1  # no example rows that could be imported by mistake


def _list_for(ws, template, column_letter):
    """The words of the drop-down list on a column (read back from the hidden sheet)."""
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and any(str(r).startswith(f"{column_letter}2:") for r in dv.sqref.ranges):
            sheet, cells = dv.formula1.split("!")
            first, last = cells.replace("$", "").split(":")
            rows = template[sheet.strip("'")][f"{first}:{last}"]
            return [row[0].value for row in rows], dv
    return None, None


def test_drop_down_lists_come_from_the_vocabulary(template):
    ws = template["儿童"]
    words, dv = _list_for(ws, template, "C")
    assert words == list(vocab.ETHNICITIES) and dv.errorStyle == "stop"
    assert _list_for(ws, template, "D")[0] == list(vocab.REGISTRATION_TYPES)
    assert _list_for(ws, template, "I")[0] == list(vocab.SCHOOLING_STATUSES)
    assert _list_for(ws, template, "N")[0] == ["是", "否"]
    assert _list_for(ws, template, "R")[0] == list(vocab.PERSON_STATUSES)
    assert _list_for(ws, template, "S")[0] == list(vocab.DISTANCES)
    village_words, village_dv = _list_for(ws, template, "E")
    assert village_words == ["东坡村", "西岭村"]
    assert village_dv.showErrorMessage is False  # new villages may be typed
    assert _list_for(template["走访记录"], template, "C")[0] == list(vocab.CONTACT_KINDS)


def test_date_and_text_formats(template):
    ws = template["儿童"]
    for letter in ("T", "Z", "AG"):  # 父亲外出起始日期, 母亲外出起始日期, 登记日期
        assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"
    for letter in ("B", "Q", "W", "AD", "U"):  # ID numbers and a phone stay text
        assert ws.column_dimensions[letter].number_format == "@"
    assert template["走访记录"].column_dimensions["B"].number_format == "yyyy-mm-dd"


def test_required_headers_are_marked(template):
    ws = template["儿童"]
    red = {c.value for c in ws[1] if c.font.color is not None and c.font.color.rgb == "00C00000"}
    assert red == {"姓名", "身份证号", "村(社区)"}


def test_instructions_list_every_column_and_what_it_takes(template):
    text = "\n".join(str(v) for row in template["填写说明"].iter_rows(values_only=True)
                     for v in row if v)
    for header in CHILD_COLUMNS + VISIT_COLUMNS:
        assert header in text
    assert "只能填：农村、城镇" in text
    assert "不能填写公式" in text
    rows = {r[0]: r for r in template["填写说明"].iter_rows(values_only=True) if r[0] in CHILD_COLUMNS}
    assert rows["姓名"][1] == "必填" and rows["备注"][1] in (None, "")


def test_blank_template_validates_clean(tmp_path):
    path = write_ledger_template(tmp_path / "t.xlsx")
    check = validate_ledger(path, today=date(2026, 1, 1))
    assert check.ok and check.children == [] and check.visits == []


def test_missing_folder_gives_a_chinese_message(tmp_path):
    with pytest.raises(TemplateError, match="保存位置不存在"):
        write_ledger_template(tmp_path / "nope" / "t.xlsx")


def test_every_column_has_a_kind_the_reader_knows():
    for sheet in ledger.SHEETS:
        for column in sheet.columns:
            assert column.kind in ("text", "id_number", "phone", "date", "choice", "multichoice", "bool")
