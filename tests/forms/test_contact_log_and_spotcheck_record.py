"""联系记录 and 抽查记录表 are defined once in forms/ and registered where they belong."""

import pytest

from forms.contact_log import CONTACT_LOG, notes_text
from forms.registry import FORMS, FORMS_BY_KEY, OTHER_FORMS, form_by_name
from forms.spec import validate
from forms.spotcheck_record import SPOTCHECK_RECORD


def test_contact_log_is_a_child_form():
    assert FORMS["联系记录"] is CONTACT_LOG
    assert form_by_name("contact_log") is CONTACT_LOG
    assert FORMS_BY_KEY["contact_log"] is CONTACT_LOG
    table = CONTACT_LOG.section("rows")
    assert [c.label for c in table.columns] == [
        "日期", "联系方式", "联系人", "联系对象", "情况记录", "父母近一周联系"]
    assert validate(CONTACT_LOG, {}) == {"child_name": "儿童姓名：必填项，不能为空"}


def test_spotcheck_record_is_not_exported_per_child():
    assert "抽查记录表" not in FORMS
    assert OTHER_FORMS["抽查记录表"] is SPOTCHECK_RECORD
    assert FORMS_BY_KEY["spotcheck_record"] is SPOTCHECK_RECORD
    for name in ("抽查记录表", " spotcheck_record "):
        with pytest.raises(KeyError, match=r"不是单个儿童的表格.*tongdang spotcheck"):
            form_by_name(name)


def test_spotcheck_record_sections():
    assert [s.title for s in SPOTCHECK_RECORD.sections] == ["抽查情况", "抽查明细", "问题汇总", "签名"]


def test_contact_notes_print_filled_topics_in_order():
    topics = {"safety": " 无隐患 ", "living": "正常", "health": "  ", "follow_up": "下周回访",
              "problems": None}
    assert notes_text(topics) == "生活：正常；安全：无隐患；跟进：下周回访"
    assert notes_text({}) == ""
