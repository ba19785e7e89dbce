"""The registered forms follow DOMAIN §5–§7 and are internally consistent."""

import re

import form_samples
import pytest

from forms import vocab
from forms.registry import FORMS, form_by_name
from forms.spec import validate

REQUIRED = ("儿童基本信息表", "委托照护协议书", "家庭监护能力评估表", "入户走访记录表", "外出务工备案表",
            "关爱帮扶记录", "发现问题和解决方案", "工作日志")


def all_text(spec) -> str:
    return "".join("".join(s.text) for s in spec.sections) + spec.copies_note


def test_command_line_names():
    assert set(REQUIRED) <= set(FORMS)
    assert form_by_name(" 工作日志 ") is FORMS["工作日志"]
    with pytest.raises(KeyError, match="没有名为“花名册”的表格"):
        form_by_name("花名册")


@pytest.mark.parametrize("name", list(FORMS))
def test_field_keys_unique_and_placeholders_known(name):
    spec = FORMS[name]
    keys = [f.key for f in spec.fields()]
    assert len(keys) == len(set(keys))
    for placeholder in re.findall(r"\{(\w+)\}", all_text(spec)):
        assert placeholder in keys


@pytest.mark.parametrize("name", list(FORMS))
def test_blank_values_only_fail_on_required(name):
    spec = FORMS[name]
    errors = validate(spec, {})
    assert set(errors) == {f.key for f in spec.fields() if f.required}


def test_agreement_wording():
    spec = FORMS["委托照护协议书"]
    text = all_text(spec)
    assert spec.title == "农村留守儿童委托照护协议书"
    for exclusion in vocab.CARER_EXCLUSIONS:
        assert exclusion in text
    assert "自{starts_on}起至{ends_on}止" in text
    assert "至少每周与儿童和乙方联系一次" in text
    assert "书面告知" in text and "村（居）民委员会" in text
    assert "监护权不转移给乙方" in text
    assert "一式三份" in spec.copies_note
    labels = {f.label for f in spec.fields()}
    assert {"甲方（签名并按手印）", "乙方（签名并按手印）", "儿童主任（签名）",
            "村（居）民委员会（盖章）"} <= labels


def test_visit_record_asks_about_weekly_parent_contact():
    labels = {f.label for f in FORMS["入户走访记录表"].fields()}
    assert "父母近一周是否与儿童联系" in labels


def test_basic_info_uses_the_vocabulary():
    spec = FORMS["儿童基本信息表"]
    assert spec.field("schooling").choices == vocab.SCHOOLING_STATUSES
    assert spec.field("guardianship_type").choices == vocab.GUARDIANSHIP_TYPES
    assert spec.field("assistance").choices == vocab.ASSISTANCE_KINDS


def test_running_lists_are_tables():
    for name in ("关爱帮扶记录", "发现问题和解决方案", "工作日志"):
        tables = FORMS[name].table_sections()
        assert len(tables) == 1 and tables[0].columns


@pytest.mark.parametrize("make", [form_samples.basic_info, form_samples.agreement,
                                  form_samples.assessment, form_samples.work_trip])
def test_sample_forms_are_valid(make):
    filled = make()
    assert filled.errors() == {}
