"""Record editors refuse impossible data with a Chinese message at the field (forms rules)."""

from datetime import date, timedelta

import pytest

from desktop.form_editor import FormEditor
from models.record_kinds import AGREEMENT, CARER, CONTACT, FAMILY, GUARDIANSHIP

TODAY = date.today()


@pytest.fixture
def make_editor(qtbot):
    def make(kind):
        editor = FormEditor(kind.spec)
        qtbot.addWidget(editor)
        editor.show()
        return editor
    return make


def test_home_visit_in_the_future_is_refused(make_editor):
    editor = make_editor(CONTACT)
    editor.set_values({"on": TODAY + timedelta(days=24), "kind": "入户走访", "visitor": "王芳"})
    errors = editor.validate()
    assert list(errors) == ["on"]
    assert "不能晚于今天" in editor.error_text("on")
    editor.set_value("on", TODAY)
    assert editor.validate() == {}


def test_agreement_ending_before_it_starts_and_signed_in_the_future(make_editor):
    editor = make_editor(AGREEMENT)
    editor.set_values({"starts_on": "2026-03-01", "ends_on": "2025-03-01",
                       "signed_on": TODAY + timedelta(days=5), "status": "已签订"})
    errors = editor.validate()
    assert "不能早于委托照护起始日期" in editor.error_text("ends_on")
    assert "不能晚于今天" in editor.error_text("signed_on")
    assert set(errors) == {"ends_on", "signed_on"}


def test_carer_phone_with_country_code_is_saved_normalised(make_editor):
    editor = make_editor(CARER)
    editor.set_values({"name": "李秀英", "relation": "祖母", "phone": "+86 138 1234 5678"})
    assert editor.validate() == {}
    assert editor.typed_values()["phone"] == "13812345678"
    editor.set_value("phone", "1234")
    editor.validate()
    assert "手机号" in editor.error_text("phone")


def test_parent_at_home_needs_no_workplace(make_editor):
    editor = make_editor(FAMILY)
    editor.set_values({"relation": "父亲", "name": "张强", "status": "在家"})
    assert editor.validate() == {}
    editor.set_value("workplace", "浙江省宁波市")
    editor.validate()
    assert "只有状况为“外出务工”时才填写" in editor.error_text("workplace")
    status = editor.widgets["status"]
    status.setCurrentIndex(status.findText("外出务工"))  # the workplace's message goes away
    assert editor.error_text("workplace") == ""
    assert editor.validate() == {}


def test_assessment_date_not_in_the_future(make_editor):
    editor = make_editor(GUARDIANSHIP)
    editor.set_value("on", TODAY + timedelta(days=1))
    editor.validate()
    assert "不能晚于今天" in editor.error_text("on")
